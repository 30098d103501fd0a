"""cio_analytics.reporting: what runs inside a report notebook's kernel.

Decisions and executive summaries, charts, formatted tables, the one formatting module
(:mod:`.formatting`), the parameters and provenance appendix, and :func:`record` /
:func:`record_table`, which write what the pack pipeline (:mod:`cio_analytics.pipeline`) reads
back. Running and publishing packs moved to :mod:`cio_analytics.pipeline`; the old names
(``cio_analytics.reporting.run_pack``, ``cio_analytics.reporting.pack``, ...) still resolve, with a
``DeprecationWarning`` naming the new place. See ``docs/architecture.md``.
"""

import importlib.abc
import importlib.util
import sys
import warnings
from importlib import import_module
from types import ModuleType
from typing import Any

from .record import read_records, read_tables, record, record_table

# The presentation names load on first use: a report kernel that only calls ``record`` does not
# pay for importing matplotlib and seaborn.
_LAZY = {
    "Decision": "summary",
    "executive_summary": "summary",
    "format_money": "formatting",
    "format_number": "formatting",
    "format_percent": "formatting",
    "format_table": "tables",
    "investment_decision": "decisions",
    "parameters_table": "appendix",
    "provenance_appendix": "appendix",
    "risk_decision": "decisions",
    "staffing_decision": "decisions",
    # issue 11: one notebook shape
    "budget_decision": "decisions",
    "continuity_decision": "decisions",
    "delivery_decision": "decisions",  # issue 21
    "delivery_table": "decisions",
    "delivery_sections": "delivery",
    "record_delivery_figures": "delivery",
    "focus_team": "decisions",
    "performance_decision": "decisions",
    "portfolio_decision": "decisions",
    "sourcing_decision": "decisions",
}

# Deprecated since the split (issue 11): pipeline names once published here. They resolve
# through the pipeline package's own lazy table, so the name -> module map exists once.
_PIPELINE = "cio_analytics.pipeline"
_MOVED_NAMES = frozenset(
    "Job NotebookSchema Pack PackRun Param ParameterValidationError current_period load_pack "
    "pack_from_manifest read_schema run_pack".split()
)
# Deprecated modules: cio_analytics.reporting.<old> -> cio_analytics.pipeline.<new>.
_MOVED_MODULES = {
    "_kernel_setup": "_kernel_setup",
    "excel": "excel",
    "export": "export",
    "index": "index",
    "kernel": "kernel",
    "manifest": "manifest",
    "pack": "pack",
    "params": "params",
    "pipeline": "publish",
    "runner": "runner",
}


def _moved(old: str, new: str, stacklevel: int) -> None:
    warnings.warn(
        f"`cio_analytics.reporting.{old}` moved to `{new}`; import it from there "
        "(the old path will be removed in a future release).",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import cio_analytics.reporting.pack`` (and ``from ... import``) gives the moved module
    ``cio_analytics.pipeline.pack``, with a DeprecationWarning."""

    def __init__(self) -> None:
        self._specs: dict[str, Any] = {}

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        parent, _, name = fullname.rpartition(".")
        if parent != __name__ or name not in _MOVED_MODULES:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: Any) -> ModuleType:
        old = spec.name.rpartition(".")[2]
        new = f"cio_analytics.pipeline.{_MOVED_MODULES[old]}"
        _moved(old, new, 3)  # the import machinery's frames are skipped by warnings
        module = import_module(new)
        self._specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """The moved module is already executed: only give it back its own spec, which the
        import system replaced by the old name's."""
        module.__spec__ = self._specs.pop(module.__spec__.name, module.__spec__)


if not any(isinstance(f, _MovedModuleFinder) for f in sys.meta_path):
    sys.meta_path.append(_MovedModuleFinder())


def __getattr__(name: str) -> Any:
    if name == "charts":  # sub-package, imports matplotlib and seaborn on first use
        return import_module(".charts", __name__)
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    if name in _MOVED_NAMES:
        _moved(name, f"{_PIPELINE}.{name}", 3)
        return getattr(import_module(_PIPELINE), name)
    if name in _MOVED_MODULES:
        new = f"cio_analytics.pipeline.{_MOVED_MODULES[name]}"
        _moved(name, new, 3)
        return import_module(new)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Decision",
    "budget_decision",
    "charts",
    "continuity_decision",
    "delivery_decision",
    "delivery_sections",
    "delivery_table",
    "executive_summary",
    "focus_team",
    "format_money",
    "format_number",
    "format_percent",
    "format_table",
    "investment_decision",
    "parameters_table",
    "performance_decision",
    "portfolio_decision",
    "provenance_appendix",
    "read_records",
    "read_tables",
    "record",
    "record_delivery_figures",
    "record_table",
    "risk_decision",
    "sourcing_decision",
    "staffing_decision",
]
