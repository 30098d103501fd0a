"""Variance-based (Sobol') sensitivity: first-order and total indices with bootstrap intervals.

For a model ``Y = f(X_1, ..., X_k)`` of **independent** inputs, the first-order index
``S1_i = V[E(Y | X_i)] / V(Y)`` is the share of the output variance that ``X_i`` explains on its
own, and the total index ``ST_i = E[V(Y | X_~i)] / V(Y)`` the share that involves ``X_i`` at all
(alone or through interactions). ``ST_i - S1_i`` is the interaction share; ``ST_i`` near 0 means
the input can be fixed at any value without changing the output's variance.

The rank-correlation tornado of :meth:`SimulationResult.sensitivity` is the tool for correlated
inputs; Sobol' indices assume independence, so correlated inputs are refused here.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from .._validation import check_int, check_probability, resolve_seed, short_repr
from ..exceptions import ParameterError
from ._base import Distribution
from .simulation import _call_style, _check_inputs, _check_outputs

__all__ = ["SobolResult", "sobol_indices"]

_TINY = np.finfo(float).tiny
_TOP = 1.0 - np.finfo(float).epsneg
_BOOT_CELLS = 2_000_000  # resampled values held at once (memory bound of the bootstrap)


@dataclass(frozen=True)
class SobolResult:
    """The outcome of :func:`sobol_indices`.

    Attributes
    ----------
    indices : DataFrame
        One row per uncertain input: ``input``, ``S1``, ``S1_ci_low``, ``S1_ci_high``, ``ST``,
        ``ST_ci_low``, ``ST_ci_high``, in the order of ``inputs``.
    second_order : DataFrame or None
        With ``second_order=True``: one row per pair ``input_a``, ``input_b``, ``S2``,
        ``S2_ci_low``, ``S2_ci_high``.
    inputs : dict
        The inputs as given (distributions and constants).
    output : str
        The model output analysed.
    n : int
        Base rows ``N`` of the Saltelli design.
    n_model_runs : int
        Model evaluations: ``N (k + 2)``, or ``N (2k + 2)`` with second-order indices.
    n_bootstrap : int
        Bootstrap resamples behind the intervals.
    confidence_level : float
        Coverage of the bootstrap intervals.
    variance : float
        Output variance estimated from the ``A`` and ``B`` rows (``2N`` values).
    seed : int
        ``sobol_indices(..., rng=seed)`` replays the run.
    """

    indices: pd.DataFrame
    second_order: pd.DataFrame | None
    inputs: dict[str, Any]
    output: str
    n: int
    n_model_runs: int
    n_bootstrap: int
    confidence_level: float
    variance: float
    seed: int

    def summary(self) -> pd.DataFrame:
        """Tidy table: input, S1 with its interval, ST with its interval, interaction share."""
        table = self.indices.copy()
        table["interaction"] = table["ST"] - table["S1"]
        return table


def _uniforms(k: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``A`` and ``B`` (n x k each) from one scrambled Sobol' sequence of dimension 2k."""
    engine = qmc.Sobol(2 * k, scramble=True, rng=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # balance warning for non powers of 2
        u = engine.random(n)
    np.clip(u, _TINY, _TOP, out=u)
    return u[:, :k], u[:, k:]


def _design(a: np.ndarray, b: np.ndarray, second_order: bool) -> np.ndarray:
    """Stacked rows ``A, B, A_B^1..A_B^k[, B_A^1..B_A^k]`` (Saltelli 2010, section 3)."""
    k = a.shape[1]
    blocks = [a, b]
    for i in range(k):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    if second_order:
        for i in range(k):
            ba = b.copy()
            ba[:, i] = a[:, i]
            blocks.append(ba)
    return np.concatenate(blocks, axis=0)


def _estimates(fa, fb, fab, fba, pairs):
    """Jansen estimators along the last axis (rows); leading axes are bootstrap resamples.

    ``fa``, ``fb``: (..., N); ``fab``, ``fba``: (k, ..., N). Returns S1 (k, ...), ST (k, ...)
    and S2 (len(pairs), ...) or None.
    """
    both = np.concatenate([fa, fb], axis=-1)
    var = both.var(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        first = 1.0 - 0.5 * np.mean((fb - fab) ** 2, axis=-1) / var
        total = 0.5 * np.mean((fa - fab) ** 2, axis=-1) / var
        s2 = None
        if fba is not None and not pairs:
            s2 = np.empty((0, *np.shape(var)))
        elif fba is not None:
            s2 = np.stack(
                [
                    1.0 - 0.5 * np.mean((fba[i] - fab[j]) ** 2, axis=-1) / var - first[i] - first[j]
                    for i, j in pairs
                ]
            )
    return first, total, s2


def _bootstrap(fa, fb, fab, fba, pairs, n_bootstrap, rng, confidence_level):
    """Percentile intervals from ``n_bootstrap`` row resamples, vectorised in chunks."""
    n = fa.size
    per = max(1, _BOOT_CELLS // (n * (2 + len(fab) + (0 if fba is None else len(fba)))))
    s1_parts, st_parts, s2_parts = [], [], []
    for start in range(0, n_bootstrap, per):  # chunks of resamples, not one loop per resample
        idx = rng.integers(0, n, size=(min(per, n_bootstrap - start), n))
        s1, st, s2 = _estimates(
            fa[idx], fb[idx], fab[:, idx], None if fba is None else fba[:, idx], pairs
        )
        s1_parts.append(s1)
        st_parts.append(st)
        if s2 is not None:
            s2_parts.append(s2)
    alpha = 1.0 - confidence_level
    qs = [alpha / 2.0, 1.0 - alpha / 2.0]

    def interval(parts):
        return np.quantile(np.concatenate(parts, axis=-1), qs, axis=-1)

    return interval(s1_parts), interval(st_parts), interval(s2_parts) if s2_parts else None


def sobol_indices(
    model: Callable[..., Any],
    inputs: Mapping[str, Distribution | float],
    n: int,
    *,
    rng: int | np.random.Generator | None = None,
    second_order: bool = False,
    n_bootstrap: int = 1000,
    confidence_level: float = 0.95,
    output: str | None = None,
    correlation: Any = None,
) -> SobolResult:
    """First-order and total Sobol' indices of a vectorised model, with bootstrap intervals.

    Parameters
    ----------
    model : callable
        Vectorised, as :func:`~cio_analytics.risk.simulate` takes it: ``model(**arrays)`` (or
        ``model(arrays)`` for a single non-input argument) with one float array per input;
        returns one value per row, or a dict of named such arrays (then pass ``output``).
    inputs : dict of str -> Distribution or number
        Independent uncertain inputs (numbers are held constant and get no index).
    n : int
        Base rows ``N`` of the design (>= 16; a power of 2 keeps the Sobol' sequence balanced).
        The model is evaluated on ``N (k + 2)`` rows for ``k`` uncertain inputs.
    rng : None, int or Generator
        Seed of the Sobol' scrambling and of the bootstrap; recorded as ``result.seed``.
    second_order : bool
        Also estimate the pairwise indices ``S2_ij`` (``N k`` more model rows).
    n_bootstrap : int
        Bootstrap resamples of the ``N`` rows for the intervals (>= 10).
    confidence_level : float
        Coverage of the percentile bootstrap intervals (0.95 = 95 %).
    output : str, optional
        The output to analyse when the model returns several.
    correlation : None
        Sobol' indices need independent inputs; any correlation is refused with a pointer to
        the rank-correlation tornado.

    Returns
    -------
    SobolResult

    Notes
    -----
    Saltelli (2010) design: ``A`` and ``B`` are the two halves of a scrambled Sobol' sequence
    of dimension ``2k`` mapped through each input's inverse CDF; ``A_B^i`` is ``A`` with column
    ``i`` taken from ``B``. With ``V`` the variance of ``f(A)`` and ``f(B)`` together, the
    Jansen (1999) estimators are

    ``S1_i = 1 - mean((f(B) - f(A_B^i))^2) / (2 V)``,
    ``ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)``,

    and, with ``B_A^i`` (``B`` with column ``i`` from ``A``), the closed second-order index
    ``S2_ij = 1 - mean((f(B_A^i) - f(A_B^j))^2) / (2 V) - S1_i - S1_j``. Intervals: the
    ``(1 -+ confidence_level) / 2`` quantiles of the estimators over ``n_bootstrap`` resamples
    of the ``N`` rows (the same resampled rows for every matrix, so the pairing is kept).

    References
    ----------
    Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. Design and
    estimator for the total sensitivity index. *Computer Physics Communications* 181, 259-270.
    Jansen, M. J. W. (1999). Analysis of variance designs for model output. *Computer Physics
    Communications* 117, 35-43.
    Ishigami, T. and Homma, T. (1990). An importance quantification technique in uncertainty
    analysis for computer models. *ISUMA '90*, 398-403.

    Examples
    --------
    >>> from cio_analytics.risk import Uniform, sobol_indices
    >>> res = sobol_indices(lambda x, y: x + 2 * y, {"x": Uniform(0, 1), "y": Uniform(0, 1)},
    ...                     1024, rng=1, n_bootstrap=100)
    >>> [round(v, 2) for v in res.indices["ST"]]  # exact 1/5 and 4/5
    [0.2, 0.8]
    """
    if not callable(model):
        raise ParameterError(f"`model` must be a function. Got {short_repr(model)}.")
    if correlation is not None:
        raise ParameterError(
            "`correlation`: Sobol' indices need independent inputs, so correlated inputs are "
            f"refused. Got {short_repr(correlation)}. For correlated inputs use the rank-"
            "correlation tornado: simulate(model, inputs, n_trials, correlation=...)"
            ".sensitivity()."
        )
    dists = _check_inputs(inputs)
    n = check_int(n, "n", minimum=16)
    n_bootstrap = check_int(n_bootstrap, "n_bootstrap", minimum=10)
    confidence_level = check_probability(confidence_level, "confidence_level")
    if not 0 < confidence_level < 1:
        raise ParameterError(
            f"`confidence_level` must be strictly between 0 and 1. Got {confidence_level:g}. "
            "Use 0.95 for 95 % intervals."
        )
    uncertain = [name for name, d in dists.items() if isinstance(d, Distribution)]
    if not uncertain:
        raise ParameterError(
            "`inputs` must hold at least one distribution: every input is a constant, so there "
            "is no variance to apportion."
        )
    seed, gen = resolve_seed(rng)
    k = len(uncertain)
    a, b = _uniforms(k, n, gen)
    u = _design(a, b, bool(second_order))
    rows = u.shape[0]
    names = list(dists)
    arrays: dict[str, np.ndarray] = {}
    for name, dist in dists.items():
        if isinstance(dist, Distribution):
            arrays[name] = np.asarray(dist._ppf(u[:, uncertain.index(name)]), dtype=float)
        else:
            arrays[name] = np.broadcast_to(np.float64(dist), (rows,))
    raw = model(arrays) if _call_style(model, names) == "dict" else model(**arrays)
    outs = _check_outputs(raw, rows, 0, arrays, True, names)
    if output is None:
        if len(outs) > 1:
            raise ParameterError(f"The model has several outputs {list(outs)}: pass `output=`.")
        output = next(iter(outs))
    elif output not in outs:
        raise ParameterError(f"Unknown output {output!r}. Outputs are {list(outs)}.")
    y = outs[output]
    if np.isnan(y).any():
        t = int(np.flatnonzero(np.isnan(y))[0])
        at = ", ".join(f"{k}={arrays[k][t]:.6g}" for k in names[:8])
        raise ParameterError(
            f"Model output {output!r} is NaN at design row {t} (inputs: {at}). Sobol' indices "
            "need a number in every row: fix the model (e.g. a division by zero) or analyse a "
            "NaN-free output."
        )
    fa, fb = y[:n], y[n : 2 * n]
    fab = y[2 * n : (2 + k) * n].reshape(k, n)
    fba = y[(2 + k) * n :].reshape(k, n) if second_order else None
    variance = float(np.concatenate([fa, fb]).var())
    if not variance > 0:
        raise ParameterError(
            f"Output {output!r} is constant over the design (variance 0): there is nothing to "
            "apportion. Check that the model uses its inputs."
        )
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    s1, st, s2 = _estimates(fa, fb, fab, fba, pairs)
    ci1, cit, ci2 = _bootstrap(fa, fb, fab, fba, pairs, n_bootstrap, gen, confidence_level)
    indices = pd.DataFrame(
        {
            "input": uncertain,
            "S1": s1,
            "S1_ci_low": ci1[0],
            "S1_ci_high": ci1[1],
            "ST": st,
            "ST_ci_low": cit[0],
            "ST_ci_high": cit[1],
        }
    )
    pair_table = None
    if second_order:
        pair_table = pd.DataFrame(
            {
                "input_a": [uncertain[i] for i, _ in pairs],
                "input_b": [uncertain[j] for _, j in pairs],
                "S2": s2 if s2 is not None else [],
                "S2_ci_low": ci2[0] if ci2 is not None else [],
                "S2_ci_high": ci2[1] if ci2 is not None else [],
            }
        )
    return SobolResult(
        indices=indices,
        second_order=pair_table,
        inputs=dict(dists),
        output=output,
        n=n,
        n_model_runs=rows,
        n_bootstrap=n_bootstrap,
        confidence_level=float(confidence_level),
        variance=variance,
        seed=seed,
    )
