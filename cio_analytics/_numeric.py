"""Numeric kernels shared by more than one domain (the ground floor: imports no domain).

Today: the Poisson quantile used to draw event counts by inversion in the risk register, FAIR
and the continuity outage simulation.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["poisson_ppf"]

_LOOP_MAX_RATE = 50.0  # above this the count search starts from the scipy quantile


def poisson_ppf(u: np.ndarray, rate: np.ndarray | float) -> np.ndarray:
    """Poisson quantile: the smallest ``k`` with ``P(N <= k; rate) >= u``, as int64.

    Parameters
    ----------
    u : ndarray
        Uniforms in [0, 1), one per trial (year).
    rate : float or ndarray
        Expected events per year (>= 0), one or one per trial.

    Returns
    -------
    ndarray of int64
        Event counts, the shape of ``u``.

    Notes
    -----
    Inversion, ``N = F^{-1}(u; rate)``: for a fixed ``u`` a lower rate never gives more events
    (monotone coupling). A single rate: the CDF ``F(k) = sum_{j <= k} e^{-rate} rate^j / j!``
    is tabulated once up to ``rate + 12 sqrt(rate) + 30`` and ``searchsorted`` inverts it.
    Rates per trial (up to 50): the CDF is accumulated with ``p_k = p_{k-1} rate / k`` for
    the trials still above it, on the whole array while most trials are active and on the
    remaining indices after that. Larger rates use ``scipy.stats.poisson.ppf`` (exact, slower).

    References
    ----------
    .. [1] Devroye, L. (1986). *Non-Uniform Random Variate Generation*, section X.3
       (Poisson by sequential search / inversion). Springer.

    Examples
    --------
    >>> poisson_ppf(np.array([0.1, 0.5, 0.99]), 2.0)
    array([0, 2, 6])
    """
    u = np.asarray(u, dtype=float)
    lam = np.asarray(rate, dtype=float)
    if lam.ndim == 0 or np.all(lam == lam.flat[0]):
        lam0 = float(lam.flat[0]) if lam.size else 0.0
        if lam0 <= 0.0:
            return np.zeros(u.shape, dtype=np.int64)
        k_max = int(lam0 + 12.0 * np.sqrt(lam0) + 30)
        cdf = stats.poisson.cdf(np.arange(k_max + 1), lam0)
        cdf[-1] = 1.0
        return np.searchsorted(cdf, u, side="left").astype(np.int64)
    lam = np.broadcast_to(lam, u.shape)
    if lam.max() > _LOOP_MAX_RATE:
        return stats.poisson.ppf(u, lam).astype(np.int64)
    counts = np.zeros(u.shape, dtype=np.int64)
    p = np.exp(-lam)
    c = p.copy()
    idx = None  # None: work on the whole array
    uu, ll = u, lam
    k = 0
    while True:
        active = uu > c
        n_active = int(active.sum())
        if n_active == 0 or k > 1000:
            break
        k += 1
        if idx is None and n_active > 0.25 * active.size:
            counts += active
        else:
            sel = np.flatnonzero(active)
            idx = sel if idx is None else idx[sel]
            uu, ll, p, c = uu[sel], ll[sel], p[sel], c[sel]
            counts[idx] += 1
        p = p * ll / k
        c = c + p
    return counts
