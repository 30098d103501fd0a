"""Readers for the service structure (YAML), DR tiers and disaster scenarios (CSV)."""

from __future__ import annotations

import pytest
import yaml

from cio_analytics.continuity import options_from_spec, service_availability, service_from_spec
from cio_analytics.exceptions import DataFileError
from cio_analytics.io import read_disaster_scenarios, read_dr_tiers, read_service_structure

SAMPLE = "data/sample/continuity/online_ordering.yaml"


def test_sample_files_build_models():
    spec = read_service_structure(SAMPLE)
    model = service_from_spec(spec)
    r = service_availability(model)
    assert 0.99 < r.availability < 0.999 and model.currency == "EUR"
    assert len(model.outage_cost_per_h) == 24
    assert options_from_spec(spec)[0].name == "Warm standby DR site"
    tiers = read_dr_tiers("data/sample/continuity/dr_tiers.csv")
    assert {"tier", "rto_h", "rpo_h", "one_off_cost", "annual_cost"} <= set(tiers.columns)
    scen = read_disaster_scenarios("data/sample/continuity/disaster_scenarios.csv")
    assert scen["fixed_cost_per_event"].tolist() == [50_000.0, 150_000.0, 10_000.0]


def _broken(tmp_path, edit):
    data = yaml.safe_load(open(read_service_structure(SAMPLE)["path"]))
    edit(data)
    path = tmp_path / "service.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (
            lambda d: d["components"].update(san={"availability": 99.9}),
            r"`components\.san\.availability`: must be a decimal in \[0, 1\]\. Got 99\.9\. .*0\.999 for 99\.9 %",
        ),
        (
            lambda d: d["components"].update(san={"mtbf_h": 900, "mttr_h": -2}),
            r"`components\.san\.mttr_h`: must be 0 or more\. Got -2\.",
        ),
        (
            lambda d: d["blocks"]["web_tier"].update(k=4),
            r"`blocks\.web_tier\.k`: k = 4 is more than the 3 children \(k > n\)",
        ),
        (
            lambda d: d["blocks"]["app_tier"]["children"].append("app9"),
            r"`blocks\.app_tier\.children\[2\]`: unknown component or block 'app9'",
        ),
        (
            lambda d: d["blocks"]["database"]["children"].append("ordering"),
            r"blocks form a cycle: ordering -> database -> ordering",
        ),
        (lambda d: d["blocks"]["app_tier"]["children"].append("web1"), "used twice"),
        (
            lambda d: (
                d["options"][0]["changes"]["components"].update(sitte={"availability": 0.9})
                or d["blocks"]["ordering"]["children"].append("sitte")
                or d["components"].pop("site")
            ),
            r"unknown component or block 'site'",
        ),
        (
            lambda d: d["options"][1]["changes"]["blocks"]["network"]["children"].append("isp_c"),
            r"option 'Second ISP link', `blocks\.network\.children\[2\]`: unknown .*'isp_c'",
        ),
        (
            lambda d: d["components"]["sso"]["restore_h"].update(distribution="pret"),
            r"`components\.sso\.restore_h`: unknown distribution 'pret'.*Did you mean 'pert'",
        ),
        (lambda d: d.pop("root"), r"`root`: missing"),
    ],
)
def test_broken_structure_names_file_key_and_rule(tmp_path, edit, match):
    path = _broken(tmp_path, edit)
    with pytest.raises(DataFileError, match=match) as info:
        read_service_structure(path)
    assert str(info.value).startswith(path)


def test_invalid_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("components: [a\n")
    with pytest.raises(DataFileError, match="not valid YAML"):
        read_service_structure(str(path))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "tier,rto_h,rpo_h,annual_cost\nA,4,1,TBD\n",
            r"row 2, column `annual_cost`: expected a number\. Got 'TBD'",
        ),
        ("tier,rto_h,rpo_h,annual_cost\nA,-4,1,10\n", r"row 2, column `rto_h`: must be 0 or more"),
        (
            "tier,rto,rpo_h,annual_cost\nA,4,1,10\n",
            r"column `rto_h`: missing required column `rto_h`\. Found columns \['tier', 'rto'",
        ),
        (
            "tier,rto_h,rpo_h,annual_cost\nA,4,1,10\nA,2,1,20\n",
            r"row 3, column `tier`: 'A' appears twice \(first in row 2\)",
        ),
    ],
)
def test_broken_tiers_name_row_and_column(tmp_path, text, match):
    path = tmp_path / "tiers.csv"
    path.write_text(text)
    with pytest.raises(DataFileError, match=match):
        read_dr_tiers(str(path))


def test_broken_scenarios(tmp_path):
    path = tmp_path / "scen.csv"
    path.write_text("scenario,events_per_year,outage_cost_per_h\nfire,0.1,100\n")
    with pytest.raises(DataFileError, match="missing required column `data_loss_cost_per_h`"):
        read_disaster_scenarios(str(path))
