"""A cio-analytics project: the folder holding ``cio-analytics.toml``, found the way git finds ``.git``.

A project is a folder of one's own (``cio-analytics init DIR`` writes one; this repository is
one too)::

    my-it-decisions/
        cio-analytics.toml     currency, fiscal year start, where the report history goes
        notebooks/             the report notebooks (yours to change)
        packs/quarterly.yaml   which notebooks run, with which parameters
        data/                  the data files the notebooks read
        reports/               one folder per period: the history store

The command line looks for ``cio-analytics.toml`` in the working directory and its parents, so
``cio-analytics run quarterly`` works from any subfolder; a pack's relative paths resolve against
the project holding the pack file. The notebooks, packs and sample data of the installed version
travel inside the package (see ``setup.py``); :func:`shipped_root` finds them.

This module sits on the ground floor's level (it imports only ``exceptions`` and
``_validation``), so ``io.paths`` and the pipeline can both use it.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ._validation import did_you_mean
from .exceptions import ParameterError

__all__ = [
    "CONFIG_NAME",
    "ProjectConfig",
    "find_project",
    "load_project",
    "shipped_root",
]

CONFIG_NAME = "cio-analytics.toml"
_KEYS = ("name", "currency", "fiscal_year_start_month", "history")
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class ProjectConfig:
    """The settings of one project, read from its ``cio-analytics.toml``.

    Attributes
    ----------
    root : pathlib.Path
        The project folder (the one holding the config file).
    name : str
        The project's name (default: the folder's name).
    currency : str
        ISO 4217 code of the money in the reports (``EUR``); the default of every report
        notebook's ``currency`` parameter (a pack's or ``-p`` value still wins).
    fiscal_year_start_month : int
        Month the fiscal year starts, 1 (January) to 12; the default of a notebook parameter of
        that name.
    history : str
        The history store: the folder the report runs go to, one subfolder per period, relative
        to the project (``reports``).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / CONFIG_NAME).write_text('[project]\\ncurrency = "CHF"\\n')
    ...     config = ProjectConfig.from_file(Path(tmp) / CONFIG_NAME)
    ...     config.currency, config.fiscal_year_start_month, config.history_dir == Path(tmp).resolve() / "reports"
    ('CHF', 1, True)
    """

    root: Path
    name: str
    currency: str = "EUR"
    fiscal_year_start_month: int = 1
    history: str = "reports"

    @property
    def history_dir(self) -> Path:
        """The history store as an absolute path."""
        p = Path(self.history).expanduser()
        return p if p.is_absolute() else self.root / p

    @property
    def parameter_defaults(self) -> dict[str, object]:
        """The notebook parameters this config sets for every notebook that declares them."""
        return {"currency": self.currency, "fiscal_year_start_month": self.fiscal_year_start_month}

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ProjectConfig:
        """Read and check a ``cio-analytics.toml``; a ParameterError names the file and key."""
        path = Path(path).resolve()
        where = f"{path.name} ({path.parent})"
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ParameterError(f"{where} is not valid TOML: {exc}. Fix the line named.") from None
        section = raw.get("project", {})
        unknown = sorted(set(raw) - {"project"})
        if unknown or not isinstance(section, dict):
            raise ParameterError(
                f"{where}: the settings go in one `[project]` table; found "
                f"{', '.join(f'`{k}`' for k in unknown) or '`project` as a value'}."
            )
        for key in section:
            if key not in _KEYS:
                raise ParameterError(
                    f"{where}: unknown key `{key}` in [project].{did_you_mean(key, _KEYS)} "
                    f"Keys: {', '.join(_KEYS)}."
                )
        name = section.get("name", path.parent.name)
        currency = section.get("currency", "EUR")
        if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
            raise ParameterError(
                f"{where}: `currency` must be a three-letter ISO 4217 code in capitals, "
                f'e.g. "EUR". Got {currency!r}.'
            )
        month = section.get("fiscal_year_start_month", 1)
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            raise ParameterError(
                f"{where}: `fiscal_year_start_month` must be a whole month number from 1 "
                f"(January) to 12 (December), e.g. 4 for a year starting in April. Got {month!r}."
            )
        history = section.get("history", "reports")
        if not isinstance(history, str) or not history.strip():
            raise ParameterError(
                f'{where}: `history` must name a folder, e.g. "reports". Got {history!r}.'
            )
        return cls(path.parent, str(name), currency, month, history)


def find_project(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the working directory) holding
    ``cio-analytics.toml``, or None."""
    here = Path(start if start is not None else Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def load_project(root: str | os.PathLike[str]) -> ProjectConfig | None:
    """The config of the project at ``root``, or None when ``root`` holds no config file."""
    path = Path(root) / CONFIG_NAME
    return ProjectConfig.from_file(path) if path.is_file() else None


def shipped_root() -> Path:
    """The folder holding the shipped ``notebooks/`` (with ``notebooks/packs/``) and
    ``data/sample/`` of the installed version.

    In a wheel they are package data, ``cio_analytics/_shipped/`` (found with
    ``importlib.resources``); an editable install or a source checkout has none there and runs
    from the repository, whose own folders are the shipped ones.
    """
    packaged = resources.files("cio_analytics").joinpath("_shipped")
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "notebooks" / "packs").is_dir() and (checkout / "data" / "sample").is_dir():
        return checkout
    raise ParameterError(
        "this installation of cio-analytics holds no shipped notebooks (no cio_analytics/_shipped "
        "folder and no source checkout). Reinstall it from a wheel or sdist: pip install cio-analytics."
    )
