"""Notebook hygiene: committed notebooks hold no outputs, no execution counts, normalised cell
ids, and a parameters cell in the house form (the report pipeline parses it)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from cio_analytics.pipeline.pack import load_pack, shipped_packs
from cio_analytics.pipeline.params import read_schema

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "tests" / "fixtures" / "notebooks").glob("*.ipynb")
)
_CELL_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_clean(path):
    raw = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert raw.nbformat == 4 and raw.nbformat_minor >= 5, "nbformat 4.5+ (cell ids)"
    nbformat.validate(raw)
    ids = [c.get("id") for c in raw.cells]
    assert all(i and _CELL_ID.fullmatch(i) for i in ids), f"non-normalised cell ids: {ids}"
    assert len(set(ids)) == len(ids), "duplicate cell ids"
    for cell in raw.cells:
        if cell.cell_type == "code":
            assert cell.get("outputs") == [], f"cell {cell.id} holds outputs"
            assert cell.get("execution_count") is None, f"cell {cell.id} has an execution count"
    assert raw.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_has_the_house_form(path):
    schema = read_schema(path)
    assert schema.problems == (), "\n".join(schema.problems)
    assert schema.params, "no parameters"


@pytest.mark.parametrize("name", sorted(shipped_packs(ROOT)))
def test_shipped_packs_validate(name):
    pack = load_pack(name, root=ROOT)
    assert pack.jobs
