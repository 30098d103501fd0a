"""The risk what-if explorer: frequency, magnitude and control effectiveness -> loss, P90, appetite."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..._validation import check_int, resolve_seed
from ...io import read_fair_scenarios, read_risk_appetite, read_risk_register
from ...io.paths import project_root, resolve_data_path
from ...risk import (
    FairResult,
    FairScenario,
    RegisterResult,
    Risk,
    simulate_fair,
    simulate_register,
)
from ...risk.adjust import Blend, Scaled, scaled_fair, scaled_risks
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

__all__ = ["Blend", "RiskExplorer", "RiskView", "Scaled", "scaled_risks"]


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
                scaled_fair(s, float(frequency), float(magnitude)),
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
