"""Named results a notebook records for the report index (a JSON-lines sidecar file).

A report notebook calls ``record("npv_p50", 1.2e6, label="NPV, median", unit="EUR")`` for each
headline figure. When the report pipeline runs the notebook it sets ``CIO_ANALYTICS_RECORD_FILE``
in the kernel's environment; each call appends one JSON line there, and the index reads them back.
Outside the pipeline (JupyterLab, plain papermill) nothing is written and the value is returned.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np

__all__ = ["RECORD_ENV", "read_records", "record"]

RECORD_ENV = "CIO_ANALYTICS_RECORD_FILE"


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    raise TypeError(
        f"record() takes a number, text or bool; got {type(value).__name__}. "
        "Record each headline figure separately."
    )


def record(
    name: str,
    value: Any,
    *,
    label: str | None = None,
    unit: str | None = None,
    fmt: str | None = None,
) -> Any:
    """Record one named headline figure of a report and return ``value`` unchanged.

    Parameters
    ----------
    name : str
        Identifier, unique within the notebook (``"npv_p50"``).
    value : number, str or bool
        The figure. NaN and infinities are stored as null.
    label : str, optional
        Human label for the index page (``"NPV, median"``).
    unit : str, optional
        Unit or currency code (``"EUR"``, ``"%"``, ``"FTE"``).
    fmt : str, optional
        A format spec for display (``",.0f"``, ``".1%"``).
    """
    entry = {"name": str(name), "value": _plain(value), "label": label, "unit": unit, "fmt": fmt}
    target = os.environ.get(RECORD_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\n")
    return value


def read_records(path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Read a sidecar file back: ``{name: {"value", "label", "unit", "fmt"}}``; the last write wins."""
    out: dict[str, dict[str, Any]] = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                entry = json.loads(line)
                out[entry.pop("name")] = entry
    return out
