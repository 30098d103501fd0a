"""The shared foundation: input checks, error types, data paths and the record sidecar."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cio_analytics
from cio_analytics import CioAnalyticsError, DataFileError, ParameterError
from cio_analytics._validation import (
    as_float_array,
    check_choice,
    check_int,
    check_positive,
    check_probability,
    check_rate,
    resolve_rng,
)
from cio_analytics.io import file_sha256, resolve_data_path
from cio_analytics.reporting import read_records, record

ROOT = Path(__file__).resolve().parents[1]


def test_errors_are_value_errors():
    assert issubclass(ParameterError, CioAnalyticsError)
    assert issubclass(CioAnalyticsError, ValueError)
    err = DataFileError("expected a number, got 'TBD'.", path="data/x.csv", row=7, column="capex")
    assert str(err) == "data/x.csv, row 7, column `capex`: expected a number, got 'TBD'."


def test_rate_meant_as_percent_gets_the_hint():
    with pytest.raises(ParameterError, match=r"use 0.08 for 8 %"):
        check_rate(8, "discount_rate")
    assert check_rate(0.08, "discount_rate") == 0.08
    np.testing.assert_array_equal(check_rate([0.1, -0.5], "r"), [0.1, -0.5])
    with pytest.raises(ParameterError, match="-100 %"):
        check_rate(-1.0, "r")


def test_probability_and_bounds():
    with pytest.raises(ParameterError, match=r"use 0.8 for 80 %"):
        check_probability(80, "target_service_level")
    assert check_probability(1, "p") == 1.0
    with pytest.raises(ParameterError, match="greater than 0"):
        check_positive([1, 0], "handle_time_s")


def test_as_float_array_names_the_bad_cell():
    frame = pd.DataFrame({"y0": [-100, -50], "y1": [60, "TBD"]})
    with pytest.raises(ParameterError, match=r"Column 'y1', row 1 holds 'TBD'"):
        as_float_array(frame, "values")
    with pytest.raises(ParameterError, match="NaN"):
        as_float_array([1.0, np.nan], "values")
    with pytest.raises(ParameterError, match="2-D"):
        as_float_array([1.0, 2.0], "values", ndim=2)
    with pytest.raises(ParameterError, match="ragged"):
        as_float_array([[1.0, 2.0], [3.0]], "values")


def test_choice_int_and_rng():
    with pytest.raises(ParameterError, match="Did you mean 'lhs'"):
        check_choice("lsh", "method", ["mc", "lhs", "sobol"])
    with pytest.raises(ParameterError, match="whole number"):
        check_int(2.5, "n_trials")
    with pytest.raises(ParameterError, match="at least 1"):
        check_int(0, "n_trials", minimum=1)
    assert resolve_rng(7).random() == np.random.default_rng(7).random()
    with pytest.raises(ParameterError, match="rng"):
        resolve_rng("seed")


def test_resolve_data_path_from_any_directory(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    target = tmp_path / "data" / "x.csv"
    target.write_text("a\n1\n")
    monkeypatch.setenv("CIO_ANALYTICS_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path / "data")  # like JupyterLab running a notebook in a sub-folder
    assert resolve_data_path("data/x.csv") == target.resolve()
    with pytest.raises(DataFileError, match=r"`case_path`: no file at 'data/missing\.csv'"):
        resolve_data_path("data/missing.csv", parameter="case_path")
    # printf 'a\n1\n' | sha256sum
    assert file_sha256(target) == "309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc"


def test_record_sidecar_round_trip(tmp_path, monkeypatch):
    sidecar = tmp_path / "records.jsonl"
    monkeypatch.setenv("CIO_ANALYTICS_RECORD_FILE", str(sidecar))
    assert record("npv_p50", np.float64(1.5e6), label="NPV, median", unit="EUR") == 1.5e6
    record("irr_undefined_share", float("nan"))
    records = read_records(sidecar)
    assert records["npv_p50"] == {
        "value": 1.5e6,
        "label": "NPV, median",
        "unit": "EUR",
        "fmt": None,
    }
    assert records["irr_undefined_share"]["value"] is None
    assert all(json.loads(line) for line in sidecar.read_text().splitlines())
    with pytest.raises(TypeError, match="record"):
        record("table", [1, 2])


def test_version_is_exposed():
    """``__version__`` is the installed distribution's version, which is pyproject's: not the
    source-tree fallback ``0.0.0+unknown`` (package not installed) nor a stale install."""
    import tomllib
    from importlib.metadata import version

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert cio_analytics.__version__ == version("cio-analytics") == declared
