"""Data as of a period: each reader of dated records keeps the rows up to the as-of date.

``--period 2026Q3`` means the quarter closed on 30 September 2026; a report for it must not see
October's tickets or actuals even when the files hold them.
"""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

from cio_analytics.exceptions import DataFileError, ParameterError
from cio_analytics.io import (
    read_actuals,
    read_sla_data,
    read_ticket_export,
    read_ticket_history,
)
from cio_analytics.io._as_of import _timestamps, as_of_date

SAMPLE = "data/sample"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026Q3", "2026-09-30"),
        ("2026q1", "2026-03-31"),
        ("2024-02", "2024-02-29"),  # a leap year's February
        ("2026-05-15", "2026-05-15"),
        (datetime.date(2026, 12, 7), "2026-12-07"),
        (pd.Timestamp("2026-12-07 15:30"), "2026-12-07"),
    ],
)
def test_as_of_date_reads_quarters_months_and_dates(value, expected):
    assert as_of_date(value) == pd.Timestamp(expected)


def test_as_of_date_refuses_other_text_naming_the_forms():
    with pytest.raises(ParameterError, match=r"`as_of` must be a date .* Got '30/09/2026'"):
        as_of_date("30/09/2026")


@pytest.mark.parametrize(
    ("reader", "file", "column", "monthly"),
    [
        (read_actuals, "actuals.csv", "month", True),
        (read_ticket_export, "tickets_export.csv", "opened_at", False),
        (read_ticket_history, "ticket_history.csv", "created_at", False),
        (read_sla_data, "sourcing/sla_monthly.csv", "month", True),
    ],
)
def test_each_dated_reader_keeps_rows_up_to_the_as_of_date(reader, file, column, monthly):
    full = reader(f"{SAMPLE}/{file}")
    dates = _timestamps(full[column])
    # a cut strictly inside the file's range: the month before its last record
    cut = (dates.max() - pd.offsets.MonthBegin(1)).normalize() - pd.Timedelta(days=1)
    part = reader(f"{SAMPLE}/{file}", as_of=cut.date())
    kept = _timestamps(part[column])
    limit = cut if monthly else cut + pd.Timedelta(days=1)
    assert 0 < len(part) < len(full)
    assert (kept <= limit).all() if monthly else (kept < limit).all()
    assert len(part) == int(((dates <= limit) if monthly else (dates < limit)).sum())
    assert part.attrs["as_of"] == f"{cut:%Y-%m-%d}"
    assert reader(f"{SAMPLE}/{file}", as_of=None).equals(full)


def test_a_period_before_the_data_is_refused_naming_the_range():
    with pytest.raises(DataFileError) as err:
        read_actuals(f"{SAMPLE}/actuals.csv", as_of="2019Q4")
    text = str(err.value)
    assert "actuals.csv" in text and "no actuals dated up to 2019-12-31" in text
    assert "runs from 2025-01-01" in text and "Choose a later period" in text
