"""Vendor offers: total cost of ownership over the horizon, with uncertain volumes.

An offer prices a service with a one-off transition fee, a fixed yearly fee, a volume charge
under a tiered schedule (:class:`~cio_analytics.sourcing.tiers.TierSchedule`), yearly price
escalation and an exit cost. :func:`compare_offers` draws the yearly volumes once (PERT per year,
rank-correlated across years, via :func:`cio_analytics.risk.simulate`) and prices every offer on
the same draws, so differences between offers are not Monte Carlo noise.

Conventions: costs are positive numbers (this module only prices costs); year 0 is now and
carries the one-off fee; yearly charges fall at the end of years 1..H; the exit cost falls at
the end of year H; present values use :func:`cio_analytics.valuation.npv` (year 0 undiscounted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import deprecated_alias
from .._validation import (
    as_float_array,
    check_int,
    check_nonnegative,
    check_rate,
    short_repr,
)
from ..exceptions import ParameterError
from ..risk import PERT, SimulationResult, simulate
from ..valuation import npv
from .tiers import TierSchedule

__all__ = [
    "Offer",
    "OfferComparison",
    "compare_offers",
    "offer_cash_flows",
    "offers_from_tables",
    "volume_inputs",
]

_COMPONENTS = ("one_off", "fixed", "volume_charge", "exit")


@dataclass(frozen=True)
class Offer:
    """One vendor's price offer for a service.

    Attributes
    ----------
    name : str
        Vendor or offer label.
    one_off : float, default 0
        Transition-in / set-up fee, paid now (year 0), currency.
    recurring : float, default 0
        Fixed fee per year at year-1 prices, currency per year.
    tiers : TierSchedule, optional
        Volume charge per year at year-1 prices; None for no volume charge.
    escalation : float, default 0
        Yearly increase of the fixed fee and unit prices, decimal (0.03 for 3 %); year ``t``
        pays ``(1 + escalation) ** (t - 1)`` times the year-1 prices.
    exit_cost : float, default 0
        Termination and transition-out cost, paid at the end of the horizon, currency.
    committed_volume : float, default 0
        Minimum volume billed per year (take-or-pay), units per year.
    """

    name: str
    one_off: float = 0.0
    recurring: float = 0.0
    tiers: TierSchedule | None = None
    escalation: float = 0.0
    exit_cost: float = 0.0
    committed_volume: float = 0.0

    @classmethod
    def from_tables(cls, offers: pd.DataFrame, tiers: pd.DataFrame) -> tuple[Offer, ...]:
        """Build :class:`Offer` objects from the tables of :func:`cio_analytics.io.read_offers`.

        Parameters
        ----------
        offers : pandas.DataFrame
            ``name, one_off, recurring, escalation, exit_cost, committed_volume, scheme``.
        tiers : pandas.DataFrame
            ``offer, from_volume, unit_price`` (rows of an offer in increasing ``from_volume``).

        Returns
        -------
        tuple of Offer

        Examples
        --------
        >>> from cio_analytics.io import read_offers
        >>> spec = read_offers("data/sample/sourcing/offers.yaml")
        >>> [o.tiers.scheme for o in Offer.from_tables(spec.offers, spec.tiers)]
        ['graduated', 'all_units', 'graduated']
        """
        return _offers_from_tables(offers, tiers)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ParameterError(f"`name` must be a non-empty text. Got {short_repr(self.name)}.")
        for attr in ("one_off", "recurring", "exit_cost", "committed_volume"):
            value = getattr(self, attr)
            check_nonnegative(value, f"{self.name}: {attr}")
            object.__setattr__(self, attr, float(value))
        object.__setattr__(
            self, "escalation", float(check_rate(self.escalation, f"{self.name}: escalation"))
        )
        if self.tiers is not None and not isinstance(self.tiers, TierSchedule):
            raise ParameterError(
                f"`tiers` of offer {self.name!r} must be a TierSchedule or None. "
                f"Got {short_repr(self.tiers)}. Build it with TierSchedule(from_volume, unit_price)."
            )

    def costs(self, volumes: np.ndarray) -> dict[str, np.ndarray]:
        """Cost components for yearly ``volumes`` of shape ``(..., H)``: each ``(..., H + 1)``.

        Column 0 is year 0 (now). No input checks: see :func:`offer_cash_flows`.
        """
        v = np.asarray(volumes, dtype=float)
        h = v.shape[-1]
        shape = (*v.shape[:-1], h + 1)
        factor = (1.0 + self.escalation) ** np.arange(h)
        out = {name: np.zeros(shape) for name in _COMPONENTS}
        out["one_off"][..., 0] = self.one_off
        out["fixed"][..., 1:] = self.recurring * factor
        if self.tiers is not None:
            billed = np.maximum(v, self.committed_volume)
            out["volume_charge"][..., 1:] = self.tiers._cost(billed) * factor
        out["exit"][..., h] = self.exit_cost
        return out


def offer_cash_flows(offer: Offer, volumes: Any) -> pd.DataFrame:
    """Yearly cost of ``offer`` for known yearly ``volumes``, by component.

    Parameters
    ----------
    offer : Offer
    volumes : array_like
        Volume in each year 1..H (units per year, >= 0).

    Returns
    -------
    pandas.DataFrame
        One row per year 0..H: ``year, one_off, fixed, volume_charge, exit, total``.

    Examples
    --------
    >>> o = Offer("A", one_off=5000, recurring=1000, escalation=0.1, exit_cost=2000,
    ...           tiers=TierSchedule([0, 100], [10, 5]))
    >>> offer_cash_flows(o, [150, 150])["total"].tolist()  # 150: 100*10 + 50*5 = 1250
    [5000.0, 2250.0, 4475.0]
    """
    if not isinstance(offer, Offer):
        raise ParameterError(f"`offer` must be an Offer. Got {short_repr(offer)}.")
    v = as_float_array(volumes, "volumes", ndim=1, min_size=1)
    check_nonnegative(v, "volumes")
    parts = offer.costs(v)
    frame = pd.DataFrame({"year": np.arange(v.size + 1), **parts})
    frame["total"] = frame[list(_COMPONENTS)].sum(axis=1)
    return frame


def _volume_table(volume_forecast: Any) -> pd.DataFrame:
    try:
        frame = pd.DataFrame(volume_forecast).copy()
    except (TypeError, ValueError):
        raise ParameterError(
            "`volume_forecast` must be a table with columns year, low, likely, high. "
            f"Got {short_repr(volume_forecast)}."
        ) from None
    missing = [c for c in ("year", "low", "likely", "high") if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"`volume_forecast` needs columns year, low, likely, high; missing {missing}. "
            "Read it with cio_analytics.io.read_volume_forecast."
        )
    frame = frame[["year", "low", "likely", "high"]].reset_index(drop=True)
    values = as_float_array(frame, "volume_forecast", ndim=2)
    years = values[:, 0]
    if not np.array_equal(years, np.arange(1, len(frame) + 1)):
        raise ParameterError(
            f"`volume_forecast` years must be 1, 2, ..., H in order. Got {years.tolist()}."
        )
    low, likely, high = values[:, 1], values[:, 2], values[:, 3]
    check_nonnegative(low, "volume_forecast low")
    bad = (low > likely) | (likely > high)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ParameterError(
            f"`volume_forecast` year {k + 1}: need low <= likely <= high. Got "
            f"{low[k]:g}, {likely[k]:g}, {high[k]:g}."
        )
    return pd.DataFrame({"year": years.astype(int), "low": low, "likely": likely, "high": high})


def volume_inputs(volume_forecast: Any) -> dict[str, Any]:
    """Inputs for :func:`cio_analytics.risk.simulate`: ``volume_y1``.. as PERT or constants."""
    table = _volume_table(volume_forecast)
    out: dict[str, Any] = {}
    for row in table.itertuples(index=False):
        out[f"volume_y{row.year}"] = (
            PERT(row.low, row.likely, row.high) if row.high > row.low else float(row.likely)
        )
    return out


@dataclass(frozen=True)
class OfferComparison:
    """TCO of several offers over the same uncertain volumes.

    Attributes
    ----------
    offers : tuple of Offer
    volume_forecast : pandas.DataFrame
        ``year, low, likely, high`` (units per year), echoed.
    discount_rate, year_correlation : float
        Yearly discount rate and rank correlation of volumes between years, echoed.
    n_trials, seed : int
    currency : str
    horizon_years : int
    costs : pandas.DataFrame
        One row per offer, cheapest first: ``offer, tco_likely, pv_likely, pv_mean, pv_p10,
        pv_p50, pv_p90, tco_mean, tco_p10, tco_p90, p_cheapest, rank`` (``_likely``: at the
        likely volumes; ``pv``: present value of costs; ``tco``: undiscounted sum;
        ``p_cheapest``: share of trials in which the offer has the lowest PV).
    cash_flows : pandas.DataFrame
        At the likely volumes: ``offer, year, one_off, fixed, volume_charge, exit, total``.
    pv_samples, tco_samples : pandas.DataFrame
        One column per offer, one row per trial.
    volume_samples : pandas.DataFrame
        ``volume_y1..volume_yH`` per trial (common to all offers).
    best : str
        The offer with the lowest mean PV of costs.
    simulation : SimulationResult
        The underlying run (replay with its ``seed``).
    """

    offers: tuple[Offer, ...]
    volume_forecast: pd.DataFrame = field(repr=False)
    discount_rate: float
    year_correlation: float
    n_trials: int
    seed: int
    currency: str
    horizon_years: int
    costs: pd.DataFrame = field(repr=False)
    cash_flows: pd.DataFrame = field(repr=False)
    pv_samples: pd.DataFrame = field(repr=False)
    tco_samples: pd.DataFrame = field(repr=False)
    volume_samples: pd.DataFrame = field(repr=False)
    best: str
    simulation: SimulationResult = field(repr=False)

    def expected_pv(self) -> pd.Series:
        """Mean PV of costs per offer (index: offer name), e.g. as a scoring price."""
        return self.costs.set_index("offer")["pv_mean"]

    def summary(self) -> pd.DataFrame:
        """Tidy table: ``offer, metric, value, unit``."""
        long = self.costs.melt(id_vars="offer", var_name="metric", value_name="value")
        long["unit"] = np.where(
            long["metric"].isin(["p_cheapest"]),
            "share",
            np.where(long["metric"] == "rank", "rank", self.currency),
        )
        return long.reset_index(drop=True)


def _check_offers(offers: Any) -> tuple[Offer, ...]:
    if isinstance(offers, Offer) or not isinstance(offers, Sequence) or not offers:
        raise ParameterError(
            f"`offers` must be a non-empty list of Offer. Got {short_repr(offers)}."
        )
    for o in offers:
        if not isinstance(o, Offer):
            raise ParameterError(f"`offers` must hold Offer objects. Got {short_repr(o)}.")
    names = [o.name for o in offers]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ParameterError(f"Offer names must be unique. {dupes[0]!r} appears twice.")
    return tuple(offers)


def _correlation(names: list[str], inputs: dict[str, Any], rho: float):
    uncertain = [n for n in names if not isinstance(inputs[n], float)]
    if len(uncertain) < 2 or rho == 0:
        return None, []
    k = len(uncertain)
    return np.full((k, k), rho) + (1.0 - rho) * np.eye(k), uncertain


def compare_offers(
    offers: Sequence[Offer],
    volume_forecast: Any,
    *,
    discount_rate: float,
    n_trials: int = 10_000,
    year_correlation: float = 0.7,
    currency: str = "EUR",
    rng: int | np.random.Generator | None = None,
) -> OfferComparison:
    """Present value and TCO of each offer over uncertain yearly volumes.

    Parameters
    ----------
    offers : list of Offer
        The offers to compare (unique names).
    volume_forecast : DataFrame
        ``year`` (1..H), ``low``, ``likely``, ``high`` volume per year (units per year); each
        year is PERT(low, likely, high), or constant when low = high. See
        :func:`cio_analytics.io.read_volume_forecast`.
    discount_rate : float
        Yearly discount rate, decimal.
    n_trials : int, default 10,000
        Monte Carlo trials (Latin hypercube).
    year_correlation : float, default 0.7
        Spearman rank correlation between any two years' volumes, in [0, 1) (a strong year
        tends to be followed by a strong year).
    currency : str, default "EUR"
    rng : None, int or Generator
        Seed (SPEC 7); recorded on the result.

    Returns
    -------
    OfferComparison

    Notes
    -----
    Year ``t`` cost of an offer, with ``g = (1 + escalation) ** (t - 1)`` and volume ``V_t``:
    ``fixed * g + C(max(V_t, committed)) * g`` where ``C`` is the tiered charge; year 0 adds
    the one-off fee, year H the exit cost. ``PV = sum_t cost_t / (1 + r) ** t`` and
    ``TCO = sum_t cost_t``. All offers are priced on the same volume draws (common random
    numbers), so ``p_cheapest`` compares offers trial by trial.

    Examples
    --------
    >>> a = Offer("A", recurring=1000, tiers=TierSchedule([0], [2.0]))
    >>> b = Offer("B", recurring=3000, tiers=TierSchedule([0], [1.0]))
    >>> vf = pd.DataFrame({"year": [1, 2], "low": [1500, 1500], "likely": [2000, 2000],
    ...                    "high": [3000, 3000]})
    >>> res = compare_offers([a, b], vf, discount_rate=0.0, n_trials=2000, rng=1)
    >>> res.costs["tco_likely"].tolist()  # equal at the likely 2,000 units a year
    [10000.0, 10000.0]
    >>> res.best  # PERT(1500, 2000, 3000) has mean 2083: the cheaper unit price wins
    'B'
    >>> print(f"{res.costs['tco_mean'].iloc[0]:,.0f}")  # 2 * (3000 + 2083.33)
    10,167
    """
    offers = _check_offers(offers)
    table = _volume_table(volume_forecast)
    rate = check_rate(discount_rate, "discount_rate", allow_array=False)
    n_trials = check_int(n_trials, "n_trials", minimum=1)
    rho = float(as_float_array(year_correlation, "year_correlation", ndim=0))
    if not 0 <= rho < 1:
        raise ParameterError(
            f"`year_correlation` must be in [0, 1). Got {rho:g}. Use 0 for independent years."
        )
    inputs = volume_inputs(table)
    names = list(inputs)
    corr, corr_names = _correlation(names, inputs, rho)

    def model(**volumes: np.ndarray) -> dict[str, np.ndarray]:
        v = np.stack([volumes[n] for n in names], axis=1)
        outs = {}
        for i, offer in enumerate(offers):  # a loop over offers, not trials
            flows = sum(offer.costs(v).values())
            outs[f"pv_{i}"] = npv(rate, flows)  # 2-D: one present value per trial
            outs[f"tco_{i}"] = flows.sum(axis=1)
        return outs

    sim = simulate(
        model,
        inputs,
        n_trials,
        correlation=corr,
        correlation_names=corr_names or None,
        rng=rng,
        keep_inputs=n_trials,
    )
    labels = [o.name for o in offers]
    pv = pd.DataFrame({o.name: sim.outputs[f"pv_{i}"].to_numpy() for i, o in enumerate(offers)})
    tco = pd.DataFrame({o.name: sim.outputs[f"tco_{i}"].to_numpy() for i, o in enumerate(offers)})
    cheapest = np.bincount(pv.to_numpy().argmin(axis=1), minlength=len(offers)) / n_trials
    likely = table["likely"].to_numpy()
    flows = []
    for o in offers:
        cf = offer_cash_flows(o, likely)
        cf.insert(0, "offer", o.name)
        flows.append(cf)
    cash_flows = pd.concat(flows, ignore_index=True)
    by_offer = cash_flows.groupby("offer", sort=False)["total"]
    costs = pd.DataFrame(
        {
            "offer": labels,
            "tco_likely": by_offer.sum().reindex(labels).to_numpy(),
            "pv_likely": [npv(rate, cf["total"].to_numpy()) for cf in flows],
            "pv_mean": pv.mean().to_numpy(),
            "pv_p10": pv.quantile(0.1).to_numpy(),
            "pv_p50": pv.quantile(0.5).to_numpy(),
            "pv_p90": pv.quantile(0.9).to_numpy(),
            "tco_mean": tco.mean().to_numpy(),
            "tco_p10": tco.quantile(0.1).to_numpy(),
            "tco_p90": tco.quantile(0.9).to_numpy(),
            "p_cheapest": cheapest,
        }
    )
    costs = costs.sort_values("pv_mean", kind="stable").reset_index(drop=True)
    costs["rank"] = np.arange(1, len(costs) + 1)
    return OfferComparison(
        offers=offers,
        volume_forecast=table,
        discount_rate=float(rate),
        year_correlation=rho,
        n_trials=n_trials,
        seed=sim.seed,
        currency=str(currency),
        horizon_years=len(table),
        costs=costs,
        cash_flows=cash_flows,
        pv_samples=pv,
        tco_samples=tco,
        volume_samples=sim.samples[names].reset_index(drop=True),
        best=str(costs["offer"].iloc[0]),
        simulation=sim,
    )


def _offers_from_tables(offers: pd.DataFrame, tiers: pd.DataFrame) -> tuple[Offer, ...]:
    out = []
    for row in offers.itertuples(index=False):
        mine = tiers[tiers["offer"] == row.name]
        schedule = (
            TierSchedule(mine["from_volume"], mine["unit_price"], scheme=row.scheme)
            if len(mine)
            else None
        )
        out.append(
            Offer(
                name=row.name,
                one_off=row.one_off,
                recurring=row.recurring,
                tiers=schedule,
                escalation=row.escalation,
                exit_cost=row.exit_cost,
                committed_volume=row.committed_volume,
            )
        )
    return tuple(out)


offers_from_tables = deprecated_alias(Offer.from_tables, "offers_from_tables", "Offer.from_tables")
