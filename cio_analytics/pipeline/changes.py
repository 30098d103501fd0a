"""What changed since the previous period: this run against the run history, for the index.

The index and the board summary of a pack are written before the run is added to the history
(:func:`~cio_analytics.pipeline.history.record_run` runs after publishing), so
:func:`pack_changes` compares the run's own recorded figures (its manifest) with the pack's
earlier periods in the history. The result, :class:`PackChanges`, holds one
:class:`~cio_analytics.pipeline.history.FigureChange` per recorded figure and sorts out what
the board asks first:

- **decisions that changed** (a recorded ``decision`` whose verdict is not last period's);
- **risks that crossed the appetite** (a figure about the appetite, such as the risk review's
  "Within risk appetite" or "Cyber scenarios outside appetite", that was within it and now is
  not, or back);
- **other answers that changed** (the option chosen, a yes/no answer);
- **figures that moved** more than a stated threshold (10 % by default) against last period.

The HTML pieces the pages share are here too: a figure's change as text (:func:`change_text`:
arrow, absolute change in the figure's unit, relative change, each through the one formatting
layer), its trend line (:func:`sparkline_svg`: inline SVG, one point per period, the values in
its accessible label) and the "What changed since <period>" list (:func:`what_changed_html`).
A pack with no earlier period in the history has no changes and the pages show none.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..reporting.record import figure_text
from .errors import OutputError
from .history import FigureChange, HistoryLockedError, figure_changes

__all__ = [
    "DEFAULT_THRESHOLD",
    "N_TREND",
    "AppetiteCrossing",
    "PackChanges",
    "change_items",
    "change_text",
    "delta_html",
    "headline_figures",
    "is_decision",
    "pack_changes",
    "short_titles",
    "sparkline_svg",
    "value_text",
    "what_changed_html",
]

#: A number "moved" when its relative change against the previous period exceeds this (10 %).
DEFAULT_THRESHOLD = 0.10

#: Periods a trend line shows at most (this one included).
N_TREND = 8

_RANGE_ENDS = ("_p10", "_p90", "_p_low", "_p_high")
_MIDDLES = ("_p50", "_mean", "")
_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
_YES, _NO = {"yes", "true"}, {"no", "false"}


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _words(text: Any) -> str:
    """A recorded text in plain words: a code name (``warm_standby``) as 'Warm standby', an
    ISO date as the reports write dates ('8 Jul 2027')."""
    text = str(text).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text).strftime("%d %b %Y").lstrip("0")
        except ValueError:
            return text
    if _CODE.fullmatch(text):
        words = text.replace("_", " ")
        return words[:1].upper() + words[1:]
    return text


def is_decision(change: FigureChange) -> bool:
    """A report's recorded decision (``decision``, ``*_decision`` or labelled "Decision")."""
    name = change.figure
    return change.text is not None and (
        name == "decision" or name.endswith("_decision") or change.label == "Decision"
    )


def _within(change: FigureChange, *, previous: bool = False) -> bool | None:
    """Whether a figure about the risk appetite says "within" (None: not such a figure).

    A figure is about the appetite when its name or label says "appetite". Its sense comes
    from the words: "outside" or "breach" count what is outside (a yes, or a count above 0,
    is outside); otherwise a yes (or a text saying "within") is within.
    """
    words = f"{change.figure} {change.label or ''}".lower()
    if "appetite" not in words:
        return None
    outside_sense = "outside" in words or "breach" in words
    text = change.previous_text if previous else change.text
    value = change.previous_value if previous else change.value
    if text is not None:
        said = text.strip().lower()
        if said in _YES or said in _NO:
            yes = said in _YES
            return (not yes) if outside_sense else yes
        if "outside" in said or "breach" in said:
            return False
        if "within" in said:
            return True
        return None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if outside_sense:
        return value <= 0
    return None


@dataclass(frozen=True)
class AppetiteCrossing:
    """A risk figure that crossed the appetite: ``within`` is where it is now."""

    change: FigureChange
    within: bool


@dataclass(frozen=True)
class PackChanges:
    """A pack's run against its previous period in the history (see :func:`pack_changes`).

    Attributes
    ----------
    pack, period : str
        The pack's name and this run's period.
    previous_period : str or None
        The pack's latest earlier period in the history; None when there is none (then
        there is nothing to compare and the pages show no changes). A report that did not
        run then is compared with its own last period (:attr:`FigureChange.previous_period
        <cio_analytics.pipeline.history.FigureChange>`), and the pages say which.
    threshold : float
        The relative change above which a figure has moved (0.10 = 10 %).
    periods : tuple of str
        The periods the trend lines cover, oldest first, this one last.
    changes : tuple of FigureChange
        One per figure this run recorded, in the order the reports recorded them.
    unavailable : str
        Why the history could not be read (another run held it, or it is not a run
        history), in words for the page; else "".
    """

    pack: str
    period: str
    previous_period: str | None
    threshold: float
    periods: tuple[str, ...]
    changes: tuple[FigureChange, ...]
    unavailable: str = ""

    def __post_init__(self) -> None:
        index = {(c.job, c.figure): c for c in self.changes}
        object.__setattr__(self, "_index", index)

    def get(self, job: str, figure: str) -> FigureChange | None:
        """The change of one recorded figure, or None when this run did not record it."""
        return self._index.get((job, figure))  # type: ignore[attr-defined]

    @property
    def has_previous(self) -> bool:
        return self.previous_period is not None

    @property
    def decisions(self) -> tuple[FigureChange, ...]:
        """Recorded decisions whose verdict changed since the previous period."""
        return tuple(c for c in self.changes if c.flipped and is_decision(c))

    @property
    def crossings(self) -> tuple[AppetiteCrossing, ...]:
        """Risk figures that were within the appetite and now are not, or back."""
        out = []
        for c in self.changes:
            now, before = _within(c), _within(c, previous=True)
            if c.previous_period and now is not None and before is not None and now != before:
                out.append(AppetiteCrossing(c, now))
        return tuple(out)

    @property
    def answers(self) -> tuple[FigureChange, ...]:
        """Other text answers that changed (the option chosen, a yes/no), not the decisions
        nor the appetite figures."""
        crossed = {(x.change.job, x.change.figure) for x in self.crossings}
        return tuple(
            c
            for c in self.changes
            if c.flipped and not is_decision(c) and (c.job, c.figure) not in crossed
        )

    @property
    def moved(self) -> tuple[FigureChange, ...]:
        """Numbers that moved more than the threshold, largest relative move first; a P10 or
        P90 is left out when its middle figure (P50, mean) is recorded too."""
        recorded = {(c.job, c.figure) for c in self.changes}

        def range_end(c: FigureChange) -> bool:
            for end in _RANGE_ENDS:
                if c.figure.endswith(end):
                    base = c.figure[: -len(end)]
                    names = [base + m for m in _MIDDLES] + [f"expected_{base}"]
                    return any((c.job, n) in recorded for n in names)
            return False

        moved = [c for c in self.changes if c.moved and not range_end(c)]
        return tuple(sorted(moved, key=lambda c: -abs(c.relative_change or 0.0)))

    @property
    def n_items(self) -> int:
        """How many things changed: decisions, crossings, other answers and moved figures."""
        return len(self.decisions) + len(self.crossings) + len(self.answers) + len(self.moved)

    def match(self, job: Mapping[str, Any], value: Any, kind: str | None = None):
        """The change of the figure a report recorded with ``value`` (a key number or the
        money at stake, shown from the executive summary), or None.

        The summary names its numbers in words, the records by name: the figure is found by
        its value (equal to 1e-9 relative), money among the money figures, a percentage
        among the percentages, the first recorded one when several are equal.
        """
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            return None
        for name, entry in (job.get("records") or {}).items():
            got = entry.get("value")
            if isinstance(got, bool) or not isinstance(got, (int, float)):
                continue
            if abs(float(got) - float(value)) > 1e-9 * max(1.0, abs(float(value))):
                continue
            percent = str(entry.get("fmt") or "").endswith("%") or entry.get("unit") == "%"
            if (kind == "percent" and not percent) or (kind == "money" and percent):
                continue
            change = self.get(job["name"], name)
            if change is not None:
                return change
        return None

    def summary(self):
        """One row per figure: job, figure, label, previous_period, previous, now, change,
        relative_change, what (decision, appetite, answer, moved, new or "")."""
        import pandas as pd

        what: dict[tuple[str, str], str] = {}
        for c in self.moved:
            what[c.job, c.figure] = "moved"
        for c in self.answers:
            what[c.job, c.figure] = "answer"
        for x in self.crossings:
            what[x.change.job, x.change.figure] = "appetite"
        for c in self.decisions:
            what[c.job, c.figure] = "decision"
        rows = [
            {
                "job": c.job,
                "figure": c.figure,
                "label": c.label,
                "previous_period": c.previous_period,
                "previous": c.previous_text if c.previous_text is not None else c.previous_value,
                "now": c.text if c.text is not None else c.value,
                "change": c.change,
                "relative_change": c.relative_change,
                "what": what.get((c.job, c.figure), "new" if c.new else ""),
            }
            for c in self.changes
        ]
        return pd.DataFrame(
            rows,
            columns=["job", "figure", "label", "previous_period", "previous", "now", "change",
                     "relative_change", "what"],
        )  # fmt: skip


def pack_changes(
    history: str | Path | None,
    manifest: Mapping[str, Any],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    n_trend: int = N_TREND,
    timeout_s: float = 10.0,
) -> PackChanges:
    """This run (its manifest) against its pack's earlier periods in the run history.

    Parameters
    ----------
    history : path or None
        The run history (``reports/history.duckdb``). None, or a file that does not exist
        yet, is an empty history: no previous period, no changes.
    manifest : mapping
        The run's manifest (pack, period, jobs with their status and records). Only the
        jobs that succeeded count: a failed report's figures are partial.
    threshold : float, default 0.10
        The relative change above which a figure has moved (a decimal: 0.10 = 10 %).
    n_trend : int, default 8
        Periods the trend lines show at most.
    timeout_s : float, default 10
        How long to wait for another run writing the history; past it the changes are left
        out and :attr:`PackChanges.unavailable` says why.

    Returns
    -------
    PackChanges

    Examples
    --------
    >>> import tempfile, os
    >>> from cio_analytics.pipeline.history import record_run
    >>> store = os.path.join(tempfile.mkdtemp(), "history.duckdb")
    >>> def run(period, decision, landing):
    ...     return {"pack": {"name": "q"}, "period": period, "jobs": [{"name": "budget",
    ...             "status": "ok", "records": {
    ...                 "decision": {"value": decision, "label": "Decision"},
    ...                 "landing": {"value": landing, "unit": "EUR", "label": "Landing"}}}]}
    >>> _ = record_run(run("2026Q3", "Hold", 10e6), history=store)
    >>> changes = pack_changes(store, run("2026Q4", "Adjust", 12e6))
    >>> changes.previous_period, [c.text for c in changes.decisions]
    ('2026Q3', ['Adjust'])
    >>> [(c.label, change_text(c)) for c in changes.moved]
    [('Landing', '▲ +EUR 2M (+20 %)')]
    """
    pack = str((manifest.get("pack") or {}).get("name") or "pack")
    period = str(manifest["period"])
    empty = PackChanges(pack, period, None, threshold, (), ())
    if history is None:
        return empty
    current = {"jobs": [j for j in manifest.get("jobs") or () if j.get("status") == "ok"]}
    try:
        changes = figure_changes(
            history, pack=pack, period=period, threshold=threshold, n_trend=n_trend,
            timeout_s=timeout_s, current=current,
        )  # fmt: skip
    except HistoryLockedError:
        why = f"the run history {Path(history).name} was in use by another run past {timeout_s:g} s"
        return PackChanges(pack, period, None, threshold, (), (), unavailable=why)
    except (OutputError, OSError):  # the message may name a folder of this machine: not shown
        why = f"the run history {Path(history).name} cannot be read"
        return PackChanges(pack, period, None, threshold, (), (), unavailable=why)
    if not changes:
        return empty
    before = max((c.previous_period for c in changes if c.previous_period), default=None)
    return PackChanges(pack, period, before, threshold, changes[0].trend_periods, tuple(changes))


# ------------------------------------------------------------------------------ as text and HTML
_ARROW = {1: "\u25b2", -1: "\u25bc", 0: "\u2192"}  # up, down, right (no change)
_SPEC_DECIMALS = re.compile(r"\.(\d+)")


def _is_percent(c: FigureChange) -> bool:
    return (c.fmt or "").endswith("%") or c.unit == "%"


def _amount(c: FigureChange, amount: float) -> str:
    """``|amount|`` in the figure's unit; a percentage's change in percentage points."""
    if _is_percent(c):
        spec = _SPEC_DECIMALS.search(c.fmt or "")
        d = min(int(spec.group(1)), 2) if spec else 1
        return figure_text({"value": abs(amount) * 100.0, "unit": "pp", "fmt": f".{d}f"})
    fmt = c.fmt
    if not fmt:  # the change at the precision the figure itself shows (12 projects: +2, not +2.00)
        shown = _SPEC_DECIMALS.search(figure_text({"value": c.value, "unit": c.unit}))
        fmt = f",.{len(shown.group(1)) if shown else 0}f"
    return figure_text({"value": abs(amount), "unit": c.unit, "fmt": fmt})


def value_text(c: FigureChange, *, previous: bool = False) -> str:
    """The figure's value (or the previous period's) as the pages show it."""
    text = c.previous_text if previous else c.text
    if text is not None:
        return _words(text)
    value = c.previous_value if previous else c.value
    return figure_text({"value": value, "unit": c.unit, "fmt": c.fmt})


def _relative(c: FigureChange) -> str:
    rel = c.relative_change
    if rel is None:
        return ""
    return ("+" if rel > 0 else "-") + figure_text({"value": abs(rel), "unit": "%"})


def change_text(c: FigureChange | None) -> str:
    """A figure's change against the previous period in words, for a tile or a list.

    ``"▲ +EUR 300k (+1.8 %)"`` (arrow, the change in the figure's unit, the relative change);
    a percentage changes in percentage points (``"▼ -2.5 pp (-4.1 %)"``); ``"→ no change"``
    when the change does not show at the figure's precision; ``"new"`` when the previous
    period did not record the figure; ``"was Hold"`` for a text that changed; ``""`` when
    there is no previous period or nothing to say.

    Examples
    --------
    >>> from cio_analytics.pipeline.history import FigureChange
    >>> def fc(now, before, unit=None, fmt=None, text=None, ptext=None):
    ...     change = rel = None
    ...     if now is not None and before is not None:
    ...         change, rel = now - before, (now - before) / abs(before) if before else None
    ...     return FigureChange("j", "f", "F", unit, fmt, "2026Q4", now, text, "2026Q3",
    ...                         before, ptext, change, rel, text != ptext, False, ())
    >>> change_text(fc(17.3e6, 17.0e6, "EUR")), change_text(fc(0.875, 0.9, fmt=".1%"))
    ('▲ +EUR 300k (+1.8 %)', '▼ -2.5 pp (-2.8 %)')
    >>> change_text(fc(12.0, 12.0, "FTE", ".1f")), change_text(fc(None, None, text="Adjust", ptext="Hold"))
    ('→ no change', 'was Hold')
    """
    if c is None or c.previous_period is None:
        return ""
    if c.new:
        return "new"
    if c.text is not None:
        return f"was {_words(c.previous_text)}" if c.flipped else ""
    if c.change is None or c.value is None:
        return ""
    amount = _amount(c, c.change)
    if not re.search(r"[1-9]", amount):
        return f"{_ARROW[0]} no change"
    sign = 1 if c.change > 0 else -1
    rel = _relative(c)
    return f"{_ARROW[sign]} {'+' if sign > 0 else '-'}{amount}" + (f" ({rel})" if rel else "")


def delta_html(c: FigureChange | None, since: str | None = None) -> str:
    """:func:`change_text` in a ``<span class="delta ...">`` (empty when there is nothing);
    "since <period>" added when the figure's previous period is not ``since`` (the page's)."""
    text = change_text(c)
    if c is None or not text:
        return ""
    if since is not None and c.previous_period != since:
        text += f" since {c.previous_period}"
    kind = "new" if c.new else "text" if c.text is not None else (
        "up" if (c.change or 0) > 0 and not text.startswith(_ARROW[0]) else
        "down" if (c.change or 0) < 0 and not text.startswith(_ARROW[0]) else "flat"
    )  # fmt: skip
    what = (
        f"Not recorded in {c.previous_period}" if c.new
        else f"{value_text(c, previous=True)} in {c.previous_period}"
    )  # fmt: skip
    e = html.escape
    body = e(text)
    if kind in ("up", "down") and text.endswith(")") and " (" in text:  # the parts, for print
        amount, rel = text.rsplit(" (", 1)
        arrow, amount = amount.split(" ", 1)
        body = f"{e(arrow)} <span class='abs'>{e(amount)}</span> <span class='rel'>({e(rel)}</span>"
    return f"<span class='delta {kind}' title='{e(what)}'>{body}</span>"


def sparkline_svg(
    c: FigureChange | None, *, width: int = 84, height: int = 22, min_points: int = 2
) -> str:
    """The figure's trend over the pack's last periods as an inline SVG line, or "".

    One point (a circle) per period that recorded the figure, this period's larger; a gap
    where a period did not record it. Drawn only for a number recorded in ``min_points``
    periods or more (at least two). The line spans the figure's own range (low at the
    bottom, high at the top): it shows the direction; the accessible label (``role="img"``,
    ``aria-label``, and a ``<title>`` that shows on hover) gives every period's value.
    """
    if c is None or c.text is not None or not c.trend_periods:
        return ""
    points = [(i, v) for i, v in enumerate(c.trend) if v is not None]
    if len(points) < max(2, min_points):
        return ""
    n, pad = len(c.trend), 3.0
    values = [v for _, v in points]
    low, high = min(values), max(values)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad + i * (width - 2 * pad) / max(n - 1, 1)
        y = height / 2 if high == low else pad + (high - v) / (high - low) * (height - 2 * pad)
        return round(x, 1), round(y, 1)

    runs: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(c.trend):
        if v is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(xy(i, v))
    lines = "".join(
        "<polyline points='" + " ".join(f"{x},{y}" for x, y in run) + "'/>"
        for run in runs
        if len(run) > 1
    )
    dots = "".join(
        f"<circle cx='{x}' cy='{y}' r='{2.6 if i == n - 1 else 1.7}'"
        + (" class='now'" if i == n - 1 else "")
        + "/>"
        for i, v in points
        for x, y in [xy(i, v)]
    )
    what = c.label or _words(c.figure)
    said = "; ".join(
        f"{c.trend_periods[i]} {figure_text({'value': v, 'unit': c.unit, 'fmt': c.fmt})}"
        for i, v in points
    )
    label = html.escape(f"Trend of {what}: {said}")
    return (
        f"<svg class='spark' role='img' aria-label='{label}' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' data-points='{len(points)}'><title>{label}</title>"
        f"{lines}{dots}</svg>"
    )


def short_titles(jobs: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each job's title up to its first colon ("Budget review"), the whole title where two
    jobs would share the short one."""
    full = {str(j["name"]): str(j.get("title") or j["name"]) for j in jobs}
    short = {n: t.split(": ", 1)[0] for n, t in full.items()}
    counts: dict[str, int] = {}
    for s in short.values():
        counts[s] = counts.get(s, 0) + 1
    return {n: short[n] if counts[short[n]] == 1 else full[n] for n in full}


def _item(c: FigureChange, title: str, href: str | None, tail: str, since: str | None) -> str:
    e = html.escape
    who = f"<a href='{e(href)}'>{e(title)}</a>" if href else e(title)
    what = e(c.label or _words(c.figure))
    now, before = e(value_text(c)), e(value_text(c, previous=True))
    when = f" in {e(c.previous_period)}" if c.previous_period != since else ""
    return f"{who} · {what}: <b>{now}</b>, was {before}{when}{tail}"


def headline_figures(
    changes: PackChanges,
    jobs: Sequence[Mapping[str, Any]],
    summaries: Mapping[str, Mapping[str, Any] | None],
) -> frozenset[tuple[str, str]]:
    """The ``(job, figure)`` the pages show as headline figures: each report's key numbers
    and money at stake (from its executive summary), else its first recorded figures."""
    out = set()
    for job in jobs:
        summary = summaries.get(job["name"]) or {}
        shown = [(k.get("value"), k.get("kind")) for k in summary.get("key_numbers") or ()]
        shown.append((summary.get("at_stake"), "money"))
        for value, kind in shown:
            c = changes.match(job, value, kind)
            if c is not None:
                out.add((c.job, c.figure))
        if not summary:
            out |= {(job["name"], n) for n in list(job.get("records") or {})[:6]}
    return frozenset(out)


def change_items(
    changes: PackChanges,
    titles: Mapping[str, str],
    links: Mapping[str, str] | None = None,
    headline: frozenset[tuple[str, str]] = frozenset(),
) -> list[tuple[str, str]]:
    """``(group, item HTML)`` of everything that changed, most important first: decisions,
    risks that crossed the appetite, the ``headline`` figures (those the pages show) that
    moved, other answers that changed, then the other figures that moved; figures by the
    size of the move."""
    links = links or {}
    e = html.escape
    since = changes.previous_period
    out = []
    for c in changes.decisions:
        who = titles.get(c.job, c.job)
        href = links.get(c.job)
        name = f"<a href='{e(href)}'>{e(who)}</a>" if href else e(who)
        when = f" in {e(c.previous_period)}" if c.previous_period != since else ""
        out.append(
            (
                "decisions",
                f"{name}: <b>{e(_words(c.text))}</b>, was {e(_words(c.previous_text))}{when}",
            )
        )
    for x in changes.crossings:
        tail = " (back within the appetite)" if x.within else " (now outside the appetite)"
        out.append(
            (
                "appetite",
                _item(x.change, titles.get(x.change.job, ""), links.get(x.change.job), tail, since),
            )
        )
    answers = [
        ("answers", _item(c, titles.get(c.job, c.job), links.get(c.job), "", since))
        for c in changes.answers
    ]
    moved = sorted(changes.moved, key=lambda c: (c.job, c.figure) not in headline)  # stable
    n_shown = sum((c.job, c.figure) in headline for c in moved)
    for i, c in enumerate(moved):
        if i == n_shown:  # the answers after the figures the pages show, before the others
            out += answers
            answers = []
        tail = f" · {e(change_text(c))}"
        out.append(("moved", _item(c, titles.get(c.job, c.job), links.get(c.job), tail, since)))
    return out + answers


def _threshold_text(threshold: float) -> str:
    return figure_text({"value": threshold, "unit": "%"})


def what_changed_html(
    changes: PackChanges,
    titles: Mapping[str, str],
    links: Mapping[str, str] | None = None,
    *,
    limit: int | None = None,
    per_group: int = 12,
    section_id: str = "what-changed",
    note: str = "",
    headline: frozenset[tuple[str, str]] = frozenset(),
) -> str:
    """The "What changed since <previous period>" section, or "" when there is no previous
    period (a pack with no history shows no heading).

    With ``limit`` (the board summary) one list of the ``limit`` most important items and
    how many there are; otherwise (the index) one list per kind of change under its own
    heading (at most ``per_group`` items each, then how many more), which states the
    threshold. ``note`` is a line of text shown under the heading; ``headline`` figures
    (:func:`headline_figures`) come before the other figures that moved.
    """
    e = html.escape
    if not changes.has_previous:
        return ""
    since = e(changes.previous_period or "")
    threshold = e(_threshold_text(changes.threshold))
    items = change_items(changes, titles, links, headline)
    head = f"<section class='changes' id='{e(section_id)}'><h2>What changed since {since}</h2>"
    if note:
        head += f"<p class='muted'>{e(note)}</p>"
    if not items:
        return (
            f"{head}<p class='nochange'>No decision changed, no risk crossed the appetite and "
            f"no figure moved more than {threshold} since {since}.</p></section>"
        )
    if limit is not None:  # one line under the heading's own: the page is full
        shown = items[:limit]
        more = (
            f"the {len(shown)} most important of {len(items)} changes"
            if len(items) > len(shown)
            else f"{len(items)} change{'s' if len(items) > 1 else ''}"
        )
        head = head.replace(
            "</h2>",
            f" <span class='muted'>({more}: decisions, risks that crossed the appetite, "
            f"figures that moved more than {threshold}, other answers)</span></h2>",
        )
        return f"{head}<ul>{''.join(f'<li>{i}</li>' for _, i in shown)}</ul></section>"
    headings = {
        "decisions": "Decisions that changed",
        "appetite": "Risks that crossed the appetite",
        "moved": f"Figures that moved more than {threshold}",
        "answers": "Other answers that changed",
    }
    groups = []
    for key, heading in headings.items():
        listed = [i for k, i in items if k == key]
        if not listed:
            continue
        more = len(listed) - per_group
        tail = (
            f"<li class='more'>And {more} more; the reports and their workbooks hold them all.</li>"
            if more > 0
            else ""
        )
        groups.append(
            f"<div class='change-group'><h3>{heading}</h3><ul>"
            + "".join(f"<li>{i}</li>" for i in listed[:per_group])
            + f"{tail}</ul></div>"
        )
    return head + "".join(groups) + "</section>"
