"""The dependency and exclusion rules of a portfolio: id lists and the checks of their graph.

Shared by :class:`~cio_analytics.portfolio.Portfolio` (in-code tables) and the project-list
reader (:func:`cio_analytics.io.read_portfolio`), which imports them from here.

Examples
--------
>>> parse_id_list("A; B, C")
['A', 'B', 'C']
>>> find_graph_problem(["A", "B"], [["B"], ["A"]], [[], []])[2][:26]
'dependencies form a cycle:'
"""

from __future__ import annotations

import math
from typing import Any

from .._validation import did_you_mean

__all__ = ["find_graph_problem", "parse_id_list"]


def parse_id_list(cell: Any) -> list[str]:
    """Split a ``;``-separated list of project ids (also accepts ``,``); empty -> ``[]``."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    text = str(cell).replace(",", ";")
    return [part.strip() for part in text.split(";") if part.strip()]


def find_graph_problem(
    ids: list[str], needs: list[list[str]], excludes: list[list[str]]
) -> tuple[int, str, str] | None:
    """The first broken dependency or exclusion rule, as ``(position, column, message)``.

    Checks, in order: unknown ids, a project that needs or excludes itself, a project that
    both needs and excludes another, and cycles in ``needs`` (A needs B needs ... needs A).
    Returns None when the graph is sound. Shared by the file reader and the in-code model.
    """
    known = {pid: i for i, pid in enumerate(ids)}
    for column, lists in (("needs", needs), ("excludes", excludes)):
        for i, refs in enumerate(lists):
            for ref in refs:
                if ref not in known:
                    hint = did_you_mean(ref, ids)
                    return i, column, (
                        f"project {ids[i]!r} refers to unknown project {ref!r}.{hint} "
                        "Use the `id` of a project in the list, or remove the reference."
                    )  # fmt: skip
                if ref == ids[i]:
                    return i, column, f"project {ids[i]!r} lists itself. Remove {ref!r}."
    for i, (nd, ex) in enumerate(zip(needs, excludes, strict=True)):
        both = sorted(set(nd) & set(ex))
        if both:
            return i, "excludes", (
                f"project {ids[i]!r} both needs and excludes {both[0]!r}, so it could never be "
                "chosen. Keep one of the two rules."
            )  # fmt: skip
    cycle = _find_cycle([[known[r] for r in refs] for refs in needs])
    if cycle:
        path = " -> ".join(ids[j] for j in [*cycle, cycle[0]])
        return cycle[0], "needs", (
            f"dependencies form a cycle: {path} (each needs the next). A project cannot depend "
            "on itself through others; remove one link of the cycle."
        )  # fmt: skip
    return None


def _find_cycle(adjacency: list[list[int]]) -> list[int] | None:
    """One cycle of a directed graph (iterative depth-first search), or None."""
    state = [0] * len(adjacency)  # 0 new, 1 on the stack, 2 done
    for root in range(len(adjacency)):
        if state[root]:
            continue
        stack, path = [(root, iter(adjacency[root]))], [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state[child] == 1:
                return path[path.index(child) :]
            elif state[child] == 0:
                state[child] = 1
                stack.append((child, iter(adjacency[child])))
                path.append(child)
    return None
