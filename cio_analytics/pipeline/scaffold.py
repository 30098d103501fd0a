"""``cio-analytics init`` and ``upgrade-notebooks``: a project of one's own, from the shipped copies.

:func:`init_project` writes a working project folder from the notebooks, the quarterly pack and
the sample data of the installed version (:func:`cio_analytics.project.shipped_root`)::

    DIR/cio-analytics.toml   currency, fiscal year start month, history store
    DIR/README.md            the two commands that matter there
    DIR/notebooks/*.ipynb    the report notebooks, the user's to change
    DIR/packs/quarterly.yaml the quarterly pack, its paths relative to DIR
    DIR/data/...             the sample data, or templates: each CSV's header row
    DIR/reports/             the history store, one folder per period
    DIR/.cio-analytics-shipped.json   the version and hash of each notebook as written

In the repository the data lives in ``data/sample/``; a project keeps its own in ``data/``, so the
``data/sample/`` paths of the notebooks, the pack and the data files that name other files (the
project register names its task files) are written as ``data/`` (:func:`localise`).
:func:`notebook_changes` compares the user's notebooks with the shipped ones of the installed
version (localised the same way, code cells only, outputs ignored);
:func:`upgrade_notebooks` takes the new shipped copy of every notebook the user has not
edited since it was written (its hash still the one in the manifest), never one they changed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..exceptions import CioAnalyticsError
from ..project import CONFIG_NAME, shipped_root

__all__ = [
    "MANIFEST_NAME",
    "InitResult",
    "NotebookChange",
    "code_cells_text",
    "init_project",
    "localise",
    "notebook_changes",
    "upgrade_notebooks",
]

MANIFEST_NAME = ".cio-analytics-shipped.json"
_TEMPLATE_NOTE = (
    "# Template: the layout this file needs, shown with the sample's values. Replace them with\n"
    "# your own (cio-analytics init --with-sample-data writes the whole sample instead).\n"
)


def _version() -> str:
    try:
        return metadata.version("cio-analytics")
    except metadata.PackageNotFoundError:  # pragma: no cover - a checkout without install
        return "unknown"


def is_sample_data(path: Path, sample: Path) -> bool:
    """Whether ``path`` under the sample folder is data a project takes, not the script that
    generated it (``_generate_history.py``, its ``__pycache__``).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for name in ("budget.csv", "_generate_history.py"):
    ...     _ = (root / name).write_text("x")
    >>> [is_sample_data(root / n, root) for n in ("budget.csv", "_generate_history.py")]
    [True, False]
    """
    rel = path.relative_to(sample)
    if any(part.startswith(("_", ".")) for part in rel.parts):
        return False
    return path.suffix not in (".py", ".pyc") and path.is_file()


def localise(text: str) -> str:
    """A shipped notebook's or pack's text as a project holds it: ``data/sample/`` becomes
    ``data/`` (a project keeps its data in ``data/``).

    Examples
    --------
    >>> localise('case_path: str = "data/sample/cases/a.yaml"')
    'case_path: str = "data/cases/a.yaml"'
    """
    return text.replace("data/sample/", "data/")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class InitResult:
    """What :func:`init_project` wrote: the project folder and its files, relative to it."""

    folder: Path
    with_sample_data: bool
    files: tuple[str, ...]
    version: str

    def summary(self) -> pd.DataFrame:
        """One row per file written: ``file``, ``kind`` (its top folder)."""
        return pd.DataFrame(
            {"file": list(self.files), "kind": [f.split("/")[0] for f in self.files]}
        )


def _pack_text(shipped: str) -> str:
    text = localise(shipped)
    text = re.sub(
        r"(?m)^# The quarterly IT decision pack, built from the sample data: `make reports` or$",
        "# The quarterly IT decision pack of this project:",
        text,
    )
    return re.sub(
        r"(?m)^(\s+)currency: \w+\s*$",
        r"\1# currency: set in cio-analytics.toml; a value here overrides it for this pack",
        text,
    )


def _config_text(name: str, currency: str, fiscal_year_start_month: int) -> str:
    return (
        "# cio-analytics project settings. The `cio-analytics` command finds this file in the\n"
        "# folder it runs in or above it, so it works from any subfolder of the project.\n"
        "[project]\n"
        f"name = {json.dumps(name)}\n"
        f'currency = "{currency}"               # ISO 4217; every report notebook\'s `currency`\n'
        f"fiscal_year_start_month = {fiscal_year_start_month}    # 1 = January ... 12 = December\n"
        'history = "reports"            # the history store: one folder per period (reports/2026Q4/)\n'
    )


def _readme_text(name: str, with_sample_data: bool) -> str:
    data = (
        "the sample data of cio-analytics: replace it with yours, file by file"
        if with_sample_data
        else "templates: each CSV has its header row, fill in your rows; each YAML file shows "
        "its layout with the sample's values"
    )
    return f"""# {name}: IT decision reports

The two commands that matter here (from this folder or any folder inside it):

    cio-analytics validate quarterly   # checks the pack, its parameters and data files; runs nothing
    cio-analytics run quarterly        # builds reports/<this quarter>/ and prints its index page

- `notebooks/`: the report notebooks; they are yours to change (open them with `jupyter lab`).
- `packs/quarterly.yaml`: which notebooks the quarterly pack runs, with which parameters.
- `data/`: {data}.
- `reports/`: one folder per period, the history of your report packs.
- `cio-analytics.toml`: currency, fiscal year start month and where the history goes.

After upgrading cio-analytics, `cio-analytics upgrade-notebooks` shows how the shipped notebooks
changed; `cio-analytics upgrade-notebooks --write` takes the new ones you have not edited and
never overwrites your edits.
"""


def init_project(
    folder: str | os.PathLike[str],
    *,
    with_sample_data: bool = False,
    force: bool = False,
    currency: str = "EUR",
    fiscal_year_start_month: int = 1,
) -> InitResult:
    """Write a working project folder from the shipped notebooks, pack and data.

    Parameters
    ----------
    folder : path
        The project folder; created if missing. A folder that holds anything is refused unless
        ``force`` (then the shipped files are written over the ones of the same name; other
        files are left alone).
    with_sample_data : bool
        Copy the sample data into ``data/``; else write templates (each CSV's header row, each
        YAML file with a note that its values are the sample's; the Excel twins are left out).
    force : bool
        Write into a folder that is not empty.
    currency, fiscal_year_start_month
        Written into ``cio-analytics.toml`` (checked when the config is read).

    Returns
    -------
    InitResult

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     result = init_project(Path(tmp) / "proj")
    ...     (result.folder / "packs" / "quarterly.yaml").is_file(), "data/budget.csv" in result.files
    (True, True)
    """
    folder = Path(folder).expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise CioAnalyticsError(
            f"{folder} is a file, not a folder. Name a new folder for the project, "
            "e.g. cio-analytics init my-it-decisions."
        )
    if folder.is_dir() and any(folder.iterdir()) and not force:
        inside = sorted(p.name for p in folder.iterdir())
        shown = ", ".join(inside[:3]) + (", ..." if len(inside) > 3 else "")
        raise CioAnalyticsError(
            f"{folder} is not empty (it holds {shown}). Name a new or empty folder, or add "
            "--force to write the project files into it (files of the same name are replaced)."
        )
    shipped = shipped_root()
    written: list[str] = []

    def write(
        rel: str, text: str | None = None, src: Path | None = None, data: bytes | None = None
    ) -> None:
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if src is not None:
            shutil.copyfile(src, target)
        elif data is not None:
            target.write_bytes(data)
        else:
            target.write_text(text or "", encoding="utf-8")
        written.append(rel)

    hashes: dict[str, str] = {}
    for nb in sorted((shipped / "notebooks").glob("*.ipynb")):
        text = localise(nb.read_text(encoding="utf-8"))
        write(f"notebooks/{nb.name}", text)
        hashes[f"notebooks/{nb.name}"] = _sha256(text)
    pack = shipped / "notebooks" / "packs" / "quarterly.yaml"
    write("packs/quarterly.yaml", _pack_text(pack.read_text(encoding="utf-8")))

    sample = shipped / "data" / "sample"
    for src in sorted(p for p in sample.rglob("*") if is_sample_data(p, sample)):
        rel = f"data/{src.relative_to(sample).as_posix()}"
        if with_sample_data and src.suffix in (".csv", ".yaml", ".yml", ".md"):
            # byte for byte but for the paths a file names (a register naming its task files)
            write(rel, data=src.read_bytes().replace(b"data/sample/", b"data/"))
        elif with_sample_data:
            write(rel, src=src)
        elif src.suffix == ".csv":
            header = src.read_text(encoding="utf-8-sig").splitlines()[0]
            write(rel, header + "\n")
        elif src.suffix in (".yaml", ".yml"):
            write(rel, _TEMPLATE_NOTE + localise(src.read_text(encoding="utf-8")))
    (folder / "reports").mkdir(parents=True, exist_ok=True)

    name = folder.name
    write(CONFIG_NAME, _config_text(name, currency, fiscal_year_start_month))
    write("README.md", _readme_text(name, with_sample_data))
    version = _version()
    manifest = {"version": version, "notebooks": hashes}
    write(MANIFEST_NAME, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return InitResult(folder, with_sample_data, tuple(written), version)


def code_cells_text(text: str) -> list[str]:
    """The code cells of a notebook's JSON text, as lines, each cell headed ``# %% cell N``
    (outputs, execution counts and metadata ignored)."""
    nb = json.loads(text)
    lines: list[str] = []
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    for i, cell in enumerate(code, start=1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines.append(f"# %% cell {i}")
        lines.extend(source.splitlines())
    return lines


@dataclass(frozen=True)
class NotebookChange:
    """One notebook of a project against the shipped one of the installed version.

    ``status``: ``same`` (identical code cells), ``shipped changed`` (the user has not edited
    it since it was written; ``--write`` takes the new one), ``edited`` (the user changed it;
    never overwritten), ``new`` (shipped, not in the project; ``--write`` adds it), ``yours``
    (in the project, not shipped). ``diff`` is the unified diff of the code cells, the user's
    copy first.
    """

    notebook: str
    status: str
    diff: str
    updatable: bool


def _read_manifest(root: Path) -> dict[str, str]:
    path = root / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")).get("notebooks", {}))
    except (ValueError, AttributeError):
        raise CioAnalyticsError(
            f"{path} is not the JSON that cio-analytics init writes. Delete it: every notebook "
            "is then treated as edited and nothing is overwritten."
        ) from None


def notebook_changes(root: str | os.PathLike[str]) -> list[NotebookChange]:
    """Compare the project's ``notebooks/*.ipynb`` with the shipped ones (see the module doc)."""
    root = Path(root)
    shipped = {p.name: p for p in (shipped_root() / "notebooks").glob("*.ipynb")}
    mine = {p.name: p for p in (root / "notebooks").glob("*.ipynb")}
    manifest = _read_manifest(root)
    out: list[NotebookChange] = []
    for name in sorted(set(shipped) | set(mine)):
        rel = f"notebooks/{name}"
        if name not in shipped:
            out.append(NotebookChange(rel, "yours", "", False))
            continue
        new_text = localise(shipped[name].read_text(encoding="utf-8"))
        if name not in mine:
            out.append(NotebookChange(rel, "new", "", True))
            continue
        text = mine[name].read_text(encoding="utf-8")
        diff = "\n".join(
            difflib.unified_diff(
                code_cells_text(text),
                code_cells_text(new_text),
                f"{rel} (yours)",
                f"{rel} (shipped, cio-analytics {_version()})",
                lineterm="",
            )
        )
        unedited = manifest.get(rel) == _sha256(text)
        if text == new_text or not diff:
            out.append(NotebookChange(rel, "same", "", text != new_text and unedited))
        elif unedited:
            out.append(NotebookChange(rel, "shipped changed", diff, True))
        else:
            out.append(NotebookChange(rel, "edited", diff, False))
    return out


def upgrade_notebooks(root: str | os.PathLike[str]) -> list[str]:
    """Write the shipped copy of every notebook the user has not edited (and of new ones);
    update the manifest. Returns the notebooks written, relative to ``root``."""
    root = Path(root)
    shipped = shipped_root() / "notebooks"
    manifest_path = root / MANIFEST_NAME
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest_path.is_file()
        else {"notebooks": {}}
    )
    written: list[str] = []
    for change in notebook_changes(root):
        if not change.updatable:
            continue
        text = localise((shipped / Path(change.notebook).name).read_text(encoding="utf-8"))
        target = root / change.notebook
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        manifest["notebooks"][change.notebook] = _sha256(text)
        written.append(change.notebook)
    manifest["version"] = _version()
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
    return written
