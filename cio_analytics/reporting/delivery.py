"""The project-delivery report's per-project parts: its recorded figures and its sections.

``notebooks/project_delivery.ipynb`` stays thin (STYLE.md, "Notebooks"): it records the
per-project figures with :func:`record_delivery_figures` and shows one section per project
needing attention with ``display(*delivery_sections(...))``. Display only: every number comes
from :func:`~cio_analytics.reporting.decisions.delivery_table`, the projects' outlooks
(``cio_analytics.risk.project_outlook``) and their earned value (``cio_analytics.risk.earned_value``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..exceptions import ParameterError
from .decisions.delivery import DELIVERY_COLUMNS
from .formatting import format_money, format_number, format_percent
from .record import record

__all__ = ["ChartImage", "delivery_sections", "record_delivery_figures"]

_NO_ATTENTION = "## Projects needing attention\n\nNone: every running project passes the tests."

_TASK_LABELS = {
    "task": "Open task",
    "percent_complete": "Done",
    "mean_remaining_days": "Working days left (mean)",
    "criticality_index": "Chance it is on the critical path",
    "sensitivity": "Rank correlation with the finish date",
}
_EVM_LABELS = {
    "period": "Status date",
    "planned_value": "Planned value (PV)",
    "earned_value": "Earned value (EV)",
    "actual_cost": "Actual cost (AC)",
    "cpi": "CPI",
    "spi": "SPI",
    "eac": "Estimate at completion (EAC)",
}


class ChartImage:
    """A chart shown as a PNG image with its alt text, in any Jupyter kernel.

    A bare matplotlib ``Figure`` that pyplot does not track shows as ``<Figure ...>`` text in a
    kernel without matplotlib's inline formatters (JupyterLab before ``%matplotlib inline``,
    plain papermill); this object renders itself (``_repr_png_``), at the figure's size and
    resolution, the same image the report pack's kernel shows for the figure, and carries the
    chart's alt text in the output's metadata for the HTML page.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The chart (from :mod:`cio_analytics.reporting.charts`).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from cio_analytics.reporting.charts import set_alt_text
    >>> image = ChartImage(set_alt_text(Figure(figsize=(2, 1)), "An empty chart."))
    >>> png, meta = image._repr_png_()
    >>> png[:4], meta
    (b'\\x89PNG', {'alt': 'An empty chart.'})
    """

    def __init__(self, figure: Any) -> None:
        from matplotlib.figure import Figure

        if not isinstance(figure, Figure):
            raise ParameterError(
                f"`figure` must be a matplotlib Figure (a chart of "
                f"cio_analytics.reporting.charts). Got {type(figure).__name__}."
            )
        self.figure = figure

    @property
    def alt(self) -> str:
        """The chart's alt text (its explicit one, else built from its titles and labels)."""
        from .charts import alt_text

        return alt_text(self.figure)

    def _repr_png_(self) -> tuple[bytes, dict[str, str]]:
        buf = io.BytesIO()
        self.figure.savefig(
            buf,
            format="png",
            dpi=self.figure.dpi,
            bbox_inches="tight",
            facecolor=self.figure.get_facecolor(),
            edgecolor=self.figure.get_edgecolor(),
        )
        return buf.getvalue(), {"alt": self.alt}

    def __repr__(self) -> str:
        return f"ChartImage({self.alt!r})"


def _check_table(table: Any, what: str) -> pd.DataFrame:
    missing = (
        [c for c in DELIVERY_COLUMNS if c not in table.columns]
        if isinstance(table, pd.DataFrame)
        else list(DELIVERY_COLUMNS)
    )
    if missing:
        raise ParameterError(
            f"`{what}` must be a table from delivery_table() (or its rows needing attention); "
            f"missing columns: {', '.join(missing)}. Got {type(table).__name__}."
        )
    return table


def record_delivery_figures(table: pd.DataFrame, *, currency: str, percentile: float) -> None:
    """Record the portfolio's contingency gap and each project's headline figures.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~cio_analytics.reporting.decisions.delivery_table` of the running projects.
    currency : str
        Currency of the amounts (ISO code, never converted).
    percentile : float
        The percentile the contingency is sized at (0.8: the P80), as passed to
        ``project_outlook``; it labels the contingency figure.

    Notes
    -----
    Recorded, in order: ``contingency_short`` (currency), the sum of the projects'
    ``contingency_needed`` (cost at completion at ``percentile`` minus the budget, zero where the
    budget covers it); then per project id ``<id>``, the projects that need attention first:
    ``probability_on_time_<id>`` = ``1 - probability_late`` (decimal),
    ``completion_date_p80_<id>`` (ISO date),
    ``cost_p80_<id>`` (currency), ``cpi_<id>`` and ``spi_<id>`` (ratios, 1.0 = on plan).
    Outside the report pipeline nothing is written (see
    :func:`~cio_analytics.reporting.record.record`).

    Examples
    --------
    >>> import os, tempfile
    >>> from cio_analytics.reporting.record import RECORD_ENV, read_records
    >>> row = dict.fromkeys(DELIVERY_COLUMNS, 0.0)
    >>> row.update(project="CRM01", name="CRM consolidation", probability_late=0.25,
    ...            completion_date_p80=pd.Timestamp("2027-05-14"), cost_p80=1.2e6,
    ...            contingency_needed=5e4, cpi=0.92, spi=0.97)
    >>> sidecar = os.path.join(tempfile.mkdtemp(), "delivery.records.jsonl")
    >>> os.environ[RECORD_ENV] = sidecar
    >>> record_delivery_figures(pd.DataFrame([row]), currency="EUR", percentile=0.8)
    >>> del os.environ[RECORD_ENV]
    >>> {name: entry["value"] for name, entry in read_records(sidecar).items()}
    ... # doctest: +NORMALIZE_WHITESPACE
    {'contingency_short': 50000.0, 'probability_on_time_CRM01': 0.75,
     'completion_date_p80_CRM01': '2027-05-14', 'cost_p80_CRM01': 1200000.0,
     'cpi_CRM01': 0.92, 'spi_CRM01': 0.97}
    """
    table = _check_table(table, "table")
    record(
        "contingency_short",
        float(table["contingency_needed"].sum()),
        label=f"Contingency short at P{percentile * 100:.0f}",
        unit=currency,
        fmt=",.0f",
    )
    # the projects that need attention first: the index shows the first figures recorded
    ordered = table.sort_values("needs_attention", ascending=False, kind="stable")
    for r in ordered.itertuples():
        figures = (
            (f"probability_on_time_{r.project}", 1 - r.probability_late,
             f"{r.name}: chance of meeting the committed date", "%", ".1%"),
            (f"completion_date_p80_{r.project}", f"{pd.Timestamp(r.completion_date_p80):%Y-%m-%d}",
             f"{r.name}: P80 finish date", None, None),
            (f"cost_p80_{r.project}", r.cost_p80,
             f"{r.name}: cost at completion, P80", currency, ",.0f"),
            (f"cpi_{r.project}", r.cpi, f"{r.name}: CPI", None, ".2f"),
            (f"spi_{r.project}", r.spi, f"{r.name}: SPI", None, ".2f"),
        )  # fmt: skip
        for name, value, label, unit, fmt in figures:
            record(name, value, label=label, unit=unit, fmt=fmt)


def _lead(r: Any, currency: str) -> str:
    return (
        f"## {r.name}\n\n"
        f"**Why it needs attention:** {r.reasons}.\n\n"
        f"Committed finish {r.committed_date:%d %b %Y}; the simulation puts the finish at "
        f"{r.completion_date_p50:%d %b %Y} (P50) and {r.completion_date_p80:%d %b %Y} (P80), "
        f"a {format_percent(1 - r.probability_late, 0)} chance of making the date. "
        f"Cost at completion {format_money(r.cost_p80, currency, compact=True)} at P80 against "
        f"a budget of {format_money(r.budget, currency, compact=True)}; at today's cost "
        f"efficiency (CPI {format_number(r.cpi, decimals=2)}) the estimate at completion is "
        f"{format_money(r.eac, currency, compact=True)}."
    )


def delivery_sections(
    attention: pd.DataFrame,
    outlooks: Mapping[str, Any],
    evm: Any,
    *,
    currency: str,
    min_cpi: float,
    min_spi: float,
    top_n: int = 6,
) -> list[Any]:
    """The sections of the projects needing attention, as display objects, in reading order.

    Per project: a Markdown heading with why it needs attention and its dates and costs, its
    completion S-curve and earned-value trend (as :class:`ChartImage`), the open tasks most
    likely to drive its finish date and its earned value by month (formatted tables, recorded
    for the Excel workbook as ``tasks_<id>`` and ``evm_<id>``). With no project needing
    attention, one Markdown paragraph saying so. A notebook shows them with
    ``display(*delivery_sections(...))``.

    Parameters
    ----------
    attention : pandas.DataFrame
        The rows of :func:`~cio_analytics.reporting.decisions.delivery_table` needing attention
        (``table[table["needs_attention"]]``), in the order shown.
    outlooks : mapping of str to ProjectOutlook
        ``project_outlook`` per project id (every id in ``attention``).
    evm : EarnedValueResult
        ``earned_value`` of the status table.
    currency : str
        Currency of the amounts (ISO code, never converted).
    min_cpi, min_spi : float
        The thresholds, drawn on the earned-value trend (ratios, 1.0 = on plan).
    top_n : int, default 6
        Open tasks shown per project, most critical first.

    Returns
    -------
    list
        ``IPython.display.Markdown``, ``ChartImage``, ``ChartImage``, ``Styler``, ``Styler``
        per project needing attention; ``[Markdown]`` when there is none.

    Examples
    --------
    >>> empty = pd.DataFrame(columns=list(DELIVERY_COLUMNS))
    >>> [s.data for s in delivery_sections(empty, {}, None, currency="EUR", min_cpi=0.95,
    ...                                    min_spi=0.9)]
    ['## Projects needing attention\\n\\nNone: every running project passes the tests.']
    """
    from IPython.display import Markdown

    from .charts import completion_s_curve, evm_trend
    from .tables import report_table

    attention = _check_table(attention, "attention")
    if attention.empty:
        return [Markdown(_NO_ATTENTION)]
    unknown = [p for p in attention["project"] if p not in outlooks]
    if unknown:
        raise ParameterError(
            f"`outlooks` has no outlook for {', '.join(map(str, unknown))}; pass the "
            f"project_outlook of every project in `attention`. Known: {', '.join(outlooks)}."
        )
    sections: list[Any] = []
    for r in attention.itertuples():
        o = outlooks[r.project]
        tasks = o.drivers.head(top_n)[list(_TASK_LABELS)]
        months = evm.table[evm.table["project"] == r.project]
        months = months.assign(period=months["period"].dt.strftime("%b %Y"))[list(_EVM_LABELS)]
        sections += [
            Markdown(_lead(r, currency)),
            ChartImage(completion_s_curve(o, name=r.name)),
            ChartImage(evm_trend(evm, r.project, name=r.name, min_cpi=min_cpi, min_spi=min_spi)),
            report_table(
                f"tasks_{r.project}",
                tasks,
                percent=["percent_complete", "criticality_index"],
                percent_decimals=0,
                decimals={"mean_remaining_days": 1, "sensitivity": 2},
                labels=_TASK_LABELS,
                highlight=("criticality_index", 0.5),
                caption=f"{r.name}: the open tasks most likely to drive the finish date (a "
                "remainder stated by the project manager is fixed, so its correlation is 0)",
            ),
            report_table(
                f"evm_{r.project}",
                months,
                money=["planned_value", "earned_value", "actual_cost", "eac"],
                decimals={"cpi": 2, "spi": 2},
                currency=currency,
                labels=_EVM_LABELS,
                caption=f"{r.name}: earned value by month (amounts to date)",
            ),
        ]
    return sections
