"""Shared cell and file checks of the sourcing readers (:mod:`.sourcing`, :mod:`.sourcing_sla`)."""

from __future__ import annotations

import math
import os
from typing import Any

import pandas as pd
import yaml

from .._validation import did_you_mean, short_repr
from ..exceptions import DataFileError
from .paths import file_sha256, resolve_data_path

PathLike = str | os.PathLike[str]


class _At:
    """Where a value sits (file, row or YAML item), to build DataFileError messages."""

    def __init__(self, path: str, row: int | None = None, item: str = "") -> None:
        self.path, self.row, self.item = path, row, item

    def fail(self, column: str | None, rule: str, value: Any, fix: str) -> DataFileError:
        got = "empty" if _missing(value) else short_repr(value)
        prefix = f"{self.item}: " if self.item else ""
        return DataFileError(
            f"{prefix}{rule} Got {got}. {fix}".strip(), path=self.path, row=self.row, column=column
        )


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _number(value: Any, at: _At, column: str, *, minimum: float | None = 0.0) -> float:
    fix = "Enter a plain number without currency signs, words or thousands separators."
    if isinstance(value, bool) or _missing(value):
        raise at.fail(column, "expected a number.", value, fix)
    try:
        out = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise at.fail(column, "expected a number.", value, fix) from None
    if not math.isfinite(out):
        raise at.fail(column, "expected a finite number.", value, fix)
    if minimum is not None and out < minimum:
        raise at.fail(
            column,
            f"must be {minimum:g} or more.",
            value,
            "Prices, fees and volumes are positive amounts; enter the size of the cost.",
        )
    return out


def _rate(value: Any, at: _At, column: str) -> float:
    out = _number(value, at, column, minimum=None)
    if not -1 < out <= 1:
        hint = f" Rates are decimals: use {out / 100:g} for {out:g} %." if out > 1 else ""
        raise at.fail(column, "must be a decimal in (-1, 1].", value, f"E.g. 0.03.{hint}")
    return out


def _share(value: Any, at: _At, column: str) -> float:
    out = _number(value, at, column, minimum=None)
    if not 0 <= out <= 1:
        hint = f" Use {out / 100:g} for {out:g} %." if out > 1 else ""
        raise at.fail(column, "must be a decimal share in [0, 1].", value, f"E.g. 0.05.{hint}")
    return out


def _load_yaml(path: PathLike, parameter: str) -> tuple[dict, str, str]:
    resolved = resolve_data_path(path, parameter=parameter)
    name = str(path)
    try:
        with open(resolved, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise DataFileError(f"is not valid YAML ({exc}).", path=name) from None
    if not isinstance(data, dict):
        raise DataFileError("must hold a mapping of settings (key: value).", path=name)
    return data, name, file_sha256(resolved)


def _load_table(path: PathLike, parameter: str, required: tuple[str, ...]) -> tuple:
    resolved = resolve_data_path(path, parameter=parameter)
    name, suffix = str(path), resolved.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(resolved, dtype=object)
        elif suffix in (".csv", ".txt"):
            frame = pd.read_csv(resolved, dtype=str, keep_default_na=False, skipinitialspace=True)
        else:
            raise DataFileError(
                f"unsupported file type {suffix!r}. Save as .csv or .xlsx.", path=name
            )
    except DataFileError:
        raise
    except Exception as exc:  # parser errors from pandas / openpyxl
        raise DataFileError(
            f"cannot be read as a table ({type(exc).__name__}: {exc}). Save it as a CSV with "
            "one header row, or as XLSX.",
            path=name,
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame[~frame.apply(lambda col: col.map(_missing)).all(axis=1)]
    for col in required:
        if col not in frame.columns:
            raise DataFileError(
                f"missing required column `{col}`. Found {list(frame.columns)}."
                f"{did_you_mean(col, frame.columns)} Add the column or rename the header.",
                path=name,
                column=col,
            )
    if frame.empty:
        raise DataFileError("holds no data rows. Add at least one row below the header.", path=name)
    return frame, name, file_sha256(resolved)


def _check_keys(data: dict, allowed: tuple[str, ...], at: _At) -> None:
    for key in data:
        if key not in allowed:
            raise at.fail(
                str(key),
                f"unknown key.{did_you_mean(str(key), allowed)}",
                key,
                f"Use only {', '.join(allowed)}.",
            )


def _currency(value: Any, at: _At) -> str:
    text = "" if _missing(value) else str(value).strip().upper()
    if len(text) != 3 or not text.isalpha():
        raise at.fail("currency", "must be a three-letter code.", value, "E.g. EUR.")
    return text
