"""The date rule in every reader that has dates (issue 12, silent wrong answer 5).

ISO 8601 is always read; another format only when stated (``date_format=``) or when one
reading fits the whole column (a day above 12 proves day-first); a column that reads as
day-first and month-first alike is refused, naming two of its values. Before the shared
column layer, ``['04/03/2015', '13/03/2015']`` was read month-first for one value and
day-first for the other.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cio_analytics.exceptions import DataFileError
from cio_analytics.io import (
    read_actuals,
    read_budget,
    read_commitments,
    read_sla_data,
    read_staffing_forecast,
    read_ticket_export,
    read_ticket_history,
)

SPEND = "month,cost_centre,category,expense_type,sourcing,amount"


def _rows(a: str, b: str) -> dict[str, tuple[str, list[str], str]]:
    """Per reader: header, two rows holding the dates ``a`` and ``b``, and the date column."""
    return {
        "budget": (
            SPEND,
            [f"{a},IT,run,opex,internal,10", f"{b},HR,run,opex,internal,10"],
            "month",
        ),
        "actuals": (
            SPEND,
            [f"{a},IT,run,opex,internal,10", f"{b},HR,run,opex,internal,-2"],
            "month",
        ),
        "commitments": ("cost_centre,month,amount", [f"IT,{a},5", f"HR,{b},5"], "month"),
        "tickets": (
            "ticket_id,team,priority,opened_at,resolved_at",
            [f"T1,Desk,P1,{a} 08:00,", f"T2,Desk,P1,{b} 08:00,"],
            "opened_at",
        ),
        "forecast": (
            "queue,interval_start,calls,handle_time_s",
            [f"Desk,{a} 08:00,10,300", f"Desk,{b} 08:00,10,300"],
            "interval_start",
        ),
        "history": ("created_at", [f"{a} 08:00", f"{b} 08:00"], "created_at"),
    }


READERS = {
    "budget": read_budget,
    "actuals": read_actuals,
    "commitments": read_commitments,
    "tickets": read_ticket_export,
    "forecast": read_staffing_forecast,
    "history": read_ticket_history,
}
MONTHLY = {"budget", "actuals", "commitments"}


def _read(tmp_path: Path, reader: str, a: str, b: str, suffix: str = ".csv", **kw):
    header, rows, column = _rows(a, b)[reader]
    path = tmp_path / f"{reader}{suffix}"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    out = READERS[reader](path, **kw)
    stamps = out[column] if column in out.columns else out.reset_index()[column]
    fmt = "%Y-%m" if reader in MONTHLY else "%Y-%m-%d"
    return sorted(f"{t:{fmt}}" for t in stamps)


def _expect(reader: str, *days: str) -> list[str]:
    return sorted(d[:7] if reader in MONTHLY else d for d in days)


@pytest.mark.parametrize("reader", READERS)
def test_ambiguous_column_is_refused_naming_two_values(tmp_path, reader):
    with pytest.raises(DataFileError, match="ambiguous") as info:
        _read(tmp_path, reader, "04/03/2015", "05/06/2015")
    message = str(info.value)
    assert "04/03/2015" in message and "05/06/2015" in message
    assert "date_format" in message and "ISO 8601" in message


@pytest.mark.parametrize("reader", READERS)
def test_a_day_above_12_settles_the_whole_column_day_first(tmp_path, reader):
    """'04/03/2015' and '13/03/2015' are both March: day-first for every value."""
    got = _read(tmp_path, reader, "04/03/2015", "13/04/2015")
    assert got == _expect(reader, "2015-03-04", "2015-04-13")


@pytest.mark.parametrize("reader", READERS)
def test_stated_format_is_used(tmp_path, reader):
    got = _read(tmp_path, reader, "04/03/2015", "05/04/2015", date_format="%m/%d/%Y %H:%M"
                if reader in ("tickets", "forecast", "history") else "%m/%d/%Y")  # fmt: skip
    assert got == _expect(reader, "2015-04-03", "2015-05-04")


@pytest.mark.parametrize("reader", READERS)
def test_iso_is_always_read(tmp_path, reader):
    got = _read(tmp_path, reader, "2015-03-04", "2015-04-05")
    assert got == _expect(reader, "2015-03-04", "2015-04-05")


@pytest.mark.parametrize("reader", READERS)
def test_a_value_that_fits_no_format_is_named(tmp_path, reader):
    with pytest.raises(DataFileError, match="expected a") as info:
        _read(tmp_path, reader, "2015-03-04", "sometime in May")
    assert "'sometime in May" in str(info.value)


@pytest.mark.parametrize("reader", ["tickets", "history"])
def test_xlsx_date_cells_need_no_format(tmp_path, reader):
    header, _, column = _rows("", "")[reader]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header.split(","))
    stamp = pd.Timestamp("2015-03-04 08:00").to_pydatetime()
    ws.append(["T1", "Desk", "P1", stamp, None] if reader == "tickets" else [stamp])
    path = tmp_path / f"{reader}.xlsx"
    wb.save(path)
    assert f"{READERS[reader](path)[column].iloc[0]:%Y-%m-%d %H:%M}" == "2015-03-04 08:00"


def test_sla_months_are_iso_only(tmp_path):
    """The SLA reader states its format (``YYYY-MM``): a day-month text is refused, ISO read."""
    path = tmp_path / "sla.csv"
    path.write_text("month,monthly_fee,availability\n04/03/2026,100,0.99\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="'04/03/2026'"):
        read_sla_data(path)
    path.write_text("month,monthly_fee,availability\n2026-03,100,0.99\n", encoding="utf-8")
    assert str(read_sla_data(path)["month"].iloc[0]) == "2026-03"
