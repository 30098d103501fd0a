"""Scenario adjustments of vendor offers: a vendor's prices up or down.

A scenarios file (``cio-analytics run PACK --scenarios FILE``) changes an offer's prices without
editing the offers file: the sourcing notebook takes the changes as one parameter,
``adjustments``, and applies them with :func:`adjust_offers` where the offers are built.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from .._validation import did_you_mean, short_repr
from ..exceptions import ParameterError
from ..valuation.adjust import adjustment_factor
from .offers import Offer
from .tiers import TierSchedule

__all__ = ["adjust_offers"]


def adjust_offers(
    offers: Sequence[Offer], adjustments: Mapping[str, Any] | None
) -> tuple[Offer, ...]:
    """The offers with a scenario's change of each named vendor's prices.

    Parameters
    ----------
    offers : sequence of Offer
        As :meth:`Offer.from_tables` gives them.
    adjustments : mapping or None
        Offer name -> a relative change of its prices (``{"Vendor A": "-5 %"}``): every tier's
        unit price and the recurring fee. One-off and exit costs stay. Empty or None returns
        the offers unchanged.

    Returns
    -------
    tuple of Offer
        In the given order.

    Notes
    -----
    ``p'_k = f p_k`` for every tier ``k`` and ``recurring' = f recurring``: the volume charge
    and the fixed fee scale with ``f``, so the offer's cost moves by ``(f - 1)`` times their
    present value.

    Examples
    --------
    >>> a = Offer("Vendor A", one_off=100.0, recurring=50.0, tiers=TierSchedule([0, 10], [2, 1]))
    >>> (b,) = adjust_offers([a], {"Vendor A": "-10 %"})
    >>> b.tiers.unit_price, b.recurring, b.one_off
    ((1.8, 0.9), 45.0, 100.0)
    """
    offers = tuple(offers)
    if not adjustments:
        return offers
    if not isinstance(adjustments, Mapping):
        raise ParameterError(
            f"`adjustments` must be a mapping of offer -> change, e.g. {{'Vendor A': '-5 %'}}. "
            f"Got {short_repr(adjustments)}."
        )
    names = [o.name for o in offers]
    problems, factors = [], {}
    for key, value in adjustments.items():
        if key not in names:
            problems.append(
                f"`{key}` is not an offer.{did_you_mean(str(key), names)} Offers: "
                f"{', '.join(names)}."
            )
            continue
        try:
            factors[key] = adjustment_factor(value, str(key))
        except ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterError("\n".join(problems))
    out = []
    for offer in offers:
        f = factors.get(offer.name)
        if f is None:
            out.append(offer)
            continue
        tiers = offer.tiers
        if tiers is not None:
            tiers = TierSchedule(tiers.from_volume, [p * f for p in tiers.unit_price], tiers.scheme)
        out.append(dataclasses.replace(offer, tiers=tiers, recurring=offer.recurring * f))
    return tuple(out)
