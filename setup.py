"""The package build compiles the gettext catalogs (event_ops/locale/*/LC_MESSAGES/*.po →
.mo) so an installed wheel needs no compile step; everything else is in pyproject.toml."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        # The module alone, by path: importing the package would import the whole app.
        spec = importlib.util.spec_from_file_location(
            "_catalogs", Path(__file__).parent / "event_ops" / "catalogs.py")
        assert spec is not None and spec.loader is not None
        catalogs = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(catalogs)
        for po in sorted(catalogs.LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
            catalogs.compile_catalog(po, po.with_suffix(".mo"))
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
