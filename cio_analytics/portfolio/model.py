"""The project list and its constraints: :class:`Portfolio` and :class:`Constraints`.

A portfolio is a list of candidate projects, each with an expected NPV and its range, a cost per
budget year, an FTE demand per skill (in every year the project spends money), dependencies
("B needs A": B can only be chosen with A), mutual exclusions, a mandatory flag and a strategic
score. Constraints are a budget per year, FTE capacity per skill and year, and optionally a lowest
average strategic score. Both validate on construction and echo into every result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import did_you_mean, short_repr
from ..exceptions import ParameterError
from ._graph import find_graph_problem, parse_id_list

__all__ = ["Constraints", "Portfolio", "mandatory_shortfall"]

_INFO = ["name", "category", "npv", "npv_low", "npv_high", "mandatory", "mandatory_reason",
         "risk_driver", "strategic_score"]  # fmt: skip


def _where(table: pd.DataFrame, pos: int) -> str:
    return f"`table` row {pos} (project {table['id'].iloc[pos]!r})"


@dataclass(frozen=True)
class Portfolio:
    """Candidate projects with costs, FTE demand, value and the rules that link them.

    Build it with :meth:`from_table` (from :func:`cio_analytics.io.read_portfolio` or an
    in-code DataFrame with the same columns).

    Attributes
    ----------
    projects : DataFrame
        Indexed by project id: ``name``, ``category``, ``npv`` (expected NPV, currency),
        ``npv_low``, ``npv_high`` (minimum and maximum), ``mandatory``, ``mandatory_reason``,
        ``risk_driver``, ``strategic_score``.
    costs : DataFrame
        Project x budget year: spend charged to each year's budget (currency, >= 0).
    fte : DataFrame
        Project x skill: FTE needed in every year the project has a cost (>= 0).
    needs : tuple of (project, prerequisite)
        ``("B", "A")``: B can only be selected if A is.
    excludes : tuple of (project, project)
        Pairs that cannot both be selected (sorted, unique).
    currency : str
        Currency of every amount.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["A", "B"], "npv": [10.0, 5.0], "cost_2027": [4.0, 3.0],
    ...                       "needs": ["", "A"]})
    >>> p = Portfolio.from_table(table)
    >>> p.ids, p.years, p.needs
    (('A', 'B'), ('2027',), (('B', 'A'),))
    """

    projects: pd.DataFrame
    costs: pd.DataFrame
    fte: pd.DataFrame
    needs: tuple[tuple[str, str], ...]
    excludes: tuple[tuple[str, str], ...]
    currency: str = "EUR"

    @classmethod
    def from_table(cls, table: pd.DataFrame, *, currency: str = "EUR") -> Portfolio:
        """Build and check a portfolio from a project table (one row per project).

        Parameters
        ----------
        table : DataFrame
            Columns as in :func:`cio_analytics.io.read_portfolio`: ``id``, ``npv`` and
            ``cost_<year>`` required; ``needs``/``excludes`` as ``;``-separated text or lists.
        currency : str
            Currency of the amounts.

        Raises
        ------
        ParameterError
            Missing column, duplicated id, negative cost or FTE, an NPV outside its range,
            dependencies on unknown projects, cycles, a project that needs and excludes another.
        """
        if not isinstance(table, pd.DataFrame) or table.empty:
            raise ParameterError(
                f"`table` must be a non-empty DataFrame of projects. Got {short_repr(table)}. "
                "Read one with cio_analytics.io.read_portfolio."
            )
        for col in ("id", "npv"):
            if col not in table.columns:
                raise ParameterError(
                    f"`table` needs a column `{col}`. Found {list(table.columns)}."
                    f"{did_you_mean(col, table.columns)}"
                )
        table = table.reset_index(drop=True)
        years = [c[5:] for c in table.columns if c.startswith("cost_")]
        skills = [c[4:] for c in table.columns if c.startswith("fte_")]
        if not years:
            raise ParameterError(
                "`table` needs at least one `cost_<year>` column, e.g. `cost_2027`."
            )
        ids = [str(i).strip() for i in table["id"]]
        seen: dict[str, int] = {}
        for pos, pid in enumerate(ids):
            if not pid or pid == "nan":
                raise ParameterError(f"`table` row {pos}: `id` is empty. Give every project an id.")
            if pid in seen:
                raise ParameterError(
                    f"`table` row {pos}: project id {pid!r} is duplicated (first in row "
                    f"{seen[pid]}). Ids must be unique."
                )
            seen[pid] = pos
        table = table.assign(id=ids)
        num = {}
        for col in (
            ["npv", "npv_low", "npv_high", "strategic_score"]
            + [f"cost_{y}" for y in years]
            + [f"fte_{s}" for s in skills]
        ):
            if col not in table.columns:
                continue
            values = pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float)
            bad = (np.isnan(values) & table[col].notna().to_numpy()) | np.isinf(values)
            if col == "npv":
                bad |= np.isnan(values)
            if bad.any():
                p = int(np.flatnonzero(bad)[0])
                raise ParameterError(f"{_where(table, p)}, column `{col}`: expected a number, "
                                     f"got {short_repr(table[col].iloc[p])}.")  # fmt: skip
            if col != "npv" and col not in ("npv_low", "npv_high") and (values < 0).any():
                p = int(np.flatnonzero(values < 0)[0])
                raise ParameterError(f"{_where(table, p)}, column `{col}`: must be 0 or more, got "
                                     f"{values[p]:g}.")  # fmt: skip
            num[col] = values
        npv = num["npv"]
        low = np.where(np.isnan(num.get("npv_low", npv)), npv, num.get("npv_low", npv))
        high = np.where(np.isnan(num.get("npv_high", npv)), npv, num.get("npv_high", npv))
        tol = 1e-9 * np.maximum(1.0, high - low)
        bad = (low > high) | (npv < (5 * low + high) / 6 - tol) | (npv > (low + 5 * high) / 6 + tol)
        if bad.any():
            p = int(np.flatnonzero(bad)[0])
            raise ParameterError(
                f"{_where(table, p)}: expected NPV {npv[p]:g} must lie in the PERT mean range "
                f"[(5 low + high)/6, (low + 5 high)/6] of npv_low={low[p]:g}, npv_high={high[p]:g}."
                " Widen the range (low and high are the minimum and maximum)."
            )
        needs = [_ids(v) for v in table.get("needs", pd.Series([""] * len(table)))]
        excl = [_ids(v) for v in table.get("excludes", pd.Series([""] * len(table)))]
        problem = find_graph_problem(ids, needs, excl)
        if problem:
            raise ParameterError(
                f"{_where(table, problem[0])}, column `{problem[1]}`: {problem[2]}"
            )
        info = pd.DataFrame(index=pd.Index(ids, name="id"))
        info["name"] = [str(v) for v in table.get("name", pd.Series(ids)).fillna("").to_numpy()]
        info.loc[info["name"] == "", "name"] = info.index[info["name"] == ""]
        info["category"] = _text(table, "category")
        info["npv"], info["npv_low"], info["npv_high"] = npv, low, high
        info["mandatory"] = (
            table.get("mandatory", pd.Series(False, index=table.index)).map(_flag).to_numpy()
        )
        info["mandatory_reason"] = _text(table, "mandatory_reason")
        info["risk_driver"] = _text(table, "risk_driver")
        info["strategic_score"] = np.nan_to_num(num.get("strategic_score", np.zeros(len(ids))))
        costs = pd.DataFrame({y: np.nan_to_num(num[f"cost_{y}"]) for y in years}, index=info.index)
        fte = pd.DataFrame({s: np.nan_to_num(num[f"fte_{s}"]) for s in skills}, index=info.index)
        pairs_needs = tuple((ids[i], r) for i, refs in enumerate(needs) for r in refs)
        pairs_ex = tuple(
            sorted({tuple(sorted((ids[i], r))) for i, refs in enumerate(excl) for r in refs})
        )
        return cls(info, costs, fte, pairs_needs, pairs_ex, str(currency))  # type: ignore[arg-type]

    # -- views ------------------------------------------------------------------------------
    @property
    def ids(self) -> tuple[str, ...]:
        """Project ids in table order."""
        return tuple(self.projects.index)

    @property
    def n_projects(self) -> int:
        """Number of candidate projects."""
        return len(self.projects)

    @property
    def years(self) -> tuple[str, ...]:
        """Budget years (labels of the ``cost_<year>`` columns)."""
        return tuple(self.costs.columns)

    @property
    def skills(self) -> tuple[str, ...]:
        """Skills with an FTE demand column."""
        return tuple(self.fte.columns)

    @property
    def active(self) -> pd.DataFrame:
        """Project x year: True where the project has a cost (and so needs its FTE)."""
        return self.costs > 0

    def fte_demand(self) -> np.ndarray:
        """FTE demand as an array (project, skill, year): ``fte`` in each active year."""
        return self.fte.to_numpy()[:, :, None] * self.active.to_numpy()[:, None, :]

    def closure(self, ids: Iterable[str]) -> list[str]:
        """``ids`` plus every project they need, directly or through others (table order)."""
        need: dict[str, list[str]] = {}
        for proj, req in self.needs:
            need.setdefault(proj, []).append(req)
        out, stack = set(), list(ids)
        while stack:
            pid = stack.pop()
            if pid not in out:
                out.add(pid)
                stack.extend(need.get(pid, []))
        return [p for p in self.ids if p in out]

    def summary(self) -> pd.DataFrame:
        """Tidy figures: projects, mandatory, total cost per year, total expected NPV."""
        rows = [("n_projects", self.n_projects, ""), ("n_mandatory", int(self.projects["mandatory"].sum()), ""),
                ("n_dependencies", len(self.needs), ""), ("n_exclusions", len(self.excludes), ""),
                ("total_npv", float(self.projects["npv"].sum()), self.currency)]  # fmt: skip
        rows += [(f"cost_{y}", float(self.costs[y].sum()), self.currency) for y in self.years]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _ids(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if str(v).strip()]
    return parse_id_list(value)


def _text(table: pd.DataFrame, col: str) -> list[str]:
    if col not in table.columns:
        return [""] * len(table)
    return [str(v).strip() for v in table[col].fillna("").to_numpy()]


def _flag(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return False
    text = str(value).strip().lower()
    if text in {"true", "yes", "y", "1", "1.0", "x"}:
        return True
    if text in {"false", "no", "n", "0", "0.0", ""}:
        return False
    raise ParameterError(f"`mandatory` must be true or false. Got {short_repr(value)}.")


@dataclass(frozen=True)
class Constraints:
    """Budget per year, FTE capacity per skill and year, and an optional score floor.

    Parameters
    ----------
    budget : Series or mapping year -> amount
        Budget available to projects in each year (currency, >= 0).
    capacity : DataFrame (skill x year) or mapping skill -> FTE or skill -> {year: FTE}
        FTE available to projects. A single number applies to every year. May be empty.
    min_average_score : float, optional
        Lowest average strategic score of the selected projects.

    Examples
    --------
    >>> c = Constraints({2027: 100.0, 2028: 80.0}, {"dev": 3})
    >>> c.capacity.loc["dev"].tolist(), c.scaled(0.5).budget.tolist()
    ([3.0, 3.0], [50.0, 40.0])
    """

    budget: pd.Series
    capacity: pd.DataFrame
    min_average_score: float | None = None

    def __init__(self, budget: Any, capacity: Any = None, min_average_score: float | None = None):
        if isinstance(budget, pd.Series):
            budget = budget.to_dict()
        if not isinstance(budget, Mapping) or not budget:
            raise ParameterError(f"`budget` must map year -> amount. Got {short_repr(budget)}.")
        b = pd.Series(
            {str(k): _amount(v, f"budget[{k!r}]") for k, v in budget.items()}, dtype=float
        )
        years = list(b.index)
        if isinstance(capacity, pd.DataFrame):
            capacity = {s: capacity.loc[s].to_dict() for s in capacity.index}
        rows = {}
        for skill, v in (capacity or {}).items():
            if isinstance(v, Mapping):
                got = {str(k): _amount(x, f"capacity[{skill!r}][{k!r}]") for k, x in v.items()}
                missing = [y for y in years if y not in got]
                if missing:
                    raise ParameterError(f"`capacity[{skill!r}]` has no value for year(s) {missing}. "
                                         "Give every budget year, or one number for all.")  # fmt: skip
                rows[str(skill)] = [got[y] for y in years]
            else:
                rows[str(skill)] = [_amount(v, f"capacity[{skill!r}]")] * len(years)
        cap = pd.DataFrame.from_dict(rows, orient="index", columns=years, dtype=float)
        if min_average_score is not None:
            min_average_score = _amount(min_average_score, "min_average_score")
        object.__setattr__(self, "budget", b)
        object.__setattr__(self, "capacity", cap)
        object.__setattr__(self, "min_average_score", min_average_score)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> Constraints:
        """From :func:`cio_analytics.io.read_portfolio_constraints` output."""
        return cls(spec["budget"], spec.get("capacity"), spec.get("min_average_score"))

    def scaled(self, budget_scale: float = 1.0) -> Constraints:
        """The same constraints with every year's budget multiplied by ``budget_scale``."""
        scale = _amount(budget_scale, "budget_scale")
        return Constraints(self.budget * scale, self.capacity, self.min_average_score)

    def with_change(self, *, year: str | None = None, budget_delta: float = 0.0,
                    skill: str | None = None, fte_delta: float = 0.0) -> Constraints:  # fmt: skip
        """A copy with ``budget_delta`` added to one year and ``fte_delta`` to one skill (all years)."""
        budget, cap = self.budget.copy(), self.capacity.copy()
        if year is not None:
            budget[str(year)] += budget_delta
        if skill is not None:
            cap.loc[str(skill)] += fte_delta
        return Constraints(budget, cap, self.min_average_score)

    def check_against(self, portfolio: Portfolio) -> None:
        """Raise ParameterError if a portfolio year has no budget or a demanded skill no capacity."""
        for y in portfolio.years:
            if y not in self.budget.index:
                raise ParameterError(
                    f"`constraints.budget` has no year {y!r}, which the portfolio spends in. "
                    f"Budget years: {list(self.budget.index)}.{did_you_mean(y, self.budget.index)}"
                )
        for s in portfolio.skills:
            if portfolio.fte[s].gt(0).any() and s not in self.capacity.index:
                raise ParameterError(
                    f"`constraints.capacity` has no skill {s!r}, which projects need. Skills: "
                    f"{list(self.capacity.index)}.{did_you_mean(s, self.capacity.index)} "
                    "Add it (use a large number for no limit)."
                )


def _amount(value: Any, name: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"`{name}` must be a number. Got {short_repr(value)}.") from None
    if isinstance(value, bool) or not np.isfinite(x) or x < 0:
        raise ParameterError(f"`{name}` must be a finite number, 0 or more. Got {short_repr(value)}. "
                             "Budgets and capacities cannot be negative.")  # fmt: skip
    return x


def mandatory_shortfall(portfolio: Portfolio, constraints: Constraints) -> pd.DataFrame:
    """What the mandatory projects (and what they need) require beyond the constraints.

    Returns
    -------
    DataFrame
        One row per broken rule: ``constraint`` ("budget", "capacity", "exclusion"), ``year``, ``skill``, ``required``, ``available``, ``shortfall``
        (what must be added to make the mandatory set feasible) and ``detail``. Empty when the
        mandatory projects fit; then the selection problem is feasible (the mandatory set with
        its prerequisites is itself a feasible portfolio) unless ``min_average_score`` is set,
        which this check does not cover (more projects can lift an average).
    """
    constraints.check_against(portfolio)
    core = portfolio.closure(portfolio.projects.index[portfolio.projects["mandatory"]])
    rows = []
    members = set(core)
    for y in portfolio.years:
        need = float(portfolio.costs.loc[core, y].sum())
        have = float(constraints.budget[y])
        if need > have * (1 + 1e-9) + 1e-9:
            rows.append(
                (
                    "budget",
                    y,
                    "",
                    need,
                    have,
                    need - have,
                    "mandatory projects and their prerequisites",
                )
            )
    demand = portfolio.fte_demand()
    pos = [portfolio.ids.index(p) for p in core]
    for k, s in enumerate(portfolio.skills):
        if s not in constraints.capacity.index:
            continue
        for t, y in enumerate(portfolio.years):
            need = float(demand[pos, k, t].sum())
            have = float(constraints.capacity.loc[s, y])
            if need > have + 1e-9:
                rows.append(
                    ("capacity", y, s, need, have, need - have, "FTE of mandatory projects")
                )
    for a, b in portfolio.excludes:
        if a in members and b in members:
            rows.append(("exclusion", "", "", 2.0, 1.0, 1.0,
                         f"{a!r} and {b!r} exclude each other but both are mandatory or needed by a "
                         "mandatory project"))  # fmt: skip
    cols = ["constraint", "year", "skill", "required", "available", "shortfall", "detail"]
    return pd.DataFrame(rows, columns=cols)
