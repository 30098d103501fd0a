"""Build hook: ship the report notebooks, the packs and the sample data inside the wheel.

The repository keeps them where people use them (``notebooks/``, ``notebooks/packs/``,
``data/sample/``: ``make reports``, JupyterLab and the tests read them there), so they are not
duplicated under ``cio_analytics/`` in git. At build time this ``build_py`` copies them into the
wheel as ``cio_analytics/_shipped/notebooks/...`` and ``cio_analytics/_shipped/data/sample/...``
(the repository's layout under one folder), where :func:`cio_analytics.project.shipped_root`
finds them with ``importlib.resources``. MANIFEST.in puts the same folders into the sdist, so
sdist -> wheel gives the same wheel. An editable install (``pip install -e .``) copies nothing:
the package runs from this checkout and ``shipped_root`` finds the folders in it.

Why not ``[tool.setuptools.data-files]`` (deprecated, and installs outside the package, where
importlib.resources cannot see it) or a ``package_dir`` mapping of sub-packages onto the folders
(needs ``__init__.py`` files in ``notebooks/`` and ``data/sample/`` and breaks editable installs).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# (folder in the repository, files to take); copied to cio_analytics/_shipped/<folder>
SHIPPED = (
    ("notebooks", ("*.ipynb", "packs/*.yaml")),
    ("data/sample", ("**/*.csv", "**/*.yaml", "**/*.xlsx", "**/*.md")),
)


class BuildPyWithShipped(build_py):
    """``build_py`` that also copies the shipped notebooks, packs and sample data."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "cio_analytics" / "_shipped"
        shutil.rmtree(target, ignore_errors=True)  # no stale copy of a file since removed
        for folder, patterns in SHIPPED:
            for pattern in patterns:
                for src in sorted((HERE / folder).glob(pattern)):
                    if src.is_file() and ".ipynb_checkpoints" not in src.parts:
                        dst = target / folder / src.relative_to(HERE / folder)
                        dst.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(src, dst)


setup(cmdclass={"build_py": BuildPyWithShipped})
