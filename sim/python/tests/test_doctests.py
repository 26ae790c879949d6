"""The docstrings' examples run (against the installed package and its shipped data)."""

import doctest

import inspectsim


def test_doctests():
    result = doctest.testmod(inspectsim, extraglobs={"inspectsim": inspectsim},
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 25
    assert result.failed == 0


def test_shipped_examples_are_the_repository_files():
    from pathlib import Path

    repository = Path(__file__).resolve().parents[3]
    for name in ("hampshire-2018.toml", "two-forces.toml", "hmicfrs-cancelled-crimes.csv"):
        shipped = Path(inspectsim.example(name))
        original = repository / "scenarios" / (name if name.endswith(".toml") else "data/" + name)
        assert shipped.read_bytes() == original.read_bytes()


def test_readme_example(tmp_path):
    # The README's Python session, run as a doctest (its paths are the repository's; the report goes
    # to a temporary directory).
    import re
    from pathlib import Path

    repository = Path(__file__).resolve().parents[3]
    readme = (repository / "README.md").read_text(encoding="utf-8")
    section = readme.split("## inspectsim from Python", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    block = block.replace('"scenarios/', f'"{repository}/scenarios/').replace(
        '"cancelled.html"', f'"{tmp_path / "cancelled.html"}"')
    test = doctest.DocTestParser().get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize().failed == 0
    assert (tmp_path / "cancelled.html").is_file()
