"""Report pipeline, before any kernel starts: parameter schemas, coercion, pack validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.cli import main
from cio_analytics.exceptions import ParameterError
from cio_analytics.pipeline.pack import load_pack, make_pack
from cio_analytics.pipeline.params import (
    Param,
    ParameterValidationError,
    coerce_value,
    parse_assignment,
    parse_parameters_source,
    read_schema,
)
from cio_analytics.pipeline.publish import current_period, publish

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures"
PACK = FIX / "packs" / "fixture.yaml"


def test_schema_of_the_parameters_cell():
    schema = read_schema(FIX / "notebooks" / "typed.ipynb")
    assert schema.problems == ()
    assert schema.names == ["rate", "count", "flag", "weights", "note", "business_unit"]
    rate = schema["rate"]
    assert (rate.type, rate.default, rate.low, rate.high, rate.help) == (
        "float",
        0.5,
        0.0,
        1.0,
        "a rate",
    )
    assert schema["business_unit"].required and not schema["note"].required
    assert read_schema(FIX / "notebooks" / "figures.ipynb")["team_demand_path"].is_path


def test_range_brackets_and_choices():
    s = parse_parameters_source(
        "a: float = 0.5  # open (0, 1)\n"
        "b: int = 3  # half [1, )\n"
        "c: str = 'EUR'  # currency {EUR, USD}\n"
        "d: float = 2.0  # note (in EUR)"
    )
    a, b, c, d = s.params
    assert (a.low_closed, a.high_closed, a.range_text) == (False, False, "(0, 1)")
    assert (b.low, b.high) == (1.0, None)
    assert c.choices == ("EUR", "USD")
    assert d.help == "note (in EUR)" and d.range_text == ""
    with pytest.raises(ParameterError, match=r"must be in \(0, 1\)"):
        coerce_value(a, 0.0)
    with pytest.raises(ParameterError, match="Did you mean 'USD'"):
        coerce_value(c, "USF")


def test_bad_cell_forms_are_reported():
    s = parse_parameters_source(
        "x = 1\ny: decimal = 2\nz: int = 1 + n\nw: int = 1\nv: float = 'a'  # text"
    )
    text = "\n".join(s.problems)
    assert "'x = 1' is not a typed literal" in text
    assert "`y` has type 'decimal'" in text
    assert "is not a literal" in text
    assert "`w` has no help comment" in text
    assert "`v` must be a number" in text


def test_coercion_to_the_declared_type():
    assert coerce_value(Param("x", "float", 1.0), 7) == 7.0
    assert isinstance(coerce_value(Param("x", "float", 1.0), 7), float)
    assert coerce_value(Param("n", "int", 1), 4.0) == 4 and isinstance(
        coerce_value(Param("n", "int", 1), 4.0), int
    )
    assert coerce_value(Param("w", "list", [1.0]), [1, 2]) == [1.0, 2.0]
    for bad, p in [
        (True, Param("n", "int", 1)),
        ("7", Param("x", "float", 1.0)),
        (4.5, Param("n", "int", 1)),
        (1, Param("b", "bool", False)),
        (3, Param("s", "str", "a")),
        ("a", Param("w", "list", [])),
        (None, Param("x", "float", 1.0)),
    ]:
        with pytest.raises(ParameterError):
            coerce_value(p, bad)


@settings(max_examples=100, deadline=None)
@given(st.integers(-(10**9), 10**9))
def test_int_to_float_and_back(n):
    assert coerce_value(Param("x", "float", 0.0), n) == float(n)
    assert coerce_value(Param("n", "int", 0), float(n)) == n


@settings(max_examples=100, deadline=None)
@given(st.floats(-10, 10, allow_nan=False))
def test_range_is_enforced_exactly(x):
    p = Param("x", "float", 0.0, low=0.0, high=1.0, high_closed=False)
    if 0 <= x < 1:
        assert coerce_value(p, x) == x
    else:
        with pytest.raises(ParameterError, match=r"\[0, 1\)"):
            coerce_value(p, x)


def test_cli_values_are_yaml_scalars():
    assert parse_assignment("n=7") == ("n", 7, "7")
    assert parse_assignment("r=1e-3")[1] == 0.001
    assert parse_assignment("w=[1, 2.5]")[1] == [1, 2.5]
    assert parse_assignment("flag=false")[1] is False
    assert parse_assignment("s='0012'")[1] == "0012"
    with pytest.raises(ParameterError, match="name=value"):
        parse_assignment("oops")


def test_pack_layers_and_coerces():
    pack = load_pack(
        PACK, overrides=["scale=3", "figures-retail.n_trials=50", "typed.business_unit=2026"]
    )
    retail, wholesale, typed = pack.jobs[:3]
    assert retail.parameters["n_trials"] == 50 and wholesale.parameters["n_trials"] == 500
    assert retail.parameters["scale"] == 3.0 and isinstance(retail.parameters["scale"], float)
    assert typed.parameters["rate"] == 1.0 and isinstance(typed.parameters["rate"], float)
    assert typed.parameters["count"] == 4 and isinstance(typed.parameters["count"], int)
    assert typed.parameters["weights"] == [1.0, 2.0, 3.0]
    assert typed.parameters["business_unit"] == "2026"  # text, as typed on the command line
    assert retail.seed == 7
    assert pack.jobs[4].timeouts == {"cell_s": 2.0}


def test_one_message_lists_every_problem(tmp_path):
    pack_file = tmp_path / "bad.yaml"
    pack_file.write_text(
        f"""
jobs:
  - name: a
    notebook: {FIX / "notebooks" / "figures.ipynb"}
    parameters: {{n_trails: 10, scale: 11, team_demand_path: data/sample/nope.csv}}
  - name: b
    notebook: {FIX / "notebooks" / "typed.ipynb"}
    parameters: {{rate: "high", count: 0}}
  - notebook: notebooks/missing.ipynb
""",
        encoding="utf-8",
    )
    with pytest.raises(ParameterValidationError) as info:
        load_pack(pack_file, overrides=["sede=1"])
    text = str(info.value)
    for fragment in [
        "`n_trails` is not a parameter of figures.ipynb. Did you mean 'n_trials'?",
        "`scale` must be in [0, 10]. Got 11.",
        "no file at 'data/sample/nope.csv'",
        "`rate` must be a number. Got 'high' (str).",
        "`count` must be in [1, 10]. Got 0.",
        "`business_unit` is required",
        "no notebook at 'notebooks/missing.ipynb'",
        "`sede` is not a parameter of any notebook in the pack. Did you mean 'seed'?",
    ]:
        assert fragment in text, fragment
    assert len(info.value.problems) == 8


def test_unknown_keys_and_duplicate_names():
    nb = str(FIX / "notebooks" / "fails.ipynb")
    raw = {"jobz": [], "jobs": [{"notebook": nb, "name": "x"}, {"notebook": nb, "name": "x"}]}
    with pytest.raises(ParameterValidationError, match=r"(?s)unknown key `jobz`.*used twice"):
        make_pack(raw, root=ROOT)
    # the same notebook twice without names gets distinct default names
    pack = make_pack({"jobs": [nb, nb]}, root=ROOT)
    assert [j.name for j in pack.jobs] == ["fails", "fails-2"]


def test_validation_error_runs_nothing_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "reports"
    code = main(["run", str(PACK), "--out", str(out), "-p", "n_trails=5", "-p", "scale=-1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "problem(s) found" in err and "nothing was run or written" in err
    assert "Did you mean 'n_trials'?" in err and "`scale` must be in [0, 10]" in err
    assert not out.exists()


def test_validate_and_list_commands(capsys):
    assert main(["validate", str(PACK)]) == 0
    assert "all parameters valid" in capsys.readouterr().out
    assert main(["list", str(PACK)]) == 0
    out = capsys.readouterr().out
    assert "business_unit" in out and "(required)" in out and "[0, 10]" in out
    assert main(["validate", "no-such-pack"]) == 2
    assert "no shipped pack" in capsys.readouterr().err


def test_current_period():
    import datetime as dt

    assert current_period(dt.date(2026, 3, 31)) == "2026Q1"
    assert current_period(dt.date(2026, 4, 1)) == "2026Q2"
    assert current_period(dt.date(2026, 12, 31)) == "2026Q4"


def test_publish_keeps_earlier_runs(tmp_path):
    target = tmp_path / "2026Q4"
    for i in range(3):
        building = tmp_path / f".b{i}"
        building.mkdir()
        (building / "run.txt").write_text(str(i))
        archived = publish(building, target)
        assert (target / "run.txt").read_text() == str(i)
        assert archived == (None if i == 0 else tmp_path / f"2026Q4.{i}")
    assert (tmp_path / "2026Q4.1" / "run.txt").read_text() == "0"
    assert (tmp_path / "2026Q4.2" / "run.txt").read_text() == "1"
