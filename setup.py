"""The build fetches the dashboard's browser library from the npm registry, pinned and checked
(app/dashboard/vendor.py), before the package's files are collected; everything else about the
package is in pyproject.toml."""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

VENDOR = Path(__file__).parent / "app" / "dashboard" / "vendor.py"


def _fetch_vendored_assets() -> None:
    spec = importlib.util.spec_from_file_location("jobfair_vendor", VENDOR)
    vendor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vendor)
    vendor.fetch_all()


class BuildWithAssets(build_py):
    def run(self) -> None:
        _fetch_vendored_assets()
        super().run()


setup(cmdclass={"build_py": BuildWithAssets})
