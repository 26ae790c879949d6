"""Builds inspectsim's Python module with CMake on the repository (two levels up).

The extension inspectsim._inspectsim is the pybind11 target of sim/python/CMakeLists.txt, built
against the same core library as the command-line program (the repository configured with
-DINSPECTSIM_PYTHON=ON, which compiles the core position-independent). The CMake build directory
is kept between builds (build/python-module in the repository, or $INSPECTSIM_BUILD_DIR), so a
rebuild only compiles what changed. The shipped scenarios and data sets are copied into the package
as inspectsim/data/ (inspectsim.example() finds them), so the doctests run wherever it is installed.

Environment: INSPECTSIM_SOURCE_DIR (the repository, if this file was moved), INSPECTSIM_BUILD_DIR,
INSPECTSIM_BUILD_TYPE (default Release), INSPECTSIM_WERROR=ON (warnings are errors, as in CI),
INSPECTSIM_JOBS (parallel compile jobs; default: all cores).
"""

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SOURCE = Path(os.environ.get("INSPECTSIM_SOURCE_DIR", HERE.parent.parent)).resolve()


def repository() -> Path:
    if not (SOURCE / "CMakeLists.txt").is_file() or not (SOURCE / "sim" / "python").is_dir():
        sys.exit(
            f"inspectsim: {SOURCE} is not the inspectsim repository; build from sim/python inside it "
            "(python3 -m pip install --no-build-isolation ./sim/python) or set INSPECTSIM_SOURCE_DIR"
        )
    return SOURCE


class CMakeBuild(build_ext):
    """Configures and builds the repository's _inspectsim target, then copies the module in."""

    def build_extension(self, ext: Extension) -> None:
        source = repository()
        build = Path(os.environ.get("INSPECTSIM_BUILD_DIR", source / "build" / "python-module"))
        build.mkdir(parents=True, exist_ok=True)
        configure = [
            "cmake", "-S", str(source), "-B", str(build),
            f"-DCMAKE_BUILD_TYPE={os.environ.get('INSPECTSIM_BUILD_TYPE', 'Release')}",
            "-DINSPECTSIM_PYTHON=ON", "-DINSPECTSIM_TESTS=OFF",
            f"-DINSPECTSIM_WERROR={os.environ.get('INSPECTSIM_WERROR', 'OFF')}",
            f"-DPYTHON_EXECUTABLE={sys.executable}",
        ]
        jobs = os.environ.get("INSPECTSIM_JOBS", str(os.cpu_count() or 2))
        subprocess.run(configure, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", str(build), "--target", "_inspectsim", "-j", jobs], check=True)
        built = glob.glob(str(build / "sim" / "python" / "_inspectsim*.so"))
        if len(built) != 1:
            sys.exit(f"inspectsim: expected one _inspectsim*.so under {build}/sim/python, found {built}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)


class BuildPyWithData(build_py):
    """Also copies the repository's scenarios/*.toml and scenarios/data/*.csv into inspectsim/data."""

    def run(self) -> None:
        super().run()
        source = repository()
        data = Path(self.build_lib) / "inspectsim" / "data"
        data.mkdir(parents=True, exist_ok=True)
        for pattern in ("scenarios/*.toml", "scenarios/data/*.csv"):
            for f in sorted(source.glob(pattern)):
                shutil.copyfile(f, data / f.name)


setup(
    ext_modules=[Extension("inspectsim._inspectsim", sources=[])],
    cmdclass={"build_ext": CMakeBuild, "build_py": BuildPyWithData},
    zip_safe=False,
)
