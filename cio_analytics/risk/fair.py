"""FAIR cyber risk: threat events -> loss events -> annualised loss exposure (ALE).

The Open FAIR taxonomy: loss event frequency (LEF) is threat event frequency (TEF) times
vulnerability, where vulnerability is the chance that a threat event's capability (TCap)
exceeds the control strength (CS); each loss event costs a primary loss and, with the secondary
loss event frequency (SLEF, a probability per loss event), a secondary loss.

Two forms, chosen explicitly with ``method``:

``"compound"`` (default, per-event)
    Each year draws its TEF, CS and SLEF once; threat events arrive as Poisson(TEF); each
    threat event has its own capability and becomes a loss event when it exceeds the year's
    control strength, i.e. with probability ``1 - F_TCap(CS_t)``, so loss events are
    Poisson(TEF (1 - F_TCap(CS_t))) (exact Poisson thinning; with ``vulnerability`` given,
    Poisson(TEF x vulnerability)). Each loss event has its own primary loss and, with
    probability SLEF, its own secondary loss. ``ALE = sum over the year's loss events``.
``"product"`` (single draw, as pyfair and the FAIR worksheets)
    One draw of each input per year: ``ALE = LEF x (PL + SLEF x SL)`` with
    ``LEF = TEF x 1[TCap > CS]`` (capability and strength compared in each trial, not averaged
    into one scalar), or ``TEF x vulnerability``.

Both forms have the same expected ALE; the compound form gives the honest spread of a year
with 0, 1, 2, ... incidents, each with its own cost. Frequencies are rates per year and may
exceed 1; probabilities (vulnerability, SLEF) must lie in [0, 1].

References
----------
The Open Group (2013). *Risk Taxonomy (O-RT), Version 2.0*, Open FAIR standard C13K.
Freund, J. & Jones, J. (2015). *Measuring and Managing Information Risk: A FAIR Approach*.
Sonnenreich, W., Albanese, J. & Stout, B. (2006). Return On Security Investment (ROSI).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import deprecated_alias, deprecated_field, renamed_kwargs
from .._numeric import poisson_ppf
from .._validation import check_choice, check_int, check_probability, resolve_seed, short_repr
from ..exceptions import ParameterError
from ._appetite import appetite_breaches, check_appetite, loss_exceedance
from ._base import Distribution
from ._compound import event_slots, make_distribution, stream
from ._occurrence import exceedance_probability, max_by_year, occurrence_curve

__all__ = ["FairControl", "FairResult", "FairScenario", "fair_from_spec", "simulate_fair"]

METHODS = ("compound", "product")
_FREQUENCIES = ("threat_event_frequency", "loss_event_frequency")
_PROBABILITIES = ("vulnerability", "secondary_loss_probability")
_LOSSES = ("primary_loss", "secondary_loss")
_SCALES = ("threat_capability", "control_strength")
INPUTS = _FREQUENCIES + _PROBABILITIES + _LOSSES + _SCALES


def _check_input(value: Any, name: str, owner: str) -> Distribution | float | None:
    if value is None:
        return None
    if isinstance(value, Distribution):
        low, high = value.support()
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        low = high = float(value)
        if not math.isfinite(low):
            raise ParameterError(f"{owner}: `{name}` must be finite. Got {value}.")
        value = float(value)
    else:
        raise ParameterError(
            f"{owner}: `{name}` must be a distribution (e.g. PERT(1, 4, 12)) or a number. "
            f"Got {short_repr(value)}."
        )
    if name in _PROBABILITIES and (low < 0 or high > 1):
        hint = " Probabilities are decimals: use 0.3 for 30 %." if high > 1 else ""
        raise ParameterError(
            f"{owner}: `{name}` is a probability per event and must lie in [0, 1]. Got "
            f"{short_repr(value)} (range {low:g} to {high:g}).{hint}"
        )
    if name not in _PROBABILITIES and low < 0:
        kind = "a rate per year" if name in _FREQUENCIES else "a loss or a score"
        raise ParameterError(
            f"{owner}: `{name}` is {kind} and cannot be negative. Got {short_repr(value)} "
            f"(lowest value {low:g}). Use a distribution bounded at 0 such as PERT or LogNormal."
        )
    return value


@dataclass(frozen=True)
class FairScenario:
    """One FAIR loss scenario (an asset, a threat community, an effect).

    Parameters
    ----------
    name : str
        Label ("Ransomware on the ERP").
    primary_loss : Distribution or float
        Primary loss magnitude per loss event, in currency.
    threat_event_frequency : Distribution or float, optional
        Threat events per year (a rate; values above 1 are fine).
    threat_capability, control_strength : Distribution, optional
        Capability of the threat community and strength of the controls on one scale (e.g.
        percentiles 0-100). A threat event becomes a loss event when capability > strength.
    vulnerability : Distribution or float, optional
        Probability that a threat event becomes a loss event, instead of TCap and CS.
    loss_event_frequency : Distribution or float, optional
        Loss events per year, instead of TEF and vulnerability.
    secondary_loss_probability : Distribution or float, default 0
        SLEF: probability that a loss event also causes secondary losses (fines, lawsuits).
    secondary_loss : Distribution or float, optional
        Secondary loss magnitude per secondary loss event, in currency.
    description : str
        Free text.

    Notes
    -----
    Give exactly one frequency route: ``loss_event_frequency``; or ``threat_event_frequency``
    with ``vulnerability``; or ``threat_event_frequency`` with ``threat_capability`` and
    ``control_strength``.
    """

    name: str
    primary_loss: Distribution | float
    threat_event_frequency: Distribution | float | None = None
    threat_capability: Distribution | None = None
    control_strength: Distribution | None = None
    vulnerability: Distribution | float | None = None
    loss_event_frequency: Distribution | float | None = None
    secondary_loss_probability: Distribution | float = 0.0
    secondary_loss: Distribution | float | None = None
    description: str = ""

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> list[tuple[FairScenario, list[FairControl]]]:
        """Scenarios and their controls from :func:`cio_analytics.io.read_fair_scenarios`.

        Examples
        --------
        >>> from cio_analytics.io import read_fair_scenarios
        >>> pairs = FairScenario.from_spec(read_fair_scenarios("data/sample/fair_scenarios.yaml"))
        >>> pairs[0][0].route, pairs[0][1][0].name
        ('capability', 'EDR and immutable backups')
        """
        return _fair_from_spec(spec)

    def __post_init__(self) -> None:
        owner = f"FAIR scenario {self.name!r}"
        for name in INPUTS:
            object.__setattr__(self, name, _check_input(getattr(self, name), name, owner))
        if self.primary_loss is None:
            raise ParameterError(f"{owner}: `primary_loss` is required.")
        has = {n: getattr(self, n) is not None for n in INPUTS}
        routes = [
            has["loss_event_frequency"],
            has["threat_event_frequency"] and has["vulnerability"],
            has["threat_event_frequency"] and has["threat_capability"] and has["control_strength"],
        ]
        extra = has["loss_event_frequency"] and (
            has["threat_event_frequency"] or has["vulnerability"] or has["control_strength"]
        )
        both = has["vulnerability"] and (has["threat_capability"] or has["control_strength"])
        if sum(routes) != 1 or extra or both:
            raise ParameterError(
                f"{owner}: give exactly one frequency route: `loss_event_frequency`; or "
                "`threat_event_frequency` with `vulnerability`; or `threat_event_frequency` "
                "with `threat_capability` and `control_strength`. Got "
                f"{[n for n in INPUTS if has[n] and n not in _LOSSES]}."
            )
        if self.secondary_loss is None and self.secondary_loss_probability != 0.0:
            raise ParameterError(
                f"{owner}: `secondary_loss_probability` is set but `secondary_loss` is missing. "
                "Add the secondary loss magnitude or set the probability to 0."
            )

    @property
    def route(self) -> str:
        """ "lef", "vulnerability" or "capability" (how loss events arise)."""
        if self.loss_event_frequency is not None:
            return "lef"
        return "vulnerability" if self.vulnerability is not None else "capability"

    def expected_ale(self) -> float:
        """Exact expected ALE (both methods): ``E[LEF] (E[PL] + E[SLEF] E[SL])``.

        With capability and strength, ``P(TCap > CS)`` is integrated numerically.
        """
        if self.route == "lef":
            lef = _mean(self.loss_event_frequency)
        elif self.route == "vulnerability":
            lef = _mean(self.threat_event_frequency) * _mean(self.vulnerability)
        else:
            u = (np.arange(20_000) + 0.5) / 20_000
            cs = _draw(self.control_strength, u)
            vuln = float(np.mean(_beats(self.threat_capability, cs)))
            lef = _mean(self.threat_event_frequency) * vuln
        sec = 0.0
        if self.secondary_loss is not None:
            sec = _mean(self.secondary_loss_probability) * _mean(self.secondary_loss)
        return lef * (_mean(self.primary_loss) + sec)


def _beats(tcap: Distribution | float, cs: Any) -> np.ndarray:
    """P(TCap > cs) for each control strength ``cs`` (a capability constant gives 0 or 1)."""
    cs = np.asarray(cs, dtype=float)
    if isinstance(tcap, Distribution):
        return 1.0 - tcap._cdf(cs)
    return (tcap > cs).astype(float)


def _mean(x: Distribution | float) -> float:
    return x.mean() if isinstance(x, Distribution) else float(x)


@dataclass(frozen=True)
class FairControl:
    """A security control: its annual cost and the scenario inputs it changes.

    Parameters
    ----------
    name : str
        Label ("EDR on all servers").
    annual_cost : float
        Cost per year (licences, staff, amortised build), in currency.
    changes : dict
        Scenario fields the control replaces, e.g. ``{"control_strength": PERT(60, 75, 90)}``.
    """

    name: str
    annual_cost: float
    changes: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cost = float(self.annual_cost)
        if not math.isfinite(cost) or cost < 0:
            raise ParameterError(
                f"FAIR control {self.name!r}: `annual_cost` must be 0 or more. Got {cost:g}."
            )
        object.__setattr__(self, "annual_cost", cost)
        for key in self.changes:
            if key not in INPUTS:
                raise ParameterError(
                    f"FAIR control {self.name!r}: cannot change {key!r}. Changeable inputs: "
                    f"{', '.join(INPUTS)}.{_hint(key)}"
                )
        object.__setattr__(self, "changes", dict(self.changes))

    def apply(self, scenario: FairScenario) -> FairScenario:
        """The scenario with this control in place."""
        return dataclasses.replace(scenario, **self.changes)


def _hint(key: str) -> str:
    from .._validation import did_you_mean

    return did_you_mean(key, INPUTS)


@dataclass(frozen=True)
class FairResult:
    """Annualised loss exposure of a FAIR scenario, with and without controls.

    Attributes
    ----------
    scenario : FairScenario
        The scenario as simulated (inputs echoed).
    method : {"compound", "product"}
    n_trials, seed : int
        Simulated years and the seed to replay them.
    currency : str
    ale : ndarray, shape (n_trials,)
        Annual loss of each simulated year without the controls.
    trials : DataFrame
        Per year: ``loss_events`` (compound: the count; product: LEF), ``ale``, and one
        ``ale_with_<control>`` column per control.
    expected_ale, ale_p50, ale_p90, value_at_risk, expected_shortfall : float
        Mean, median, P90, VaR at ``percentile`` and expected shortfall beyond it, of the ALE.
    expected_ale_exact : float
        The closed-form mean (:meth:`FairScenario.expected_ale`) for comparison.
    exceedance : DataFrame
        Loss exceedance curve: ``loss``, ``probability_exceeding`` (P(ALE > loss)).
    appetite : DataFrame or None
        Per appetite point: ``loss``, ``max_probability``, ``probability_exceeding``,
        ``breached``.
    appetite_breached : bool or None
        True when the curve exceeds the appetite at any point.
    controls : DataFrame
        Per control: ``control``, ``annual_cost``, ``expected_ale_before``,
        ``expected_ale_after``, ``risk_reduction``, ``net_benefit``, ``rosi``, ``ale_p90_after``.
    largest_loss : ndarray or None
        The largest single loss event of each simulated year (0 in a year without events);
        None with ``method="product"``. The basis of :meth:`occurrence_exceedance`.
    """

    scenario: FairScenario
    method: str
    n_trials: int
    seed: int
    currency: str
    percentile: float
    ale: np.ndarray = field(repr=False)
    trials: pd.DataFrame = field(repr=False)
    expected_ale: float
    expected_ale_exact: float
    ale_p50: float
    ale_p90: float
    value_at_risk: float
    expected_shortfall: float
    exceedance: pd.DataFrame = field(repr=False)
    appetite: pd.DataFrame | None = field(repr=False)
    appetite_breached: bool | None
    controls: pd.DataFrame = field(repr=False)
    largest_loss: np.ndarray | None = field(repr=False, default=None)

    def occurrence_exceedance(self, threshold: Any) -> Any:
        """Probability that the largest single loss event of a year exceeds ``threshold`` (OEP).

        Parameters
        ----------
        threshold : float or array_like
            Loss per event (primary plus any secondary loss) in the result's currency.

        Notes
        -----
        ``OEP(x) = P(max_{events e in a year} (PL_e + B_e SL_e) > x)``; never above the
        aggregate ``P(ALE > x)``. Needs ``method="compound"`` (the product method draws no
        single events).

        Examples
        --------
        >>> from cio_analytics.risk import LogNormal
        >>> s = FairScenario("Outage", primary_loss=LogNormal.from_interval(1e4, 1e6),
        ...                  loss_event_frequency=0.5)
        >>> res = simulate_fair(s, 200_000, rng=2)
        >>> exact = 1 - math.exp(-0.5 * (1 - s.primary_loss.cdf(1e5)))  # Poisson thinning
        >>> print(f"{res.occurrence_exceedance(1e5):.2f} {exact:.2f}")
        0.22 0.22
        """
        return exceedance_probability(self._largest(), threshold)

    def occurrence_exceedance_curve(self, n_points: int = 201) -> pd.DataFrame:
        """OEP curve: ``loss``, ``probability_exceeding`` (P(largest single loss > loss))."""
        return occurrence_curve(self._largest(), n_points)

    def _largest(self) -> np.ndarray:
        if self.largest_loss is None:
            raise ParameterError(
                "Occurrence exceedance needs single loss events: this result was simulated "
                f"with method={self.method!r}. Rerun simulate_fair with method='compound'."
            )
        return np.sort(self.largest_loss)

    tail_level = deprecated_field("percentile", "tail_level")

    def summary(self) -> pd.DataFrame:
        """Tidy headline table: ``metric``, ``value``, ``unit``."""
        c = self.currency
        rows = [
            ("expected_ale", self.expected_ale, c),
            ("expected_ale_exact", self.expected_ale_exact, c),
            ("ale_p50", self.ale_p50, c),
            ("ale_p90", self.ale_p90, c),
            (f"value_at_risk_{self.percentile:g}", self.value_at_risk, c),
            (f"expected_shortfall_{self.percentile:g}", self.expected_shortfall, c),
            ("probability_of_loss", float(np.mean(self.ale > 0)), "probability"),
            ("appetite_breached", self.appetite_breached, "bool"),
            ("n_trials", float(self.n_trials), "years"),
        ]
        for row in self.controls.itertuples(index=False):
            rows.append((f"rosi[{row.control}]", row.rosi, "ratio"))
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


# ---------------------------------------------------------------------------- simulation
def _draw(value: Distribution | float | None, u: np.ndarray) -> np.ndarray | float | None:
    if value is None or not isinstance(value, Distribution):
        return value
    return value._ppf(u)


def _year_uniforms(seed: int, n: int, names: Sequence[str]) -> dict[str, np.ndarray]:
    return {k: stream(seed, "fair", k).random(n) for k in names}


def _year_values(s: FairScenario, u: dict[str, np.ndarray], n: int) -> dict[str, Any]:
    keys = ("threat_event_frequency", "loss_event_frequency", "vulnerability",
            "control_strength", "secondary_loss_probability")  # fmt: skip
    return {k: _draw(getattr(s, k), u.get(k)) for k in keys}


def _rate(s: FairScenario, v: dict[str, Any], n: int) -> np.ndarray:
    """Poisson rate of loss events per year: LEF, TEF x vulnerability, or TEF x P(TCap > CS_t).

    With capability and strength, a threat event of the year succeeds when its own capability
    exceeds the year's control strength, with probability ``1 - F_TCap(CS_t)``; the successful
    events of a Poisson(TEF) stream are Poisson(TEF (1 - F_TCap(CS_t))) (thinning), so they are
    drawn directly.
    """
    if s.route == "lef":
        rate = v["loss_event_frequency"]
    elif s.route == "vulnerability":
        rate = v["threat_event_frequency"] * v["vulnerability"]
    else:
        rate = v["threat_event_frequency"] * _beats(s.threat_capability, v["control_strength"])
    return np.broadcast_to(np.asarray(rate, dtype=float), (n,))


def _needed(scenarios: list[FairScenario], names: Sequence[str]) -> list[str]:
    """The inputs drawn per year: those that are a distribution in any of the scenarios."""
    return [k for k in names if any(isinstance(getattr(s, k), Distribution) for s in scenarios)]


def _compound(scenarios: list[FairScenario], seed: int, n: int) -> list[tuple]:
    u = _year_uniforms(seed, n, ["count", *_needed(scenarios, INPUTS)])
    values = [_year_values(s, u, n) for s in scenarios]
    counts = [
        poisson_ppf(u["count"], _rate(s, v, n)) for s, v in zip(scenarios, values, strict=True)
    ]
    paired = len(counts) > 1
    layout = np.maximum.reduce(counts) if paired else counts[0]
    year, pos = event_slots(layout, positions=paired)
    m = year.size
    keys = ["primary"]
    if any(s.secondary_loss is not None for s in scenarios):
        keys += ["secondary_occurs", "secondary"]
    ev = {k: stream(seed, "fair", "event", k).random(m) for k in keys}
    out = []
    for s, v, cnt in zip(scenarios, values, counts, strict=True):
        idx = np.flatnonzero(pos < cnt[year]) if paired else slice(None)
        yr = year[idx]
        loss = _draw(s.primary_loss, ev["primary"][idx])
        loss = np.broadcast_to(np.asarray(loss, dtype=float), yr.shape).copy()
        if s.secondary_loss is not None:
            p2 = np.broadcast_to(np.asarray(v["secondary_loss_probability"], float), (n,))
            hit = np.flatnonzero(ev["secondary_occurs"][idx] < p2[yr])
            loss[hit] += _draw(s.secondary_loss, ev["secondary"][idx][hit])
        ale = np.bincount(yr, weights=loss, minlength=n)
        out.append((ale, cnt.astype(float), max_by_year(loss, yr, n)))
    return out


def _product(scenarios: list[FairScenario], seed: int, n: int) -> list[tuple]:
    u = _year_uniforms(seed, n, _needed(scenarios, INPUTS))
    out = []
    for s in scenarios:
        v = _year_values(s, u, n)
        if s.route == "lef":
            lef = v["loss_event_frequency"]
        elif s.route == "vulnerability":
            lef = v["threat_event_frequency"] * v["vulnerability"]
        else:
            tcap = _draw(s.threat_capability, u.get("threat_capability"))
            lef = v["threat_event_frequency"] * (tcap > v["control_strength"])
        magnitude = _draw(s.primary_loss, u.get("primary_loss"))
        if s.secondary_loss is not None:
            sec = v["secondary_loss_probability"] * _draw(s.secondary_loss, u.get("secondary_loss"))
            magnitude = magnitude + sec
        lef = np.broadcast_to(np.asarray(lef, dtype=float), (n,))
        out.append((lef * magnitude, lef.copy(), None))  # no single events: no occurrence max
    return out


@renamed_kwargs(tail_level="percentile")
def simulate_fair(
    scenario: FairScenario,
    n_trials: int = 100_000,
    *,
    method: str = "compound",
    controls: Sequence[FairControl] = (),
    appetite: Any = None,
    percentile: float = 0.95,
    currency: str = "EUR",
    rng: int | np.random.Generator | None = None,
) -> FairResult:
    """Simulate a FAIR scenario's annualised loss exposure, with and without controls.

    Parameters
    ----------
    scenario : FairScenario
        The loss scenario.
    n_trials : int, default 100,000
        Simulated years.
    method : {"compound", "product"}
        Per-event compounding or the single-draw product (see the module notes).
    controls : sequence of FairControl
        Controls to price; each is simulated alone against the baseline with the same random
        numbers (paired runs), so the difference is the control's effect, not noise.
    appetite : DataFrame or dict, optional
        Risk appetite points: ``loss`` (currency) -> ``max_probability`` (the highest acceptable
        annual probability of a loss above it); a DataFrame with those two columns or a dict.
    percentile : float, default 0.95
        Percentile of the value at risk; the expected shortfall is the mean beyond it (0.95:
        the worst 5 % of years). Formerly ``tail_level`` (deprecated alias).
    currency : str, default "EUR"
    rng : None, int or Generator
        Seed; recorded on the result.

    Returns
    -------
    FairResult

    Notes
    -----
    Every input is drawn by inversion from its own stream, keyed by the input's name, so a
    control that replaces ``control_strength`` changes only that draw; a stronger control
    (a distribution that is larger at every percentile) never gives a larger loss in any year.
    Compound: ``ALE_t = sum_{e <= N_t} (PL_e + B_e SL_e)``, ``N_t`` Poisson by inversion,
    ``B_e`` Bernoulli(SLEF_t); the events of 1,000,000 years are drawn at once and summed by
    year with ``np.bincount``. ``ROSI = (ALE_before - ALE_after - cost) / cost`` on expected
    ALE (Sonnenreich et al. 2006).

    Examples
    --------
    >>> from cio_analytics.risk import PERT, LogNormal
    >>> s = FairScenario("Phishing", primary_loss=LogNormal.from_interval(10_000, 200_000),
    ...                  loss_event_frequency=2.0)
    >>> res = simulate_fair(s, 200_000, rng=1)
    >>> print(f"{res.expected_ale / res.expected_ale_exact:.2f}")
    1.00
    """
    if not isinstance(scenario, FairScenario):
        raise ParameterError(f"`scenario` must be a FairScenario. Got {short_repr(scenario)}.")
    n = check_int(n_trials, "n_trials", minimum=1)
    method = check_choice(method, "method", METHODS)
    percentile = check_probability(percentile, "percentile")
    controls = list(controls)
    if not all(isinstance(c, FairControl) for c in controls):
        raise ParameterError("`controls` must be a list of FairControl.")
    names = [c.name for c in controls]
    if len(set(names)) != len(names):
        raise ParameterError(f"control names must be unique. Got {names}.")
    appetite_points = None if appetite is None else check_appetite(appetite)
    seed, _ = resolve_seed(rng)
    scenarios = [scenario] + [c.apply(scenario) for c in controls]
    runs = (_compound if method == "compound" else _product)(scenarios, seed, n)
    ale = runs[0][0]
    trials = pd.DataFrame({"loss_events": runs[0][1], "ale": ale})
    rows = []
    base_mean = float(ale.mean())
    for c, (ale_c, *_) in zip(controls, runs[1:], strict=True):
        trials[f"ale_with_{c.name}"] = ale_c
        after = float(ale_c.mean())
        reduction = base_mean - after
        rosi = (reduction - c.annual_cost) / c.annual_cost if c.annual_cost > 0 else np.nan
        rows.append((c.name, c.annual_cost, base_mean, after, reduction,
                     reduction - c.annual_cost, rosi, float(np.quantile(ale_c, 0.9))))  # fmt: skip
    cols = ["control", "annual_cost", "expected_ale_before", "expected_ale_after",
            "risk_reduction", "net_benefit", "rosi", "ale_p90_after"]  # fmt: skip
    srt = np.sort(ale)
    k = min(math.floor(percentile * n), n - 1)
    table = None if appetite_points is None else appetite_breaches(srt, appetite_points)
    return FairResult(
        scenario=scenario,
        method=method,
        n_trials=n,
        seed=seed,
        currency=currency,
        percentile=percentile,
        ale=ale,
        trials=trials,
        expected_ale=base_mean,
        expected_ale_exact=scenario.expected_ale(),
        ale_p50=_sorted_quantile(srt, 0.5),
        ale_p90=_sorted_quantile(srt, 0.9),
        value_at_risk=_sorted_quantile(srt, percentile),
        expected_shortfall=float(srt[k:].mean()),
        exceedance=loss_exceedance(srt),
        appetite=table,
        appetite_breached=None if table is None else bool(table["breached"].any()),
        controls=pd.DataFrame(rows, columns=cols),
        largest_loss=runs[0][2],
    )


def _sorted_quantile(srt: np.ndarray, p: float) -> float:
    """Type-7 (linear, numpy's default) quantile of an already sorted array."""
    h = (srt.size - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, srt.size - 1)
    return float(srt[lo] + (h - lo) * (srt[hi] - srt[lo]))


def _fair_from_spec(spec: Mapping[str, Any]) -> list[tuple[FairScenario, list[FairControl]]]:
    out = []
    for s in spec["scenarios"]:
        inputs = {k: make_distribution(v) for k, v in s["inputs"].items()}
        scenario = FairScenario(name=s["name"], description=s.get("description", ""), **inputs)
        controls = [
            FairControl(
                c["name"],
                c["annual_cost"],
                {k: make_distribution(v) for k, v in c["changes"].items()},
            )
            for c in s.get("controls", [])
        ]
        out.append((scenario, controls))
    return out


fair_from_spec = deprecated_alias(
    FairScenario.from_spec, "fair_from_spec", "FairScenario.from_spec"
)
