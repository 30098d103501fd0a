"""The risk what-if explorer: frequency, magnitude and control effectiveness -> loss, P90, appetite."""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..._validation import check_int, resolve_seed
from ...exceptions import ParameterError
from ...io import read_fair_scenarios, read_risk_appetite, read_risk_register
from ...io.paths import project_root, resolve_data_path
from ...risk import (
    Distribution,
    FairResult,
    FairScenario,
    RegisterResult,
    Risk,
    simulate_fair,
    simulate_register,
)
from ..decisions import risk_decision
from ..formatting import format_money, format_percent
from ..summary import Decision
from ._common import (
    DEFAULT_SCENARIOS,
    build_widget,
    readout_html,
    relative_change,
    slider,
)

__all__ = ["RiskExplorer", "RiskView", "Scaled", "scaled_risks"]


@dataclass(frozen=True)
class Scaled(Distribution):
    """``factor * X`` for a distribution ``X`` (a loss magnitude scaled by a factor).

    Notes
    -----
    ``ppf(q) = factor ppf_X(q)``, ``cdf(x) = cdf_X(x / factor)``, ``mean = factor E[X]``,
    ``var = factor^2 Var[X]``. Inversion from the same uniforms gives ``factor`` times the
    same draws, so a scaled register uses the same random numbers as the plan.

    Examples
    --------
    >>> from cio_analytics.risk import PERT
    >>> s = Scaled(PERT(100, 200, 600), 1.5)
    >>> round(s.mean(), 6), float(s.ppf(0.5)) == 1.5 * float(PERT(100, 200, 600).ppf(0.5))
    (375.0, True)
    """

    base: Distribution
    factor: float

    def __post_init__(self) -> None:
        if not (np.isfinite(self.factor) and self.factor > 0):
            raise ParameterError(f"`factor` must be a finite number > 0. Got {self.factor!r}.")

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self.factor * self.base._ppf(q)

    def _cdf(self, x: np.ndarray) -> np.ndarray:
        return self.base._cdf(np.asarray(x, dtype=float) / self.factor)

    def mean(self) -> float:
        return self.factor * self.base.mean()

    def var(self) -> float:
        return self.factor**2 * self.base.var()


@dataclass(frozen=True)
class Blend(Distribution):
    """The quantile blend ``(1 - w) ppf_A(q) + w ppf_B(q)``: a mitigation ``w`` effective.

    ``w = 0`` is the impact before mitigation, ``w = 1`` the mitigated impact; between them the
    quantiles move linearly (comonotone interpolation), so the same uniforms give draws that
    move linearly too.

    Notes
    -----
    ``mean = (1 - w) E[A] + w E[B]`` (exact). ``var`` and ``cdf`` are evaluated on a grid of
    16,384 quantiles (midpoint rule and linear interpolation).
    """

    before: Distribution
    after: Distribution
    weight: float

    def __post_init__(self) -> None:
        if not 0.0 <= float(self.weight) <= 1.0:
            raise ParameterError(f"`weight` must be a share in [0, 1]. Got {self.weight!r}.")

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        w = self.weight
        a, b = self.before._ppf(q), self.after._ppf(q)
        with np.errstate(invalid="ignore"):  # an infinite end of the support: inf, not 0 * inf
            out = (1.0 - w) * a + w * b
        return np.where(np.isinf(a) & np.isinf(b) & (a == b), a, out)

    def _grid(self) -> np.ndarray:
        q = (np.arange(16_384) + 0.5) / 16_384
        return self._ppf(q)

    def _cdf(self, x: np.ndarray) -> np.ndarray:
        g = self._grid()
        q = (np.arange(g.size) + 0.5) / g.size
        return np.interp(np.asarray(x, dtype=float), g, q, left=0.0, right=1.0)

    def mean(self) -> float:
        return (1.0 - self.weight) * self.before.mean() + self.weight * self.after.mean()

    def var(self) -> float:
        return float(np.var(self._grid()))


def scaled_risks(
    risks: tuple[Risk, ...] | list[Risk],
    *,
    frequency: float = 1.0,
    magnitude: float = 1.0,
    control_effectiveness: float = 1.0,
) -> tuple[Risk, ...]:
    """The register with likelihoods and impacts scaled and mitigations partly effective.

    Parameters
    ----------
    risks : sequence of Risk
    frequency : float, default 1.0
        Factor on every probability and frequency (before and after mitigation); a probability
        is capped at 1.
    magnitude : float, default 1.0
        Factor on every impact (before and after mitigation), > 0.
    control_effectiveness : float, default 1.0
        Share of each mitigation's planned effect that is realised, in [0, 1]: 0 leaves the
        risk as it is without the mitigation, 1 as the register plans it.

    Returns
    -------
    tuple of Risk

    Notes
    -----
    With ``e = control_effectiveness``: ``p_after' = min(1, f (p + e (p_m - p)))``,
    ``impact_after' = m Blend(impact, impact_m, e)`` and ``p' = min(1, f p)``,
    ``impact' = m impact``. The mitigation's cost is unchanged.

    Examples
    --------
    >>> from cio_analytics.risk import PERT
    >>> r = Risk("Outage", PERT(100, 200, 600), probability=0.1, mitigated_probability=0.02)
    >>> s = scaled_risks([r], frequency=2.0, magnitude=1.5, control_effectiveness=0.5)[0]
    >>> round(s.probability, 6), round(s.mitigated_probability, 6), round(s.impact.mean(), 6)
    (0.2, 0.12, 375.0)
    """
    for value, name, low, high in (
        (frequency, "frequency", 0.0, 10.0),
        (magnitude, "magnitude", 1e-9, 10.0),
        (control_effectiveness, "control_effectiveness", 0.0, 1.0),
    ):
        if not low <= float(value) <= high:
            raise ParameterError(
                f"`{name}` must lie in [{low:g}, {high:g}]. Got {value!r}. "
                "Scales are factors (1.0 = as in the register); effectiveness is a share."
            )
    f, m, e = float(frequency), float(magnitude), float(control_effectiveness)

    def scale(d: Distribution) -> Distribution:
        return d if m == 1.0 else Scaled(d, m)

    out = []
    for r in risks:
        impact = scale(r.impact)
        mit_impact = None
        if r.mitigated_impact is not None:
            mitigated = {0.0: r.impact, 1.0: r.mitigated_impact}.get(e)
            mit_impact = scale(mitigated or Blend(r.impact, r.mitigated_impact, e))
        if r.basis == "probability":
            p_after = r.chance(True)
            changes = {
                "probability": min(1.0, f * r.probability),
                "mitigated_probability": None
                if r.mitigated_probability is None
                else min(1.0, f * (r.probability + e * (p_after - r.probability))),
            }
        else:
            lam_after = r.chance(True)
            changes = {
                "frequency": f * r.frequency,
                "mitigated_frequency": None
                if r.mitigated_frequency is None
                else f * (r.frequency + e * (lam_after - r.frequency)),
            }
        out.append(dataclasses.replace(r, impact=impact, mitigated_impact=mit_impact, **changes))
    return tuple(out)


def _scaled_fair(s: FairScenario, frequency: float, magnitude: float) -> FairScenario:
    """A FAIR scenario with its event frequency and its loss magnitudes scaled."""

    def scale(v: Any, k: float) -> Any:
        if v is None or k == 1.0:
            return v
        return Scaled(v, k) if isinstance(v, Distribution) else float(v) * k

    changes: dict[str, Any] = {
        "primary_loss": scale(s.primary_loss, magnitude),
        "secondary_loss": scale(s.secondary_loss, magnitude),
    }
    if frequency == 0.0:
        frequency = 1e-12  # a rate of zero: no events (a factor must stay > 0)
    key = "loss_event_frequency" if s.loss_event_frequency is not None else "threat_event_frequency"
    changes[key] = scale(getattr(s, key), frequency)
    return dataclasses.replace(s, **changes)


@dataclass(frozen=True)
class RiskView:
    """One state of the risk explorer.

    Attributes
    ----------
    frequency, magnitude, control_effectiveness : float
        The settings (factors of the register; share of the mitigations' effect).
    register : RegisterResult
    fair : tuple of FairResult
    decision : Decision
    elapsed_s : float
    """

    frequency: float
    magnitude: float
    control_effectiveness: float
    register: RegisterResult
    fair: tuple[FairResult, ...]
    decision: Decision
    seed: int
    elapsed_s: float = field(compare=False)

    @property
    def expected_loss(self) -> float:
        """The register's expected annual loss, in currency."""
        return self.register.expected_loss

    @property
    def expected_loss_text(self) -> str:
        """As the explorer shows it (full amount)."""
        return format_money(self.expected_loss, self.register.currency, style="full")

    @property
    def within_appetite(self) -> bool:
        return bool(self.decision.favourable)

    def summary(self) -> pd.DataFrame:
        """Settings and headline figures (``metric, value, unit``)."""
        c = self.register.currency
        rows = [
            ("frequency", self.frequency, "factor"),
            ("magnitude", self.magnitude, "factor"),
            ("control_effectiveness", self.control_effectiveness, "share"),
            ("expected_loss", self.register.expected_loss, c),
            ("loss_at_percentile", self.register.loss_at_percentile, c),
            ("expected_loss_after", self.register.expected_loss_after, c),
            ("fair_expected_ale", float(sum(f.expected_ale for f in self.fair)), c),
            ("within_appetite", float(self.within_appetite), "yes = 1"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])

    def chart(self) -> Any:
        from ..charts import loss_exceedance

        return loss_exceedance(
            [self.register, *self.fair],
            show_after=False,
            title="Chance of an annual loss above a given amount, against the appetite",
        )

    def executive_summary(self, title: str | None = "") -> Any:
        """The decision banner, key-number tiles and chart (an ``ExecutiveSummary``);
        ``title`` None for none (the explorer page has its own), "" for the default."""
        from ..summary import executive_summary

        heading = "Risk review: register and cyber exposure" if title == "" else title
        return executive_summary(self.decision, chart=self.chart(), title=heading)


class RiskExplorer:
    """What if risks happen more often, cost more, or the mitigations work less well?

    Parameters
    ----------
    risks : sequence of Risk
    fair : sequence of (FairScenario, list of FairControl)
    appetite : DataFrame or None
    max_expected_loss : float or None
        The register's expected-loss limit, in currency.
    n_trials : int, default 10,000
        Simulated years per update (the same streams every time: the explorer's seed).
    percentile : float, default 0.9
        The bad-year percentile reported (0.9: P90).
    currency : str
    rng : None, int or Generator
    scenarios_path : path-like, optional

    Examples
    --------
    >>> ex = RiskExplorer.from_files(n_trials=2_000, rng=3)
    >>> ex.compute(magnitude=1.2).expected_loss == ex.compute(magnitude=1.2).expected_loss
    True
    """

    def __init__(
        self,
        risks: Any,
        fair: Any = (),
        *,
        appetite: Any = None,
        max_expected_loss: float | None = 500_000.0,
        n_trials: int = 10_000,
        percentile: float = 0.9,
        currency: str = "EUR",
        rng: Any = None,
        scenarios_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.risks = tuple(risks)
        self.fair = list(fair)
        self.appetite = appetite
        self.max_expected_loss = max_expected_loss
        self.n_trials = check_int(n_trials, "n_trials", minimum=100)
        self.percentile = float(percentile)
        self.currency = currency
        self.seed, _ = resolve_seed(rng)
        self.scenarios_path = Path(scenarios_path or project_root() / DEFAULT_SCENARIOS)

    @classmethod
    def from_files(
        cls,
        *,
        register_path: str | os.PathLike[str] = "data/sample/risk_register.csv",
        fair_path: str | os.PathLike[str] | None = "data/sample/fair_scenarios.yaml",
        appetite_path: str | os.PathLike[str] | None = "data/sample/risk_appetite.csv",
        max_expected_loss: float | None = 500_000.0,
        n_trials: int = 10_000,
        percentile: float = 0.9,
        rng: Any = None,
        scenarios_path: str | os.PathLike[str] | None = None,
    ) -> RiskExplorer:
        """The explorer from the files the risk review notebook reads (same parameter names)."""
        risks = Risk.from_table(
            read_risk_register(resolve_data_path(register_path, parameter="register_path"))
        )
        appetite = (
            read_risk_appetite(resolve_data_path(appetite_path, parameter="appetite_path"))
            if appetite_path
            else None
        )
        currency, fair = "EUR", []
        if fair_path:
            spec = read_fair_scenarios(resolve_data_path(fair_path, parameter="fair_path"))
            currency, fair = spec["currency"], FairScenario.from_spec(spec)
        return cls(
            risks,
            fair,
            appetite=appetite,
            max_expected_loss=max_expected_loss,
            n_trials=n_trials,
            percentile=percentile,
            currency=currency,
            rng=rng,
            scenarios_path=scenarios_path,
        )

    def compute(
        self, *, frequency: float = 1.0, magnitude: float = 1.0, control_effectiveness: float = 1.0
    ) -> RiskView:
        """The register and cyber figures and the appetite decision for one setting.

        Parameters
        ----------
        frequency : float, default 1.0
            Factor on every likelihood (register probabilities and frequencies, FAIR event
            frequencies).
        magnitude : float, default 1.0
            Factor on every loss amount (register impacts, FAIR primary and secondary losses).
        control_effectiveness : float, default 1.0
            Share of each register mitigation's planned effect realised, in [0, 1].

        Returns
        -------
        RiskView
        """
        start = time.perf_counter()
        risks = scaled_risks(
            self.risks,
            frequency=frequency,
            magnitude=magnitude,
            control_effectiveness=control_effectiveness,
        )
        register = simulate_register(
            risks,
            self.n_trials,
            percentile=self.percentile,
            appetite=self.appetite,
            currency=self.currency,
            rng=self.seed,
        )
        fair = tuple(
            simulate_fair(
                _scaled_fair(s, float(frequency), float(magnitude)),
                self.n_trials,
                controls=c,
                appetite=self.appetite,
                currency=self.currency,
                rng=self.seed,
            )
            for s, c in self.fair
        )
        decision = risk_decision(register, fair, max_expected_loss=self.max_expected_loss)
        return RiskView(
            frequency=float(frequency),
            magnitude=float(magnitude),
            control_effectiveness=float(control_effectiveness),
            register=register,
            fair=fair,
            decision=decision,
            seed=self.seed,
            elapsed_s=time.perf_counter() - start,
        )

    # ------------------------------------------------------------------ the page
    @staticmethod
    def _settings(values: dict[str, Any]) -> dict[str, Any]:
        return {k: values[k] / 100.0 for k in ("frequency", "magnitude", "control_effectiveness")}

    def overrides(self, values: dict[str, Any]) -> dict[str, Any]:
        """What "Save as scenario" writes: relative changes of the register's inputs."""
        s = self._settings(values)
        out: dict[str, Any] = {}
        for key in ("frequency", "magnitude"):
            if abs(s[key] - 1.0) > 1e-9:
                out[key] = relative_change(s[key])
        if abs(s["control_effectiveness"] - 1.0) > 1e-9:
            out["control_effectiveness"] = round(s["control_effectiveness"], 4)
        return out

    def _update(self, values: dict[str, Any]) -> tuple[str, str]:
        view = self.compute(**self._settings(values))
        reg = view.register
        q = f"P{self.percentile * 100:g}"
        label = "Register: expected annual loss"
        head = readout_html(label, view.expected_loss_text, "expected_loss", view.elapsed_s)
        extra = (
            f"<div style='margin:-4px 0 8px'>{q} annual loss "
            f"{format_money(reg.loss_at_percentile, reg.currency, style='full')}; with the "
            f"mitigations {format_percent(view.control_effectiveness, 0)} effective "
            f"{format_money(reg.expected_loss_after, reg.currency, style='full')} expected; "
            f"{'within' if view.within_appetite else 'outside'} appetite.</div>"
        )
        return head + extra, view.executive_summary(title=None)._repr_html_()

    def widget(self) -> Any:
        """The ipywidgets page: frequency, magnitude, control effectiveness."""
        controls = {
            "frequency": slider("int", "Frequency (% of register)", 100, 0, 300, 5, "d"),
            "magnitude": slider("int", "Loss size (% of register)", 100, 10, 300, 5, "d"),
            "control_effectiveness": slider(
                "int", "Mitigations effective (%)", 100, 0, 100, 5, "d"
            ),
        }
        return build_widget(
            controls,
            self._update,
            self.overrides,
            scenarios_path=self.scenarios_path,
            job="risk_review",
        )
