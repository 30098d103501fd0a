"""RateResult: rates of return with a status per scenario, and what a report shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ConvergenceError
from ._dates import result
from ._solver import STATUS_NAMES

__all__ = ["SEVERAL_RATES_LABEL", "RateResult", "finish"]

_REASONS = {
    "ok": "one rate makes the NPV zero",
    "no sign change": "flows never change sign (all in or all out): no rate makes the NPV zero",
    "no root": "flows change sign, but no rate in (-100 %, 1e13) makes the NPV zero",
    "several roots": "several rates make the NPV zero: no single IRR; judge by MIRR or NPV",
    "degenerate": "all flows are zero or on one date: the rate is undefined",
    "invalid input": "the row holds NaN or an infinity",
}

#: What a report shows instead of a rate where several rates make the NPV zero.
SEVERAL_RATES_LABEL = "several rates (see MIRR)"


@dataclass(frozen=True)
class RateResult:
    """Rates of return with a per-scenario status (``irr``/``xirr`` with ``full_output=True``).

    Attributes
    ----------
    rate : float or ndarray
        The rate per scenario (NaN where there is no answer).
    status : str or ndarray of str
        "ok", "no sign change", "no root", "several roots", "degenerate", "invalid input".
    n_sign_changes : int or ndarray
        Sign changes of the time-ordered flows (Descartes' bound on the number of roots).
    n_roots : int or ndarray
        Distinct rates > -100 % at which the NPV is zero.
    residual : float or ndarray
        ``|NPV| / sum |discounted flows|`` at the solver's last evaluation (within one tiny
        final step of the rate); a rate is reported only when it is below 1e-8.
    roots : ndarray or None
        Every root per scenario (ascending, NaN padded) with ``root="all"``.
    guess, function, root : the inputs echoed; ``index`` is the DataFrame index, if any.
    """

    rate: Any
    status: Any
    n_sign_changes: Any
    n_roots: Any
    residual: Any
    roots: np.ndarray | None
    guess: Any
    function: str
    index: Any = field(default=None, repr=False)
    root: str = "nearest"

    @property
    def ok(self) -> Any:
        """True where a rate was found (status "ok" or "several roots")."""
        return np.isin(self.status, ("ok", "several roots"))

    @property
    def several(self) -> Any:
        """True where several rates make the NPV zero: show :data:`SEVERAL_RATES_LABEL`."""
        return (
            np.asarray(self.status) == "several roots"
            if np.ndim(self.status)
            else (self.status == "several roots")
        )

    @property
    def unique_rate(self) -> Any:
        """The rate where exactly one rate solves, NaN elsewhere: the figure a report may
        print as "the IRR" (where :attr:`several`, print :data:`SEVERAL_RATES_LABEL`)."""
        out = np.where(self.several, np.nan, self.rate)
        return float(out) if np.ndim(out) == 0 else out

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario: rate, status, n_sign_changes, n_roots, residual."""
        cols = ("rate", "status", "n_sign_changes", "n_roots", "residual")
        data = {c: np.atleast_1d(getattr(self, c)) for c in cols}
        return pd.DataFrame(data, index=self.index)

    def summary(self) -> pd.DataFrame:
        """Tidy counts per status: status, n_scenarios, share, median_rate, reason."""
        frame = self.to_frame()
        rows = []
        for name in STATUS_NAMES:
            sel = frame["status"] == name
            if sel.any():
                rates = frame.loc[sel, "rate"]
                median = float(rates.median()) if rates.notna().any() else np.nan
                share = float(sel.mean())
                rows.append((name, int(sel.sum()), share, median, _REASONS[name]))
        cols = ["status", "n_scenarios", "share", "median_rate", "reason"]
        return pd.DataFrame(rows, columns=cols)


def finish(
    sol, single, index, guess, function, full_output, raise_on_error, all_roots, root="nearest"
):
    if raise_on_error:
        bad = np.flatnonzero(~np.isin(sol.status, (0, 3)))  # neither "ok" nor "several roots"
        if len(bad):
            names = np.asarray(STATUS_NAMES)[sol.status[bad]]
            counts = pd.Series(names).value_counts().to_dict()
            where = "" if single else f" First at row {int(bad[0])}."
            raise ConvergenceError(
                f"{function}: no rate for {len(bad)} of {len(sol.status)} scenario(s) {counts}."
                f"{where} Call with raise_on_error=False to get NaN and a status per row."
            )
    roots = sol.roots
    if roots is not None and single:
        roots = roots[0][np.isfinite(roots[0])]
    if full_output:
        names = np.asarray(STATUS_NAMES, dtype=object)[sol.status]
        pick = (
            (lambda a: a[0].item() if isinstance(a[0], np.generic) else a[0])
            if single
            else (lambda a: a)
        )
        return RateResult(
            rate=pick(sol.rate),
            status=pick(names),
            n_sign_changes=pick(sol.n_sign_changes),
            n_roots=pick(sol.n_roots),
            residual=pick(sol.residual),
            roots=roots,
            guess=guess,
            function=function,
            index=index,
            root=root,
        )
    if all_roots:
        if index is not None:
            cols = [f"root_{i + 1}" for i in range(roots.shape[1])]
            return pd.DataFrame(roots, index=index, columns=cols)
        return roots
    return result(sol.rate, single, index, function)
