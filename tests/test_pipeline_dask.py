"""``--executor``: a pack runs unchanged on a real Dask ``distributed`` scheduler (loopback)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from cio_analytics.cli import main

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "tests" / "fixtures" / "notebooks"


@pytest.mark.slow
def test_pack_runs_on_a_local_dask_cluster(tmp_path):
    pack = tmp_path / "dask.yaml"
    pack.write_text(
        f"""
name: dask
jobs:
  - name: figures
    notebook: {NB / "figures.ipynb"}
    parameters: {{n_trials: 300, seed: 3}}
  - name: fails
    notebook: {NB / "fails.ipynb"}
""",
        encoding="utf-8",
    )
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        host="127.0.0.1",
        protocol="tcp://",
        dashboard_address=None,
    ) as cluster:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            code = main(
                ["run", str(pack), "--executor", cluster.scheduler_address,
                 "--out", str(tmp_path / "r"), "--period", "D1"]
            )  # fmt: skip
    assert code == 1, buf.getvalue()
    assert "Dask scheduler" in buf.getvalue()
    manifest = json.loads((tmp_path / "r" / "D1" / "manifest.json").read_text())
    status = {j["name"]: j["status"] for j in manifest["jobs"]}
    assert status == {"figures": "ok", "fails": "failed"}
    assert manifest["executor"] == cluster.scheduler_address
    figures = manifest["jobs"][0]
    assert figures["records"]["total_hours"]["value"] > 0
    assert figures["report_noise"] == []
    assert (tmp_path / "r" / "D1" / "index.html").is_file()
