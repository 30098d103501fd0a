"""The first screen of a report: the decision, its key numbers with their range, one chart.

:func:`executive_summary` renders a :class:`Decision` (built by the domain helpers in
:mod:`cio_analytics.reporting.decisions`, or by hand) as an IPython display object: HTML for the
report (a decision banner, key-number cards with their P10 to P90 range, the decision chart
embedded with its alt text) and Markdown for plain front ends. :func:`parameters_table` shows a
run's parameters as a small table, :func:`provenance_appendix` closes the report with a collapsed
block of seed, data-file hashes and versions. Display only: nothing here computes a figure.
"""

from __future__ import annotations

import base64
import html
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..exceptions import ParameterError
from .formatting import MISSING, is_missing
from .record import AS_OF_ENV, record_summary
from .tables import KINDS, format_value

__all__ = [
    "AS_OF_ENV",
    "Decision",
    "ExecutiveSummary",
    "as_of_text",
    "executive_summary",
    "key_numbers_frame",
]

KEY_COLUMNS = ("figure", "value", "low", "high", "kind")
_TONE_COLOURS = {True: "#009E73", False: "#D55E00", None: "#0072B2"}
_CSS = """
<style>
.cioa-summary{font-family:inherit;color:#1f2d3d;margin:0 0 1.5em 0;max-width:1100px}
.cioa-summary h1{font-size:1.9em;margin:0 0 .15em 0;line-height:1.2}
.cioa-summary .cioa-asof{font-size:.95em;color:#5b6b7d;margin:0 0 .5em 0}
.cioa-summary .cioa-kicker{text-transform:uppercase;letter-spacing:.08em;font-size:.78em;
 color:#5b6b7d;margin:0 0 .8em 0}
.cioa-decision{border-left:6px solid var(--tone);background:#f5f7fa;padding:.8em 1.1em;
 font-size:1.15em;line-height:1.45;margin:0 0 1em 0}
.cioa-decision .cioa-verdict{font-weight:700;color:var(--tone)}
.cioa-kpis{display:flex;flex-wrap:wrap;gap:.75em;margin:0 0 1.1em 0}
.cioa-kpi{flex:1 1 180px;border:1px solid #d9dee5;border-radius:6px;padding:.65em .9em;
 background:#fff;break-inside:avoid}
.cioa-kpi .cioa-label{font-size:.85em;color:#5b6b7d}
.cioa-kpi .cioa-value{font-size:1.45em;font-weight:700;margin:.1em 0;
 font-variant-numeric:tabular-nums;white-space:nowrap}
.cioa-kpi .cioa-range{font-size:.82em;color:#5b6b7d;font-variant-numeric:tabular-nums}
.cioa-summary figure{margin:0}
.cioa-summary img{max-width:100%;height:auto}
.cioa-summary figcaption{font-size:.85em;color:#5b6b7d}
.cioa-notes{font-size:.88em;color:#5b6b7d;margin:.2em 0 0 0}
.cioa-flag{border-left:6px solid #E69F00;background:#fff8e6;padding:.5em 1.1em;margin:-.6em 0 1em 0;
 line-height:1.4}
</style>
"""


def key_numbers_frame(rows: Any) -> pd.DataFrame:
    """Key numbers as a tidy DataFrame: ``figure``, ``value``, ``low``, ``high``, ``kind``.

    Parameters
    ----------
    rows : DataFrame or iterable of tuples/dicts
        ``(figure, value[, low, high[, kind]])``; ``low``/``high`` bound the value's range
        (P10 and P90 by default), ``kind`` one of ``money, percent, number, integer, years,
        fte, text`` (default ``number``).

    Examples
    --------
    >>> k = key_numbers_frame([("NPV", 4.1e5, 1.2e5, 6.9e5, "money"), ("P(NPV > 0)", 0.84)])
    >>> k.columns.tolist(), k["kind"].tolist(), k["high"].isna().tolist()
    (['figure', 'value', 'low', 'high', 'kind'], ['money', 'number'], [False, True])
    """
    if isinstance(rows, pd.DataFrame):
        missing = [c for c in ("figure", "value") if c not in rows.columns]
        if missing:
            raise ParameterError(
                f"`key_numbers` needs columns {list(KEY_COLUMNS)}; missing {missing}. "
                f"Got columns {list(rows.columns)}."
            )
        frame = rows.copy()
    else:
        records = []
        for row in rows:
            if isinstance(row, Mapping):
                records.append(dict(row))
            else:
                row = tuple(row)
                if not 2 <= len(row) <= 5:
                    raise ParameterError(
                        f"Each key number is (figure, value[, low, high[, kind]]). Got {row!r}."
                    )
                records.append(dict(zip(KEY_COLUMNS, row, strict=False)))
        frame = pd.DataFrame.from_records(records)
    for c, default in (("low", float("nan")), ("high", float("nan")), ("kind", "number")):
        if c not in frame.columns:
            frame[c] = default
    frame["kind"] = frame["kind"].fillna("number")
    bad = sorted(set(frame["kind"]) - set(KINDS))
    if bad:
        raise ParameterError(f"Key-number `kind` must be one of {KINDS}. Got {bad}.")
    for c in ("value", "low", "high"):
        if frame[c].map(lambda v: v is None or isinstance(v, (int, float))).all():
            frame[c] = frame[c].astype(float)
    return frame[list(KEY_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class Decision:
    """A decision as a report states it.

    Attributes
    ----------
    decision : str
        The verdict in a few words (``"Proceed"``, ``"Outside appetite"``, ``"Hire 9"``).
    sentence : str
        One sentence that starts with the verdict and gives its main reason
        (``"Proceed: 84% chance the NPV is positive ..."``), plain text.
    key_numbers : pandas.DataFrame
        ``figure, value, low, high, kind`` (:func:`key_numbers_frame`); unrounded numbers.
    favourable : bool or None
        Colours the banner: True green, False red, None neutral.
    currency : str
        Currency of the ``money`` key numbers.
    range_label : str
        What ``low`` and ``high`` are (``"P10 to P90"``).
    thresholds : dict
        The decision thresholds used, echoed (``{"hurdle_rate": 0.12}``).
    notes : tuple of str
        Caveats shown under the key numbers.
    flags : tuple of str
        What the reader must know before acting, shown with the decision (a funded option
        that still misses its SLA, a winner by a thin margin, a window that has passed).
    subject : str
        What the decision is about, as the report names it (the option, offer or team).
    at_stake : float or None
        The money the decision commits or protects, in ``currency`` (the investment, the
        cut, the contingency to fund, the annual cost of the plan); None when there is none.
    at_stake_label : str
        What ``at_stake`` is, in a few words (``"Investment"``, ``"Cut to make"``).
    """

    decision: str
    sentence: str
    key_numbers: pd.DataFrame = field(repr=False)
    favourable: bool | None = None
    currency: str = ""
    range_label: str = "P10 to P90"
    thresholds: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    subject: str = ""
    at_stake: float | None = None
    at_stake_label: str = ""

    def summary(self) -> pd.DataFrame:
        """The key numbers with the currency and range label: a table for the Excel workbook."""
        return self.key_numbers.assign(
            unit=[self.currency if k == "money" else "" for k in self.key_numbers["kind"]],
            range=self.range_label,
        )

    def formatted(self) -> pd.DataFrame:
        """Key numbers as text: ``Key number``, ``Value``, and the range (``n/a`` when none)."""
        rows = []
        for r in self.key_numbers.itertuples(index=False):
            value = format_value(r.value, r.kind, currency=self.currency, compact=True)
            if is_missing(r.low) and is_missing(r.high):
                span = MISSING
            else:
                low = format_value(r.low, r.kind, currency=self.currency, compact=True)
                high = format_value(r.high, r.kind, currency=self.currency, compact=True)
                span = f"{low} to {high}"
            rows.append((r.figure, value, span))
        return pd.DataFrame(rows, columns=["Key number", "Value", self.range_label])


def _figure_png(fig: Any) -> tuple[str, str, int]:
    """Base64 PNG, alt text and display width (px) of a matplotlib figure, which is closed."""
    from .charts._common import alt_text

    alt = ""
    for attr in ("cioa_alt_text", "alt_text", "_cioa_alt"):
        value = getattr(fig, attr, None)
        if isinstance(value, str) and value.strip():
            alt = value
            break
    alt = alt or alt_text(fig)
    width = round(fig.get_figwidth() * 96)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=144, bbox_inches="tight")
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # pragma: no cover - a figure outside pyplot needs no closing
        pass
    return base64.b64encode(buf.getvalue()).decode("ascii"), alt, width


class ExecutiveSummary:
    """The rendered executive summary (an IPython display object; see :func:`executive_summary`)."""

    def __init__(
        self,
        decision: Decision,
        *,
        title: str | None,
        kicker: str,
        chart: tuple[str, str, int] | None,
        caption: str | None,
        as_of: str | None = None,
    ) -> None:
        self.decision = decision
        self.title = title
        self.kicker = kicker
        self.chart = chart
        self.caption = caption
        self.as_of = as_of  # "30 Sep 2026", or None: no line

    def _sentence_parts(self) -> tuple[str, str]:
        d = self.decision
        prefix = f"{d.decision}:"
        if d.sentence.startswith(prefix):
            return d.decision, d.sentence[len(prefix) :].strip()
        return "", d.sentence

    def _repr_html_(self) -> str:
        d, esc = self.decision, html.escape
        verdict, rest = self._sentence_parts()
        tone = _TONE_COLOURS.get(d.favourable, _TONE_COLOURS[None])
        parts = [
            _CSS,
            f'<section class="cioa-summary" id="executive-summary" style="--tone:{tone}">',
        ]
        if self.title:
            parts.append(f"<h1>{esc(self.title)}</h1>")
        if self.as_of:
            parts.append(f'<p class="cioa-asof">Data as of {esc(self.as_of)}</p>')
        parts.append(f'<p class="cioa-kicker">{esc(self.kicker)}</p>')
        lead = f'<span class="cioa-verdict">{esc(verdict)}:</span> ' if verdict else ""
        parts.append(f'<p class="cioa-decision">{lead}{esc(rest)}</p>')
        parts += [f'<p class="cioa-flag"><strong>Note:</strong> {esc(f)}</p>' for f in d.flags]
        cards = []
        for figure, value, span in self.decision.formatted().itertuples(index=False):
            rng = (
                f'<div class="cioa-range">{esc(d.range_label)}: {esc(span)}</div>'
                if span != MISSING
                else ""
            )
            cards.append(
                f'<div class="cioa-kpi"><div class="cioa-label">{esc(figure)}</div>'
                f'<div class="cioa-value">{esc(value)}</div>{rng}</div>'
            )
        parts.append(f'<div class="cioa-kpis">{"".join(cards)}</div>')
        if d.notes:
            parts.append("".join(f'<p class="cioa-notes">{esc(n)}</p>' for n in d.notes))
        if self.chart:
            data, alt, width = self.chart
            cap = f"<figcaption>{esc(self.caption)}</figcaption>" if self.caption else ""
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt)}" '
                f'width="{width}">{cap}</figure>'
            )
        parts.append("</section>")
        return "\n".join(parts)

    def _repr_markdown_(self) -> str:
        d = self.decision
        verdict, rest = self._sentence_parts()
        lines = [f"# {self.title}", ""] if self.title else []
        if self.as_of:
            lines += [f"*Data as of {self.as_of}*", ""]
        lines.append(f"**{verdict}**: {rest}" if verdict else rest)
        lines += [f"\n**Note:** {f}" for f in d.flags]
        lines += ["", f"| Key number | Value | {d.range_label} |", "|---|---:|---:|"]
        for figure, value, span in d.formatted().itertuples(index=False):
            lines.append(f"| {figure} | {value} | {span} |")
        lines += ["", *(f"*{n}*" for n in d.notes)]
        if self.chart:
            lines.append(f"*Chart: {self.chart[1]}*")
        return "\n".join(lines).rstrip() + "\n"

    def __repr__(self) -> str:
        return f"ExecutiveSummary({self.decision.sentence!r})"

    def payload(self) -> dict[str, Any]:
        """The summary as plain data: what the index, the board summary and the slides show.

        Keys: ``title, as_of, verdict, sentence, favourable, flags, notes, subject, currency,
        range_label, at_stake, at_stake_label, at_stake_text, key_numbers`` (each ``figure,
        value, low, high, kind, text, range_text``) and ``chart`` (``png_base64, alt,
        caption``, or None). Texts are formatted by the one presentation layer.
        """
        d = self.decision
        verdict, _ = self._sentence_parts()
        texts = d.formatted()
        numbers = []
        for row, (_, value_text, span) in zip(
            d.key_numbers.itertuples(index=False), texts.itertuples(index=False), strict=True
        ):
            numbers.append(
                {
                    "figure": str(row.figure),
                    "value": _plain_number(row.value),
                    "low": _plain_number(row.low),
                    "high": _plain_number(row.high),
                    "kind": str(row.kind),
                    "text": value_text,
                    "range_text": None if span == MISSING else span,
                }
            )
        at_stake = _plain_number(d.at_stake)
        chart = None
        if self.chart:
            chart = {"png_base64": self.chart[0], "alt": self.chart[1], "caption": self.caption}
        return {
            "title": self.title,
            "as_of": self.as_of,
            "verdict": verdict or d.decision,
            "sentence": d.sentence,
            "favourable": d.favourable,
            "flags": list(d.flags),
            "notes": list(d.notes),
            "subject": d.subject,
            "currency": d.currency,
            "range_label": d.range_label,
            "at_stake": at_stake,
            "at_stake_label": d.at_stake_label,
            "at_stake_text": (
                None
                if at_stake is None
                else format_value(at_stake, "money", currency=d.currency, compact=True)
            ),
            "key_numbers": numbers,
            "chart": chart,
        }


def as_of_text(value: Any) -> str | None:
    """The as-of date as reports show it (``"30 Sep 2026"``); None for no date.

    Takes a date, an ISO text, a month (``"2026-09"``) or a quarter (``"2026Q3"``: its last day).

    Examples
    --------
    >>> as_of_text("2026Q3"), as_of_text("2026-12-07"), as_of_text("")
    ('30 Sep 2026', '7 Dec 2026', None)
    """
    from ..io._as_of import as_of_date

    day = as_of_date(value)
    return None if day is None else f"{day.day} {day:%b %Y}"


def _plain_number(value: Any) -> Any:
    """A JSON-safe number: floats and ints as they are, NaN/None as None, text unchanged."""
    if value is None or isinstance(value, str):
        return value
    if is_missing(value):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def executive_summary(
    decision: Decision | str,
    key_numbers: Any = None,
    *,
    chart: Any = None,
    title: str | None = None,
    kicker: str = "Executive summary",
    caption: str | None = None,
    favourable: bool | None = None,
    currency: str = "",
    range_label: str = "P10 to P90",
    as_of: Any = None,
) -> ExecutiveSummary:
    """The report's opening: the decision in one sentence, 3-5 key numbers with their range,
    and the one chart that carries the decision.

    Parameters
    ----------
    decision : Decision or str
        A :class:`Decision` (from :func:`~cio_analytics.reporting.decisions.investment_decision`
        and its siblings), or the decision sentence itself (``"Proceed: ..."``).
    key_numbers : DataFrame or iterable, optional
        Overrides the decision's key numbers; rows as in :func:`key_numbers_frame`.
    chart : matplotlib.figure.Figure, optional
        The decision chart; embedded as PNG with its alt text, then closed (shown once).
    title : str, optional
        The report's title, shown as its first heading.
    kicker : str, default "Executive summary"
        The small label above the decision.
    caption : str, optional
        A caption under the chart.
    favourable, currency, range_label
        Used when ``decision`` is a string (see :class:`Decision`).
    as_of : date-like, optional
        The date the report's data runs to, shown as "Data as of 30 Sep 2026" under the title
        and carried into the summary sidecar as ``as_of``. Default: the as-of date of the
        pipeline run (``CIO_ANALYTICS_AS_OF`` in the kernel's environment), else no line.

    Returns
    -------
    ExecutiveSummary
        Displays as HTML (``_repr_html_``) or Markdown (``_repr_markdown_``).

    Examples
    --------
    >>> s = executive_summary("Proceed: 84% chance the NPV is positive.",
    ...                       [("NPV", 412000.0, 120000.0, 690000.0, "money")], currency="EUR")
    >>> print(s._repr_markdown_())  # doctest: +NORMALIZE_WHITESPACE
    **Proceed**: 84% chance the NPV is positive.
    | Key number | Value | P10 to P90 |
    |---|---:|---:|
    | NPV | EUR 412k | EUR 120k to EUR 690k |
    """
    if isinstance(decision, str):
        verdict = decision.split(":", 1)[0] if ":" in decision else ""
        decision = Decision(
            verdict,
            decision,
            key_numbers_frame(key_numbers if key_numbers is not None else []),
            favourable,
            currency,
            range_label,
        )
    elif not isinstance(decision, Decision):
        raise ParameterError(
            f"`decision` must be a Decision or the decision sentence. Got {type(decision).__name__}."
        )
    elif key_numbers is not None:
        from dataclasses import replace

        decision = replace(decision, key_numbers=key_numbers_frame(key_numbers))
    n = len(decision.key_numbers)
    if n > 6:
        raise ParameterError(
            f"An executive summary shows 3 to 5 key numbers; got {n}. Put the rest in the details."
        )
    png = _figure_png(chart) if chart is not None else None
    summary = ExecutiveSummary(
        decision,
        title=title,
        kicker=kicker,
        chart=png,
        caption=caption,
        as_of=as_of_text(as_of if as_of is not None else os.environ.get(AS_OF_ENV)),
    )
    record_summary(summary.payload())
    return summary
