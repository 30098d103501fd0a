"""Sourcing readers: the sample files load; broken files name file, row, column, rule, value, fix."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from cio_analytics.exceptions import DataFileError
from cio_analytics.io import (
    read_offers,
    read_scoring,
    read_sla_contract,
    read_sla_data,
    read_volume_forecast,
)

SAMPLE = "data/sample/sourcing/"

OFFERS = """\
currency: EUR
horizon_years: 3
discount_rate: 0.08
offers:
  - name: V1
    one_off: 100
    recurring: 50
    escalation: 0.03
    scheme: graduated
    tiers:
      - {from_volume: 0, unit_price: 10}
      - {from_volume: 1000, unit_price: 8}
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_sample_files_load():
    spec = read_offers(SAMPLE + "offers.yaml")
    assert spec.currency == "EUR" and spec.discount_rate == 0.08 and spec.horizon_years == 5
    assert set(spec.tiers["offer"]) == {"Vendor A", "Vendor B", "Vendor C"}
    assert spec.offers.set_index("name").loc["Vendor B", "scheme"] == "all_units"
    assert len(spec.sha256) == 64
    vf = read_volume_forecast(SAMPLE + "volume_forecast.csv")
    assert (vf["low"] <= vf["likely"]).all() and (vf["likely"] <= vf["high"]).all()
    scoring = read_scoring(SAMPLE + "scoring.yaml")
    assert scoring.tco_criterion == "price"
    assert list(scoring.scores.columns) == ["quality", "risk", "fit"]
    assert scoring.criteria["weight"].sum() == pytest.approx(1.0)
    sla = read_sla_data(SAMPLE + "sla_monthly.csv")
    assert sla["month"].is_monotonic_increasing and not sla["month"].duplicated().any()
    contract = read_sla_contract(SAMPLE + "sla_contract.yaml")
    assert contract.provider == "Vendor C" and contract.credit_cap == 0.15
    assert set(contract.bands["metric"]) <= set(sla.columns)


def expect(exc_info, *, path, column, row=None, words=()):
    err = exc_info.value
    assert err.path == path and err.column == column and err.row == row
    for word in words:
        assert word in str(err), (word, str(err))


@pytest.mark.parametrize(
    ("old", "new", "column", "words"),
    [
        (
            "from_volume: 1000",
            "from_volume: 0",
            "from_volume",
            ["tier 2", "strictly increasing", "Got 0", "increasing order"],
        ),
        (
            "from_volume: 0, unit_price: 10",
            "from_volume: 5, unit_price: 10",
            "from_volume",
            ["start at 0"],
        ),
        ("unit_price: 8", "unit_price: -8", "unit_price", ["0 or more", "-8"]),
        ("recurring: 50", "recurring: -50", "recurring", ["offer 1 (V1)", "0 or more"]),
        ("escalation: 0.03", "escalation: 3", "escalation", ["Write 0.03 for 3 %"]),
        ("scheme: graduated", "scheme: all_unit", "scheme", ["Did you mean"]),
        ("unit_price: 10", "unit_price: ten", "unit_price", ["expected a number", "'ten'"]),
        ("recurring: 50", "recuring: 50", "recuring", ["unknown key", "Did you mean 'recurring'"]),
    ],
)
def test_bad_offers(tmp_path, old, new, column, words):
    path = write(tmp_path, "offers.yaml", OFFERS.replace(old, new))
    with pytest.raises(DataFileError) as info:
        read_offers(path)
    expect(info, path=path, column=column, words=words)


def test_bad_offers_structure(tmp_path):
    path = write(
        tmp_path, "o.yaml", OFFERS + "  - name: V1\n    tiers: [{from_volume: 0, unit_price: 1}]\n"
    )
    with pytest.raises(DataFileError, match="unique"):
        read_offers(path)
    path = write(tmp_path, "o2.yaml", "currency: EUR\nhorizon_years: 3\ndiscount_rate: 0.05\n")
    with pytest.raises(DataFileError, match="list of offers"):
        read_offers(path)
    path = write(tmp_path, "o3.yaml", "offers: [oops")
    with pytest.raises(DataFileError, match="not valid YAML"):
        read_offers(path)


@pytest.mark.parametrize(
    ("csv", "row", "column", "words"),
    [
        ("year,low,likely,high\n1,10,20,30\n3,10,20,30\n", 3, "year", ["expected 2"]),
        ("year,low,likely,high\n1,10,20,30\n1,10,20,30\n", 3, "year", ["in order"]),
        ("year,low,likely,high\n1,25,20,30\n", 2, "likely", ["low <= likely <= high", "low is 25"]),
        ("year,low,likely,high\n1,10,20,lots\n", 2, "high", ["expected a number", "'lots'"]),
        ("year,low,likely,high\n1,-10,20,30\n", 2, "low", ["0 or more"]),
    ],
)
def test_bad_volume_forecast(tmp_path, csv, row, column, words):
    path = write(tmp_path, "v.csv", csv)
    with pytest.raises(DataFileError) as info:
        read_volume_forecast(path)
    expect(info, path=path, row=row, column=column, words=words)


def test_missing_volume_column(tmp_path):
    path = write(tmp_path, "v.csv", "year,low,likly,high\n1,1,2,3\n")
    with pytest.raises(DataFileError) as info:
        read_volume_forecast(path)
    expect(info, path=path, column="likely", words=["Did you mean 'likly'"])


SCORING = """\
criteria:
  - {criterion: price, weight: 0.5, direction: lower, source: tco}
  - {criterion: quality, weight: 0.3, method: scale, scale_min: 1, scale_max: 5}
  - {criterion: fit, weight: 0.2, method: scale, scale_min: 1, scale_max: 5}
scores:
  V1: {quality: 4, fit: 3}
  V2: {quality: 3, fit: 5}
"""


def test_weights_not_summing_to_one_get_the_fix(tmp_path):
    path = write(tmp_path, "s.yaml", SCORING.replace("weight: 0.5", "weight: 50"))
    with pytest.raises(DataFileError) as info:
        read_scoring(path)
    expect(
        info,
        path=path,
        column="weight",
        words=["sum to 1", "Got 50.5", "price 0.990", "0.4 for 40 %"],
    )


@pytest.mark.parametrize(
    ("old", "new", "column", "words"),
    [
        ("V2: {quality: 3, fit: 5}", "V2: {quality: 3, fitt: 5}", "fitt", ["Did you mean 'fit'"]),
        ("V2: {quality: 3, fit: 5}", "V2: {quality: 3}", "fit", ["expected a number", "empty"]),
        ("direction: lower", "direction: less", "direction", ["higher or lower"]),
        (
            "scale_max: 5}\n  - {criterion: fit",
            "scale_max: 1}\n  - {criterion: fit",
            "scale_max",
            ["above scale_min"],
        ),
    ],
)
def test_bad_scoring(tmp_path, old, new, column, words):
    path = write(tmp_path, "s.yaml", SCORING.replace(old, new, 1))
    with pytest.raises(DataFileError) as info:
        read_scoring(path)
    expect(info, path=path, column=column, words=words)


SLA = "month,monthly_fee,availability\n2026-01,1000,0.999\n2026-02,1000,0.998\n"


@pytest.mark.parametrize(
    ("csv", "row", "column", "words"),
    [
        (
            SLA + "2026-01,1000,0.997\n",
            4,
            "month",
            ["duplicate month", "row 2", "one row per month"],
        ),
        (
            SLA.replace("2026-02", "Feb 26"),
            3,
            "month",
            ["expected a month", "'Feb 26'", "'2026-01'"],
        ),
        (SLA.replace("2026-02", ""), 3, "month", ["must not be empty", "Got empty"]),
        (SLA.replace("1000,0.998", "-5,0.998"), 3, "monthly_fee", ["0 or more"]),
        (SLA.replace("0.998", "n/a"), 3, "availability", ["expected a number"]),
    ],
)
def test_bad_sla_data(tmp_path, csv, row, column, words):
    path = write(tmp_path, "sla.csv", csv)
    with pytest.raises(DataFileError) as info:
        read_sla_data(path)
    expect(info, path=path, row=row, column=column, words=words)


def test_sla_data_needs_metrics(tmp_path):
    path = write(tmp_path, "sla.csv", "month,monthly_fee\n2026-01,5\n")
    with pytest.raises(DataFileError, match="no metric columns"):
        read_sla_data(path)


CONTRACT = """\
provider: P
currency: EUR
credit_cap: 0.2
metrics:
  availability:
    target: 0.999
    bands:
      - {below: 0.999, credit: 0.05}
      - {below: 0.995, credit: 0.10}
  restore_h:
    target: 4
    direction: lower
    bands:
      - {above: 4, credit: 0.02}
      - {above: 8, credit: 0.04}
"""


def test_contract_reads_both_directions(tmp_path):
    c = read_sla_contract(write(tmp_path, "c.yaml", CONTRACT))
    lower = c.bands[c.bands["metric"] == "restore_h"]
    assert lower["threshold"].tolist() == [4.0, 8.0] and set(lower["direction"]) == {"lower"}
    np.testing.assert_allclose(c.bands["credit"], [0.05, 0.10, 0.02, 0.04])


@pytest.mark.parametrize(
    ("old", "new", "column", "words"),
    [
        (
            "{below: 0.995, credit: 0.10}",
            "{below: 0.9995, credit: 0.10}",
            "below",
            ["band 2", "not ordered", "mildest to the deepest"],
        ),
        (
            "{below: 0.995, credit: 0.10}",
            "{below: 0.995, credit: 0.05}",
            "credit",
            ["not ordered", "larger credit"],
        ),
        (
            "{below: 0.999, credit: 0.05}",
            "{below: 0.9995, credit: 0.05}",
            "below",
            ["good side of the target"],
        ),
        ("{above: 8, credit: 0.04}", "{below: 8, credit: 0.04}", "above", ["needs `above`"]),
        ("credit: 0.10", "credit: 10", "credit", ["Write 0.1 for 10 %"]),
        ("credit_cap: 0.2", "credit_cap: 20", "credit_cap", ["Write 0.2 for 20 %"]),
    ],
)
def test_bad_contract(tmp_path, old, new, column, words):
    path = write(tmp_path, "c.yaml", CONTRACT.replace(old, new, 1))
    with pytest.raises(DataFileError) as info:
        read_sla_contract(path)
    expect(info, path=path, column=column, words=words)


def test_missing_file_names_parameter():
    with pytest.raises(DataFileError, match="offers_path"):
        read_offers("data/sample/sourcing/nope.yaml")
