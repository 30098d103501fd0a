"""The column-parsing layer of the readers (cio_analytics.io._columns).

Every parser is checked for its clean values and for the one error form: file, spreadsheet row,
column, the rule, the value as typed and the fix. The date rule: ISO 8601 always, another format
when stated or when one format fits the whole column, an ambiguous column refused.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cio_analytics.exceptions import DataFileError
from cio_analytics.io._columns import (
    FileContext,
    cells_of,
    currencies,
    dates,
    flags,
    id_lists,
    integers,
    money,
    months,
    numbers,
    rates,
    scalar,
    texts,
)
from cio_analytics.io._tables import read_table

CTX = FileContext("data/costs.csv")


def cells(*values):
    return pd.Series(list(values), dtype=object)


def raises(call, *, row, column, words):
    """Run ``call``; check the error names file, row, column and carries ``words``."""
    with pytest.raises(DataFileError) as info:
        call()
    err = info.value
    assert (err.path, err.row, err.column) == ("data/costs.csv", row, column)
    text = str(err)
    assert text.startswith(f"data/costs.csv, row {row}, column `{column}`: ") if row else True
    for word in words:
        assert word in text, (word, text)
    return text


# ---------------------------------------------------------------- numbers and friends
def test_numbers_reads_text_and_spreadsheet_cells():
    out = numbers(cells("12", " 3.5 ", 7, 2.25, "1e3", "-4"), "amount", CTX)
    np.testing.assert_array_equal(out, [12.0, 3.5, 7.0, 2.25, 1000.0, -4.0])


def test_numbers_optional_empty_and_na_words_are_nan():
    out = numbers(cells("1", "", None, np.nan, "n/a", "NA"), "x", CTX, optional=True)
    assert out[0] == 1.0 and np.isnan(out[1:]).all()


@pytest.mark.parametrize(
    ("values", "row", "typed"),
    [
        (("1", "n/a"), 3, "Got 'n/a'."),
        (("1", "2", "TBD"), 4, "Got 'TBD'."),
        (("", "2"), 2, "Got empty."),
        (("1", "1,5"), 3, "Got '1,5'."),
        (("1", "inf"), 3, "Got 'inf'."),
        ((True, "2"), 2, "Got True."),
    ],
)
def test_numbers_error_quotes_the_value_as_typed(values, row, typed):
    raises(
        lambda: numbers(cells(*values), "amount", CTX),
        row=row,
        column="amount",
        words=["expected a number.", typed, "thousands separators"],
    )


def test_number_bounds_name_the_rule_and_append_the_fix():
    raises(
        lambda: numbers(cells("3", "-1"), "calls", CTX, minimum=0.0, fix="Calls are counts."),
        row=3,
        column="calls",
        words=["must be 0 or more.", "Got '-1'.", "Calls are counts."],
    )
    raises(
        lambda: numbers(cells("0"), "aht", CTX, minimum=0.0, strict=True),
        row=2,
        column="aht",
        words=["must be greater than 0.", "Got '0'."],
    )
    raises(
        lambda: numbers(cells("0.5", "1"), "s", CTX, below=1.0),
        row=3,
        column="s",
        words=["must be below 1."],
    )


def test_integers_are_whole_and_keep_nan_when_optional():
    out = integers(cells("3", "4.0", 5), "n", CTX, minimum=0)
    assert out.dtype == np.int64 and out.tolist() == [3, 4, 5]
    assert np.isnan(integers(cells("3", ""), "n", CTX, optional=True)[1])
    raises(
        lambda: integers(cells("1", "1.5"), "months", CTX, minimum=0),
        row=3,
        column="months",
        words=["must be a whole number, 0 or more.", "Got '1.5'."],
    )


def test_money_asks_for_a_plain_amount():
    assert money(cells("1200.50"), "amount", CTX).tolist() == [1200.5]
    raises(
        lambda: money(cells("EUR 1,200"), "amount", CTX),
        row=2,
        column="amount",
        words=["Got 'EUR 1,200'", "without currency signs"],
    )


def test_rates_hint_a_percentage_typed_as_a_number():
    assert rates(cells("0.3", "0"), "shrinkage", CTX, interval="[0, 1)").tolist() == [0.3, 0.0]
    raises(
        lambda: rates(cells("0.2", "30"), "shrinkage", CTX, interval="[0, 1)"),
        row=3,
        column="shrinkage",
        words=["must be a decimal in [0, 1).", "Got '30'.", "Write 0.3 for 30 %"],
    )
    raises(
        lambda: rates(cells("1"), "shrinkage", CTX, interval="[0, 1)"),
        row=2,
        column="shrinkage",
        words=["[0, 1)"],
    )
    assert rates(cells("-0.5"), "growth", CTX, interval="(-1, 1]")[0] == -0.5
    with pytest.raises(DataFileError, match=r"\(-1, 1\]"):
        rates(cells("-1"), "growth", CTX, interval="(-1, 1]")


# ---------------------------------------------------------------- text, flags, id lists
def test_texts_strip_fold_choose_and_refuse_duplicates():
    out = texts(cells(" Run ", "GROW"), "category", CTX, lower=True, choices=("run", "grow"))
    assert out.tolist() == ["run", "grow"]
    text = raises(
        lambda: texts(cells("run", "rnu"), "category", CTX, choices=("run", "grow")),
        row=3,
        column="category",
        words=["unknown category", "Did you mean 'run'", "Got 'rnu'."],
    )
    assert "allowed values are 'run', 'grow'" in text
    raises(
        lambda: texts(cells("a", " "), "name", CTX),
        row=3,
        column="name",
        words=["must not be empty.", "Got empty."],
    )
    raises(
        lambda: texts(cells("a", "b", "a"), "name", CTX, unique=True),
        row=4,
        column="name",
        words=["'a' appears twice (first in row 2)"],
    )
    assert texts(cells("x", None), "note", CTX, optional=True).tolist() == ["x", ""]
    assert texts(cells("license"), "kind", CTX, aliases={"license": "licence"})[0] == "licence"


def test_currencies_are_three_letter_codes():
    assert currencies(cells("eur", "USD"), "currency", CTX).tolist() == ["EUR", "USD"]
    raises(
        lambda: currencies(cells("EUR", "Euro"), "currency", CTX),
        row=3,
        column="currency",
        words=["three-letter code", "Got 'Euro'."],
    )


def test_flags_read_yes_no_true_false_and_one_zero():
    out = flags(cells("yes", "No", "TRUE", "f", "1", "0.0", 1.0, True, ""), "m", CTX)
    assert out.tolist() == [True, False, True, False, True, False, True, True, False]
    unknown = flags(cells("y", ""), "m", CTX, empty=None)
    assert unknown.iloc[0] and unknown.isna().iloc[1]
    raises(
        lambda: flags(cells("yes", "maybe"), "mandatory", CTX),
        row=3,
        column="mandatory",
        words=["expected yes/no", "Got 'maybe'.", "empty means no"],
    )


def test_id_lists_split_and_drop_empty_parts():
    out = id_lists(cells("A; B", "", "C,D", None), "needs", CTX, separators=";,")
    assert out == [("A", "B"), (), ("C", "D"), ()]
    assert id_lists(cells("Build, test; Deploy"), "after", CTX) == [("Build, test", "Deploy")]


def test_cells_of_a_missing_column_are_empty():
    frame = pd.DataFrame({"a": ["1", "2"]})
    assert len(cells_of(frame, "b")) == 2
    assert np.isnan(numbers(cells_of(frame, "b"), "b", CTX, optional=True)).all()


# ---------------------------------------------------------------- dates
def test_iso_dates_and_spreadsheet_date_cells_are_always_read():
    out = dates(
        cells("2026-01-05", "2026-01-05 08:30", "2026-01-05T08:30:15", datetime.date(2026, 2, 1)),
        "day",
        CTX,
    )
    assert out.dtype == "datetime64[ns]"
    assert [f"{d:%Y-%m-%d %H:%M:%S}" for d in out] == [
        "2026-01-05 00:00:00",
        "2026-01-05 08:30:00",
        "2026-01-05 08:30:15",
        "2026-02-01 00:00:00",
    ]


def test_a_day_above_twelve_proves_the_column_day_first():
    out = dates(cells("03/04/2026", "13/04/2026", "2026-05-01"), "day", CTX)
    assert [f"{d:%Y-%m-%d}" for d in out] == ["2026-04-03", "2026-04-13", "2026-05-01"]
    out = dates(cells("04/03/2026", "04/13/2026"), "day", CTX)  # 13 as day: month-first
    assert [f"{d:%Y-%m-%d}" for d in out] == ["2026-04-03", "2026-04-13"]


def test_an_ambiguous_column_is_refused_naming_two_values():
    text = raises(
        lambda: dates(cells("2026-01-01", "03/04/2026", "05/06/2026"), "day", CTX),
        row=3,
        column="day",
        words=["ambiguous", "'03/04/2026' and '05/06/2026'", "date_format"],
    )
    assert "%d/%m/%Y" in text and "%m/%d/%Y" in text


def test_a_stated_format_settles_the_column():
    out = dates(cells("03/04/2026", "05/06/2026"), "day", CTX, date_format="%m/%d/%Y")
    assert [f"{d:%Y-%m-%d}" for d in out] == ["2026-03-04", "2026-05-06"]
    raises(
        lambda: dates(cells("03/04/2026", "2026-13-45"), "day", CTX, date_format="%m/%d/%Y"),
        row=3,
        column="day",
        words=["stated format '%m/%d/%Y'", "Got '2026-13-45'."],
    )


def test_dates_that_fit_no_format_name_the_cell():
    raises(
        lambda: dates(cells("2026-01-05", "yesterday"), "opened_at", CTX, what="date-time"),
        row=3,
        column="opened_at",
        words=["expected a date-time.", "Got 'yesterday'.", "ISO 8601"],
    )
    raises(
        lambda: dates(cells("2026-01-05", ""), "opened_at", CTX),
        row=3,
        column="opened_at",
        words=["must not be empty."],
    )
    assert dates(cells("2026-01-05", ""), "closed_at", CTX, optional=True).isna().tolist() == [
        False,
        True,
    ]


def test_time_zones_are_dropped_to_local_wall_time():
    out = dates(cells("2026-01-05T08:30:00+01:00"), "t", CTX)
    assert f"{out.iloc[0]:%H:%M}" == "08:30" and out.dt.tz is None


def test_months_start_on_the_first_day():
    out = months(cells("2026-01", "2026-02-17", "Mar 2026"), "month", CTX)
    assert [f"{d:%Y-%m-%d}" for d in out] == ["2026-01-01", "2026-02-01", "2026-03-01"]


# ---------------------------------------------------------------- context, YAML, tables
def test_yaml_values_use_the_same_parsers_without_a_row():
    ctx = CTX.at("offer 2 (Vendor B)")
    assert scalar(numbers, 5, "recurring", ctx) == 5.0
    assert isinstance(scalar(numbers, 5, "recurring", ctx), float)
    with pytest.raises(DataFileError) as info:
        scalar(rates, 12, "escalation", ctx, interval="(-1, 1]")
    err = info.value
    assert err.row is None and err.column == "escalation"
    assert "offer 2 (Vendor B): must be a decimal in (-1, 1]. Got 12." in str(err)
    listed = CTX.listed(["item 1", "item 2"])
    with pytest.raises(DataFileError, match=r"item 2: expected a number\. Got 'x'") as info:
        numbers(cells(1, "x"), "amount", listed)
    assert info.value.row is None


def test_read_table_keeps_spreadsheet_rows_across_empty_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("name,amount\nA,1\n,\nB,n/a\n")
    frame, ctx = read_table(path)
    assert frame["amount"].tolist() == ["1", "n/a"] and ctx.rows == (2, 4)
    with pytest.raises(DataFileError) as info:
        numbers(frame["amount"], "amount", ctx)
    assert info.value.row == 4 and "Got 'n/a'" in str(info.value)


@given(st.lists(st.floats(min_value=-1e15, max_value=1e15, width=64), max_size=20))
def test_numbers_read_back_any_float_written_as_text(values):
    """Domain: every double within the plausible magnitude of a number (|x| <= 1e15); repr()
    text round-trips exactly (IEEE 754 shortest repr)."""
    out = numbers(pd.Series([repr(v) for v in values], dtype=object), "x", CTX)
    np.testing.assert_array_equal(out, np.array(values, dtype=float))


@given(st.floats(min_value=1e15, max_value=1e308, exclude_min=True))
def test_numbers_beyond_the_plausible_magnitude_are_refused_naming_the_bound(value):
    """Domain: every double above 1e15 (the ``number`` bound of MAGNITUDES), either sign."""
    for v in (value, -value):
        with pytest.raises(DataFileError, match="plausible bound of any number"):
            numbers(pd.Series([repr(v)], dtype=object), "x", CTX)
