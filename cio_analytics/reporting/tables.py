"""Numbers and tables formatted for reading: currency, percent, thousands separators, ``n/a``.

Display only: every function here takes numbers the models computed and returns text or a
pandas ``Styler``; nothing is recomputed or rounded in the data itself (a recorded table keeps
its full precision for the Excel workbook). Missing values (``None``, NaN, ``pd.NA``) are shown
as ``n/a``, never as ``nan``. Money and percent follow the chart library's convention
(``EUR 1.2M``, ``-EUR 2.5k``, ``84.5 %``), so a page reads the same in its text and charts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from .formatting import (
    MISSING,
    auto_decimals,
    format_money,
    format_number,
    format_percent,
    is_missing,
)

__all__ = [
    "KINDS",
    "MISSING",
    "format_money",
    "format_percent",
    "format_table",
    "format_value",
    "humanize",
    "is_missing",
    "report_table",
    "summary_table",
]

KINDS = ("money", "percent", "number", "integer", "years", "fte", "hours", "text")

_TONES = {
    "warn": "background-color: #fdebd0; font-weight: 600",
    "bad": "background-color: #f9d6d5; font-weight: 600",
    "good": "background-color: #dff0e3; font-weight: 600",
}
_TABLE_STYLES = [
    {"selector": "", "props": "border-collapse: collapse; font-size: 0.92em; margin: 0.4em 0 1.2em"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: 600;"
     " color: #1f2d3d; padding-bottom: 0.4em"},
    {"selector": "th", "props": "background-color: #1f3b5c; color: white; font-weight: 600;"
     " padding: 6px 10px; border: none; text-align: right"},
    {"selector": "td", "props": "padding: 5px 10px; border-bottom: 1px solid #d9dee5;"
     " font-variant-numeric: tabular-nums"},
    {"selector": "tbody tr:nth-child(even)", "props": "background-color: #f6f8fa"},
]  # fmt: skip


def format_value(
    value: Any, kind: str = "number", *, currency: str | None = None, compact: bool = False
) -> str:
    """Format one figure by kind: ``money``, ``percent``, ``number``, ``integer``, ``years``,
    ``fte``, ``hours`` or ``text``; missing values give ``"n/a"``.

    Examples
    --------
    >>> format_value(412345.6, "money", currency="EUR", compact=True)
    'EUR 412.3k'
    >>> format_value(0.8437, "percent"), format_value(2.649, "years"), format_value(44.25, "fte")
    ('84.4 %', '2.6 years', '44.2 FTE')
    >>> format_value(55.43, "hours")
    '55.4 h'
    >>> format_value(12345, "integer"), format_value(True, "text"), format_value(None, "money")
    ('12,345', 'Yes', 'n/a')
    """
    if kind not in KINDS:
        raise ParameterError(f"`kind` must be one of {KINDS}. Got {kind!r}.")
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    if is_missing(value):
        return MISSING
    if kind == "text" or isinstance(value, str):
        return str(value)
    if kind == "money":
        return format_money(value, currency, style="compact" if compact else "full")
    if kind == "percent":
        return format_percent(value)
    if kind == "integer":
        return format_number(value, decimals=0)
    if kind == "years":
        return f"{format_number(value, decimals=1)} years"
    if kind == "fte":
        return f"{format_number(value, decimals=1)} FTE"
    if kind == "hours":
        return f"{format_number(value, decimals=1)} h"
    return format_number(value, decimals=auto_decimals([value]))


def humanize(name: str) -> str:
    """A column or parameter name for people: ``"expected_loss_after" -> "Expected loss after"``.

    Examples
    --------
    >>> humanize("expected_loss_after"), humanize("npv"), humanize("Already nice")
    ('Expected loss after', 'NPV', 'Already nice')
    >>> humanize("answer_time_s"), humanize("n_trials")
    ('Answer time (s)', 'Number of trials')
    """
    text = str(name)
    if "_" not in text and not text.islower():
        return text
    acronyms = {"npv", "irr", "mirr", "tco", "eac", "roi", "rosi", "ale", "fte", "sla", "id", "asa"}
    words = [w.upper() if w in acronyms else w for w in text.split("_") if w]
    if not words:
        return text
    if len(words) > 1 and words[0] == "n":
        words[0:1] = ["number", "of"]
    if len(words) > 2 and words[-1] in ("s", "h", "ms"):
        words[-2:] = [f"{words[-2]} ({words[-1]})"]
    first = words[0]
    words[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(words)


def _check_columns(df: pd.DataFrame, name: str, columns: Iterable[str]) -> list[str]:
    from .._validation import did_you_mean

    cols = [columns] if isinstance(columns, str) else list(columns)
    for c in cols:
        if c not in df.columns:
            raise ParameterError(
                f"`{name}` names column {c!r}, which is not in the table. "
                f"Columns: {list(df.columns)}.{did_you_mean(str(c), map(str, df.columns))}"
            )
    return cols


def _rule(rule: Any) -> Callable[[Any], bool]:
    if callable(rule):
        return rule
    if isinstance(rule, (bool, np.bool_, str)):
        return lambda v: v == rule
    if isinstance(rule, (int, float, np.number)):
        return lambda v: float(v) > float(rule)
    raise ParameterError(
        "`highlight` must be (column, rule) with rule a callable, a threshold number (rows "
        f"above it), or a bool/str value to match. Got rule {rule!r}."
    )


def format_table(
    df: pd.DataFrame,
    *,
    money: Iterable[str] = (),
    percent: Iterable[str] = (),
    integer: Iterable[str] = (),
    decimals: Mapping[str, int] | None = None,
    currency: str | None = None,
    labels: Mapping[str, str] | None = None,
    highlight: tuple[str, Any] | None = None,
    tone: str = "warn",
    caption: str | None = None,
    percent_decimals: int = 1,
) -> Any:
    """A DataFrame styled for a management report (a pandas ``Styler``; the data is unchanged).

    Parameters
    ----------
    df : pandas.DataFrame
        The table, numbers unrounded.
    money, percent, integer : iterable of str
        Columns of amounts (whole units, thousands separators, the currency in the header),
        of decimals shown as percentages (``0.084 -> 8.4%``), and of counts.
    decimals : mapping, optional
        Column -> decimals, for other numeric columns (default: by magnitude).
    currency : str, optional
        ISO code added to the headers of the ``money`` columns: ``"Annual cost (EUR)"``.
    labels : mapping, optional
        Column -> header text; other columns are humanized (``"net_benefit" -> "Net benefit"``).
    highlight : (column, rule), optional
        Highlight whole rows where ``rule`` holds for ``column``: a callable ``value -> bool``, a
        number (rows where the value is above it), or a bool/str (rows equal to it). Missing
        values are never highlighted.
    tone : {"warn", "bad", "good"}, default "warn"
        Colour of highlighted rows: amber, red or green.
    caption : str, optional
        A caption above the table.
    percent_decimals : int, default 1

    Returns
    -------
    pandas.io.formats.style.Styler
        No index; missing values shown as ``n/a``; numbers right-aligned.

    Examples
    --------
    >>> t = pd.DataFrame({"risk": ["Outage", "Breach"], "cost": [12000.0, None], "roi": [0.5, -0.2]})
    >>> html = format_table(t, money=["cost"], percent=["roi"], currency="EUR",
    ...                     highlight=("roi", 0.0), tone="good").to_html()
    >>> "Cost (EUR)" in html, "12,000" in html, "n/a" in html, "-20.0 %" in html
    (True, True, True, True)
    """
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"`df` must be a pandas DataFrame. Got {type(df).__name__}.")
    if tone not in _TONES:
        raise ParameterError(f"`tone` must be one of {sorted(_TONES)}. Got {tone!r}.")
    money_cols = _check_columns(df, "money", money)
    pct_cols = _check_columns(df, "percent", percent)
    int_cols = _check_columns(df, "integer", integer)
    decimals = dict(decimals or {})
    _check_columns(df, "decimals", decimals)
    labels = dict(labels or {})
    _check_columns(df, "labels", labels)

    data = df.reset_index(drop=True)
    header = {}
    for c in data.columns:
        text = labels.get(c, humanize(c))
        if c in money_cols and currency and currency not in text:
            text = f"{text} ({currency})"
        header[c] = text
    formats: dict[str, Callable[[Any], str]] = {}
    for c in data.columns:
        col = data[c]
        if c in money_cols:
            formats[c] = lambda v: format_money(v, style="full")
        elif c in pct_cols:
            formats[c] = lambda v, d=percent_decimals: format_percent(v, d)
        elif c in int_cols:
            formats[c] = lambda v: format_number(v, decimals=0)
        elif pd.api.types.is_bool_dtype(col):
            formats[c] = lambda v: format_value(v, "text")
        elif pd.api.types.is_numeric_dtype(col):
            d = decimals.get(c, auto_decimals(col))
            formats[c] = lambda v, d=d: format_number(v, decimals=d)
        else:
            formats[c] = lambda v: MISSING if is_missing(v) else format_value(v, "text")

    rows = None
    if highlight is not None:
        if not (isinstance(highlight, tuple) and len(highlight) == 2):
            raise ParameterError(f"`highlight` must be a (column, rule) pair. Got {highlight!r}.")
        (column,) = _check_columns(df, "highlight", [highlight[0]])
        test = _rule(highlight[1])
        rows = [not is_missing(v) and bool(test(v)) for v in data[column]]

    shown = data.rename(columns=header)
    styler = shown.style.format({header[c]: f for c, f in formats.items()}).hide(axis="index")
    styler = styler.set_table_styles(_TABLE_STYLES).set_table_attributes('class="cioa-table"')
    numeric = [
        header[c]
        for c in data.columns
        if pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])
    ]
    text_cols = [h for h in shown.columns if h not in numeric]
    if numeric:
        styler = styler.set_properties(
            subset=numeric, **{"text-align": "right", "white-space": "nowrap"}
        )
    if text_cols:
        styler = styler.set_properties(subset=text_cols, **{"text-align": "left"})
        left = [{"selector": "th", "props": "text-align: left"}]
        styler = styler.set_table_styles({h: left for h in text_cols}, overwrite=False)
    if rows is not None and any(rows):
        css = _TONES[tone]
        styler = styler.apply(lambda r: [css if rows[r.name] else "" for _ in r], axis=1)
    if caption:
        styler = styler.set_caption(caption)
    excel = {header[c]: "currency" for c in money_cols}
    excel |= {header[c]: f"percent:{percent_decimals}" for c in pct_cols}
    excel |= {header[c]: "integer" for c in int_cols}
    excel |= {header[c]: f"number:{d}" for c, d in decimals.items()}
    styler.cioa_excel_formats = excel  # the same display, as workbook number formats
    return styler


def report_table(
    name: str, df: pd.DataFrame, *, title: str | None = None, **format_options: Any
) -> Any:
    """Format a table for the report and record it for the Excel workbook, in one call.

    Parameters
    ----------
    name : str
        The worksheet's name (unique within the notebook), as in
        :func:`~cio_analytics.reporting.record.record_table`.
    df : pandas.DataFrame
        The table, numbers unrounded (the workbook gets them at full precision).
    title : str, optional
        What the table shows (the workbook's "About" sheet); default the ``caption``.
    **format_options
        Passed to :func:`format_table` (``money=``, ``percent=``, ``currency=``, ...); the
        workbook's number formats follow them (currency, percent, integer columns).

    Returns
    -------
    pandas.io.formats.style.Styler
        The formatted table, to display.

    Examples
    --------
    >>> flows = pd.DataFrame({"year": [0, 1], "net": [-1000.0, 600.0]})
    >>> report_table("flows", flows, money=["net"], currency="EUR").data.columns.tolist()
    ['Year', 'Net (EUR)']
    """
    from .record import record_table

    styler = format_table(df, **format_options)
    record_table(
        name,
        styler,
        title=title or format_options.get("caption"),
        formats=styler.cioa_excel_formats,
        currency=format_options.get("currency"),
    )
    return styler


_PERCENT_UNITS = {"per year", "decimal", "probability", "share", "ratio", "%"}
_COUNT_UNITS = {"count", "trials", "years_simulated", "intervals", "agents", "queues", "people"}


def _metric_text(value: Any, unit: str, currency: str | None) -> str:
    if isinstance(value, (bool, np.bool_)) or is_missing(value) or isinstance(value, str):
        return format_value(value, "text")
    if currency and unit.startswith(currency):
        rest = unit[len(currency) :].strip()
        return format_money(value, currency, style="full") + (f" {rest}" if rest else "")
    if unit in _PERCENT_UNITS:
        return format_percent(value)
    if unit in _COUNT_UNITS or (unit == "years" and float(value).is_integer() and value >= 100):
        return (
            f"{format_number(value, decimals=0)} {unit}"
            if unit != "count"
            else format_number(value, decimals=0)
        )
    if unit == "years":
        return format_value(value, "years")
    return f"{format_number(value, decimals=auto_decimals([value]))} {unit}".strip()


def summary_table(
    frame: pd.DataFrame,
    *,
    currency: str | None = None,
    labels: Mapping[str, str] | None = None,
    caption: str | None = None,
    name: str | None = None,
) -> Any:
    """A result's tidy ``summary()`` (``metric``, ``value``, ``unit``) as a two-column table.

    Amounts in the currency get thousands separators, rates and shares become percentages,
    years and counts keep their unit, missing values read ``n/a``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``metric``, ``value``, ``unit`` (every result's ``summary()``).
    currency : str, optional
        Units starting with it are amounts (``"EUR"``, ``"EUR per year"``).
    labels : mapping, optional
        Metric -> label; other metrics are humanized (``"discounted_tco" -> "Discounted TCO"``).
    caption : str, optional
    name : str, optional
        Also record the table for the report's Excel workbook under this sheet name: the
        figures unrounded, each row formatted by its unit (currency, percent, count).

    Examples
    --------
    >>> t = pd.DataFrame({"metric": ["npv", "irr", "payback"], "value": [1234.5, 0.2186, None],
    ...                   "unit": ["EUR", "per year", "years"]})
    >>> summary_table(t, currency="EUR").data["Value"].tolist()
    ['EUR 1,234', '21.9 %', 'n/a']
    """
    missing = {"metric", "value", "unit"} - set(frame.columns)
    if missing:
        raise ParameterError(
            f"`frame` must have columns metric, value, unit (a result's summary()); "
            f"missing {sorted(missing)}."
        )
    labels = dict(labels or {})
    rows = [
        (labels.get(m, humanize(m)), _metric_text(v, str(u), currency))
        for m, v, u in zip(frame["metric"], frame["value"], frame["unit"], strict=True)
    ]
    shown = pd.DataFrame(rows, columns=["Metric", "Value"])
    styler = format_table(shown, caption=caption)
    if name is not None:
        from .record import record_table

        record_table(name, _summary_figures(frame, labels, currency), title=caption)
    return styler.set_properties(subset=["Value"], **{"text-align": "right"})


def _summary_figures(frame: pd.DataFrame, labels: Mapping[str, str], currency: str | None):
    """A summary's rows for the workbook: ``figure, value, kind, unit`` (a long table whose
    ``kind`` gives each row its number format)."""
    out = []
    for m, v, u in zip(frame["metric"], frame["value"], frame["unit"], strict=True):
        unit = str(u)
        if isinstance(v, (bool, np.bool_)) or isinstance(v, str) or is_missing(v):
            value, kind = float("nan"), "text"  # shown "n/a": the cell stays empty
        elif currency and unit.startswith(currency):
            value, kind = float(v), "money"
        elif unit in _PERCENT_UNITS:
            value, kind = float(v), "percent"
        elif unit in _COUNT_UNITS or unit == "count":
            value, kind = float(v), "integer"
        else:
            value, kind = float(v), "number"
        out.append((labels.get(m, humanize(m)), value, kind, unit))
    return pd.DataFrame(out, columns=["figure", "value", "kind", "unit"])
