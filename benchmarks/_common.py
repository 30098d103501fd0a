"""Shared benchmark helpers: median wall time over repeats, peak traced memory, ratio tables.

The machines are shared and noisy: compare ratios measured in one run, and report medians.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

__all__ = ["Row", "median_time", "peak_memory", "print_table"]


def median_time(fn: Callable[[], Any], *, repeats: int = 5, warmup: int = 1) -> float:
    """Median wall-clock seconds of ``fn()`` over ``repeats`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(fn: Callable[[], Any]) -> int:
    """Peak bytes allocated (numpy allocations are traced) while ``fn()`` runs."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


class Row:
    """One line of a comparison: a task, our seconds, a peer's name and seconds."""

    def __init__(self, task: str, ours: float, peer: str, theirs: float, target: float | None):
        self.task, self.ours, self.peer, self.theirs, self.target = task, ours, peer, theirs, target

    @property
    def speedup(self) -> float:
        return self.theirs / self.ours if self.ours > 0 else float("inf")


def print_table(rows: list[Row]) -> None:
    """Print rows as: task | ours | peer | peer time | speed-up | target | met."""
    header = f"{'task':<44} {'ours (s)':>10} {'peer':<28} {'peer (s)':>10} {'x faster':>9} {'target':>7}  met"
    print(header)
    print("-" * len(header))
    for r in rows:
        target = f"{r.target:g}x" if r.target is not None else "-"
        met = "-" if r.target is None else ("yes" if r.speedup >= r.target else "NO")
        print(
            f"{r.task:<44} {r.ours:>10.4f} {r.peer:<28} {r.theirs:>10.4f} {r.speedup:>9.1f} {target:>7}  {met}"
        )
