"""cio_analytics.reporting: the papermill report pipeline, HTML reports, charts."""

from importlib import import_module
from typing import Any

from .record import read_records, record

# The pipeline's names load on first use: a report kernel that only calls ``record`` does not
# pay for importing nbformat, nbconvert and papermill (seconds per kernel).
_LAZY = {
    "Job": "pack",
    "NotebookSchema": "params",
    "Pack": "pack",
    "PackRun": "pipeline",
    "Param": "params",
    "ParameterValidationError": "params",
    "current_period": "pipeline",
    "load_pack": "pack",
    "pack_from_manifest": "manifest",
    "read_schema": "params",
    "run_pack": "pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Job",
    "NotebookSchema",
    "Pack",
    "PackRun",
    "Param",
    "ParameterValidationError",
    "current_period",
    "load_pack",
    "pack_from_manifest",
    "read_records",
    "read_schema",
    "record",
    "run_pack",
]
