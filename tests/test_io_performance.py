"""read_ticket_export: the sample file, and every malformed export named by file, row and column."""

from __future__ import annotations

import pandas as pd
import pytest

from cio_analytics.exceptions import DataFileError, ParameterError
from cio_analytics.io import DEFAULT_SLA_TARGETS_H, read_ticket_export

HEADER = (
    "ticket_id,team,priority,opened_at,resolved_at,reopened_count,first_contact,handle_time_min"
)
GOOD = [
    "INC1,Service desk,P3,2026-01-05 08:00,2026-01-05 10:00,0,yes,20",
    "INC2,Network,P1,2026-01-05 09:00,2026-01-05 12:30,1,no,",
    "INC3,Service desk,P4,2026-01-06 10:00,,0,,15",
]


def write(tmp_path, lines, name="export.csv", header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


def test_sample_export_reads_clean():
    tickets = read_ticket_export("data/sample/tickets_export.csv")
    assert len(tickets) > 10_000 and tickets["ticket_id"].is_unique
    assert set(tickets["team"]) == {"Service desk", "Applications", "Network", "Workplace"}
    assert (tickets["sla_target_h"] == tickets["priority"].map(DEFAULT_SLA_TARGETS_H)).all()
    done = tickets["resolved_at"].notna()
    assert (tickets.loc[done, "resolved_at"] >= tickets.loc[done, "opened_at"]).all()
    assert 0 < (~done).sum() < 200
    assert tickets["opened_at"].is_monotonic_increasing


def test_good_rows_types_and_defaults(tmp_path):
    tickets = read_ticket_export(write(tmp_path, GOOD))
    assert tickets["ticket_id"].tolist() == ["INC1", "INC2", "INC3"]
    assert pd.isna(tickets["resolved_at"].iloc[2])
    assert tickets["reopened_count"].tolist() == [0, 1, 0]
    assert tickets["first_contact"].iloc[0] is True or bool(tickets["first_contact"].iloc[0])
    assert pd.isna(tickets["first_contact"].iloc[2])
    assert pd.isna(tickets["handle_time_min"].iloc[1]) and tickets["handle_time_min"].iloc[0] == 20
    assert tickets["sla_target_h"].tolist() == [24.0, 4.0, 72.0]
    assert tickets.attrs["path"].endswith("export.csv")


def test_optional_columns_absent_and_closed_only(tmp_path):
    path = write(
        tmp_path,
        ["A,Desk,P2,2026-01-05 08:00,2026-01-05 09:00", "B,Desk,P2,2026-01-05 08:30,"],
        header="ticket_id,team,priority,opened_at,closed_at",
    )
    tickets = read_ticket_export(path)
    assert tickets["resolved_at"].iloc[0] == pd.Timestamp("2026-01-05 09:00")
    assert pd.isna(tickets["resolved_at"].iloc[1])
    assert (tickets["reopened_count"] == 0).all() and tickets["first_contact"].isna().all()


def test_xlsx_export(tmp_path):
    pytest.importorskip("openpyxl")
    frame = pd.read_csv(write(tmp_path, GOOD))
    path = tmp_path / "export.xlsx"
    frame.to_excel(path, index=False)
    tickets = read_ticket_export(path)
    assert len(tickets) == 3 and tickets["handle_time_min"].iloc[0] == 20


def test_custom_targets(tmp_path):
    path = write(tmp_path, ["A,Desk,Urgent,2026-01-05 08:00,2026-01-05 09:00,0,yes,5"])
    tickets = read_ticket_export(path, sla_targets_h={"Urgent": 2, "Normal": 48})
    assert tickets["sla_target_h"].iloc[0] == 2.0
    with pytest.raises(ParameterError, match="sla_targets_h"):
        read_ticket_export(path, sla_targets_h={"Urgent": -1})


@pytest.mark.parametrize(
    ("lines", "header", "row", "column", "rule"),
    [
        (GOOD, HEADER.replace("team,", "group,"), None, "team", "missing required column"),
        (GOOD, HEADER.replace(",resolved_at", ",solved"), None, "resolved_at", "missing required"),
        ([GOOD[0], "INC2,Network,P1,05/13/2026 25:61,,0,no,5"], HEADER, 3, "opened_at",
         "expected a date-time"),
        ([GOOD[0], "INC2,Network,P1,2026-01-05 09:00,soon,0,no,5"], HEADER, 3, "resolved_at",
         "expected a date-time"),
        ([GOOD[0], GOOD[1], "INC3,Desk,P3,2026-01-06 10:00,2026-01-06 09:00,0,no,5"], HEADER, 4,
         "resolved_at", "before it was opened"),
        ([GOOD[0], GOOD[1], GOOD[0]], HEADER, 4, "ticket_id", "'INC1' appears twice"),
        ([GOOD[0], "INC2,Network,P5,2026-01-05 09:00,,0,no,5"], HEADER, 3, "priority",
         "no SLA target"),
        ([GOOD[0], "INC2,Network,P1,2026-01-05 09:00,,-1,no,5"], HEADER, 3, "reopened_count",
         "0 or more"),
        ([GOOD[0], "INC2,Network,P1,2026-01-05 09:00,,1.5,no,5"], HEADER, 3, "reopened_count",
         "whole number"),
        ([GOOD[0], "INC2,Network,P1,2026-01-05 09:00,,0,maybe,5"], HEADER, 3, "first_contact",
         "yes/no"),
        ([GOOD[0], GOOD[1], "INC3,Desk,P3,2026-01-06 10:00,,0,no,0"], HEADER, 4,
         "handle_time_min", "greater than 0"),
        ([GOOD[0], ",Desk,P3,2026-01-06 10:00,,0,no,5"], HEADER, 3, "ticket_id", "must not be empty"),
        ([GOOD[0], "INC9,Desk,P3,,,0,no,5"], HEADER, 3, "opened_at", "must not be empty"),
    ],
)  # fmt: skip
def test_malformed_export_names_file_row_column(tmp_path, lines, header, row, column, rule):
    path = write(tmp_path, lines, header=header)
    with pytest.raises(DataFileError, match=rule) as info:
        read_ticket_export(path)
    err = info.value
    assert err.path == str(path) and err.column == column and err.row == row
    assert str(path) in str(err) and f"`{column}`" in str(err)
    if row is not None:
        assert f"row {row}" in str(err)


def test_closed_before_resolved(tmp_path):
    path = write(
        tmp_path,
        ["A,Desk,P2,2026-01-05 08:00,2026-01-05 10:00,2026-01-05 09:00"],
        header="ticket_id,team,priority,opened_at,resolved_at,closed_at",
    )
    with pytest.raises(DataFileError, match="resolved_at <= closed_at") as info:
        read_ticket_export(path)
    assert (info.value.row, info.value.column) == (2, "closed_at")


def test_unknown_priority_suggests_the_close_one(tmp_path):
    path = write(tmp_path, [GOOD[0], "INC2,Network,p1,2026-01-05 09:00,,0,no,5"])
    with pytest.raises(DataFileError, match="Did you mean 'P1'"):
        read_ticket_export(path)


def test_missing_file_and_wrong_type(tmp_path):
    with pytest.raises(DataFileError):
        read_ticket_export(tmp_path / "nope.csv")
    bad = tmp_path / "export.json"
    bad.write_text("{}")
    with pytest.raises(DataFileError, match="unsupported file type"):
        read_ticket_export(bad)
