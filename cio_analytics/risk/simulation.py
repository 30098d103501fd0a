"""``simulate``: run a vectorised model over sampled inputs, in bounded-memory chunks.

See :mod:`.sampling` for how streams, blocks and Latin hypercube strata are laid out, and
:mod:`.correlation` for Iman-Conover. The model is called once per chunk with whole arrays
(one value per trial), never once per trial.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import renamed_kwargs
from .._validation import check_choice, check_int, resolve_seed, short_repr
from ..exceptions import ParameterError
from ._base import Distribution
from .correlation import iman_conover, prepare_correlation
from .results import CorrelationInfo, SimulationResult, precision_of
from .sampling import METHODS, block_bounds, sample_block

__all__ = ["simulate", "simulate_until"]

DEFAULT_BLOCK = 262_144
DEFAULT_CHUNK = 1_048_576
DEFAULT_KEEP = 1_000_000


def _check_inputs(inputs: Any) -> dict[str, Distribution | float]:
    if not isinstance(inputs, Mapping) or not inputs:
        raise ParameterError(
            "`inputs` must be a non-empty dict of name -> distribution or number. "
            f"Got {short_repr(inputs)}."
        )
    out: dict[str, Distribution | float] = {}
    for name, dist in inputs.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ParameterError(
                f"`inputs` names must be valid Python identifiers (they become keyword "
                f"arguments of the model). Got {name!r}."
            )
        if isinstance(dist, Distribution):
            out[name] = dist
        elif isinstance(dist, numbers.Real) and not isinstance(dist, bool):
            if not math.isfinite(float(dist)):
                raise ParameterError(f"`inputs[{name!r}]` must be finite. Got {dist}.")
            out[name] = float(dist)
        else:
            raise ParameterError(
                f"`inputs[{name!r}]` must be a distribution (e.g. PERT(90, 100, 130)) or a "
                f"number. Got {short_repr(dist)}."
            )
    return out


def _own(x: np.ndarray) -> np.ndarray:
    """``x`` itself if it is a plain writable array, else a contiguous copy (constants)."""
    return x if x.flags.writeable and x.flags.c_contiguous else np.array(x)


def _call_style(model: Callable, names: list[str]) -> str:
    try:
        params = inspect.signature(model).parameters.values()
    except (TypeError, ValueError):
        return "kwargs"
    if any(p.kind is p.VAR_KEYWORD for p in params) or any(p.name in names for p in params):
        return "kwargs"
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return "dict" if len(positional) == 1 else "kwargs"


def _check_outputs(raw: Any, m: int, start: int, arrays: dict, allow_nan: bool, names_in):
    outs = raw if isinstance(raw, Mapping) else {"output": raw}
    if not outs:
        raise ParameterError("The model returned an empty dict. Return at least one output.")
    clean = {}
    for name, val in outs.items():
        if not isinstance(name, str):
            raise ParameterError(f"Model output names must be strings. Got {name!r}.")
        if name in names_in:
            raise ParameterError(
                f"Model output {name!r} has the same name as an input. Rename the output."
            )
        arr = np.asarray(val.to_numpy() if isinstance(val, pd.Series) else val)
        if arr.shape != (m,):
            raise ParameterError(
                f"Model output {name!r} must hold one value per trial: shape ({m},). Got shape "
                f"{arr.shape}. Write the model with whole-array operations on the inputs "
                "(e.g. np.maximum, not max); broadcast a constant with np.full."
            )
        try:
            arr = arr.astype(float, copy=False)
        except (TypeError, ValueError):
            raise ParameterError(f"Model output {name!r} must be numeric.") from None
        if not allow_nan and np.isnan(arr).any():
            t = int(np.flatnonzero(np.isnan(arr))[0])
            at = ", ".join(f"{k}={arrays[k][t]:.6g}" for k in list(arrays)[:8])
            raise ParameterError(
                f"Model output {name!r} is NaN in trial {start + t} (inputs: {at}). Fix the model "
                "(e.g. a division by zero) or pass allow_nan=True to keep NaN trials."
            )
        clean[name] = arr
    return clean


def simulate(
    model: Callable[..., Any],
    inputs: Mapping[str, Distribution | float],
    n_trials: int,
    *,
    correlation: Any = None,
    correlation_names: list[str] | None = None,
    method: str = "lhs",
    rng: int | np.random.Generator | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    block_size: int = DEFAULT_BLOCK,
    keep_inputs: int = DEFAULT_KEEP,
    allow_nan: bool = False,
) -> SimulationResult:
    """Monte Carlo simulation of ``model`` over named uncertain ``inputs``.

    Parameters
    ----------
    model : callable
        Vectorised: called as ``model(**arrays)`` (or ``model(arrays)`` if it takes a single
        argument that is not an input name) with one float array per input (one value per
        trial). Returns an array of one value per trial, or a dict of named such arrays.
    inputs : dict of str -> Distribution or number
        The uncertain quantities (numbers are held constant).
    n_trials : int
        Number of trials (>= 1).
    correlation : DataFrame or array_like, optional
        Spearman rank-correlation targets, a DataFrame labelled with input names, or a square
        array over ``correlation_names`` (default: all inputs in order). Unlisted inputs are
        independent. Imposed by Iman-Conover within each block.
    correlation_names : list of str, optional
        Row/column names of an array ``correlation``.
    method : {"lhs", "mc", "sobol"}
        Latin hypercube (default), plain Monte Carlo, scrambled Sobol.
    rng : None, int or Generator
        Seed. The run's integer seed is recorded on the result (``result.seed``) so it can be
        replayed; a Generator or None is turned into a seed with one draw.
    chunk_size : int
        Trials generated and passed to the model at once (rounded up to whole blocks). Bounds
        memory at roughly ``chunk_size * (n_inputs + n_outputs) * 8`` bytes. Does not change
        the numbers.
    block_size : int
        Trials per unit of randomness (one Latin hypercube and one Iman-Conover per block).
        Changing it changes the numbers; it is recorded on the result.
    keep_inputs : int
        Store the inputs of the first ``keep_inputs`` trials (for sensitivity and stress). The
        outputs of every trial are always stored (8 bytes per trial per output).
    allow_nan : bool
        Keep trials whose output is NaN (e.g. an undefined IRR); statistics then skip them and
        ``summary()`` reports their share. By default NaN raises ParameterError.

    Returns
    -------
    SimulationResult

    Notes
    -----
    Same seed and same ``block_size`` -> identical numbers whatever ``chunk_size``. Each input's
    draws depend only on the seed, its name and the block (common random numbers).

    Examples
    --------
    >>> from cio_analytics.risk import PERT, simulate
    >>> res = simulate(lambda a, b: a + b, {"a": PERT(1, 2, 6), "b": PERT(2, 3, 4)}, 10_000, rng=1)
    >>> print(f"{res.mean():.3f}")  # exact mean 2.5 + 3 = 5.5
    5.500
    """
    if not callable(model):
        raise ParameterError(f"`model` must be a function. Got {short_repr(model)}.")
    dists = _check_inputs(inputs)
    n_trials = check_int(n_trials, "n_trials", minimum=1)
    method = check_choice(method, "method", METHODS)
    block_size = check_int(block_size, "block_size", minimum=2)
    chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    keep_inputs = check_int(keep_inputs, "keep_inputs", minimum=0)
    names = list(dists)
    spec = None
    if correlation is not None:
        spec = prepare_correlation(correlation, names, correlation_names)
        constant = [n for n in spec.names if not isinstance(dists[n], Distribution)]
        if constant:
            raise ParameterError(
                f"`correlation` lists {constant[0]!r}, which is a constant. Correlate only "
                "uncertain inputs."
            )
    seed, _ = resolve_seed(rng)
    blocks_per_chunk = max(1, -(-chunk_size // block_size))
    style = _call_style(model, names)
    blocks = block_bounds(n_trials, block_size)
    n_keep = min(keep_inputs, n_trials)
    single_block = len(blocks) == 1 and n_keep == n_trials
    ranks_known: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    # One chunk keeping every trial: the stored samples are the chunk's own arrays (no copy).
    one_chunk = len(blocks) <= blocks_per_chunk and n_keep == n_trials
    kept = {} if one_chunk else {n: np.empty(n_keep) for n in names}
    outputs: dict[str, np.ndarray] = {}
    corr_names = spec.names if spec is not None else ()
    shuffle_scores = method == "lhs" and len(corr_names) > 1
    for c0 in range(0, len(blocks), blocks_per_chunk):
        chunk_blocks = blocks[c0 : c0 + blocks_per_chunk]
        parts: dict[str, list[np.ndarray]] = {n: [] for n in names}
        for b, (start, stop) in enumerate(chunk_blocks, start=c0):
            # Latin hypercube + correlation: the sampler shuffles Iman-Conover's scores in
            # place of drawing ranks (same stream, same numbers, no gather).
            scores = np.empty((len(corr_names), stop - start)) if shuffle_scores else None
            values, pending, known = sample_block(
                dists, method, seed, b, start, stop - start, corr_names, scores
            )
            if spec is not None:
                arranged, new_ranks = iman_conover(
                    [pending[n][0] for n in spec.names],
                    [pending[n][1] for n in spec.names],
                    spec.normal,
                    return_ranks=True,
                    arranged_scores=scores,
                )
                del scores
                values.update(zip(spec.names, arranged, strict=True))
                for n, r in zip(spec.names, new_ranks, strict=True):
                    if not dists[n].discrete:
                        known[n] = (r, pending[n][0])
            if single_block:
                ranks_known = known
            for n in names:
                parts[n].append(values[n])
        start, stop = chunk_blocks[0][0], chunk_blocks[-1][1]
        arrays = {n: p[0] if len(p) == 1 else np.concatenate(p) for n, p in parts.items()}
        raw = model(arrays) if style == "dict" else model(**arrays)
        outs = _check_outputs(raw, stop - start, start, arrays, allow_nan, names)
        if not outputs:
            outputs = {k: np.empty(n_trials) for k in outs}
        elif set(outs) != set(outputs):
            raise ParameterError(
                f"The model returned outputs {sorted(outs)} for trials {start}.. but "
                f"{sorted(outputs)} before. Return the same outputs every time."
            )
        for k, v in outs.items():
            outputs[k][start:stop] = v
        if one_chunk:
            kept = {n: _own(arrays[n]) for n in names}
        elif start < n_keep:
            upto = min(stop, n_keep)
            for n in names:
                kept[n][start:upto] = arrays[n][: upto - start]
    out_frame = pd.DataFrame(outputs, copy=False)
    kept.update({k: v[:n_keep] for k, v in outputs.items()})
    result = SimulationResult(
        samples=pd.DataFrame(kept, copy=False),
        outputs=out_frame,
        inputs=dict(dists),
        n_trials=n_trials,
        seed=seed,
        method=method,
        block_size=block_size,
        chunk_size=blocks_per_chunk * block_size,
        n_kept=n_keep,
    )
    for n, (r, ordered) in ranks_known.items():  # one block: ranks came free with sampling
        if np.all(ordered[1:] > ordered[:-1]):  # strictly increasing: no ties, true ranks
            result._cache["rank:" + n] = r if r.dtype.kind == "f" else r + 1.0
            result._cache["sorted:" + n] = ordered
    if spec is not None:
        names_c = list(spec.names)
        achieved = result.rank_correlation(names_c) if n_keep > 2 else spec.used * np.nan
        info = CorrelationInfo(
            spec.target,
            spec.used,
            spec.repaired,
            achieved,
            nearest=spec.nearest,
            normal=pd.DataFrame(spec.normal, index=spec.used.index, columns=spec.used.columns),
            normal_repaired=spec.normal_repaired,
        )
        object.__setattr__(result, "correlation", info)  # completing the object we just built
    return result


@renamed_kwargs(confidence="confidence_level")
def simulate_until(
    model: Callable[..., Any],
    inputs: Mapping[str, Distribution | float],
    *,
    statistic: str | float = "mean",
    output: str | None = None,
    rel_tol: float | None = None,
    abs_tol: float | None = None,
    confidence_level: float = 0.95,
    max_trials: int = 1_000_000,
    block_size: int = 10_000,
    rng: int | np.random.Generator | None = None,
    check_every: int | None = None,
    **kwargs: Any,
) -> SimulationResult:
    """Simulate until ``statistic`` of ``output`` is known to a stated precision.

    Parameters
    ----------
    statistic : "mean", "sd", float or "P<nn>"
        The mean, the standard deviation, or a percentile (``0.8`` or ``"P80"`` for the P80).
    rel_tol, abs_tol : float
        Target half-width of the ``confidence_level`` interval, relative to the estimate or
        absolute (give one).
    confidence_level : float, default 0.95
        Coverage of that interval. Formerly ``confidence`` (deprecated alias).
    max_trials : int
        Stop here even if the precision is not reached (``result.precision["met"]`` is False).
    block_size : int
        Trials per block; the run grows by whole blocks.
    check_every : int, optional
        @RISK's test-every-N rule: test the precision after every ``check_every`` trials
        (rounded up to whole blocks) and stop at the first test that meets it. Default: jump
        straight to the estimated number of trials needed (fewer reruns).
    **kwargs
        Passed to :func:`simulate` (``correlation``, ``method``, ...).

    Notes
    -----
    Runs ``block_size`` trials, estimates the trials needed from the interval half-width
    (which shrinks like ``1/sqrt(n)``), reruns with at least 1.5 times as many, and so on (or,
    with ``check_every``, adds ``check_every`` trials per test). The interval of the mean is
    ``z sd / sqrt(n)``, of the sd ``z sqrt((m4 - s^4 (n-3)/(n-1)) / n) / (2 s)`` (kurtosis
    aware), of a percentile the distribution-free order-statistic interval.
    ``result.precision`` reports the estimate, the half-width, its target, ``met``,
    ``n_trials`` (the trials it took) and ``n_checks`` (the tests made). Blocks
    are deterministic for a seed, so each rerun extends the previous trials and the final
    result is the same as ``simulate`` with that trial count and seed.

    Examples
    --------
    >>> from cio_analytics.risk import Normal
    >>> res = simulate_until(lambda x: x, {"x": Normal(100, 10)}, abs_tol=0.5, rng=3)
    >>> res.precision["met"], res.n_trials >= (1.96 * 10 / 0.5) ** 2 * 0.8
    (True, True)
    """
    if (rel_tol is None) == (abs_tol is None):
        raise ParameterError("Give exactly one of `rel_tol` and `abs_tol`.")
    tol_value = rel_tol if rel_tol is not None else abs_tol
    if not tol_value or tol_value <= 0:
        raise ParameterError(f"The tolerance must be greater than 0. Got {tol_value!r}.")
    max_trials = check_int(max_trials, "max_trials", minimum=1)
    block_size = check_int(block_size, "block_size", minimum=2)
    step = None
    if check_every is not None:
        step = check_int(check_every, "check_every", minimum=1)
        step = -(-step // block_size) * block_size  # whole blocks: each rerun extends the last
    seed, _ = resolve_seed(rng)
    n = min(step or block_size, max_trials)
    n_checks = 0
    while True:
        res = simulate(model, inputs, n, rng=seed, block_size=block_size, **kwargs)
        est, half = precision_of(res, statistic, output, confidence_level)
        n_checks += 1
        target = abs_tol if abs_tol is not None else rel_tol * abs(est)
        met = half <= target
        if met or n >= max_trials:
            break
        if step is not None:
            n = min(max_trials, n + step)
            continue
        needed = n * (half / max(target, 1e-300)) ** 2
        n = min(max_trials, int(math.ceil(max(needed * 1.05, 1.5 * n) / block_size) * block_size))
    info = {
        "statistic": statistic,
        "estimate": est,
        "half_width": half,
        "target_half_width": target,
        "confidence_level": confidence_level,
        "met": bool(met),
        "n_trials": int(n),
        "n_checks": n_checks,
    }
    return dataclasses.replace(res, precision=info)
