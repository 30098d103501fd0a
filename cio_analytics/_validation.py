"""Input checks shared by every domain module.

Validate first, compute second. Each check raises :class:`~cio_analytics.exceptions.ParameterError`
(a ``ValueError``) whose message names the parameter, the rule, the value received and the fix.
The helpers return the cleaned value so a caller writes ``x = as_float_array(x, "values")``.
"""

from __future__ import annotations

import difflib
import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .exceptions import ParameterError

__all__ = [
    "MAGNITUDES",
    "Magnitude",
    "as_float_array",
    "change_factor",
    "check_choice",
    "check_frame",
    "check_int",
    "check_magnitude",
    "check_nonnegative",
    "check_positive",
    "check_probability",
    "check_rate",
    "closest",
    "column_kind",
    "did_you_mean",
    "magnitude_breach",
    "resolve_rng",
    "short_repr",
]


#: A relative change as scenario files, explorers and adjustments write it: "-20 %", "+15%".
_CHANGE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$")


def change_factor(value: Any) -> float | None:
    """The factor of a relative change written as text (``"-20 %"`` -> 0.8), else None.

    Examples
    --------
    >>> change_factor("-20 %"), change_factor("+15%"), change_factor(0.1), change_factor("20")
    (0.8, 1.15, None, None)
    """
    match = _CHANGE.match(value) if isinstance(value, str) else None
    return None if match is None else round(1.0 + float(match.group(1)) / 100.0, 12)


def short_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to a misspelt ``name``, or None when none is close."""
    close = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A ``" Did you mean 'x'?"`` hint for a misspelt name, or an empty string."""
    close = closest(name, candidates)
    return f" Did you mean {close!r}?" if close else ""


def check_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; else raise with a did-you-mean hint."""
    choices = list(choices)
    if value not in choices:
        raise ParameterError(
            f"`{name}` must be one of {', '.join(map(repr, choices))}. "
            f"Got {short_repr(value)}.{did_you_mean(value, choices)}"
        )
    return value


def as_float_array(
    values: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    allow_nan: bool = False,
    allow_inf: bool = False,
    min_size: int = 0,
) -> np.ndarray:
    """Convert ``values`` (scalar, list, ndarray, Series, DataFrame) to a float ndarray.

    Raises a ParameterError naming ``name`` for text, wrong dimensionality, NaN (unless
    ``allow_nan``) or infinities (unless ``allow_inf``). A DataFrame keeps its row order.
    """
    if isinstance(values, (pd.DataFrame, pd.Series)):
        frame = values
        try:
            arr = frame.to_numpy(dtype=float)
        except (TypeError, ValueError):
            bad = _first_non_numeric(frame)
            raise ParameterError(
                f"`{name}` must hold numbers only. {bad}. Clean the column or convert it with "
                "pd.to_numeric before calling."
            ) from None
    else:
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(
                f"`{name}` must hold numbers only. Got {short_repr(values)}. "
                "Remove text, empty strings and ragged rows (every row needs the same length)."
            ) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            raise ParameterError(
                f"`{name}` must be a {' or '.join(f'{d}-D' for d in allowed)} array. "
                f"Got shape {arr.shape}."
            )
    if arr.ndim and arr.shape[-1] < min_size:
        raise ParameterError(
            f"`{name}` needs at least {min_size} values per row. Got {arr.shape[-1]}."
        )
    if not allow_nan and np.isnan(arr).any():
        where = np.argwhere(np.isnan(arr))[0]
        raise ParameterError(
            f"`{name}` must not contain NaN. Found one at index {tuple(int(i) for i in where)}. "
            "Fill missing values (e.g. 0 for no cash flow) before calling."
        )
    if not allow_inf and np.isinf(arr).any():
        where = np.argwhere(np.isinf(arr))[0]
        raise ParameterError(
            f"`{name}` must be finite. Found an infinity at index {tuple(int(i) for i in where)}."
        )
    return arr


def _first_non_numeric(frame: pd.DataFrame | pd.Series) -> str:
    df = frame.to_frame() if isinstance(frame, pd.Series) else frame
    for col in df.columns:
        converted = pd.to_numeric(df[col], errors="coerce")
        bad = converted.isna() & df[col].notna()
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            return f"Column {col!r}, row {pos} holds {short_repr(df[col].iloc[pos])}"
    return "A value is not numeric"


def check_rate(rate: Any, name: str, *, allow_array: bool = True) -> Any:
    """Check a per-period rate given as a decimal in (-1, 1].

    A value above 1 is almost always a percentage typed as a number (8 for 8 %), so it is
    refused with that hint. Returns a float or a float ndarray.
    """
    arr = as_float_array(rate, name)
    if not allow_array and arr.ndim:
        raise ParameterError(f"`{name}` must be a single number. Got shape {arr.shape}.")
    if np.any(arr <= -1) or np.any(arr > 1):
        bad = arr.flat[int(np.flatnonzero((arr <= -1) | (arr > 1))[0])]
        hint = (
            f" Rates are decimals: use {bad / 100:g} for {bad:g} %."
            if bad > 1
            else " A rate at or below -100 % is not meaningful."
        )
        raise ParameterError(f"`{name}` must be a decimal in (-1, 1]. Got {bad:g}.{hint}")
    return float(arr) if arr.ndim == 0 else arr


def check_probability(p: Any, name: str) -> Any:
    """Check a probability or level in [0, 1]; values like 80 get the percent hint."""
    arr = as_float_array(p, name)
    if np.any((arr < 0) | (arr > 1)):
        bad = arr.flat[int(np.flatnonzero((arr < 0) | (arr > 1))[0])]
        hint = f" Levels are decimals: use {bad / 100:g} for {bad:g} %." if bad > 1 else ""
        raise ParameterError(f"`{name}` must be in [0, 1]. Got {bad:g}.{hint}")
    return float(arr) if arr.ndim == 0 else arr


def _check_bound(x: Any, name: str, strict: bool) -> Any:
    arr = as_float_array(x, name)
    bad_mask = arr <= 0 if strict else arr < 0
    if np.any(bad_mask):
        bad = arr.flat[int(np.flatnonzero(bad_mask)[0])]
        rule = "greater than 0" if strict else "0 or more"
        raise ParameterError(f"`{name}` must be {rule}. Got {bad:g}.")
    return float(arr) if arr.ndim == 0 else arr


def check_positive(x: Any, name: str) -> Any:
    """Check that every value is > 0."""
    return _check_bound(x, name, strict=True)


def check_nonnegative(x: Any, name: str) -> Any:
    """Check that every value is >= 0."""
    return _check_bound(x, name, strict=False)


def check_int(x: Any, name: str, *, minimum: int | None = None) -> int:
    """Check a whole number (``True``/``False`` refused), optionally ``>= minimum``."""
    if isinstance(x, bool) or not isinstance(x, (numbers.Integral, float)) or x != int(x):
        raise ParameterError(f"`{name}` must be a whole number. Got {short_repr(x)}.")
    x = int(x)
    if minimum is not None and x < minimum:
        raise ParameterError(f"`{name}` must be at least {minimum}. Got {x}.")
    return x


def resolve_rng(
    rng: int | np.random.Generator | np.random.SeedSequence | None,
) -> np.random.Generator:
    """``np.random.default_rng(rng)`` with a clear error for anything else (SPEC 7)."""
    if isinstance(rng, bool) or not (
        rng is None
        or isinstance(rng, (numbers.Integral, np.random.Generator, np.random.SeedSequence))
    ):
        raise ParameterError(
            "`rng` must be None, an int seed or a numpy.random.Generator. "
            f"Got {short_repr(rng)}. Use rng=2026 for a reproducible run."
        )
    return np.random.default_rng(rng)


def resolve_seed(
    rng: int | np.random.Generator | None, name: str = "rng"
) -> tuple[int, np.random.Generator]:
    """The one seed policy: ``(recorded seed, generator)`` for any accepted ``rng``.

    - ``None``: a fresh seed from the operating system's entropy (a new run each time);
    - an ``int`` of 0 or more: that seed;
    - a ``numpy.random.Generator``: one draw from it becomes the seed, so a run driven by a
      caller's generator can still be replayed from the recorded integer.

    The generator returned is always ``np.random.default_rng(seed)``, so
    ``resolve_seed(s)[1]`` and ``resolve_seed(resolve_seed(g)[0])[1]`` draw the same numbers.
    Results record the seed as ``seed: int``.

    >>> seed, gen = resolve_seed(2026)
    >>> seed, float(gen.random()) == float(np.random.default_rng(2026).random())
    (2026, True)
    """
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ParameterError(
                f"`{name}` seed must be 0 or more. Got {int(rng)}. Use a seed such as {name}=2026."
            )
        seed = int(rng)
    elif rng is None:
        seed = int(np.random.SeedSequence().generate_state(2, np.uint32).view(np.uint64)[0] >> 1)
    elif isinstance(rng, np.random.Generator):
        seed = int(rng.integers(2**63))
    else:
        raise ParameterError(
            f"`{name}` must be None, an int seed or a numpy.random.Generator. "
            f"Got {short_repr(rng)}. Use {name}=2026 for a reproducible run."
        )
    return seed, np.random.default_rng(seed)


def check_frame(
    frame: Any,
    name: str,
    required: Iterable[str],
    *,
    fix: str = "",
    allow_empty: bool = False,
) -> pd.DataFrame:
    """Check a table argument: a DataFrame with every ``required`` column and rows.

    The one input check for DataFrames handed to a domain model. ``fix`` says where a valid
    table comes from (e.g. ``"Read the file with cio_analytics.io.read_budget."``) and is
    appended to the messages. Returns ``frame`` itself (not a copy).

    >>> check_frame(pd.DataFrame({"a": [1]}), "table", ["a"]).shape
    (1, 1)
    >>> check_frame(pd.DataFrame({"amont": [1]}), "table", ["amount"])
    Traceback (most recent call last):
    ...
    cio_analytics.exceptions.ParameterError: `table` is missing the column `amount`. Found ['amont']. Did you mean 'amont'?
    """
    tail = f" {fix}" if fix else ""
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(
            f"`{name}` must be a DataFrame (pandas). Got {type(frame).__name__}.{tail}"
        )
    missing = [c for c in required if c not in frame.columns]
    if missing:
        cols = ", ".join(f"`{c}`" for c in missing)
        raise ParameterError(
            f"`{name}` is missing the column{'s' if len(missing) > 1 else ''} {cols}. "
            f"Found {list(frame.columns)}.{did_you_mean(missing[0], map(str, frame.columns))}"
            f"{tail}"
        )
    if frame.empty and not allow_empty:
        raise ParameterError(f"`{name}` holds no rows. Give a table with at least one row.{tail}")
    return frame


# ---------------------------------------------------------------------------- magnitudes
@dataclass(frozen=True)
class Magnitude:
    """The plausible range of one kind of quantity: ``low <= x <= high``.

    ``what`` names the quantity in messages; ``fix`` says what a value outside usually is.
    """

    low: float
    high: float
    what: str
    fix: str


#: The one table of plausible magnitudes, used by the column parsers of the readers
#: (:mod:`cio_analytics.io._columns`) and by the public library functions. A value outside its
#: range is refused naming the bound: a 1e300 is a typo or a unit error, never an input, and
#: letting it through gives an infinity or a float-precision artefact instead of an answer.
MAGNITUDES: dict[str, Magnitude] = {
    "number": Magnitude(
        -1e15, 1e15, "any number the package reads or takes",
        "Check for a typo, pasted digits or a unit error.",
    ),
    "amount": Magnitude(
        -1e12, 1e12, "an amount of money on one line or in one period",
        "Enter amounts in currency units (not cents) and check for extra zeros.",
    ),
    "calls": Magnitude(
        0.0, 1e7, "calls in one interval",
        "Give the calls of one interval (e.g. a half hour), not a total or a rate.",
    ),
    "headcount": Magnitude(
        0.0, 1e7, "a headcount or number of agents (people or FTE)",
        "Give people or FTE, not hours or money.",
    ),
    "year": Magnitude(1900.0, 2200.0, "a calendar year", "Enter a four-digit year, e.g. 2026."),
    "duration_s": Magnitude(
        0.0, 1e9, "a duration in seconds (at most about 30 years)",
        "Give seconds (e.g. 180 for three minutes).",
    ),
    "duration_min": Magnitude(
        0.0, 1.6e7, "a duration in minutes (at most about 30 years)",
        "Give minutes (e.g. 12.5).",
    ),
    "duration_days": Magnitude(
        0.0, 36_600.0, "a duration in days (at most 100 years)", "Give days (e.g. 20)."
    ),
    "duration_months": Magnitude(
        0.0, 1_200.0, "a duration in months (at most 100 years)", "Give months (e.g. 3)."
    ),
    "duration_years": Magnitude(
        0.0, 100.0, "a duration in years (at most 100)", "Give years (e.g. 5)."
    ),
    "load": Magnitude(
        0.0, 1e7, "an offered load in Erlangs (agents busy on average)",
        "Load is calls x handle time / interval length: check the units of each.",
    ),
    "periods": Magnitude(
        0.0, 1_200.0, "a number of periods (at most 100 years of months)",
        "Give periods of the case (years, or months with periods_per_year 12).",
    ),
}  # fmt: skip

#: Columns of the data files whose kind follows from the name alone (``_min`` is not a suffix
#: rule: ``scale_min`` is a minimum, not minutes).
_COLUMN_KINDS = {
    "calls": "calls",
    "calls_sd": "calls",
    "headcount": "headcount",
    "agents": "headcount",
    "servers": "headcount",
    "load": "load",
    "handle_time_min": "duration_min",
}
_SUFFIX_KINDS = (
    ("_s", "duration_s"),
    ("_days", "duration_days"),
    ("_months", "duration_months"),
    ("_fte", "headcount"),
)


def column_kind(column: str, *, minimum: float | None = None) -> str:
    """The kind of quantity a data-file column holds, from its name (default ``"number"``).

    ``year`` is a calendar year when the reader asks for years from 1900 (a contract year
    numbered 1, 2, 3 is a plain number).

    >>> column_kind("handle_time_s"), column_kind("calls"), column_kind("year", minimum=1900)
    ('duration_s', 'calls', 'year')
    """
    name = str(column).strip().lower()
    if name == "year" and minimum is not None and minimum >= 1900:
        return "year"
    if name in _COLUMN_KINDS:
        return _COLUMN_KINDS[name]
    for suffix, kind in _SUFFIX_KINDS:
        if name.endswith(suffix):
            return kind
    return "number"


def magnitude_breach(values: Any, kind: str) -> tuple[int, str] | None:
    """``(flat position, rule)`` of the first value outside ``MAGNITUDES[kind]``, else None.

    NaN is ignored (missing values are the caller's business). The rule names the bound:
    ``"must be at most 1e+12 (the plausible bound of an amount of money ...)."``.
    """
    bound = MAGNITUDES[kind]
    arr = np.asarray(values, dtype=float).ravel()
    with np.errstate(invalid="ignore"):
        high = arr > bound.high
        low = arr < bound.low
    bad = high | low
    if not bad.any():
        return None
    p = int(np.flatnonzero(bad)[0])
    side = f"at most {bound.high:g}" if high[p] else f"at least {bound.low:g}"
    return p, f"must be {side} (the plausible bound of {bound.what})."


def check_magnitude(x: Any, name: str, kind: str) -> Any:
    """Refuse a value outside the plausible range of its kind (see :data:`MAGNITUDES`).

    Returns ``x`` unchanged. The message names the parameter, the bound, the value and the fix.

    >>> check_magnitude(120.0, "calls", "calls")
    120.0
    >>> check_magnitude(1e300, "calls", "calls")
    Traceback (most recent call last):
    ...
    cio_analytics.exceptions.ParameterError: `calls` must be at most 1e+07 (the plausible bound of calls in one interval). Got 1e+300. Give the calls of one interval (e.g. a half hour), not a total or a rate.
    """
    breach = magnitude_breach(x, kind)
    if breach is not None:
        p, rule = breach
        value = float(np.asarray(x, dtype=float).ravel()[p])
        raise ParameterError(f"`{name}` {rule} Got {value:g}. {MAGNITUDES[kind].fix}")
    return x
