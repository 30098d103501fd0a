"""Rank correlation between inputs: validation, Higham repair, Iman-Conover reordering.

A user states Spearman rank correlations between named inputs. They are converted to the
correlation of normal scores, ``r = 2 sin(pi rho / 6)`` (exact for a bivariate normal), and
imposed on independently drawn samples by the Iman-Conover method, which only reorders each
input's values, so every marginal distribution is kept exactly. A target that is not positive
semi-definite (inconsistent judgements such as A~B 0.9, B~C 0.9, A~C -0.9) is replaced by the
nearest correlation matrix in the Frobenius norm (Higham 2002, alternating projections with
Dykstra's correction) and the result says so.

References
----------
Iman, R. L. & Conover, W. J. (1982). A distribution-free approach to inducing rank correlation
among input variables. *Communications in Statistics - Simulation and Computation* 11(3).
Higham, N. J. (2002). Computing the nearest correlation matrix - a problem from finance.
*IMA Journal of Numerical Analysis* 22(3), 329-343.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from .._validation import as_float_array, did_you_mean
from ..exceptions import ConvergenceError, ParameterError
from ._order import sorting_orders

__all__ = [
    "CorrelationSpec",
    "iman_conover",
    "nearest_correlation",
    "normal_to_spearman",
    "prepare_correlation",
    "spearman_to_normal",
]


def spearman_to_normal(rho: Any) -> Any:
    """Pearson correlation of normal scores giving Spearman ``rho``: ``2 sin(pi rho / 6)``.

    Examples
    --------
    >>> print(f"{spearman_to_normal(0.5):.6f}")
    0.517638
    """
    return 2.0 * np.sin(np.pi * np.asarray(rho, dtype=float) / 6.0)


def normal_to_spearman(r: Any) -> Any:
    """Inverse of :func:`spearman_to_normal`: ``(6 / pi) arcsin(r / 2)``."""
    return 6.0 / np.pi * np.arcsin(np.asarray(r, dtype=float) / 2.0)


def _project_psd(a: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh(a)
    return (v * np.maximum(w, 0.0)) @ v.T


def nearest_correlation(
    matrix: Any, *, tol: float = 1e-12, max_iter: int = 10_000
) -> tuple[np.ndarray, int]:
    """Nearest correlation matrix in the Frobenius norm (Higham 2002, alternating projections).

    Parameters
    ----------
    matrix : array_like, shape (k, k)
        A symmetric matrix (e.g. an inconsistent correlation target).
    tol : float
        Stop when successive iterates change by less than ``tol`` (relative Frobenius norm).
    max_iter : int
        Iteration limit; ConvergenceError if reached.

    Returns
    -------
    (ndarray, int)
        The nearest correlation matrix (symmetric, unit diagonal, positive semi-definite) and
        the number of iterations.

    Notes
    -----
    Alternates the projection onto the positive semi-definite cone (eigenvalues clipped at 0)
    and onto unit-diagonal matrices, with Dykstra's correction ``dS`` on the first projection
    (Higham 2002, Algorithm 3.3, ``W = I``).

    Examples
    --------
    >>> x, _ = nearest_correlation([[2, -1, 0, 0], [-1, 2, -1, 0], [0, -1, 2, -1], [0, 0, -1, 2]])
    >>> print(np.round(x[0], 4))
    [ 1.     -0.8084  0.1916  0.1068]
    """
    a = as_float_array(matrix, "matrix", ndim=2)
    if a.shape[0] != a.shape[1]:
        raise ParameterError(f"`matrix` must be square. Got shape {a.shape}.")
    y = (a + a.T) / 2.0
    ds = np.zeros_like(y)
    x = y
    for it in range(1, max_iter + 1):
        r = y - ds
        x_new = _project_psd(r)
        ds = x_new - r
        y_new = x_new.copy()
        np.fill_diagonal(y_new, 1.0)
        change = max(
            np.linalg.norm(x_new - x) / max(np.linalg.norm(x_new), 1e-300),
            np.linalg.norm(y_new - y) / np.linalg.norm(y_new),
            np.linalg.norm(y_new - x_new) / np.linalg.norm(y_new),
        )
        x, y = x_new, y_new
        if change < tol:
            return (y + y.T) / 2.0, it
    raise ConvergenceError(
        f"nearest_correlation did not converge in {max_iter} iterations (tol={tol:g}). "
        "Raise `max_iter` or `tol`."
    )


@dataclass(frozen=True)
class CorrelationSpec:
    """A validated rank-correlation target over named inputs.

    Attributes
    ----------
    names : tuple of str
        The correlated inputs, in matrix order.
    target : DataFrame
        The Spearman targets as given.
    used : DataFrame
        The Spearman matrix actually imposed (``target`` unless repaired).
    repaired : bool
        True if ``target`` was not positive semi-definite and was replaced by Higham's nearest
        correlation matrix.
    normal : ndarray
        Correlation of normal scores imposed by Iman-Conover: ``2 sin(pi used / 6)``.
    nearest : DataFrame or None
        Higham's nearest correlation matrix to ``target`` in Spearman space (None when the
        target needed no repair).
    normal_repaired : bool
        True if ``2 sin(pi nearest / 6)`` was not positive semi-definite and was repaired a
        second time in normal-score space; ``used`` is then the Spearman equivalent of that
        second repair and differs slightly from ``nearest``.
    """

    names: tuple[str, ...]
    target: pd.DataFrame
    used: pd.DataFrame
    repaired: bool
    normal: np.ndarray
    nearest: pd.DataFrame | None = None
    normal_repaired: bool = False

    @property
    def max_repair(self) -> float:
        """Largest absolute change the repair made to a target."""
        return float(np.max(np.abs(self.used.to_numpy() - self.target.to_numpy())))


def prepare_correlation(
    correlation: Any, input_names: Sequence[str], names: Sequence[str] | None = None
) -> CorrelationSpec:
    """Validate a Spearman target (DataFrame over input names, or array with ``names``).

    Raises ParameterError for a wrong size, unknown names, values outside [-1, 1], a diagonal
    other than 1, or an asymmetric matrix. Repairs a non-PSD matrix (see module docs).
    """
    if isinstance(correlation, pd.DataFrame):
        rows, cols = [str(c) for c in correlation.index], [str(c) for c in correlation.columns]
        if rows != cols:
            raise ParameterError(
                "`correlation` DataFrame must have the same input names, in the same order, as "
                f"index and columns. Got index {rows} and columns {cols}."
            )
        if names is not None and list(names) != cols:
            raise ParameterError("`names` must not be given with a DataFrame `correlation`.")
        names = cols
        mat = as_float_array(correlation, "correlation", ndim=2)
    else:
        mat = as_float_array(correlation, "correlation", ndim=2)
        if names is None:
            names = list(input_names)
            if mat.shape[0] != len(names):
                raise ParameterError(
                    f"`correlation` is {mat.shape[0]}x{mat.shape[1]} but there are {len(names)} "
                    "inputs. Pass `correlation_names=[...]` (the inputs the rows refer to) or a "
                    "DataFrame labelled with input names."
                )
        names = [str(n) for n in names]
    k = len(names)
    if mat.shape != (k, k):
        raise ParameterError(
            f"`correlation` must be {k}x{k} (one row and column per name in {names}). "
            f"Got shape {mat.shape}."
        )
    if len(set(names)) != k:
        raise ParameterError(f"`correlation` names must be unique. Got {names}.")
    for n in names:
        if n not in input_names:
            raise ParameterError(
                f"`correlation` refers to unknown input {n!r}. Inputs are "
                f"{list(input_names)}.{did_you_mean(n, input_names)}"
            )
    if np.any(np.abs(mat) > 1):
        i, j = np.argwhere(np.abs(mat) > 1)[0]
        raise ParameterError(
            f"`correlation`[{names[i]!r}, {names[j]!r}] must be in [-1, 1]. Got {mat[i, j]:g}."
        )
    if not np.allclose(np.diag(mat), 1.0):
        i = int(np.flatnonzero(~np.isclose(np.diag(mat), 1.0))[0])
        raise ParameterError(
            f"`correlation` diagonal must be 1 (an input is fully correlated with itself). "
            f"Got {mat[i, i]:g} for {names[i]!r}."
        )
    if not np.allclose(mat, mat.T, atol=1e-12):
        i, j = np.argwhere(~np.isclose(mat, mat.T, atol=1e-12))[0]
        raise ParameterError(
            f"`correlation` must be symmetric. Got [{names[i]!r}, {names[j]!r}] = {mat[i, j]:g} "
            f"but [{names[j]!r}, {names[i]!r}] = {mat[j, i]:g}."
        )
    labels = pd.Index(names)  # one Index for every frame (string Indexes are slow to build)
    target = pd.DataFrame(mat, index=labels, columns=labels)
    used, repaired, nearest = mat, False, None
    if np.linalg.eigvalsh(mat).min() < -1e-10:
        used, _ = nearest_correlation(mat)
        repaired = True
        nearest = pd.DataFrame(used, index=labels, columns=labels)
    normal = spearman_to_normal(used)
    np.fill_diagonal(normal, 1.0)
    normal_repaired = False
    # A Higham repair lands on the boundary of the semi-definite cone (a zero eigenvalue); the
    # concave-convex sin map then usually pushes it just outside, so the normal-score matrix is
    # repaired again here and `used` becomes its Spearman equivalent (see docs/risk-engine.md).
    if np.linalg.eigvalsh(normal).min() < -1e-10:
        normal, _ = nearest_correlation(normal)
        used = normal_to_spearman(normal)
        np.fill_diagonal(used, 1.0)
        repaired = normal_repaired = True
    return CorrelationSpec(
        names=tuple(names),
        target=target,
        used=pd.DataFrame(used, index=labels, columns=labels),
        repaired=repaired,
        normal=normal,
        nearest=nearest,
        normal_repaired=normal_repaired,
    )


_SINGLE_THREAD_MNK = 262_144  # OpenBLAS runs a product with m n k up to this on one thread


def _columns_per_call(k: int) -> int:
    """Columns of a ``(k, n)`` operand per BLAS call so that OpenBLAS stays on one thread."""
    return max(16, _SINGLE_THREAD_MNK // (k * k))


def gram(s: np.ndarray) -> np.ndarray:
    """``s @ s.T`` for a wide ``(k, n)`` matrix, accumulated over column pieces.

    Multi-threaded BLAS on tall-skinny products can be slower than one thread on a busy
    machine (threads spin waiting for cores, and a product of 20 rows by 2,048 columns took
    40 times the CPU time of one by 1,024 on the 2-core VM); pieces of ``262144 / k^2``
    columns keep OpenBLAS on the calling thread and the temporaries small.
    """
    out = np.zeros((s.shape[0], s.shape[0]))
    step = _columns_per_call(s.shape[0])
    for i in range(0, s.shape[1], step):
        piece = s[:, i : i + step]
        out += piece @ piece.T
    return out


def _sqrt_psd(c: np.ndarray) -> np.ndarray:
    """A matrix ``L`` with ``L L^T = c`` (Cholesky, or eigen-decomposition if singular)."""
    try:
        return np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        w, v = np.linalg.eigh(c)
        return v * np.sqrt(np.maximum(w, 0.0))


def iman_conover(
    sorted_values: Sequence[np.ndarray],
    ranks: Sequence[np.ndarray],
    normal: np.ndarray,
    *,
    return_ranks: bool = False,
    arranged_scores: np.ndarray | None = None,
) -> list[np.ndarray] | tuple[list[np.ndarray], list[np.ndarray]]:
    """Reorder independent samples so their rank correlation matches a target.

    Parameters
    ----------
    sorted_values : sequence of ndarray, each shape (n,)
        Each input's sample, sorted ascending.
    ranks : sequence of ndarray of int, each shape (n,)
        Each input's independent random arrangement: ``ranks[j][t]`` is the rank (0-based) of
        the value trial ``t`` would get without correlation. They come from the input's own
        stream, so the result is reproducible per input.
    normal : ndarray, shape (k, k)
        Target correlation of the normal scores (``2 sin(pi rho / 6)``).

    return_ranks : bool
        Also return each input's new ranks, 1-based floats (a by-product of the reordering).
    arranged_scores : ndarray, shape (k, n), optional
        Rows ``j`` whose ``ranks[j]`` is None already hold the scores in that input's random
        order (``Phi^-1((ranks[j] + 1) / (n + 1))``, drawn by the sampler without the ranks);
        the other rows are filled here. ``ranks[0]`` must be given.

    Returns
    -------
    list of ndarray
        Each input's values, rearranged. Marginal values are unchanged. With ``return_ranks``,
        a tuple ``(values, ranks)``.

    Notes
    -----
    Scores ``S[t, j] = Phi^-1((ranks[j][t] + 1) / (n + 1))`` (van der Waerden). With ``E`` their
    sample correlation, ``E = Q Q^T`` and ``C = P P^T``, the scores ``S* = S Q^-T P^T`` have
    correlation exactly ``C``; each input is rearranged to the ranks of its column of ``S*``
    (Iman & Conover 1982).
    """
    n, k = sorted_values[0].size, len(ranks)
    scores = _scores(n)
    # One row per input: contiguous rows keep BLAS fast.
    s = np.empty((k, n)) if arranged_scores is None else arranged_scores
    for j, r in enumerate(ranks):
        if r is not None:
            np.take(scores, r, out=s[j], mode="clip")
    e = gram(s) / _norm2(n)  # every row has mean 0 and the same norm
    try:
        q = np.linalg.cholesky(e)
    except np.linalg.LinAlgError:
        raise ParameterError(
            f"`correlation` cannot be imposed on {n} trials of {k} correlated inputs: "
            "the trials' rank scores are linearly dependent. Use more trials than correlated "
            "inputs (hundreds at least)."
        ) from None
    p = _sqrt_psd(normal)
    # P Q^-1. np.linalg.solve, not scipy's solve_triangular: OpenBLAS runs the latter's
    # trsm on all threads even for 20 x 20 (1.5 ms of CPU, mostly spinning, on a busy VM).
    a = np.linalg.solve(q.T, p.T).T
    # With a Cholesky P, a is lower triangular and the first target row is a[0, 0] s[0], in
    # the order of the input's own ranks: no product and no sort needed for it.
    first = int(a[0, 0] > 0 and not np.any(a[0, 1:]))
    target = _product(np.ascontiguousarray(a[first:]), s)  # S* transposed: one row per input
    del s
    order = sorting_orders(target)  # row j: np.argsort of target row j, from one SIMD sort
    ones_to_n = np.arange(1.0, n + 1.0) if return_ranks else None
    out: list[np.ndarray] = []
    new_ranks = np.empty((k, n)) if return_ranks else None  # rows: one block for gram()
    if first:
        out.append(np.take(sorted_values[0], ranks[0], mode="clip"))
        if return_ranks:
            np.add(ranks[0], 1.0, out=new_ranks[0])
    for j in range(first, k):
        arranged = np.empty_like(sorted_values[j])
        arranged[order[j - first]] = sorted_values[j]
        out.append(arranged)
        if return_ranks:
            new_ranks[j][order[j - first]] = ones_to_n
    return (out, list(new_ranks)) if return_ranks else out


@lru_cache(maxsize=8)
def _scores(n: int) -> np.ndarray:
    """Van der Waerden scores ``Phi^-1(i / (n + 1))``, ``i = 1..n`` (read-only, cached)."""
    scores = special.ndtri(np.arange(1, n + 1) / (n + 1.0))
    scores.setflags(write=False)
    return scores


@lru_cache(maxsize=8)
def _norm2(n: int) -> float:
    """``scores . scores``, cached: a 100,000-long np.dot runs on every OpenBLAS thread and
    cost 8 ms of (mostly spinning) CPU per call on the busy VM."""
    scores = _scores(n)
    return float(np.dot(scores, scores))


def _product(a: np.ndarray, s: np.ndarray) -> np.ndarray:
    """``a @ s`` for a small ``(k, k)`` ``a`` and a wide ``(k, n)`` ``s``, in column pieces.

    Pieces keep OpenBLAS on the calling thread (see :func:`gram`) and write straight into
    the result, so no temporary the size of ``s`` is made.
    """
    out = np.empty((a.shape[0], s.shape[1]))
    step = _columns_per_call(s.shape[0])
    for i in range(0, s.shape[1], step):
        np.matmul(a, s[:, i : i + step], out=out[:, i : i + step])
    return out
