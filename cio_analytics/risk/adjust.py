"""Scenario changes of a risk register and its FAIR scenarios: likelihood, loss size, mitigations.

The risk explorer (:class:`cio_analytics.reporting.explore.RiskExplorer`) moves three sliders;
"Save as scenario" writes them as a scenarios file's changes, and the risk review notebook
takes the same changes as its ``adjustments`` parameter (:func:`adjust_risks`), so
``cio-analytics run PACK --scenarios FILE`` runs what the explorer showed:

- ``frequency``: a relative change of every likelihood (register probabilities and
  frequencies, FAIR event frequencies), ``"+20 %"``;
- ``magnitude``: a relative change of every loss amount (register impacts, FAIR primary and
  secondary losses), ``"-10 %"``;
- ``control_effectiveness``: the share of each register mitigation's planned effect that is
  realised, a number in [0, 1] (``0.8``) or a percentage (``"80 %"``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import did_you_mean, short_repr
from ..exceptions import ParameterError
from .distributions import Distribution
from .fair import FairScenario
from .register import Risk

__all__ = [
    "REGISTER_ADJUSTMENTS",
    "Blend",
    "Scaled",
    "adjust_risks",
    "scaled_fair",
    "scaled_risks",
]

#: The register inputs a scenario may change.
REGISTER_ADJUSTMENTS = ("frequency", "magnitude", "control_effectiveness")


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


def scaled_fair(s: FairScenario, frequency: float, magnitude: float) -> FairScenario:
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


def _share(value: Any) -> float:
    """``control_effectiveness`` as a share: 0.8 or "80 %"."""
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if text.endswith("%"):
            try:
                value = float(text[:-1]) / 100.0
            except ValueError:
                value = None
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and np.isfinite(value)
        and 0.0 <= float(value) <= 1.0
    ):
        return float(value)
    raise ParameterError(
        "`control_effectiveness` must be the share of the mitigations' planned effect that is "
        f"realised, in [0, 1] (0.8) or as a percentage ('80 %'). Got {short_repr(value)}."
    )


def adjust_risks(
    risks: Sequence[Risk],
    fair: Sequence[tuple[FairScenario, Any]],
    adjustments: Mapping[str, Any] | None,
) -> tuple[tuple[Risk, ...], list[tuple[FairScenario, Any]]]:
    """The register and the FAIR scenarios with a scenario's changes.

    Parameters
    ----------
    risks : sequence of Risk
        The register (:meth:`Risk.from_table`).
    fair : sequence of (FairScenario, controls)
        The FAIR scenarios with their controls (:meth:`FairScenario.from_spec`).
    adjustments : mapping or None
        ``frequency`` and ``magnitude``: relative changes (``"+20 %"``);
        ``control_effectiveness``: a share in [0, 1] or a percentage. Empty or None returns the
        inputs as they are.

    Returns
    -------
    (tuple of Risk, list of (FairScenario, controls))
        The changed register (:func:`scaled_risks`) and scenarios (:func:`scaled_fair`; the
        mitigations' effectiveness is the register's, FAIR controls keep theirs).

    Raises
    ------
    ParameterError
        Listing every change that is not an input of the register or not a valid change.

    Examples
    --------
    >>> from cio_analytics.risk import PERT
    >>> r = Risk("Outage", PERT(100, 200, 600), probability=0.1, mitigated_probability=0.02)
    >>> (s,), _ = adjust_risks([r], [], {"frequency": "+100 %", "control_effectiveness": 0.5})
    >>> round(s.probability, 6), round(s.mitigated_probability, 6)
    (0.2, 0.12)
    """
    if not adjustments:
        return tuple(risks), list(fair)
    if not isinstance(adjustments, Mapping):
        raise ParameterError(
            "`adjustments` must be a mapping of input -> change, e.g. {'frequency': '+20 %'}. "
            f"Got {short_repr(adjustments)}."
        )
    from ..valuation.adjust import adjustment_factor

    problems: list[str] = []
    factors = {"frequency": 1.0, "magnitude": 1.0, "control_effectiveness": 1.0}
    for key, value in adjustments.items():
        try:
            if key in ("frequency", "magnitude"):
                factors[key] = adjustment_factor(value, key)
            elif key == "control_effectiveness":
                factors[key] = _share(value)
            else:
                raise ParameterError(
                    f"`{key}` is not an input of the risk register."
                    f"{did_you_mean(str(key), REGISTER_ADJUSTMENTS)} Inputs: "
                    f"{', '.join(REGISTER_ADJUSTMENTS)}."
                )
        except ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterError("\n".join(problems))
    changed = scaled_risks(risks, **factors)
    scenarios = [(scaled_fair(s, factors["frequency"], factors["magnitude"]), c) for s, c in fair]
    return changed, scenarios
