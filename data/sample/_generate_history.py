"""Generate the sample company's history back to January 2025 (issue 15: eight quarters).

The sample files were written for one status date (30 November 2026, the 2026Q4 pack). This
script adds the earlier records so that every quarter from 2025Q1 on has data, and tells one
story across the files:

- contact volumes grow about 2.5 % a quarter (the service desk's contacts, its tickets);
- 2025Q1 is the incident-heavy quarter: a storage failure and a ransomware scare bring more
  P1 tickets, slower resolution, the provider's lowest availability and P1 SLA misses;
- 2025 closes 1 % under its budget (EUR 20.64M spent, the figure of ``it_spend_history.csv``);
  the 2026 budget was trimmed and the overrun builds up through 2026 (the rows already in the
  files). No commitment was open in 2025 (``commitments.csv`` keeps its 2026 rows: a
  commitment dated in a month already closed would be refused by the landing forecast).

The 2025 rows go in front of each file's own; the rows dated from the first record the files
held for the 2026Q4 pack on (``CURRENT_FROM``) are kept byte for byte, and the reports read a
window of their own (the staffing report the last 12 complete weeks of contacts, team
performance the last 12 months of tickets, sourcing the last 18 SLA months, each up to the
period's as-of date): the 2026Q4 pack does not change.

Run from the project root (same seed, same bytes; re-running rewrites the 2025 rows only)::

    python data/sample/_generate_history.py              # rewrite the files in data/sample
    python data/sample/_generate_history.py --out DIR    # write them under DIR instead
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2025
SAMPLE = Path(__file__).resolve().parent
#: Quarterly growth of contact and ticket volumes.
GROWTH_PER_QUARTER = 0.025
#: The incident-heavy quarter's months.
INCIDENT_MONTHS = ("2025-01", "2025-02", "2025-03")
#: 2025: spend of the year (= it_spend_history.csv) and its budget (1 % more).
SPEND_2025 = 20_640_000.0
BUDGET_2025 = 20_850_000.0
#: Year-to-date variance (actual / budget - 1) at the end of each quarter of 2025.
YTD_VARIANCE_2025 = (-0.018, -0.015, -0.012, None)  # Q4: whatever closes the year at SPEND_2025
#: Percentile of the 2026 handle times (per queue) above which a drawn handle time is capped.
HANDLE_CAP = 99.0
#: The provider's 2025 fee (Vendor C, before the 2026 indexation to 164,000).
FEE_2025 = 158_000

#: Files written, relative to the sample folder.
IN_PLACE = ("budget.csv", "actuals.csv")
#: The files a report reads through a window, and where the rows of the 2026Q4 pack begin
#: (the first record each held before the history was added: rows from there on are kept).
CURRENT_FROM = {
    "ticket_history.csv": "2026-01-05",  # created_at
    "tickets_export.csv": "INC100000",  # ticket_id (the export's first ticket, 1 Nov 2025)
    "sourcing/sla_monthly.csv": "2025-04",  # month
}
HISTORY = tuple(CURRENT_FROM)


def _lines(path: Path) -> tuple[str, list[str]]:
    header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return header, rows


def _current(name: str) -> tuple[str, list[str]]:
    """The header and the rows of the 2026Q4 pack of a windowed file (its 2025 rows left out)."""
    header, rows = _lines(SAMPLE / name)
    return header, [r for r in rows if r[: len(CURRENT_FROM[name])] >= CURRENT_FROM[name]]


def _csv(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, header=False, lineterminator="\n")
    return buf.getvalue()


# --- budget, actuals and commitments (one more budget year in the same files) ------------------


def _fmt_amount(x: float) -> str:
    """Amounts as the files write them: 174000.0, 1534025.48."""
    text = f"{round(x, 2):.2f}"
    text = text.rstrip("0")
    return text + "0" if text.endswith(".") else text


def _budget_2025(budget_2026: pd.DataFrame) -> pd.DataFrame:
    """Twelve months of 2025 on the 2026 lines (no platform yet): each line's 2026 monthly mean,
    scaled to BUDGET_2025; staff 3 % below their 2026 pay, the desk's provider at its 2025 fee."""
    lines = budget_2026[budget_2026["line"] != "Service desk platform"]
    keys = ["cost_centre", "line", "category", "expense_type", "sourcing"]
    mean = lines.groupby(keys, sort=False).agg(amount=("amount", "mean"), volume=("volume", "mean"))
    mean = mean.reset_index()
    provider = mean["line"] == "Service desk provider (Vendor C)"
    mean.loc[provider, "amount"] = FEE_2025
    staff = mean["line"].str.endswith("staff")  # 2025 pay: 3 % below 2026
    mean.loc[staff, "amount"] = (mean.loc[staff, "amount"] * 0.97 / 100).round() * 100
    free = ~provider & ~staff
    fixed = mean.loc[~free, "amount"].sum()
    scale = (BUDGET_2025 / 12 - fixed) / mean.loc[free, "amount"].sum()
    mean.loc[free, "amount"] = (mean.loc[free, "amount"] * scale / 100).round() * 100
    gap = BUDGET_2025 / 12 - mean["amount"].sum()  # rounding: onto the largest line
    mean.loc[mean.loc[free, "amount"].idxmax(), "amount"] += gap
    rows = []
    for month in pd.period_range("2025-01", "2025-12", freq="M"):
        for r in mean.itertuples():
            volume = r.volume if np.isfinite(r.volume) else np.nan
            price = r.amount / volume if np.isfinite(volume) and volume > 0 else np.nan
            if np.isfinite(price):  # keep amount = volume x price in the file's cents
                price = round(price, 2)
            rows.append((str(month), *[getattr(r, k) for k in keys], r.amount, volume, price))
    return pd.DataFrame(rows, columns=["month", *keys, "amount", "volume", "unit_price"])


def _actuals_2025(budget: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """2025 actuals: the budget with monthly noise per line, steered so the year-to-date
    variance at each quarter end is YTD_VARIANCE_2025 and the year totals SPEND_2025."""
    out = budget.copy()
    fixed = out["line"].isin(["Service desk provider (Vendor C)", "ERP licences and support",
                              "Managed security services", "Microsoft 365 licences"])  # fmt: skip
    noise = np.where(fixed, 0.0, rng.normal(0.0, 0.04, len(out)))
    out["amount"] = out["amount"] * (1 + noise)
    months = out["month"].to_numpy()
    planned = budget.groupby("month")["amount"].sum()
    targets = []
    for q, v in enumerate(YTD_VARIANCE_2025):
        ytd_budget = planned.iloc[: 3 * (q + 1)].sum()
        targets.append(SPEND_2025 if v is None else ytd_budget * (1 + v))
    done = 0.0
    for q in range(4):  # scale the free lines of each quarter to its year-to-date target
        inq = np.isin(months, [f"2025-{m:02d}" for m in range(3 * q + 1, 3 * q + 4)])
        want = targets[q] - done
        free = inq & ~fixed
        have_fixed = out.loc[inq & fixed, "amount"].sum()
        out.loc[free, "amount"] *= (want - have_fixed) / out.loc[free, "amount"].sum()
        done = targets[q]
    has_volume = np.isfinite(out["volume"]) & np.isfinite(out["unit_price"]) & ~fixed
    vol = out.loc[has_volume, "amount"] / out.loc[has_volume, "unit_price"]
    out.loc[has_volume, "volume"] = vol.round(1)
    out.loc[has_volume, "amount"] = (out.loc[has_volume, "volume"]
                                     * out.loc[has_volume, "unit_price"])  # fmt: skip
    out["amount"] = out["amount"].round(2)
    # the year closes at SPEND_2025 to the cent: the rest onto December's network line
    dec = (out["month"] == "2025-12") & (out["line"] == "Network and telecom")
    out.loc[dec, "amount"] = round(out.loc[dec, "amount"].iloc[0]
                                   + SPEND_2025 - out["amount"].sum(), 2)  # fmt: skip
    return out


def _spend_rows(frame: pd.DataFrame) -> list[str]:
    rows = []
    for r in frame.itertuples(index=False):
        vol = "" if not np.isfinite(r.volume) else _fmt_amount(r.volume)
        price = "" if not np.isfinite(r.unit_price) else _fmt_amount(r.unit_price)
        rows.append(f"{r.month},{r.cost_centre},{r.line},{r.category},{r.expense_type},"
                    f"{r.sourcing},{_fmt_amount(r.amount)},{vol},{price}\n")  # fmt: skip
    return rows


def _spend_files(rng: np.random.Generator) -> dict[str, str]:
    header, rows = _lines(SAMPLE / "budget.csv")
    current = [r for r in rows if not r.startswith("2025-")]
    b26 = pd.read_csv(io.StringIO(header + "".join(current)))
    b25 = _budget_2025(b26)
    a25 = _actuals_2025(b25, rng)
    out = {"budget.csv": header + "".join(_spend_rows(b25) + current)}
    a_header, a_rows = _lines(SAMPLE / "actuals.csv")
    a_current = [r for r in a_rows if not r.startswith("2025-")]
    out["actuals.csv"] = a_header + "".join(_spend_rows(a25) + a_current)
    return out


# --- contacts: ticket_history (half-hourly arrivals by queue) -----------------------------------


def _quarter_factor(period: pd.Period, anchor: pd.Period) -> float:
    """Volume of ``period`` relative to ``anchor`` (both quarters) at GROWTH_PER_QUARTER."""
    return (1 + GROWTH_PER_QUARTER) ** (period.ordinal - anchor.ordinal)


def _contacts(rng: np.random.Generator) -> str:
    """Contacts from 1 January 2025 to the day before the file's first (4 January 2026).

    Each queue's arrivals per weekday and half hour are the 2026 file's, scaled per quarter to
    the growth path; the weeks of the incident quarter carry 1.5 % more contacts and the days
    from 24 December to 1 January half the usual volume (the quarter's total stays on the path).
    Handle times are drawn from the 2026 file's, queue by queue, capped at its 99th percentile.
    """
    header, rows = _current("ticket_history.csv")
    hist = pd.read_csv(io.StringIO(header + "".join(rows)), parse_dates=["created_at"])
    first = hist["created_at"].min().normalize()
    monday = first + pd.Timedelta(days=(7 - first.weekday()) % 7)
    weeks = 12
    window = hist[(hist["created_at"] >= monday)
                  & (hist["created_at"] < monday + pd.Timedelta(weeks=weeks))]  # fmt: skip
    queues = sorted(window["queue"].unique())
    slot = ((window["created_at"] - monday).dt.total_seconds() // 1800).astype(int) % (7 * 48)
    days = pd.date_range("2025-01-01", first - pd.Timedelta(days=1), freq="D")
    anchor = pd.Period("2026Q1", freq="Q")
    out = []
    for queue in queues:
        mine = window["queue"] == queue
        counts = np.bincount(slot[mine], minlength=7 * 48).reshape(7, 48) / weeks  # per week
        handle = window.loc[mine, "handle_time_s"].to_numpy()
        # no draw beyond the queue's HANDLE_CAP percentile: a quiet half hour (a night, a
        # Sunday) gathers only a dozen contacts over the weeks, and a few of the longest calls
        # among them would give it a mean handle time near the interval's length
        handle = np.minimum(handle, np.percentile(handle, HANDLE_CAP))
        day_factor = np.ones(len(days))
        quarters = days.to_period("Q")
        for q in pd.unique(quarters):
            inq = quarters == q
            lull = inq & (
                ((days.month == 12) & (days.day >= 24)) | ((days.month == 1) & (days.day <= 1))
            )
            base = np.where(lull, 0.5, 1.0)
            if str(q) == "2025Q1":
                base = base * 1.015
            weekdays = days[inq].day_of_week
            expected = counts.sum(axis=1)[weekdays] * base[inq]
            target = counts.sum() / 7 * inq.sum() * _quarter_factor(q, anchor)
            if str(q) == "2025Q1":
                target *= 1.015
            day_factor[inq] = base[inq] * target / expected.sum()
        lam = counts[days.day_of_week] * day_factor[:, None]  # (days, 48)
        n = rng.poisson(lam)
        day_idx, half = np.nonzero(n)
        reps = n[day_idx, half]
        day_idx, half = np.repeat(day_idx, reps), np.repeat(half, reps)
        seconds = half * 1800 + rng.integers(0, 1800, len(half))
        stamps = days[day_idx] + pd.to_timedelta(seconds, unit="s")
        out.append(pd.DataFrame({"created_at": stamps, "queue": queue,
                                 "handle_time_s": rng.choice(handle, len(half))}))  # fmt: skip
    frame = pd.concat(out).sort_values(["created_at", "queue"], kind="stable")
    frame["created_at"] = frame["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    return _csv(frame)


# --- tickets worked: tickets_export --------------------------------------------------------------


def _tickets(rng: np.random.Generator) -> str:
    """Tickets opened from January to October 2025, before the export's first (INC100000).

    Each month and team draws its count around the export's monthly mean on the growth path,
    and each ticket is a resampled ticket of the same team (priority, hour of day, time to
    resolve, reopens, first contact, handle time) on a day of the month. In the incident
    quarter one ticket in four of the resampled P3s is a P1 instead, and P1/P2 tickets take
    1.6 times as long to resolve: more P1s and more SLA misses.
    """
    header, rows = _current("tickets_export.csv")
    export = pd.read_csv(
        io.StringIO(header + "".join(rows)),
        parse_dates=["opened_at", "resolved_at"],
        dtype={"first_contact": str},
    )
    done = export[export["resolved_at"].notna()].reset_index(drop=True)
    per_month = export.groupby([export["opened_at"].dt.to_period("M"), "team"]).size()
    mean = per_month.groupby("team").mean()
    anchor = pd.Period("2026Q2", freq="Q")  # the export's middle (Nov 2025 - Oct 2026)
    weekday_share = np.bincount(export["opened_at"].dt.day_of_week, minlength=7).astype(float)
    parts = []
    for month in pd.period_range("2025-01", "2025-10", freq="M"):
        days = pd.date_range(month.start_time, month.end_time.normalize(), freq="D")
        p_day = weekday_share[days.day_of_week]
        p_day /= p_day.sum()
        factor = _quarter_factor(month.asfreq("Q"), anchor)
        incident = str(month) in INCIDENT_MONTHS
        for team in mean.index:
            pool = done[done["team"] == team]
            n = int(rng.poisson(mean[team] * factor))
            pick = pool.iloc[rng.integers(0, len(pool), n)].reset_index(drop=True)
            prio = pick["priority"].to_numpy().copy()
            duration = (pick["resolved_at"] - pick["opened_at"]).to_numpy()
            if incident:
                flip = (prio == "P3") & (rng.random(n) < 0.06)
                prio[flip] = "P1"
                slow = np.isin(prio, ["P1", "P2"])
                duration = np.where(slow, duration * 1.6, duration)
            day = days[rng.choice(len(days), n, p=p_day)]
            opened = day + (pick["opened_at"] - pick["opened_at"].dt.normalize()).to_numpy()
            parts.append(pd.DataFrame({
                "team": team, "priority": prio, "opened_at": opened,
                "resolved_at": opened + pd.to_timedelta(duration),
                "reopened_count": pick["reopened_count"].to_numpy(),
                "first_contact": pick["first_contact"].to_numpy(),
                "handle_time_min": pick["handle_time_min"].to_numpy(),
            }))  # fmt: skip
    frame = pd.concat(parts).sort_values(["opened_at", "team"], kind="stable")
    frame["resolved_at"] = frame["resolved_at"].dt.floor("min")
    first_id = int(export["ticket_id"].str[3:].astype(int).min())
    frame.insert(0, "ticket_id", [f"INC{first_id - len(frame) + i:06d}" for i in range(len(frame))])
    for col in ("opened_at", "resolved_at"):
        frame[col] = frame[col].dt.strftime("%Y-%m-%d %H:%M")
    frame["first_contact"] = frame["first_contact"].fillna("")
    return _csv(frame)


# --- the provider's SLA months ---------------------------------------------------------------------

#: January to March 2025, the incident quarter: the provider's worst availability and P1 misses.
SLA_2025Q1 = [("2025-01", 0.9958, 0.86), ("2025-02", 0.9921, 0.81), ("2025-03", 0.9949, 0.88)]


def _sla() -> str:
    return "".join(f"{m},{FEE_2025},{a:.4f},{p:.2f}\n" for m, a, p in SLA_2025Q1)


# --- driver --------------------------------------------------------------------------------------------


def generate() -> dict[str, str]:
    """Every generated file's text, by its path relative to the sample folder."""
    seeds = np.random.SeedSequence(SEED).spawn(3)
    out = _spend_files(np.random.default_rng(seeds[0]))
    earlier = {
        "ticket_history.csv": _contacts(np.random.default_rng(seeds[1])),
        "tickets_export.csv": _tickets(np.random.default_rng(seeds[2])),
        "sourcing/sla_monthly.csv": _sla(),
    }
    for name, rows_2025 in earlier.items():  # the 2025 rows, then the 2026Q4 pack's unchanged
        header, rows = _current(name)
        out[name] = header + rows_2025 + "".join(rows)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE, help="folder to write (default: here)")
    args = parser.parse_args(argv)
    for name, text in generate().items():
        target = args.out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
        print(f"wrote {target} ({text.count(chr(10)) - 1} rows)")


if __name__ == "__main__":
    main()
