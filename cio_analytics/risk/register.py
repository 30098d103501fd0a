"""Risk registers: annual loss distribution, shares of expected loss and tail, mitigation ROI.

Each risk is an event with either a **probability** (the chance it happens in the year, at most
once) or an annual **frequency** (expected occurrences per year, Poisson; a frequency above 1 is
a valid rate, not a probability), and an impact distribution per occurrence. A mitigation
lowers the probability/frequency and/or the impact at an annual cost.

Pairing (common random numbers): every risk draws from its own streams keyed by its *name*,
by inversion, so the mitigated and unmitigated runs of a risk use the same random numbers and
adding or editing another risk never changes this one's draws. For a fixed uniform ``u`` the
risk occurs when ``u < p``; a lower mitigated probability therefore never adds an occurrence,
and the impact is ``F^-1(v)`` with the same ``v`` before and after.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from .._deprecation import deprecated_alias, deprecated_field, renamed_kwargs
from .._numeric import poisson_ppf
from .._validation import check_int, check_probability, resolve_seed, short_repr
from ..exceptions import ParameterError
from ._appetite import appetite_breaches, check_appetite, loss_exceedance
from ._base import Distribution
from ._compound import compound_sum, event_slots, make_distribution, stream
from ._occurrence import exceedance_probability, max_by_year, occurrence_curve
from .correlation import prepare_correlation

__all__ = ["RegisterResult", "Risk", "risks_from_table", "simulate_register"]


@dataclass(frozen=True)
class Risk:
    """One line of a risk register.

    Parameters
    ----------
    name : str
        Unique label; also the key of the risk's random streams.
    impact : Distribution
        Loss per occurrence, in currency (e.g. ``PERT(50_000, 120_000, 400_000)``).
    probability : float, optional
        Chance the event happens in a year, in [0, 1] (at most one occurrence).
    frequency : float, optional
        Expected occurrences per year (>= 0, may exceed 1): Poisson, each with its own impact.
    mitigation_cost : float, default 0
        Annual cost of the mitigation, in currency.
    mitigated_probability, mitigated_frequency : float, optional
        After mitigation (default: unchanged). Use the same basis as the risk.
    mitigated_impact : Distribution, optional
        Impact after mitigation (default: unchanged).
    mitigation : str
        What the mitigation is.
    id : str
        The register's identifier (defaults to the name).
    """

    name: str
    impact: Distribution
    probability: float | None = None
    frequency: float | None = None
    mitigation_cost: float = 0.0
    mitigated_probability: float | None = None
    mitigated_frequency: float | None = None
    mitigated_impact: Distribution | None = None
    mitigation: str = ""
    id: str = ""

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> tuple[Risk, ...]:
        """The register from a validated table (:func:`cio_analytics.io.read_risk_register`).

        Examples
        --------
        >>> from cio_analytics.io import read_risk_register
        >>> risks = Risk.from_table(read_risk_register("data/sample/risk_register.csv"))
        >>> risks[0].name, risks[0].basis
        ('Data centre outage', 'probability')
        """
        return _risks_from_table(table)

    def __post_init__(self) -> None:
        who = f"risk {self.name!r}"
        if not isinstance(self.name, str) or not self.name.strip():
            raise ParameterError(f"A risk needs a non-empty `name`. Got {short_repr(self.name)}.")
        for key in ("impact", "mitigated_impact"):
            dist = getattr(self, key)
            if dist is None and key == "mitigated_impact":
                continue
            if not isinstance(dist, Distribution):
                raise ParameterError(
                    f"{who}: `{key}` must be a distribution such as PERT(low, most_likely, "
                    f"high). Got {short_repr(dist)}."
                )
            if dist.support()[0] < 0:
                raise ParameterError(
                    f"{who}: `{key}` is a loss and cannot be negative (lowest value "
                    f"{dist.support()[0]:g}). Enter losses as positive amounts."
                )
        if (self.probability is None) == (self.frequency is None):
            raise ParameterError(
                f"{who}: give exactly one of `probability` (chance per year, at most once) and "
                f"`frequency` (occurrences per year). Got probability={self.probability!r}, "
                f"frequency={self.frequency!r}."
            )
        if self.probability is not None:
            self._set("probability", check_probability(self.probability, f"{who}: probability"))
            if self.mitigated_frequency is not None:
                raise ParameterError(
                    f"{who}: is given as a probability, so the mitigation must be a "
                    "`mitigated_probability`, not a `mitigated_frequency`."
                )
            if self.mitigated_probability is not None:
                p = check_probability(self.mitigated_probability, f"{who}: mitigated_probability")
                self._set("mitigated_probability", p)
        else:
            self._set("frequency", _rate(self.frequency, f"{who}: frequency"))
            if self.mitigated_probability is not None:
                raise ParameterError(
                    f"{who}: is given as a frequency, so the mitigation must be a "
                    "`mitigated_frequency`, not a `mitigated_probability`."
                )
            if self.mitigated_frequency is not None:
                f = _rate(self.mitigated_frequency, f"{who}: mitigated_frequency")
                self._set("mitigated_frequency", f)
        cost = float(self.mitigation_cost)
        if not math.isfinite(cost) or cost < 0:
            raise ParameterError(f"{who}: `mitigation_cost` must be 0 or more. Got {cost:g}.")
        self._set("mitigation_cost", cost)
        self._set("id", str(self.id) if self.id else self.name)

    def _set(self, key: str, value: Any) -> None:
        object.__setattr__(self, key, value)

    @property
    def basis(self) -> str:
        """ "probability" or "frequency"."""
        return "probability" if self.probability is not None else "frequency"

    @property
    def has_mitigation(self) -> bool:
        """True if a mitigation (a cost or a changed probability, frequency or impact) is set."""
        return self.mitigation_cost > 0 or any(
            getattr(self, k) is not None
            for k in ("mitigated_probability", "mitigated_frequency", "mitigated_impact")
        )

    def chance(self, mitigated: bool = False) -> float:
        """Probability or frequency, before or after mitigation."""
        if self.basis == "probability":
            p = self.mitigated_probability if mitigated else None
            return self.probability if p is None else p
        f = self.mitigated_frequency if mitigated else None
        return self.frequency if f is None else f

    def impact_dist(self, mitigated: bool = False) -> Distribution:
        """Impact distribution before or after mitigation."""
        return self.mitigated_impact if mitigated and self.mitigated_impact else self.impact

    def expected_loss(self, mitigated: bool = False) -> float:
        """Exact expected annual loss: ``p E[I]`` or ``frequency E[I]``."""
        return self.chance(mitigated) * self.impact_dist(mitigated).mean()


def _rate(value: Any, name: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"`{name}` must be a number. Got {short_repr(value)}.") from None
    if not math.isfinite(out) or out < 0:
        raise ParameterError(
            f"`{name}` must be 0 or more occurrences per year. Got {out:g}. (Frequencies above "
            "1 are valid: 3 means three times a year on average.)"
        )
    return out


@dataclass(frozen=True)
class RegisterResult:
    """Annual loss of a risk register before and after mitigation (:func:`simulate_register`).

    Attributes
    ----------
    risks : tuple of Risk
        The register as simulated.
    n_trials, seed : int
        Simulated years; the seed that replays them.
    currency : str
    percentile : float
        The percentile reported as ``loss_at_percentile`` (0.9: the P90).
    tail_share : float
        Share of worst years in the expected shortfall and the tail contributions (0.05:
        the worst 5 %, beyond the VaR at the 95th percentile).
    losses_before, losses_after : DataFrame
        Per simulated year (rows) and risk (columns): the annual loss without and with every
        mitigation. ``.sum(axis=1)`` is the register's annual loss.
    expected_loss, loss_at_percentile, expected_shortfall : float
        Mean, ``percentile`` quantile and expected shortfall (mean of the worst ``tail_share``
        of years) of the total before.
    expected_loss_after, loss_at_percentile_after, expected_shortfall_after : float
        The same with every mitigation in place.
    total_mitigation_cost : float
    by_risk : DataFrame
        Per risk: ``id``, ``risk``, ``basis``, ``chance``, ``expected_loss_exact``,
        ``expected_loss``, ``share_of_expected``, ``tail_contribution`` (its mean loss in the
        worst ``tail_share`` of years), ``share_of_tail``, ``probability_of_loss``.
    mitigations : DataFrame
        Per mitigated risk (applied alone, paired run): ``id``, ``risk``, ``mitigation_cost``,
        ``expected_loss_before``, ``expected_loss_after``, ``reduction``, ``net_benefit``,
        ``roi`` (``net_benefit / cost``), ``total_loss_at_percentile_after``.
    appetite : DataFrame or None
        Appetite points with the simulated exceedance before/after and ``breached``.
    correlation_used : DataFrame or None
        The Spearman matrix imposed on occurrences (repaired if it was not valid).
    correlation_normal : DataFrame or None
        The normal-score (Gaussian copula) correlation actually imposed, ``2 sin(pi used / 6)``
        (after a second repair in normal-score space when that form was indefinite).
    largest_loss_before, largest_loss_after : ndarray, shape (n_trials,)
        The largest single loss of each simulated year (any risk, any occurrence; 0 in a year
        without loss), without and with every mitigation: the basis of
        :meth:`occurrence_exceedance`.
    """

    risks: tuple[Risk, ...]
    n_trials: int
    seed: int
    currency: str
    percentile: float
    tail_share: float
    losses_before: pd.DataFrame = field(repr=False)
    losses_after: pd.DataFrame = field(repr=False)
    expected_loss: float
    loss_at_percentile: float
    expected_shortfall: float
    expected_loss_after: float
    loss_at_percentile_after: float
    expected_shortfall_after: float
    total_mitigation_cost: float
    by_risk: pd.DataFrame = field(repr=False)
    mitigations: pd.DataFrame = field(repr=False)
    appetite: pd.DataFrame | None = field(repr=False, default=None)
    correlation_used: pd.DataFrame | None = field(repr=False, default=None)
    correlation_repaired: bool = False
    largest_loss_before: np.ndarray | None = field(repr=False, default=None)
    largest_loss_after: np.ndarray | None = field(repr=False, default=None)
    correlation_normal: pd.DataFrame | None = field(repr=False, default=None)

    level = deprecated_field("percentile", "level")
    tail_level = deprecated_field("tail_share", "tail_level", lambda share: 1.0 - share)
    p_level = deprecated_field("loss_at_percentile", "p_level")
    p_level_after = deprecated_field("loss_at_percentile_after", "p_level_after")

    @property
    def total_before(self) -> np.ndarray:
        """The register's annual loss per simulated year, without mitigation."""
        return self.losses_before.to_numpy().sum(axis=1)

    @property
    def total_after(self) -> np.ndarray:
        """The register's annual loss per simulated year, with every mitigation."""
        return self.losses_after.to_numpy().sum(axis=1)

    def exceedance(self, n_points: int = 201) -> pd.DataFrame:
        """Loss exceedance curves: ``loss``, ``probability_exceeding`` before and after."""
        before = loss_exceedance(np.sort(self.total_before), n_points).assign(case="before")
        after = loss_exceedance(np.sort(self.total_after), n_points).assign(case="after")
        return pd.concat([before, after], ignore_index=True)

    def _largest(self, mitigated: bool) -> np.ndarray:
        raw = self.largest_loss_after if mitigated else self.largest_loss_before
        if raw is None:
            raise ParameterError(
                "This result has no per-year largest single loss; rerun simulate_register."
            )
        return np.sort(raw)

    def occurrence_exceedance(self, threshold: Any, *, mitigated: bool = False) -> Any:
        """Probability that the largest single loss of a year exceeds ``threshold`` (OEP).

        Parameters
        ----------
        threshold : float or array_like
            Loss in the result's currency.
        mitigated : bool, default False
            With every mitigation in place.

        Notes
        -----
        ``OEP(x) = P(max_{events e in a year} loss_e > x)``, the share of simulated years whose
        largest single loss (over all risks and occurrences) is above ``x``. It never exceeds
        the aggregate exceedance ``P(annual loss > x)``.

        Examples
        --------
        >>> from cio_analytics.risk import PERT
        >>> res = simulate_register([Risk("Outage", PERT(1e5, 2e5, 6e5), probability=0.2),
        ...                          Risk("Phishing", PERT(1e3, 5e3, 2e4), frequency=4.0)],
        ...                         20_000, rng=3)
        >>> print(f"{res.occurrence_exceedance(50_000):.2f}")  # only the outage can: P = 0.2
        0.20
        """
        return exceedance_probability(self._largest(mitigated), threshold)

    def occurrence_exceedance_curve(self, n_points: int = 201) -> pd.DataFrame:
        """OEP curves: ``loss``, ``probability_exceeding``, ``case`` (before / after)."""
        before = occurrence_curve(self._largest(False), n_points).assign(case="before")
        after = occurrence_curve(self._largest(True), n_points).assign(case="after")
        return pd.concat([before, after], ignore_index=True)

    def summary(self) -> pd.DataFrame:
        """Tidy headline table: ``metric``, ``value``, ``unit``."""
        c, q, t = self.currency, f"p{self.percentile * 100:g}", f"{1.0 - self.tail_share:g}"
        rows = [
            ("expected_loss", self.expected_loss, c),
            (q, self.loss_at_percentile, c),
            (f"expected_shortfall_{t}", self.expected_shortfall, c),
            ("expected_loss_after", self.expected_loss_after, c),
            (f"{q}_after", self.loss_at_percentile_after, c),
            (f"expected_shortfall_{t}_after", self.expected_shortfall_after, c),
            ("total_mitigation_cost", self.total_mitigation_cost, c),
            ("n_risks", float(len(self.risks)), "count"),
            ("n_trials", float(self.n_trials), "years"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _risk_losses(
    risk: Risk, seed: int, n: int, u_occ: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Annual loss of one risk per year before and after its mitigation (paired), and the
    largest single loss of each year before and after."""
    before_imp, after_imp = risk.impact_dist(False), risk.impact_dist(True)
    v_stream = stream(seed, "register", risk.name, "impact")
    if risk.basis == "probability":
        v = v_stream.random(n)
        out = []
        for p, imp in ((risk.chance(False), before_imp), (risk.chance(True), after_imp)):
            occurs = np.flatnonzero(u_occ < p)
            loss = np.zeros(n)
            loss[occurs] = imp._ppf(v[occurs])
            out.append(loss)
        return out[0], out[1], out[0], out[1]  # at most one occurrence: the loss is the largest
    n_before = poisson_ppf(u_occ, risk.chance(False))
    n_after = poisson_ppf(u_occ, risk.chance(True))
    layout = np.maximum(n_before, n_after)
    year, pos = event_slots(layout)
    v = v_stream.random(year.size)
    before = compound_sum(n_before, before_imp, v, year, pos)
    after = compound_sum(n_after, after_imp, v, year, pos)
    largest = []
    for counts, imp in ((n_before, before_imp), (n_after, after_imp)):
        used = pos < counts[year]
        # the impact quantile is increasing, so the largest loss is ppf(largest uniform)
        u_max = max_by_year(v[used], year[used], n)
        top = np.zeros(n)
        hit = np.flatnonzero(counts > 0)
        top[hit] = imp._ppf(u_max[hit])
        largest.append(top)
    return before, after, largest[0], largest[1]


def _occurrence_uniforms(
    risks: Sequence[Risk], seed: int, n: int, correlation: Any
) -> tuple[dict[str, np.ndarray], Any]:
    u = {r.name: stream(seed, "register", r.name, "occurrence").random(n) for r in risks}
    if correlation is None:
        return u, None
    spec = prepare_correlation(correlation, [r.name for r in risks])
    z = np.column_stack([special.ndtri(np.clip(u[name], 1e-300, None)) for name in spec.names])
    try:
        chol = np.linalg.cholesky(spec.normal)
    except np.linalg.LinAlgError:
        w, vec = np.linalg.eigh(spec.normal)
        chol = vec * np.sqrt(np.maximum(w, 0.0))
    zc = z @ chol.T
    for j, name in enumerate(spec.names):
        u[name] = special.ndtr(zc[:, j])
    return u, spec


@renamed_kwargs(level="percentile", tail_level=("tail_share", lambda level: 1.0 - level))
def simulate_register(
    risks: Sequence[Risk],
    n_trials: int = 100_000,
    *,
    correlation: Any = None,
    percentile: float = 0.9,
    tail_share: float = 0.05,
    appetite: Any = None,
    currency: str = "EUR",
    rng: int | np.random.Generator | None = None,
) -> RegisterResult:
    """Simulate a risk register's annual loss before and after mitigation.

    Parameters
    ----------
    risks : sequence of Risk
        The register (names unique). See :meth:`Risk.from_table` for a table from a file.
    n_trials : int, default 100,000
        Simulated years. Memory: ``2 x n_trials x n_risks`` floats.
    correlation : DataFrame, optional
        Spearman rank correlation between the risks' occurrences, labelled with risk names
        (unlisted risks independent). Imposed with a Gaussian copula on the occurrence
        uniforms (normal-scores correlation ``2 sin(pi rho / 6)``); a matrix that is not
        positive semi-definite is repaired (Higham) and the result says so.
    percentile : float, default 0.9
        The percentile reported (0.9: the P90). Formerly ``level`` (deprecated alias).
    tail_share : float, default 0.05
        Share of worst years behind the expected shortfall and each risk's tail contribution
        (0.05: the worst 5 %, beyond the VaR at the 95th percentile). Formerly
        ``tail_level=0.95`` (deprecated alias, converted as ``1 - tail_level``).
    appetite : DataFrame or dict, optional
        ``loss -> max_probability`` points; the result reports any breach.
    currency : str, default "EUR"
    rng : None, int or Generator
        Seed; recorded on the result.

    Returns
    -------
    RegisterResult

    Notes
    -----
    Risk ``i``'s annual loss is ``B_i I_i`` (probability basis, ``B_i ~ Bernoulli(p_i)``) or
    ``sum_{k <= N_i} I_ik`` (frequency basis, ``N_i ~ Poisson(lambda_i)``), so the expected
    loss is ``sum_i p_i E[I_i]`` (or ``lambda_i E[I_i]``). Tail contribution: with ``T`` the
    worst ``tail_share`` of years by total loss, ``C_i = mean_{t in T} L_it``; the
    ``C_i`` add up to the expected shortfall (Euler allocation; Tasche 1999). A mitigation's
    return is ``(E[L_i] - E[L_i'] - cost_i) / cost_i`` with the paired mitigated run ``L_i'``.

    References
    ----------
    Tasche, D. (1999). Risk contributions and performance measurement. TU Munich.
    Vose, D. (2008). *Risk Analysis*, 3rd ed., ch. 22 (risk registers).

    Examples
    --------
    >>> from cio_analytics.risk import PERT
    >>> register = [
    ...     Risk("Data centre outage", PERT(100_000, 250_000, 900_000), probability=0.1,
    ...          mitigation_cost=10_000, mitigated_probability=0.04),
    ...     Risk("Phishing", PERT(5_000, 20_000, 80_000), frequency=3.0),
    ... ]
    >>> res = simulate_register(register, 200_000, rng=7)
    >>> exact = sum(r.expected_loss() for r in register)
    >>> print(f"{exact:,.0f} {res.expected_loss / exact:.2f}")
    115,833 1.00
    """
    risks = tuple(risks)
    if not risks or not all(isinstance(r, Risk) for r in risks):
        raise ParameterError(
            f"`risks` must be a non-empty list of Risk. Got {short_repr(risks)}. Build it from "
            "a register file with Risk.from_table(read_risk_register(path))."
        )
    names = [r.name for r in risks]
    dupes = sorted({x for x in names if names.count(x) > 1})
    if dupes:
        raise ParameterError(f"risk names must be unique. Got {dupes[0]!r} more than once.")
    n = check_int(n_trials, "n_trials", minimum=1)
    percentile = check_probability(percentile, "percentile")
    tail_share = check_probability(tail_share, "tail_share")
    if not 0 < tail_share < 1:
        raise ParameterError(
            f"`tail_share` must be in (0, 1): the share of worst years (0.05 for the worst 5 %). "
            f"Got {tail_share:g}."
        )
    points = None if appetite is None else check_appetite(appetite)
    seed, _ = resolve_seed(rng)
    u_occ, spec = _occurrence_uniforms(risks, seed, n, correlation)
    before = np.empty((n, len(risks)))
    after = np.empty((n, len(risks)))
    largest_b, largest_a = np.zeros(n), np.zeros(n)
    for j, risk in enumerate(risks):  # a loop over risks, not trials
        before[:, j], after[:, j], top_b, top_a = _risk_losses(risk, seed, n, u_occ[risk.name])
        np.maximum(largest_b, top_b, out=largest_b)
        np.maximum(largest_a, top_a, out=largest_a)
    total_b, total_a = before.sum(axis=1), after.sum(axis=1)
    sorted_b, sorted_a = np.sort(total_b), np.sort(total_a)
    k = min(math.floor((1.0 - tail_share) * n), n - 1)
    tail = np.argsort(total_b, kind="stable")[k:]
    mean_i = before.mean(axis=0)
    tail_i = before[tail].mean(axis=0)
    by_risk = pd.DataFrame({
        "id": [r.id for r in risks],
        "risk": names,
        "basis": [r.basis for r in risks],
        "chance": [r.chance() for r in risks],
        "expected_loss_exact": [r.expected_loss() for r in risks],
        "expected_loss": mean_i,
        "share_of_expected": mean_i / mean_i.sum() if mean_i.sum() > 0 else np.nan,
        "tail_contribution": tail_i,
        "share_of_tail": tail_i / tail_i.sum() if tail_i.sum() > 0 else np.nan,
        "probability_of_loss": (before > 0).mean(axis=0),
    })  # fmt: skip
    rows = []
    for j, risk in enumerate(risks):
        if not risk.has_mitigation:
            continue
        red = mean_i[j] - after[:, j].mean()
        cost = risk.mitigation_cost
        alone = total_b - before[:, j] + after[:, j]
        rows.append((risk.id, risk.name, cost, mean_i[j], after[:, j].mean(), red, red - cost,
                     (red - cost) / cost if cost > 0 else np.nan,
                     float(np.quantile(alone, percentile))))  # fmt: skip
    mitigations = pd.DataFrame(rows, columns=[
        "id", "risk", "mitigation_cost", "expected_loss_before", "expected_loss_after",
        "reduction", "net_benefit", "roi", "total_loss_at_percentile_after"])  # fmt: skip
    table = None
    if points is not None:
        table = appetite_breaches(sorted_b, points)
        table.insert(3, "probability_exceeding_after", appetite_breaches(sorted_a, points)[
            "probability_exceeding"])  # fmt: skip
    return RegisterResult(
        risks=risks,
        n_trials=n,
        seed=seed,
        currency=currency,
        percentile=percentile,
        tail_share=tail_share,
        losses_before=pd.DataFrame(before, columns=names),
        losses_after=pd.DataFrame(after, columns=names),
        expected_loss=float(total_b.mean()),
        loss_at_percentile=float(np.quantile(sorted_b, percentile)),
        expected_shortfall=float(sorted_b[k:].mean()),
        expected_loss_after=float(total_a.mean()),
        loss_at_percentile_after=float(np.quantile(sorted_a, percentile)),
        expected_shortfall_after=float(sorted_a[k:].mean()),
        total_mitigation_cost=float(sum(r.mitigation_cost for r in risks)),
        by_risk=by_risk,
        mitigations=mitigations,
        appetite=table,
        correlation_used=None if spec is None else spec.used,
        correlation_repaired=False if spec is None else spec.repaired,
        largest_loss_before=largest_b,
        largest_loss_after=largest_a,
        correlation_normal=None
        if spec is None
        else pd.DataFrame(spec.normal, index=list(spec.names), columns=list(spec.names)),
    )


def _risks_from_table(table: pd.DataFrame) -> tuple[Risk, ...]:
    out = []
    for row in table.itertuples(index=False):
        impact = _impact(row.distribution, row.impact_low, row.impact_most_likely, row.impact_high)
        mitigated = None
        if not np.isnan(row.mitigated_impact_low):
            mitigated = _impact(row.distribution, row.mitigated_impact_low,
                                row.mitigated_impact_most_likely, row.mitigated_impact_high)  # fmt: skip
        out.append(
            Risk(
                name=row.name,
                impact=impact,
                probability=None if np.isnan(row.probability) else row.probability,
                frequency=None if np.isnan(row.frequency) else row.frequency,
                mitigation_cost=row.mitigation_cost,
                mitigated_probability=_opt(row.mitigated_probability),
                mitigated_frequency=_opt(row.mitigated_frequency),
                mitigated_impact=mitigated,
                mitigation=row.mitigation,
                id=row.id,
            )
        )
    return tuple(out)


risks_from_table = deprecated_alias(Risk.from_table, "risks_from_table", "Risk.from_table")


def _opt(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def _impact(kind: str, low: float, mode: float, high: float) -> Distribution:
    return make_distribution({"distribution": kind, "low": low, "most_likely": mode, "high": high})
