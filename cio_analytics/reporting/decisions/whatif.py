"""What would change the decision: the break-even values of a report's inputs, in words.

A decision often rests on several tests at once (an investment proceeds when the NPV is
positive, the IRR clears the hurdle and the chance of a positive NPV is high enough). The
domains give one :class:`~cio_analytics.valuation.BreakEvenAnalysis` per test;
:func:`decision_break_even` keeps, for each input, the value at which the first test fails
(the decision flips there), and :func:`what_would_change` turns one or more of those into the
report's section: a sentence per input ("The decision holds while agent productivity stays
above EUR 331k a year (2.7 % below plan): any lower and the chance of a positive NPV falls
under 60 %."), a table, the figures to record and the most fragile input for the summary.
Nothing here runs a model.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..._validation import check_probability
from ...exceptions import ParameterError
from ...valuation import BreakEven, BreakEvenAnalysis
from ..formatting import format_percent
from ..summary import Decision
from .breakeven import _change, _input_label, _plural, _value

__all__ = [
    "FlipPoint",
    "WhatWouldChange",
    "decision_break_even",
    "record_break_even",
    "what_would_change",
    "with_fragility_flag",
]


def _check(analysis: Any, name: str) -> BreakEvenAnalysis:
    if not isinstance(analysis, BreakEvenAnalysis):
        raise ParameterError(
            f"`{name}` must be a BreakEvenAnalysis (from npv_break_even, irr_break_even, "
            f"probability_break_even, service_level_break_even or tco_break_even). "
            f"Got {type(analysis).__name__}."
        )
    return analysis


def _holding(r: BreakEven, against: bool) -> tuple[float, float]:
    """The input values over which the decision's test holds: ``(low, high)``, empty if low > high."""
    lo, hi = r.search_low, r.search_high
    if r.status != "found":
        holds = r.decision_holds_at_base != against
        return (lo, hi) if holds else (np.inf, -np.inf)
    x = r.break_even_value
    if (r.holds_while == "above") != against:
        return x, hi
    return lo, x


def decision_break_even(
    *analyses: BreakEvenAnalysis, against: Sequence[BreakEvenAnalysis] = ()
) -> tuple[BreakEven, ...]:
    """Per input, where a decision that needs every test to pass flips first.

    Parameters
    ----------
    *analyses : BreakEvenAnalysis
        One per test the decision needs (NPV = 0, IRR = hurdle, P(NPV > 0) = required), over
        the same inputs; an input missing from some tests is judged on the others.
    against : sequence of BreakEvenAnalysis, optional
        Tests that must FAIL for the decision to hold: the rejected option of a choice between
        two (``npv_break_even(rejected, threshold=chosen_npv)``: the choice holds while the
        rejected option's NPV stays below the chosen one's).

    Returns
    -------
    tuple of BreakEven
        One per input, in the order first seen: the binding test's break-even (its
        ``criterion`` and ``threshold``), with ``decision_holds_at_base`` and ``holds_while``
        describing the decision (not that test). ``status`` "no flip in range" when no test
        flips the decision in the range searched.

    Notes
    -----
    Each test holds on one side of its break-even (or everywhere, or nowhere, in the range);
    the decision holds on the intersection ``[L, U]``. At plan inside it, the nearer end
    (relative to plan) is the break-even; at plan outside it, the end the input has to reach.

    Examples
    --------
    >>> from cio_analytics.valuation import (InvestmentCase, LineItem, irr_break_even,
    ...                                      npv_break_even)
    >>> case = InvestmentCase("x", [LineItem("Build", "capex", 1000),
    ...                             LineItem("Savings", "benefit", 300)],
    ...                       horizon_years=5, discount_rate=0.10)
    >>> be = decision_break_even(npv_break_even(case, inputs=["Savings"]),
    ...                          irr_break_even(case, 0.12, inputs=["Savings"]))[0]
    >>> print(f"{be.criterion} {be.break_even_value:.2f} {be.holds_while}")
    irr 277.41 above
    """
    tests = [(_check(a, "analyses"), False) for a in analyses]
    tests += [(_check(a, "against"), True) for a in against]
    if not tests:
        raise ParameterError("`decision_break_even` needs at least one BreakEvenAnalysis.")
    names: list[str] = []
    for a, _ in tests:
        names += [n for n in a.inputs if n not in names]
    out = []
    for name in names:  # a loop over the inputs, each solved already
        rows = [(a[name], against) for a, against in tests if name in a.inputs]
        out.append(_binding(rows))
    return tuple(out)


def _binding(rows: list[tuple[BreakEven, bool]]) -> BreakEven:
    first = rows[0][0]
    lo = max(r.search_low for r, _ in rows)
    hi = min(r.search_high for r, _ in rows)
    spans = [_holding(r, against) for r, against in rows]
    low, high = max(s[0] for s in spans), min(s[1] for s in spans)
    holds = all(r.decision_holds_at_base != against for r, against in rows)
    base = first.base_value
    ends = []  # (value, which test sets it, side of it on which the decision holds)
    for (r, _), (a, b) in zip(rows, spans, strict=True):
        if a == low and low > lo and np.isfinite(low):
            ends.append((low, r, "above"))
        if b == high and high < hi and np.isfinite(high):
            ends.append((high, r, "below"))
    if low > high or not ends:
        return dataclasses.replace(
            first, break_even_value=float("nan"), change=float("nan"),
            relative_change=float("nan"), holds_while="", decision_holds_at_base=holds,
            status="no flip in range" if any(r.status != "no effect" for r, _ in rows)
            else "no effect", search_low=lo, search_high=hi,
        )  # fmt: skip
    if holds:
        value, r, side = min(ends, key=lambda e: abs(e[0] - base))
    else:  # the end the input has to reach
        want = "above" if base < low else "below"
        reach = [e for e in ends if e[2] == want] or ends
        value, r, side = min(reach, key=lambda e: abs(e[0] - base))
    rel = value / base - 1.0 if base != 0 else float("nan")
    return dataclasses.replace(
        r, break_even_value=float(value), change=float(value - base),
        relative_change=float(rel), holds_while=side, decision_holds_at_base=holds,
        status="found", search_low=lo, search_high=hi,
    )  # fmt: skip


# ----------------------------------------------------------------------------------- wording
def _consequence(r: BreakEven, subject: str, other: str = "") -> str:
    """What happens when the input crosses the break-even of the test ``r``."""
    c, t = r.criterion, r.threshold
    if c == "npv":
        if t == 0:
            return "the NPV turns negative"
        return f"“{other}” has the better NPV" if other else "the other option has the better NPV"
    if c == "irr":
        return f"the IRR falls under the {format_percent(t)} hurdle"
    if c == "probability_npv_positive":
        return f"the chance of a positive NPV falls under {format_percent(t)}"
    if c == "service_level":
        return f"the {format_percent(t)} service-level target is missed"
    if c == "tco":
        parts = subject.split(" vs ")
        return f"{parts[-1]} becomes the cheaper offer" if len(parts) == 2 else "the choice flips"
    return "the decision flips"


def _mid(name: str) -> str:
    """A label inside a sentence: "Agent productivity" -> "agent productivity"; "SaaS" kept."""
    first = name.split()[0] if name.split() else name
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return name[0].lower() + name[1:]
    return name


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


@dataclass(frozen=True)
class FlipPoint:
    """One input of a report and where it flips the decision.

    Attributes
    ----------
    input : str
        The label the report shows ("Agent productivity", "Contact volume (VIP queue ...)").
    key : str
        A stable identifier for records (``"agent_productivity"``, ``"vip_calls"``).
    result : BreakEven
        The binding break-even (:func:`decision_break_even`).
    consequence : str
        What happens past it ("the IRR falls under the 12 % hurdle").
    currency : str
        Currency of money values.
    phrase : str
        The label inside a sentence (default ``input`` with a lower-case first word; a name
        such as "Vendor A's prices" stays as it is).
    """

    input: str
    key: str
    result: BreakEven
    consequence: str
    currency: str
    phrase: str = ""

    @property
    def margin(self) -> float:
        """``|relative_change|``: how far the input can move before the decision flips (NaN:
        no flip)."""
        r = self.result
        return abs(r.relative_change) if r.status == "found" else float("nan")

    def sentence(self, consequence: bool = True) -> str:
        """The input's break-even as the report says it (``consequence``: with what happens
        past it)."""
        r, name = self.result, self.phrase or _mid(self.input)
        if r.status == "no effect":
            return f"{_cap(name)} {'do' if _plural(name) else 'does'} not move the decision."
        if r.status != "found":
            low = _value(r, r.search_low, self.currency)
            high = _value(r, r.search_high, self.currency)
            verb = "do" if _plural(name) else "does"
            how = "it holds throughout" if r.decision_holds_at_base else "it stays as it is"
            return (
                f"{_cap(name)} {verb} not flip the decision anywhere from {low} to {high}: {how}."
            )
        value = _value(r, r.break_even_value, self.currency)
        if r.decision_holds_at_base:
            stay = "stay" if _plural(name) else "stays"
            further = "lower" if r.holds_while == "above" else "higher"
            past = f"; any {further} and {self.consequence}" if consequence else ""
            return (
                f"The decision holds while {name} {stay} {r.holds_while} {value} "
                f"({_change(r)}){past}."
            )
        move = ("rise" if _plural(name) else "rises") if r.holds_while == "above" else (
            "fall" if _plural(name) else "falls"
        )  # fmt: skip
        side = "above" if r.holds_while == "above" else "below"
        return f"The decision would change once {name} {move} {side} {value} ({_change(r)})."

    def status(self, consequence: bool = True) -> str:
        """The table's status in words (``consequence``: with what happens past it)."""
        r = self.result
        if r.status == "no effect":
            return "Does not move the decision"
        if r.status != "found":
            low = _value(r, r.search_low, self.currency, "full")
            high = _value(r, r.search_high, self.currency, "full")
            how = "the decision holds throughout" if r.decision_holds_at_base else "no change"
            return f"No flip from {low} to {high}: {how}"
        if r.decision_holds_at_base:
            further = "lower" if r.holds_while == "above" else "higher"
            past = f"; any {further} and {self.consequence}" if consequence else ""
            return f"Holds {r.holds_while} it{past}"
        return f"The decision would change {r.holds_while} it"


@dataclass(frozen=True)
class WhatWouldChange:
    """A report's "What would change the decision" section (:func:`what_would_change`).

    Attributes
    ----------
    subject : str
        What was decided.
    points : tuple of FlipPoint
        One per input, the most fragile first (smallest margin; inputs that cannot flip the
        decision last).
    """

    subject: str
    points: tuple[FlipPoint, ...] = field(repr=False)

    @property
    def most_fragile(self) -> FlipPoint | None:
        """The input with the smallest margin, or None when no input flips the decision."""
        found = [p for p in self.points if p.result.status == "found"]
        return found[0] if found else None

    @property
    def common_consequence(self) -> str:
        """What happens past every break-even when it is the same for all inputs ("the chance
        of a positive NPV falls under 60 %"), else ""."""
        found = {p.consequence for p in self.points if p.result.status == "found"}
        return found.pop() if len(found) == 1 else ""

    def sentences(self, consequence: bool | None = None) -> list[str]:
        """One sentence per input, in :attr:`points` order; what happens past each
        break-even is said when ``consequence`` (default: unless it is the same for all, then
        :attr:`common_consequence` says it once)."""
        if consequence is None:
            consequence = not self.common_consequence
        return [p.sentence(consequence) for p in self.points]

    def table(self, consequence: bool | None = None) -> pd.DataFrame:
        """The section's table, every cell text: ``Input``, ``Plan``, ``Break-even``,
        ``Margin``, ``Status`` (money in full); ``consequence`` as for :meth:`sentences`."""
        if consequence is None:
            consequence = not self.common_consequence
        rows = []
        for p in self.points:
            r, found = p.result, p.result.status == "found"
            rows.append({
                "Input": _cap(p.input),
                "Plan": _value(r, r.base_value, p.currency, "full"),
                "Break-even": _value(r, r.break_even_value, p.currency, "full") if found
                else "none in the range",
                "Margin": _change(r) if found else "",
                "Status": p.status(consequence),
            })  # fmt: skip
        return pd.DataFrame(rows, columns=["Input", "Plan", "Break-even", "Margin", "Status"])

    def figures(self) -> pd.DataFrame:
        """The table's numbers for the workbook, long: ``Input, Figure, value, kind, unit,
        Status`` (one row each for the plan, the break-even and the margin; ``kind`` gives each
        row its number format)."""
        rows = []
        for p in self.points:
            r = p.result
            kind, unit, scale = _kind(r, p.currency)
            for figure, value, k, u in (
                ("Plan", r.base_value * scale, kind, unit),
                ("Break-even", r.break_even_value * scale, kind, unit),
                ("Margin", r.relative_change, "percent", ""),
            ):
                rows.append((_cap(p.input), figure, float(value), k, u, p.status()))
        return pd.DataFrame(rows, columns=["Input", "Figure", "value", "kind", "unit", "Status"])

    def records(self) -> pd.DataFrame:
        """The break-even values to ``record()``: ``name, value, label, unit, fmt``."""
        rows = []
        for p in self.points:
            r = p.result
            kind, unit, scale = _kind(r, p.currency)
            fmt = {"money": ",.0f", "percent": ".1%", "integer": ",.0f"}.get(kind, ",.1f")
            fmt = ",.0f" if unit == "s" else fmt
            rows.append((f"break_even_{p.key}", r.break_even_value * scale,
                         f"Break-even: {p.phrase or _mid(p.input)}", unit or None, fmt))  # fmt: skip
        return pd.DataFrame(rows, columns=["name", "value", "label", "unit", "fmt"])

    def summary(self) -> pd.DataFrame:
        """Tidy: one row per input with every field of its :class:`BreakEven`, the label and
        the margin."""
        frame = pd.concat([p.result.summary() for p in self.points], ignore_index=True)
        return frame.assign(label=[p.input for p in self.points],
                            margin=[p.margin for p in self.points])  # fmt: skip

    def fragile_text(self, margin: float) -> str:
        """The most fragile input's sentence, said as a flag, when its margin is under
        ``margin``; else ""."""
        p = self.most_fragile
        if p is None or not p.result.decision_holds_at_base or not p.margin < margin:
            return ""
        text = p.sentence().removeprefix("The decision holds")
        return f"A move of less than {format_percent(margin)} flips the decision: it holds{text}"


def _kind(r: BreakEven, currency: str) -> tuple[str, str, float]:
    """Number kind, unit and scale of an input's values for records and the workbook."""
    unit = r.unit
    if unit in ("per year", "x"):
        return "percent", "%", 1.0
    if unit == "calls":
        return "number", "contacts an interval", 1.0
    if unit == "s":
        return "number", "s", 1.0
    if unit == "units per year":
        return "integer", "units a year", 1.0
    return "money", (unit or currency).split(" per ")[0], 1.0


def _offer_labels(analysis: BreakEvenAnalysis) -> dict[str, str]:
    """The price levels of a TCO break-even named by their offers ("Vendor A's prices")."""
    parts = analysis.subject.split(" vs ")
    if analysis.criterion != "tco" or len(parts) != 2:
        return {}
    return {
        "chosen_price_level": f"{parts[0]}'s prices",
        "runner_up_price_level": f"{parts[1]}'s prices",
    }


def what_would_change(
    tests: BreakEvenAnalysis | Sequence[Any] | Mapping[str, Any],
    *,
    against: Sequence[BreakEvenAnalysis] = (),
    labels: Mapping[str, str] | None = None,
    subject: str = "",
) -> WhatWouldChange:
    """The "What would change the decision" section of a report.

    Parameters
    ----------
    tests : BreakEvenAnalysis, list of them, or dict of group -> those
        The tests the decision needs (see :func:`decision_break_even`). A dict gives separate
        groups (the queues of a desk): their inputs are labelled "<input> (<group>)".
    against : sequence of BreakEvenAnalysis, optional
        Tests that must fail for the decision to hold (the rejected option of a choice).
    labels : dict, optional
        Input name -> label; otherwise the glossary (line-item names pass through).
    subject : str, optional
        What was decided (default the first analysis's subject).

    Returns
    -------
    WhatWouldChange
        Sentences, table, workbook figures and records, the most fragile input.

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem, npv_break_even
    >>> case = InvestmentCase("x", [LineItem("Build", "capex", 1000),
    ...                             LineItem("Savings", "benefit", 300)],
    ...                       horizon_years=5, discount_rate=0.10)
    >>> view = what_would_change(npv_break_even(case, inputs=["Build", "Savings"]),
    ...                          labels={"Savings": "benefits"})
    >>> print(view.sentences()[0])
    The decision holds while benefits stay above EUR 264 a year (12.1 % below plan).
    >>> view.common_consequence
    'the NPV turns negative'
    >>> view.table().iloc[0].tolist()[:4]
    ['Benefits', 'EUR 300 a year', 'EUR 264 a year', '12.1 % below plan']
    """
    groups = dict(tests) if isinstance(tests, Mapping) else {"": tests}
    points = []
    first_subject = ""
    for group, value in groups.items():
        items = [value] if isinstance(value, BreakEvenAnalysis) else list(value)
        items = [_check(a, "tests") for a in items]
        if not items:
            raise ParameterError(f"`tests` for {group or 'the decision'} is empty.")
        first_subject = first_subject or items[0].subject
        currency = items[0].currency
        other = _check(against[0], "against").subject if against else ""
        offers = {k: v for k, v in _offer_labels(items[0]).items() if k not in (labels or {})}
        names = dict(offers, **(labels or {}))
        for r in decision_break_even(*items, against=against):
            name = _input_label(r.input, r.criterion, names)
            shown = f"{name} ({group})" if group else name
            key = _slug(f"{group} {r.input}")
            consequence = _consequence(r, items[0].subject, other)
            phrase = shown if r.input in offers else ""  # a name: not lower-cased
            points.append(FlipPoint(shown, key, r, consequence, currency, phrase))
    order = sorted(range(len(points)), key=lambda i: (
        np.isnan(points[i].margin), points[i].margin if not np.isnan(points[i].margin) else 0, i
    ))  # fmt: skip
    return WhatWouldChange(subject or first_subject, tuple(points[i] for i in order))


def with_fragility_flag(
    decision: Decision, view: WhatWouldChange, *, margin: float = 0.2
) -> Decision:
    """``decision`` with the most fragile input's sentence as a flag, when it is within ``margin``.

    Parameters
    ----------
    decision : Decision
    view : WhatWouldChange
    margin : float, default 0.2
        The relative move of an input (0.2: 20 % of plan) under which the reader is told
        before acting; a decision that needs more than that to flip is left as it is.

    Returns
    -------
    Decision
        A copy with one more flag, or ``decision`` itself.
    """
    check_probability(margin, "margin")
    text = view.fragile_text(margin)
    if not text:
        return decision
    return dataclasses.replace(decision, flags=(*decision.flags, text))


def record_break_even(
    view: WhatWouldChange,
    *,
    name: str = "break_even",
    title: str = "What would change the decision: break-even values",
) -> None:
    """Record the break-even values for the report's index and workbook (returns None, so a
    notebook cell ending with it shows nothing).

    Each input's break-even is a recorded figure (``break_even_<input>``, with its unit and
    format, :meth:`WhatWouldChange.records`) and the section's table a worksheet ``name``
    (long: plan, break-even and margin per input, :meth:`WhatWouldChange.figures`). Outside the
    report pipeline nothing is written.
    """
    from ..record import record, record_table

    for figure in view.records().itertuples(index=False):
        record(figure.name, figure.value, label=figure.label, unit=figure.unit, fmt=figure.fmt)
    record_table(name, view.figures(), title=title)
