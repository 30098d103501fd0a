"""Build the sample business units in data/units/ from the sample company in data/sample/.

Usage: ``python data/units/make_units.py`` (from the project folder; deterministic: the same
files every time, no random numbers). Three units of one fictional group, each a scaled copy of
the sample company with its own volumes and budget:

- ``retail``: the sample company's contact volumes and tickets, a budget 10 % larger whose
  actuals run 2 % under it;
- ``wholesale``: 40 % of the contacts and tickets, 14 of the 36 service desk agents, a budget at
  55 % whose actuals run 6 % over it;
- ``online``: 20 % of the contacts and tickets, 9 agents, a budget at 30 % with actuals on it.

Only the files that differ from data/sample are written (``units.yaml`` sets
``sample_fallback: true``, so a unit reads every other file from data/sample): the service
desk's ticket history (call volumes) and ticket export, the budget and actuals, the team roster
and the team demand. Tickets are thinned evenly (every k-th row in order), amounts scaled.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "sample"
#: The rows of the sample's contact and ticket files a unit copies: those of the 2026Q4 pack
#: (column, first value). The sample's 2025 rows (``data/sample/_generate_history.py``) stay
#: out: a unit's pack is built for one period.
CURRENT_FROM = {
    "ticket_history.csv": ("created_at", "2026-01-05"),
    "tickets_export.csv": ("ticket_id", "INC100000"),
}

#: name: (title, share of contacts and tickets, budget factor, actuals over budget, agents)
UNITS = {
    "retail": ("Retail", 1.0, 1.10, 0.98, 36),
    "wholesale": ("Wholesale", 0.40, 0.55, 1.06, 14),
    "online": ("Online", 0.20, 0.30, 1.00, 9),
}


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(SAMPLE / name, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _thin(rows: list[dict[str, str]], share: float) -> list[dict[str, str]]:
    """``share`` of the rows, evenly spread: row i is kept when floor((i+1)s) > floor(is)."""
    return [r for i, r in enumerate(rows) if math.floor((i + 1) * share) > math.floor(i * share)]


def _scaled(rows, columns, factor: float, decimals: int = 1) -> list[dict[str, str]]:
    out = []
    for row in rows:
        row = dict(row)
        for col in columns:
            if row.get(col, "") != "":
                value = round(float(row[col]) * factor, decimals)
                row[col] = f"{value:.{decimals}f}" if decimals else str(int(value))
        out.append(row)
    return out


def _money(rows: list[dict[str, str]], factor: float) -> list[dict[str, str]]:
    """Budget or actual lines scaled by ``factor``: the volume (2 decimals) where there is one,
    the amount as volume x unit price then (the readers check it), else the amount itself."""
    out = []
    for row in rows:
        row = dict(row)
        if row.get("volume") and row.get("unit_price"):
            volume = round(float(row["volume"]) * factor, 2)
            row["volume"] = f"{volume:.2f}"
            row["amount"] = f"{volume * float(row['unit_price']):.2f}"
        elif row.get("amount"):
            row["amount"] = f"{float(row['amount']) * factor:.2f}"
        out.append(row)
    return out


def build(name: str) -> list[Path]:
    title, share, budget, over, agents = UNITS[name]
    folder = HERE / name
    written = []
    if share != 1.0:
        for file in ("ticket_history.csv", "tickets_export.csv"):
            header, rows = _read(file)
            column, first = CURRENT_FROM[file]
            rows = [r for r in rows if r[column] >= first]
            _write(folder / file, header, _thin(rows, share))
            written.append(folder / file)
        header, rows = _read("team_demand.csv")
        _write(folder / "team_demand.csv", header,
               _scaled(rows, ("demand_hours", "low_hours", "high_hours"), share, 0))  # fmt: skip
        written.append(folder / "team_demand.csv")
    header, rows = _read("team_roster.csv")
    rows = [{**r, "headcount": str(agents)} if r["team"] == "Service desk" else r for r in rows]
    _write(folder / "team_roster.csv", header, rows)
    written.append(folder / "team_roster.csv")
    header, rows = _read("budget.csv")
    _write(folder / "budget.csv", header, _money(rows, budget))
    header, rows = _read("actuals.csv")
    _write(folder / "actuals.csv", header, _money(rows, budget * over))
    written += [folder / "budget.csv", folder / "actuals.csv"]
    return written


def main() -> None:
    for name in UNITS:
        for path in build(name):
            print(path.relative_to(HERE.parent.parent))


if __name__ == "__main__":
    main()
