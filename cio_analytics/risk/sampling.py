"""Random streams and block samplers: plain Monte Carlo, Latin hypercube, scrambled Sobol.

Design (what makes runs reproducible and paired):

* The trials of a run are cut into **blocks** of ``block_size`` trials (the last one may be
  shorter). A block is the unit of randomness: its draws depend only on the seed, the input's
  *name* and the block index. How many blocks are processed together (``chunk_size``) therefore
  never changes the numbers.
* Each input has its own stream per block, a PCG64 generator seeded by
  ``SeedSequence(seed, spawn_key=(h1, h2, h3, h4, block))`` where ``h1..h4`` are a BLAKE2b
  hash of the input name. Adding, removing or changing another input does not change this
  input's draws (common random numbers: "with control" and "without control" runs are paired).
* Latin hypercube: within a block of ``m`` trials, input values are
  ``ppf((i + u_i) / m)`` for strata ``i = 0..m-1`` (one draw per stratum), arranged in a random
  order from the input's stream (or by Iman-Conover when correlated). Each block is a complete
  Latin hypercube; a run of several blocks is stratified block by block.
* Sobol: one scrambled Sobol sequence (``scipy.stats.qmc.Sobol``, Owen scrambling seeded from
  the seed) over the inputs in sorted-name order; block ``b`` uses points
  ``b * block_size ...`` (``fast_forward``), so it is chunk-invariant, but dimensions are
  positional: adding an input that sorts before another one changes that one's column.
"""

from __future__ import annotations

import hashlib
import warnings
from functools import lru_cache

import numpy as np
from scipy.stats import qmc

from ._base import Distribution
from .correlation import _scores

__all__ = ["METHODS", "block_bounds", "input_stream", "sample_block"]

METHODS = ("lhs", "mc", "sobol")
_TINY = np.finfo(float).tiny
_TOP = 1.0 - np.finfo(float).epsneg


def _name_key(name: str) -> tuple[int, ...]:
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))


def input_stream(seed: int, name: str, block: int) -> np.random.Generator:
    """The generator for input ``name`` in block ``block`` of a run seeded with ``seed``.

    Examples
    --------
    >>> a = input_stream(7, "capex", 0).random()
    >>> b = input_stream(7, "capex", 0).random()
    >>> a == b, a == input_stream(7, "opex", 0).random()
    (True, False)
    """
    ss = np.random.SeedSequence(seed, spawn_key=(*_name_key(name), block))
    return np.random.Generator(np.random.PCG64(ss))


def block_bounds(n_trials: int, block_size: int) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` of every block of a run."""
    return [(s, min(s + block_size, n_trials)) for s in range(0, n_trials, block_size)]


@lru_cache(maxsize=8)
def _strata(m: int) -> np.ndarray:
    """``0.0, 1.0, ..., m - 1`` (read-only, cached: the stratum of each Latin hypercube draw)."""
    out = np.arange(m, dtype=float)
    out.setflags(write=False)
    return out


def _safe(u: np.ndarray) -> np.ndarray:
    return np.clip(u, _TINY, _TOP)


def _sobol_block(seed: int, names: list[str], start: int, m: int) -> np.ndarray:
    ss = np.random.SeedSequence(seed, spawn_key=(*_name_key("__sobol__"), 0))
    engine = qmc.Sobol(len(names), scramble=True, rng=np.random.default_rng(ss))
    if start:
        engine.fast_forward(start)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # balance warning for non powers of 2
        return engine.random(m)


def sample_block(
    inputs: dict[str, Distribution | float],
    method: str,
    seed: int,
    block: int,
    start: int,
    m: int,
    correlated: tuple[str, ...] = (),
    scores: np.ndarray | None = None,
) -> tuple[dict, dict, dict]:
    """Draw one block of ``m`` trials for every input.

    Returns ``(values, pending, known)``: ``values[name]`` is the final array for each
    uncorrelated input; ``pending[name] = (sorted_values, ranks)`` for each input in
    ``correlated``, to be arranged by Iman-Conover (``ranks[t]`` is the 0-based rank trial ``t``
    gets without correlation); ``known[name] = (ranks, sorted_values)`` for uncorrelated
    continuous Latin hypercube inputs, whose within-block ranks come free with the sampling.

    ``scores``, a ``(len(correlated), m)`` array, asks for Iman-Conover's scores directly:
    for a Latin hypercube input ``correlated[j]`` with ``j >= 1``, row ``j`` receives the van
    der Waerden scores in the input's random order, ``scores[ranks]``, by shuffling them with
    the stream that would have drawn ``ranks`` (the same swaps: identical numbers), and its
    ``ranks`` is None.
    """
    values: dict[str, np.ndarray] = {}
    pending: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    known: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    dist_names = sorted(n for n, d in inputs.items() if isinstance(d, Distribution))
    sobol = _sobol_block(seed, dist_names, start, m) if method == "sobol" and dist_names else None
    for name, dist in inputs.items():
        if not isinstance(dist, Distribution):
            values[name] = np.broadcast_to(np.float64(dist), (m,))
            continue
        corr = name in correlated
        if method == "lhs":
            gen = input_stream(seed, name, block)
            q = gen.random(m)
            row = correlated.index(name) if corr and scores is not None else 0
            if row:
                np.copyto(scores[row], _scores(m))
                gen.shuffle(scores[row])  # = scores[gen.permutation(m)], without the gather
                ranks = None
            else:
                ranks = gen.permutation(m)
            q += _strata(m)
            q *= 1.0 / m
            # Ascending (one value per stratum), so only the ends can reach 0 or 1.
            q[0] = max(q[0], _TINY)
            q[-1] = min(q[-1], _TOP)
            ordered = dist._ppf(q)
            if corr:
                pending[name] = (ordered, ranks)
            else:
                values[name] = ordered[ranks]
                if not dist.discrete:
                    known[name] = (ranks, ordered)
            continue
        if method == "mc":
            x = np.asarray(dist._sample(m, input_stream(seed, name, block)), dtype=float)
        else:
            x = dist._ppf(_safe(sobol[:, dist_names.index(name)]))
        if corr:
            order = np.argsort(x, kind="stable")
            ranks = np.empty(m, dtype=np.intp)
            ranks[order] = np.arange(m)
            pending[name] = (x[order], ranks)
        else:
            values[name] = x
    return values, pending, known
