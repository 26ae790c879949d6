"""Shared fixtures: the CLI binary (INSPECTSIM_BINARY, set by scripts/test) and the repository."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def binary() -> str:
    path = os.environ.get("INSPECTSIM_BINARY")
    if not path:
        pytest.fail("INSPECTSIM_BINARY is not set: point it at the inspectsim binary (scripts/test does)")
    if not os.access(path, os.X_OK):
        pytest.fail(f"INSPECTSIM_BINARY={path} is not an executable")
    return path


@pytest.fixture(scope="session")
def cli(binary):
    """Runs the CLI with these arguments (from the repository root) and returns its parsed JSON."""

    def run(*args: str) -> dict:
        r = subprocess.run([binary, *args, "--format", "json"], cwd=REPOSITORY, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    return run


@pytest.fixture(scope="session")
def cli_error(binary):
    """Runs the CLI on bad input and returns its message (without the 'inspectsim: ' prefix)."""

    def run(*args: str) -> str:
        r = subprocess.run([binary, *args], cwd=REPOSITORY, capture_output=True, text=True)
        assert r.returncode == 2, (r.returncode, r.stderr)
        return r.stderr.strip().removeprefix("inspectsim: ")

    return run


@pytest.fixture()
def in_repository(monkeypatch):
    """Runs the test from the repository root, so relative paths are the CLI's."""
    monkeypatch.chdir(REPOSITORY)
    return REPOSITORY
