"""cio_analytics.pipeline: run and publish report packs.

What runs *outside* the notebook kernels: the pack definition and its validated parameters
(:mod:`.pack`, :mod:`.params`), the parallel runner and the private kernels (:mod:`.runner`,
:mod:`.kernel`), HTML export, the index page, the manifest, the Excel workbooks and the
publication of a run into ``reports/<period>/`` (:mod:`.publish`). The presentation that runs
*inside* a kernel is :mod:`cio_analytics.reporting`; the two meet only through the notebook
contract: :mod:`cio_analytics.reporting.parameters` (what goes in: the parameters schema, checked
here before a run and by each notebook's own check cell) and :mod:`cio_analytics.reporting.record`
(what comes out: a notebook records figures and tables, the pipeline reads them). Errors that stop
a whole run, and the exit codes, are in :mod:`.errors`. See ``docs/architecture.md``.
"""

from importlib import import_module
from typing import Any

# Names load on first use: a report kernel imports ``cio_analytics.pipeline._kernel_setup`` at
# start-up and must not pay for importing nbformat, nbconvert and papermill (seconds per kernel).
_LAZY = {
    "Job": "pack",
    "NotebookSchema": "params",
    "Pack": "pack",
    "PackRun": "publish",
    "UnitsRun": "units",
    "Param": "params",
    "ParameterValidationError": "params",
    "current_period": "publish",
    "load_pack": "pack",
    "load_units": "units",
    "pack_from_manifest": "manifest",
    "read_schema": "params",
    "run_pack": "publish",
    "run_units": "units",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "Job",
    "NotebookSchema",
    "Pack",
    "PackRun",
    "Param",
    "ParameterValidationError",
    "UnitsRun",
    "current_period",
    "load_pack",
    "load_units",
    "pack_from_manifest",
    "read_schema",
    "run_pack",
    "run_units",
]
