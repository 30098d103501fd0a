"""Risk charts: loss exceedance curve against the appetite, likelihood x impact matrix, and the
variance-based (Sobol') sensitivity bars."""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ...exceptions import ParameterError
from ..formatting import format_percent
from ._common import chart, finish, money, new_figure
from .formatting import currency_axis, percent_axis
from .theme import COLORS, PALETTE, sequential_cmap

__all__ = ["loss_exceedance", "risk_matrix", "sobol_chart"]

#: Default likelihood bands (annual probability) of the risk matrix and their names.
LIKELIHOOD_EDGES = (0.0, 0.05, 0.10, 0.25, 0.50, 1.0)
LIKELIHOOD_NAMES = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")


def _curve(sorted_losses: np.ndarray, n_points: int = 201) -> tuple[np.ndarray, np.ndarray]:
    """Loss exceedance ``P(L > x)`` at ``n_points`` quantiles of sorted annual losses."""
    x = np.quantile(sorted_losses, np.linspace(0.0, 1.0, n_points))
    p = 1.0 - np.searchsorted(sorted_losses, x, side="right") / sorted_losses.size
    return x, p


def _loss_series(
    result: Any, label: str | None, show_after: bool
) -> list[tuple[str, np.ndarray, str]]:
    """(label, sorted losses, line style) per curve of one result."""
    name = type(result).__name__
    if name == "RegisterResult":
        base = label or "Risk register"
        out = [
            (
                f"{base}, before mitigation" if show_after else base,
                np.sort(result.total_before),
                "-",
            )
        ]
        if show_after and result.total_mitigation_cost > 0:
            out.append((f"{base}, with every mitigation", np.sort(result.total_after), "--"))
        return out
    if name == "FairResult":
        base = label or f"Cyber: {result.scenario.name}"
        out = [(base, np.sort(np.asarray(result.ale, float)), "-")]
        if show_after:
            for col in [c for c in result.trials.columns if c.startswith("ale_with_")]:
                out.append(
                    (
                        f"{base}, with {col[len('ale_with_') :]}",
                        np.sort(result.trials[col].to_numpy(float)),
                        "--",
                    )
                )
        return out
    if name == "SimulationResult":
        col = result._name(None)
        return [(label or col, np.sort(result.outputs[col].dropna().to_numpy(float)), "-")]
    if isinstance(result, (np.ndarray, pd.Series, list, tuple)):
        arr = np.asarray(result, dtype=float).ravel()
        arr = arr[np.isfinite(arr)]
        if arr.size == 0:
            raise ParameterError("The annual losses hold no finite value.")
        return [(label or "Annual loss", np.sort(arr), "-")]
    raise ParameterError(
        "`result` must be a RegisterResult, FairResult, SimulationResult (one output), an array "
        f"of annual losses, or a list/dict of these. Got {name}."
    )


def _occurrence_series(result: Any, label: str | None, show_after: bool):
    """The OEP curve (largest single loss per year) of a register or compound FAIR result."""
    first = _loss_series(result, label, show_after)[0][0]
    largest = getattr(result, "largest_loss_before", None)
    if largest is None:
        largest = getattr(result, "largest_loss", None)
    if largest is None:
        return []
    return [(f"{first} {OCCURRENCE_SUFFIX}", np.sort(np.asarray(largest, float)), ":")]


OCCURRENCE_SUFFIX = "(largest single loss)"


def _appetite_frame(appetite: Any, results: Sequence[Any]) -> pd.DataFrame | None:
    if appetite is None:
        for r in results:
            table = getattr(r, "appetite", None)
            if isinstance(table, pd.DataFrame) and len(table):
                return table[["loss", "max_probability"]].sort_values("loss").reset_index(drop=True)
        return None
    from ...risk import check_appetite

    return check_appetite(appetite)


@chart
def loss_exceedance(
    result: Any,
    appetite: Any = None,
    *,
    currency: str | None = None,
    log_x: bool | None = None,
    show_after: bool = True,
    show_occurrence: bool = False,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Loss exceedance curve(s) against the risk-appetite points, breaches highlighted.

    Parameters
    ----------
    result : RegisterResult, FairResult, SimulationResult, array, or list / dict of them
        Each gives one curve of ``P(annual loss > x)`` (a register also its curve with every
        mitigation, a FAIR scenario one per control, unless ``show_after=False``). A dict maps
        a legend label to each result.
    appetite : DataFrame or dict, optional
        Points ``loss -> max_probability`` (columns ``loss``, ``max_probability``); default the
        appetite stored on the first result that has one.
    currency : str, optional
        ISO code; default the first result's currency.
    log_x : bool, optional
        Log-scale loss axis; default when the plotted losses span more than two decades.
    show_after : bool, default True
        Also draw the curves with mitigations / controls (dashed).
    show_occurrence : bool, default False
        Also draw, dotted in the same colour, the occurrence exceedance curve (OEP) of each
        register or compound FAIR result: ``P(largest single loss of a year > x)`` next to the
        aggregate ``P(annual loss > x)``. Appetite breaches are judged on the aggregate only.

    Notes
    -----
    An appetite point ``(L, p)`` is breached by a curve when ``P(annual loss > L) > p``, the
    same rule as :func:`~cio_analytics.risk.simulate_register`; breached points are red with
    the simulated probability written beside them. Only the solid (as-is) curves are checked.

    Examples
    --------
    >>> import numpy as np
    >>> losses = np.random.default_rng(3).lognormal(12, 1.2, 5000)
    >>> fig = loss_exceedance(losses, {5e5: 0.1, 2e6: 0.01}, currency="EUR")
    >>> fig.axes[0].get_ylabel()
    'Probability per year of a larger loss (%)'
    """
    items = (
        list(result.items())
        if isinstance(result, Mapping)
        else [
            (None, r)
            for r in (
                result
                if isinstance(result, (list, tuple))
                and result
                and not isinstance(result[0], (int, float, np.number))
                else [result]
            )
        ]
    )
    results = [r for _, r in items]
    cur = currency or next(
        (getattr(r, "currency", None) for r in results if hasattr(r, "currency")), None
    )
    curves = [c for label, r in items for c in _loss_series(r, label, show_after)]
    if show_occurrence:
        curves += [c for label, r in items for c in _occurrence_series(r, label, show_after)]
    app = _appetite_frame(appetite, results)
    fig, ax = new_figure(figsize)
    positive = np.concatenate([c[1][c[1] > 0] for c in curves] + [np.zeros(0)])
    if app is not None:
        positive = np.concatenate([positive, app["loss"].to_numpy(float)[app["loss"] > 0]])
    if positive.size == 0:
        raise ParameterError("No simulated year has a loss above zero: nothing to plot.")
    lo, hi = float(np.quantile(positive, 0.01)), float(positive.max())
    use_log = (hi / max(lo, 1e-12) > 100) if log_x is None else bool(log_x)
    colour_of: dict[str, str] = {}
    breaches: list[tuple[str, str]] = []
    for _k, (label, losses, style) in enumerate(curves):
        x, p = _curve(losses)
        keep = x > 0 if use_log else np.ones_like(x, bool)
        base = label.split(", with")[0].removesuffix(" " + OCCURRENCE_SUFFIX)
        colour = colour_of.setdefault(base, PALETTE[len(colour_of) % len(PALETTE)])
        ax.plot(
            x[keep],
            p[keep],
            ls=style,
            color=colour,
            lw=2.4 if style == "-" else 1.8,
            label=label,
            zorder=3,
        )
        if app is not None and style == "-":
            sim = (
                1.0
                - np.searchsorted(losses, app["loss"].to_numpy(float), side="right") / losses.size
            )
            hit = sim > app["max_probability"].to_numpy(float)
            for L, pmax, ps in zip(
                app["loss"][hit], app["max_probability"][hit], sim[hit], strict=True
            ):
                ax.plot([L, L], [pmax, ps], color=COLORS["loss"], lw=3, alpha=0.5, zorder=4)
                ax.annotate(
                    format_percent(ps),
                    xy=(L, ps),
                    xytext=(6, 2),
                    textcoords="offset points",
                    color=COLORS["loss"],
                    fontweight="bold",
                    fontsize="small",
                    zorder=6,
                )
                breaches.append(
                    (
                        base,
                        f"{base} at {money(L, cur)}: {format_percent(ps)} > {format_percent(pmax)}",
                    )
                )
    if app is not None:
        ax.plot(app["loss"], app["max_probability"], color=COLORS["text"], lw=1.4, ls=":", zorder=2)
        ax.scatter(
            app["loss"],
            app["max_probability"],
            marker="s",
            s=46,
            color=COLORS["text"],
            zorder=5,
            label="Risk appetite (highest acceptable probability)",
        )
    if use_log:
        ax.set_xscale("log")
        ax.set_xlim(lo / 1.5, hi * 1.2)
    else:
        ax.set_xlim(0, hi * 1.02)
    ax.set_ylim(
        0,
        1.02
        * max(
            max(c[1].size and float(np.mean(c[1] > 0)) for c in curves),
            0.05,
            0 if app is None else float(app["max_probability"].max()),
        ),
    )
    ax.grid(True, axis="both")
    currency_axis(ax, cur, "x")
    percent_axis(ax, "y")
    ax.legend(loc="upper right")
    by_curve = {b: sum(1 for c, _ in breaches if c == b) for b, _ in breaches}
    n_points = 0 if app is None else len(app)
    verdict = (
        "Appetite breached by "
        + "; ".join(f"{b} (at {k} of {n_points} points)" for b, k in by_curve.items())
        if breaches
        else ("Within the risk appetite at every point" if app is not None else "No appetite given")
    )
    alt = (
        f"Loss exceedance chart: probability per year that the annual loss exceeds an amount "
        f"({cur or 'amount'}{', log scale' if use_log else ''}), curves: "
        + ", ".join(c[0] for c in curves)
        + (
            ". Appetite points: "
            + ", ".join(
                f"{money(L, cur)} at most {format_percent(p)}"
                for L, p in zip(app["loss"], app["max_probability"], strict=True)
            )
            if app is not None
            else ""
        )
        + f". {verdict}"
        + (": " + "; ".join(text for _, text in breaches) if breaches else "")
        + "."
    )
    return finish(
        fig,
        ax,
        title=title
        or (
            "Annual loss exceeds the risk appetite"
            if breaches
            else "Annual loss against the risk appetite"
        ),
        subtitle=verdict,
        xlabel=f"Annual loss ({cur or 'amount'}{', log scale' if use_log else ''})",
        ylabel="Probability per year of a larger loss (%)",
        alt=alt,
    )


def _risk_points(register: Any, mitigated: bool) -> pd.DataFrame:
    """Per risk: label, name, annual likelihood, mean impact if it occurs."""
    if type(register).__name__ == "RegisterResult":
        risks = register.risks
        cur = register.currency
    elif isinstance(register, pd.DataFrame):
        from ...risk import Risk

        risks, cur = Risk.from_table(register), None
    elif isinstance(register, (list, tuple)) and all(type(r).__name__ == "Risk" for r in register):
        risks, cur = tuple(register), None
    else:
        raise ParameterError(
            "`register` must be a RegisterResult, a register DataFrame "
            f"(cio_analytics.io.read_risk_register) or a list of Risk. Got {type(register).__name__}."
        )
    rows = []
    for i, r in enumerate(risks):  # a loop over named risks, not trials
        chance = float(r.chance(mitigated))
        likely = chance if r.basis == "probability" else 1.0 - math.exp(-chance)
        rows.append((r.id or f"{i + 1}", r.name, likely, float(r.impact_dist(mitigated).mean())))
    frame = pd.DataFrame(rows, columns=["label", "risk", "likelihood", "impact"])
    frame.attrs["currency"] = cur
    return frame


def _nice_edges(lo: float, hi: float, n: int) -> np.ndarray:
    """``n - 1`` interior band edges, geometric between lo and hi, rounded to 1-2-2.5-5."""
    if hi <= lo:
        hi = lo * 10 if lo > 0 else 1.0
    raw = np.geomspace(max(lo, 1e-9), hi, n + 1)[1:-1]
    out = []
    for v in raw:
        mag = 10 ** math.floor(math.log10(v))
        out.append(mag * min((1, 2, 2.5, 5, 10), key=lambda m: abs(math.log(v / (m * mag)))))
    return np.unique(np.asarray(out))


@chart
def risk_matrix(
    register: Any,
    *,
    mitigated: bool = False,
    impact_edges: Sequence[float] | None = None,
    likelihood_edges: Sequence[float] = LIKELIHOOD_EDGES,
    currency: str | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Likelihood x impact matrix of a register, risks labelled in their cells.

    Parameters
    ----------
    register : RegisterResult, DataFrame or list of Risk
        A DataFrame as read by :func:`cio_analytics.io.read_risk_register`.
    mitigated : bool, default False
        Place risks by their mitigated likelihood and impact.
    impact_edges : sequence of float, optional
        Interior impact band edges (4 for 5 bands); default round numbers spaced evenly on a
        log scale over the register's impacts.
    likelihood_edges : sequence of float
        Likelihood band edges including 0 and 1; default 5 %, 10 %, 25 %, 50 %.
    currency : str, optional
        ISO code; default the result's currency.

    Notes
    -----
    Likelihood is the annual probability of at least one occurrence: the probability, or
    ``1 - exp(-frequency)`` for risks given as a rate. Impact is the mean loss when the risk
    occurs (the impact distribution's mean). A cell's shade is ``likelihood band x impact band``
    (1 to 25). The key beside the grid names each risk.

    Examples
    --------
    >>> from cio_analytics.io import read_risk_register
    >>> fig = risk_matrix(read_risk_register("data/sample/risk_register.csv"), currency="EUR")
    >>> fig.axes[0].get_xlabel()
    'Impact if it occurs, mean (EUR)'
    """
    pts = _risk_points(register, mitigated)
    cur = currency or pts.attrs.get("currency")
    l_edges = np.asarray(likelihood_edges, float)
    if l_edges.ndim != 1 or l_edges.size < 2 or np.any(np.diff(l_edges) <= 0):
        raise ParameterError(f"`likelihood_edges` must be increasing, e.g. {LIKELIHOOD_EDGES}.")
    i_inner = (
        _nice_edges(float(pts["impact"].min()), float(pts["impact"].max()), 5)
        if impact_edges is None
        else np.asarray(impact_edges, float)
    )
    if np.any(np.diff(i_inner) <= 0):
        raise ParameterError(f"`impact_edges` must be increasing. Got {list(i_inner)}.")
    n_l, n_i = l_edges.size - 1, i_inner.size + 1
    li = np.clip(np.searchsorted(l_edges, pts["likelihood"], side="right") - 1, 0, n_l - 1)
    ii = np.searchsorted(i_inner, pts["impact"], side="right")
    score = np.outer(np.arange(n_l, 0, -1), np.arange(1, n_i + 1))  # rows: most likely on top
    fig, (ax, key) = new_figure(figsize or (11.0, 6.2), ncols=2, width_ratios=[3.2, 1.25])
    import seaborn as sns

    sns.heatmap(
        score,
        ax=ax,
        cmap=sequential_cmap("loss"),
        vmin=0,
        vmax=score.max() * 1.35,
        cbar=False,
        linewidths=2,
        linecolor="white",
        square=False,
    )
    cells: dict[tuple[int, int], list[str]] = {}
    for lab, a, b in zip(pts["label"], li, ii, strict=True):
        cells.setdefault((n_l - 1 - int(a), int(b)), []).append(str(lab))
    for (row, col), labels in cells.items():
        dark = score[row, col] > score.max() * 0.55
        ax.text(
            col + 0.5,
            row + 0.5,
            textwrap.fill(", ".join(labels), 12),
            ha="center",
            va="center",
            fontweight="bold",
            color="white" if dark else COLORS["text"],
        )
    bands = [money(v, cur) for v in i_inner]
    i_names = [f"< {bands[0]}"] + [f"{a}-{b.split(' ')[-1]}" for a, b in itertools.pairwise(bands)]
    i_names += [f"> {bands[-1]}"]
    l_names = [
        (f"{LIKELIHOOD_NAMES[k]}\n" if n_l == len(LIKELIHOOD_NAMES) else "")
        + f"{format_percent(l_edges[k], decimals=0)}-{format_percent(l_edges[k + 1], decimals=0)}"
        for k in range(n_l)
    ][::-1]
    ax.set_xticks(np.arange(n_i) + 0.5, [textwrap.fill(s, 11) for s in i_names], rotation=0)
    ax.set_yticks(np.arange(n_l) + 0.5, l_names, rotation=0)
    ax.tick_params(length=0)
    ax.grid(False)
    key.axis("off")
    lines = [
        f"{lab}  {textwrap.shorten(name, 30)}"
        for lab, name in zip(pts["label"], pts["risk"], strict=True)
    ]
    key.text(
        0.0,
        1.0,
        "\n".join(lines),
        va="top",
        ha="left",
        fontsize="small",
        linespacing=1.6,
        transform=key.transAxes,
    )
    high = pts[(score[n_l - 1 - li, ii] >= 12)]
    alt = (
        f"Risk matrix of {len(pts)} risks: likelihood per year ({n_l} bands, rows) by mean impact "
        f"if the risk occurs ({n_i} bands in {cur or 'currency'}, columns). "
        + "; ".join(
            f"{r.label} {r.risk}: {format_percent(r.likelihood)} a year, {money(r.impact, cur)}"
            for r in pts.itertuples(index=False)
        )
        + "."
    )
    return finish(
        fig,
        ax,
        title=title
        or f"Risk matrix{', after mitigation' if mitigated else ''}: "
        f"{len(high)} of {len(pts)} risks in the high zone",
        subtitle="Darker cells: higher likelihood x impact; labels are the risk IDs (key right)",
        xlabel=f"Impact if it occurs, mean ({cur or 'amount'})",
        ylabel="Likelihood per year (%)",
        alt=alt,
    )


@chart
def sobol_chart(
    result: Any,
    *,
    labels: Mapping[str, str] | None = None,
    n_inputs: int = 10,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Share of the output variance each input explains: first-order and total Sobol' indices.

    Parameters
    ----------
    result : SobolResult
        From :func:`~cio_analytics.risk.sobol_indices` (independent inputs).
    labels : dict, optional
        Display names of the inputs (glossary); unknown names are shown as given.
    n_inputs : int, default 10
        The inputs with the largest total index shown (the rest are named in a footnote).

    Notes
    -----
    Two bars per input, largest total index on top: the first-order index ``S1`` (the share
    of the variance the input explains on its own) and the total index ``ST`` (alone and
    through interactions), each with its bootstrap interval as a whisker. Negative estimates
    (sampling noise around 0) are drawn at 0. The interaction share in the subtitle is
    ``1 - sum S1`` (the variance no input explains alone).

    Examples
    --------
    >>> from cio_analytics.risk import Uniform, sobol_indices
    >>> res = sobol_indices(lambda x, y: x + 2 * y, {"x": Uniform(0, 1), "y": Uniform(0, 1)},
    ...                     256, rng=1, n_bootstrap=20)
    >>> fig = sobol_chart(res, labels={"y": "Licence cost"})
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Licence cost', 'x']
    """
    if type(result).__name__ != "SobolResult":
        raise ParameterError(
            "`result` must be a SobolResult (from sobol_indices). Got "
            f"{type(result).__name__}. For correlated inputs draw the rank-correlation tornado."
        )
    if isinstance(n_inputs, bool) or not isinstance(n_inputs, (int, np.integer)) or n_inputs < 1:
        raise ParameterError(f"`n_inputs` must be a positive integer. Got {n_inputs!r}.")
    names = dict(labels or {})
    t = result.indices.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)
    shown, rest = t.iloc[:n_inputs], t.iloc[n_inputs:]
    k = len(shown)
    fig, ax = new_figure(figsize or (10.0, max(3.4, 1.8 + 0.7 * k)))
    y = np.arange(k)
    h = 0.38
    for key, offset, colour, text in (
        ("S1", -h / 2, COLORS["primary"], "On its own (first-order index S1)"),
        ("ST", h / 2, COLORS["light"], "Including interactions (total index ST)"),
    ):
        val = np.clip(shown[key].to_numpy(float), 0.0, 1.0)
        lo = np.clip(shown[f"{key}_ci_low"].to_numpy(float), 0.0, 1.0)
        hi = np.clip(shown[f"{key}_ci_high"].to_numpy(float), 0.0, 1.0)
        ax.barh(y + offset, val, height=h, color=colour, label=text, zorder=2)
        err = np.vstack([np.maximum(val - lo, 0.0), np.maximum(hi - val, 0.0)])
        ax.errorbar(val, y + offset, xerr=err, fmt="none", ecolor=COLORS["text"], elinewidth=1.2,
                    capsize=3, zorder=3)  # fmt: skip
    ax.set_yticks(y, [names.get(str(n), str(n)) for n in shown["input"]])
    ax.invert_yaxis()
    ax.set_xlim(0, min(1.05, max(0.1, float(shown["ST_ci_high"].max()) * 1.12)))
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    percent_axis(ax, "x")
    ax.legend(loc="lower right")
    top = shown.iloc[0]
    top_name = names.get(str(top["input"]), str(top["input"]))
    interaction = 1.0 - float(np.clip(t["S1"], 0, None).sum())  # variance no input has alone
    subtitle = (
        f"Sobol' indices, {result.n:,} base rows ({result.n_model_runs:,} model runs), "
        f"{format_percent(result.confidence_level, decimals=0)} bootstrap intervals; interactions "
        f"account for about {format_percent(min(max(interaction, 0.0), 1.0))} of the variance"
    )
    note = None
    if len(rest):
        note = "Not shown (smaller total index): " + ", ".join(
            names.get(str(n), str(n)) for n in rest["input"]
        )
    alt = (
        "Bar chart of the share of the output variance explained by each input: "
        + "; ".join(
            f"{names.get(str(r.input), str(r.input))} {format_percent(max(r.S1, 0.0))} alone, "
            f"{format_percent(max(r.ST, 0.0))} in total"
            for r in shown.itertuples(index=False)
        )
        + "."
    )
    return finish(
        fig,
        ax,
        title=title
        or (
            f"{top_name} explains {format_percent(max(float(top['S1']), 0.0))} of the variance "
            f"on its own, {format_percent(max(float(top['ST']), 0.0))} with interactions"
        ),
        subtitle=subtitle,
        xlabel="Share of the output variance (%)",
        ylabel="",
        alt=alt,
        note=note,
    )
