"""Reader for a ticket export (ITSM tool, CSV or XLSX): one row per ticket.

Schema
------
ticket export
    ``ticket_id`` (text, unique), ``team`` (text), ``priority`` (text, one with an SLA target),
    ``opened_at`` (date-time), ``resolved_at`` (date-time, empty while the ticket is open, not
    before ``opened_at``); optional ``closed_at`` (date-time, not before ``resolved_at``),
    ``reopened_count`` (whole number >= 0, default 0), ``first_contact`` (yes/no, true/false,
    1/0 or empty = unknown: resolved at the first contact, without hand-off or call-back) and
    ``handle_time_min`` (agent effort in minutes, > 0, empty = unknown).

A ticket whose ``resolved_at`` is empty but ``closed_at`` is given counts as resolved at its
close time (tools that only export a close date). Time stamps are local, time-zone naive.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import did_you_mean, short_repr
from ..exceptions import DataFileError, ParameterError
from ._as_of import keep_last_months, keep_up_to
from ._columns import cells_of, dates, flags, integers, numbers, texts
from ._tables import check_columns, read_table, require_columns

__all__ = ["DEFAULT_SLA_TARGETS_H", "read_ticket_export"]

PathLike = str | os.PathLike[str]

#: Resolution targets in calendar hours per priority (a common ITSM default; state yours).
DEFAULT_SLA_TARGETS_H: dict[str, float] = {"P1": 4.0, "P2": 8.0, "P3": 24.0, "P4": 72.0}


#: Columns of a ticket export: required, and optional (read when present).
REQUIRED = ("ticket_id", "team", "priority", "opened_at")
OPTIONAL = ("resolved_at", "closed_at", "reopened_count", "first_contact", "handle_time_min")


def _check_targets(sla_targets_h: Mapping[str, float] | None) -> dict[str, float]:
    targets = DEFAULT_SLA_TARGETS_H if sla_targets_h is None else sla_targets_h
    if not isinstance(targets, Mapping) or not targets:
        raise ParameterError(
            f"`sla_targets_h` must map each priority to its resolution target in hours, e.g. "
            f"{DEFAULT_SLA_TARGETS_H}. Got {short_repr(sla_targets_h)}."
        )
    out = {}
    for key, value in targets.items():
        try:
            hours = float(value)
        except (TypeError, ValueError):
            hours = float("nan")
        if not (hours > 0 and np.isfinite(hours)):
            raise ParameterError(
                f"`sla_targets_h[{key!r}]` must be a number of hours > 0. Got {short_repr(value)}."
            )
        out[str(key).strip()] = hours
    return out


def read_ticket_export(
    path: PathLike,
    *,
    sla_targets_h: Mapping[str, float] | None = None,
    date_format: str | None = None,
    sheet: str | int | None = None,
    as_of: Any = None,
    months: int | None = None,
) -> pd.DataFrame:
    """Read and check a ticket export: one row per ticket, with its timestamps and flags.

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX file (see the module docstring for the columns).
    sla_targets_h : mapping of str to float, optional
        Resolution target in calendar hours per priority; default
        :data:`DEFAULT_SLA_TARGETS_H` (P1 4 h, P2 8 h, P3 24 h, P4 72 h). Every priority in the
        file needs a target.
    date_format : str, optional
        The format of the date-time columns when it is not ISO 8601 (e.g.
        ``"%d/%m/%Y %H:%M"``); by default a non-ISO format is used only when it is the one
        reading of the column.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.
    as_of : date or str, optional
        Keep only the tickets opened dated up to this date (``"2026-09-30"``, ``"2026-09"`` or a quarter
        ``"2026Q3"``: the period a report is built for); a file with none is refused.
    months : int, optional
        Keep only the tickets opened in the last ``months`` calendar months (up to ``as_of``,
        ending with the month of the latest ticket), e.g. 12 for a rolling year whatever older
        tickets the file holds; default every ticket.

    Returns
    -------
    pandas.DataFrame
        ``ticket_id``, ``team``, ``priority``, ``opened_at``, ``resolved_at`` (NaT while open),
        ``reopened_count`` (int), ``first_contact`` (boolean with NA), ``handle_time_min``
        (float, NaN if unknown), ``sla_target_h``, sorted by ``opened_at`` then ``ticket_id``.
        ``attrs["path"]`` is the file as named, ``attrs["sla_targets_h"]`` the targets used.

    Raises
    ------
    DataFileError
        Missing column, empty id/team/priority, duplicate ticket id, a date-time that does not
        parse, a ticket resolved (or closed) before it was opened, a priority with no SLA
        target, a reopen count that is negative or not whole, a flag that is not yes/no, a
        handle time of 0 or less, a header that looks like a misspelt column
        (``reopened_coutn``). The message names the file, the spreadsheet row (header is
        row 1), the column and the rule.

    Warns
    -----
    DataFileWarning
        Columns the reader does not use (named; the rest of the file is read).

    Examples
    --------
    >>> tickets = read_ticket_export("data/sample/tickets_export.csv")
    >>> sorted(tickets["priority"].unique())
    ['P1', 'P2', 'P3', 'P4']
    >>> bool((tickets["resolved_at"].dropna() >= tickets.loc[tickets["resolved_at"].notna(),
    ...      "opened_at"]).all())
    True
    """
    targets = _check_targets(sla_targets_h)
    frame, ctx = read_table(path, parameter="tickets_path", sheet=sheet)
    name = ctx.path

    def stamps(col: str, optional: bool = True) -> pd.Series | None:
        return dates(frame[col], col, ctx, optional=optional, date_format=date_format,
                     what="date-time") if col in frame else None  # fmt: skip

    require_columns(frame, REQUIRED, ctx)
    if "resolved_at" not in frame.columns and "closed_at" not in frame.columns:
        raise DataFileError(
            "missing required column `resolved_at` (or `closed_at`). Found columns "
            f"{list(frame.columns)}.{did_you_mean('resolved_at', frame.columns)} Add the "
            "resolution date-time (empty for open tickets).",
            path=name,
            column="resolved_at",
        )
    check_columns(frame, REQUIRED, OPTIONAL, ctx, what="a ticket export")
    out = pd.DataFrame(
        {
            "ticket_id": texts(frame["ticket_id"], "ticket_id", ctx, unique=True,
                               fix="Export one row per ticket (the latest state)."),
            "team": texts(frame["team"], "team", ctx),
            "priority": texts(frame["priority"], "priority", ctx),
            "opened_at": stamps("opened_at", optional=False),
        }
    )  # fmt: skip
    unknown = ~out["priority"].isin(list(targets)).to_numpy()
    if unknown.any():
        pos = int(np.flatnonzero(unknown)[0])
        value = out["priority"].iloc[pos]
        same_case = [k for k in targets if k.lower() == value.lower()]
        hint = f" Did you mean {same_case[0]!r}?" if same_case else did_you_mean(value, targets)
        raise ctx.error(
            "priority",
            f"priority {value!r} has no SLA target (targets are given for "
            f"{', '.join(map(repr, targets))}).{hint} "
            "Correct the priority or pass its target in `sla_targets_h`.",
            pos=pos,
        )
    resolved, closed = stamps("resolved_at"), stamps("closed_at")
    for col, stamp in (("resolved_at", resolved), ("closed_at", closed)):
        if stamp is None:
            continue
        early = (stamp < out["opened_at"]).to_numpy()
        if early.any():
            pos = int(np.flatnonzero(early)[0])
            raise ctx.error(
                col,
                f"ticket {out['ticket_id'].iloc[pos]!r} is {col.split('_')[0]} at "
                f"{stamp.iloc[pos]} before it was opened at {out['opened_at'].iloc[pos]}: the "
                f"rule is opened_at <= {col}. Check the time zone or swap the dates.",
                pos=pos,
            )
    if resolved is not None and closed is not None:
        early = (closed < resolved).to_numpy()
        if early.any():
            pos = int(np.flatnonzero(early)[0])
            raise ctx.error(
                "closed_at",
                f"ticket {out['ticket_id'].iloc[pos]!r} is closed at {closed.iloc[pos]} before "
                f"it was resolved at {resolved.iloc[pos]}: the rule is resolved_at <= closed_at.",
                pos=pos,
            )
    if resolved is None:
        resolved = closed
    elif closed is not None:
        resolved = resolved.fillna(closed)
    out["resolved_at"] = resolved
    reopened = integers(
        cells_of(frame, "reopened_count"), "reopened_count", ctx, optional=True, minimum=0.0,
        fix="A reopen count is a whole number of reopenings (0 if never).",
    )  # fmt: skip
    out["reopened_count"] = np.nan_to_num(reopened, nan=0.0).astype(np.int64)
    out["first_contact"] = flags(cells_of(frame, "first_contact"), "first_contact", ctx, empty=None)
    out["handle_time_min"] = numbers(
        cells_of(frame, "handle_time_min"), "handle_time_min", ctx, optional=True, minimum=0.0,
        strict=True, fix="Handle time is minutes of agent work on the ticket; leave empty if "
        "unknown.",
    )  # fmt: skip
    out["sla_target_h"] = out["priority"].map(targets).to_numpy(dtype=float)
    out = out.sort_values(["opened_at", "ticket_id"], kind="stable").reset_index(drop=True)
    out.attrs["path"] = name
    out.attrs["sla_targets_h"] = dict(targets)
    out = keep_up_to(out, "opened_at", as_of, path=name, what="tickets")
    return keep_last_months(out, "opened_at", months)
