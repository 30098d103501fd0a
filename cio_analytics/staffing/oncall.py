"""On-call rotation sizing: how many people a sustainable pager rotation needs.

Follows chapter 11, "Being On-Call", of Google's *Site Reliability Engineering* (Beyer, Jones,
Petoff and Murphy, O'Reilly 2016): at most 25 % of an engineer's time on call; with a primary
and a secondary on call at all times a single-site 24/7 team needs at least eight engineers, a
dual-site team at least six per site; an incident takes about six hours including the
postmortem, so a 12-hour shift should see at most two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .._validation import check_int, check_nonnegative, check_positive
from ..exceptions import ParameterError

__all__ = ["SRE_MIN_PER_SITE_MULTI_SITE", "OnCallRotation", "oncall_rotation"]

#: SRE book: "For dual-site teams, a reasonable minimum size of each team is six".
SRE_MIN_PER_SITE_MULTI_SITE = 6

_HOURS_PER_WEEK = 168.0


@dataclass(frozen=True)
class OnCallRotation:
    """Minimum rotation size and the rule that sets it.

    Attributes
    ----------
    n_on_call, n_sites, coverage_hours_per_week, max_oncall_share, incidents_per_week,
    shift_hours, max_incidents_per_shift, min_per_site
        The inputs, echoed (``min_per_site`` as applied).
    n_on_call_needed : int
        People on call at once after adding primaries for the incident load.
    incidents_per_shift : float
        Expected incidents per shift per primary before extra primaries.
    n_per_site : int
        Minimum people in each site's rotation.
    n_total : int
        ``n_per_site * n_sites``.
    oncall_share : float
        Share of each person's time on call at that size.
    binding : str
        ``"25% on-call share"`` (or the share given), ``"incident load"`` or ``"site minimum"``.
    reason : str
        A sentence explaining the number.
    """

    n_on_call: int
    n_sites: int
    coverage_hours_per_week: float
    max_oncall_share: float
    incidents_per_week: float
    shift_hours: float
    max_incidents_per_shift: float
    min_per_site: int
    n_on_call_needed: int
    incidents_per_shift: float
    n_per_site: int
    n_total: int
    oncall_share: float
    binding: str
    reason: str

    def summary(self) -> pd.DataFrame:
        """Tidy table of the headline figures (``metric``, ``value``, ``unit``)."""
        rows = [
            ("n_total", self.n_total, "people"),
            ("n_per_site", self.n_per_site, "people"),
            ("n_on_call_needed", self.n_on_call_needed, "people"),
            ("oncall_share", self.oncall_share, "share"),
            ("incidents_per_shift", self.incidents_per_shift, "incidents"),
            ("binding", self.binding, ""),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def oncall_rotation(
    *,
    n_on_call: int = 2,
    n_sites: int = 1,
    coverage_hours_per_week: float = 168.0,
    max_oncall_share: float = 0.25,
    incidents_per_week: float = 0.0,
    shift_hours: float = 12.0,
    max_incidents_per_shift: float = 2.0,
    min_per_site: int | None = None,
) -> OnCallRotation:
    """Smallest rotation that keeps on-call time and incident load sustainable.

    Parameters
    ----------
    n_on_call : int, default 2
        People on call at the same time in the covering site (primary and secondary).
    n_sites : int, default 1
        Sites sharing the clock follow-the-sun; each covers ``coverage_hours_per_week / n_sites``.
    coverage_hours_per_week : float, default 168
        Hours per week the rotation covers (168 for 24/7, e.g. 128 for nights and weekends).
    max_oncall_share : float, default 0.25
        Most a person may be on call, as a share of calendar time (SRE book: 25 %).
    incidents_per_week : float, default 0
        Expected incidents (not pages: one problem is one incident) per week.
    shift_hours : float, default 12
        Length of an on-call shift in hours.
    max_incidents_per_shift : float, default 2
        Most incidents one primary handles per shift (SRE book: 2 per 12-hour shift, at six
        hours each for response, postmortem and follow-up).
    min_per_site : int, optional
        Floor per site. Default: the SRE book's six per site for teams on two or more sites,
        none for a single site (where the 25 % rule itself gives eight for two people on call).

    Returns
    -------
    OnCallRotation

    Notes
    -----
    Incidents per shift ``i = incidents_per_week * shift_hours / coverage_hours_per_week``. If
    ``i`` exceeds the limit, ``ceil(i / max_incidents_per_shift) - 1`` extra primaries join
    the ``n_on_call`` (the book's first remedy is fewer pages; this only sizes the stop-gap).
    Per site, ``n = ceil(n_on_call_needed * coverage_hours_per_week / n_sites /
    (max_oncall_share * 168))``, raised to ``min_per_site``.

    References
    ----------
    Beyer, Jones, Petoff and Murphy (eds.), *Site Reliability Engineering*, O'Reilly 2016,
    chapter 11 "Being On-Call" (https://sre.google/sre-book/being-on-call/).

    Examples
    --------
    >>> oncall_rotation().n_total  # single site, 24/7, primary + secondary
    8
    >>> r = oncall_rotation(n_sites=2)
    >>> r.n_per_site, r.binding
    (6, 'site minimum')
    """
    n_on_call = check_int(n_on_call, "n_on_call", minimum=1)
    n_sites = check_int(n_sites, "n_sites", minimum=1)
    coverage = float(check_positive(coverage_hours_per_week, "coverage_hours_per_week"))
    if coverage > _HOURS_PER_WEEK:
        raise ParameterError(
            f"`coverage_hours_per_week` must be at most 168 (24/7). Got {coverage:g}."
        )
    share = float(check_positive(max_oncall_share, "max_oncall_share"))
    if share > 1:
        raise ParameterError(
            f"`max_oncall_share` must be in (0, 1]. Got {share:g}. "
            f"Use {share / 100:g} for {share:g} %."
        )
    incidents = float(check_nonnegative(incidents_per_week, "incidents_per_week"))
    shift = float(check_positive(shift_hours, "shift_hours"))
    max_inc = float(check_positive(max_incidents_per_shift, "max_incidents_per_shift"))
    if min_per_site is None:
        floor = SRE_MIN_PER_SITE_MULTI_SITE if n_sites >= 2 else 0
    else:
        floor = check_int(min_per_site, "min_per_site", minimum=0)

    per_shift = incidents * shift / coverage
    primaries = max(1, math.ceil(round(per_shift / max_inc, 9)))
    needed = n_on_call + primaries - 1
    site_hours = coverage / n_sites
    by_share = math.ceil(round(needed * site_hours / (share * _HOURS_PER_WEEK), 9))
    by_share_base = math.ceil(round(n_on_call * site_hours / (share * _HOURS_PER_WEEK), 9))
    n_per_site = max(by_share, floor, needed)
    if floor > by_share:
        binding = "site minimum"
        reason = (
            f"The {share:.0%} rule needs {by_share} per site, but a site needs at least {floor} "
            "people (SRE book: six per site for multi-site teams) to keep critical mass."
        )
    elif by_share > by_share_base:
        binding = "incident load"
        reason = (
            f"{per_shift:.1f} incidents per {shift:g}-hour shift exceed {max_inc:g}: "
            f"{needed} people must be on call at once, and the {share:.0%} rule then needs "
            f"{by_share} per site. Reducing pages would shrink the rotation."
        )
    else:
        binding = f"{share:.0%} on-call share"
        reason = (
            f"{needed} on call for {site_hours:g} h a week per site, each person at most "
            f"{share:.0%} of the time, needs {by_share} per site."
        )
    return OnCallRotation(
        n_on_call=n_on_call,
        n_sites=n_sites,
        coverage_hours_per_week=coverage,
        max_oncall_share=share,
        incidents_per_week=incidents,
        shift_hours=shift,
        max_incidents_per_shift=max_inc,
        min_per_site=floor,
        n_on_call_needed=needed,
        incidents_per_shift=per_shift,
        n_per_site=n_per_site,
        n_total=n_per_site * n_sites,
        oncall_share=needed * site_hours / (n_per_site * _HOURS_PER_WEEK),
        binding=binding,
        reason=reason,
    )
