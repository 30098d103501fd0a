"""The pack pipeline moved from cio_analytics.reporting to cio_analytics.pipeline (issue 11):
the old import paths still work, with a DeprecationWarning that names the new place."""

from __future__ import annotations

import importlib
import sys

import pytest

import cio_analytics.pipeline as pipeline
import cio_analytics.reporting as reporting

MOVED_MODULES = {
    "_kernel_setup": "_kernel_setup",
    "excel": "excel",
    "export": "export",
    "index": "index",
    "kernel": "kernel",
    "manifest": "manifest",
    "pack": "pack",
    "params": "params",
    "pipeline": "publish",
    "runner": "runner",
}
MOVED_NAMES = [
    "Job",
    "NotebookSchema",
    "Pack",
    "PackRun",
    "Param",
    "ParameterValidationError",
    "current_period",
    "load_pack",
    "pack_from_manifest",
    "read_schema",
    "run_pack",
]


def _forget(monkeypatch, old: str) -> None:
    """Make the next import of cio_analytics.reporting.<old> go through the import system."""
    monkeypatch.delitem(sys.modules, f"cio_analytics.reporting.{old}", raising=False)
    monkeypatch.delitem(vars(reporting), old, raising=False)


@pytest.mark.parametrize(("old", "new"), sorted(MOVED_MODULES.items()))
def test_old_module_path_imports_the_moved_module_with_a_warning(monkeypatch, old, new):
    _forget(monkeypatch, old)
    moved = importlib.import_module(f"cio_analytics.pipeline.{new}")
    with pytest.warns(DeprecationWarning, match=rf"cio_analytics\.pipeline\.{new}"):
        module = importlib.import_module(f"cio_analytics.reporting.{old}")
    assert module is moved
    assert moved.__spec__.name == f"cio_analytics.pipeline.{new}"  # its own spec kept


def test_from_import_of_a_moved_module_warns(monkeypatch):
    _forget(monkeypatch, "params")
    with pytest.warns(DeprecationWarning, match=r"cio_analytics\.pipeline\.params") as record:
        from cio_analytics.reporting.params import read_schema
    assert read_schema is pipeline.read_schema
    assert record[0].filename == __file__  # the warning points at the importing line


def test_old_module_attribute_warns(monkeypatch):
    _forget(monkeypatch, "pack")
    with pytest.warns(DeprecationWarning, match=r"cio_analytics\.pipeline\.pack"):
        module = reporting.pack
    assert module is importlib.import_module("cio_analytics.pipeline.pack")


@pytest.mark.parametrize("name", MOVED_NAMES)
def test_old_name_resolves_with_a_warning(name):
    with pytest.warns(DeprecationWarning, match=rf"cio_analytics\.pipeline\.{name}`"):
        obj = getattr(reporting, name)
    assert obj is getattr(pipeline, name)


def test_moved_names_are_not_advertised_any_more():
    assert not set(MOVED_NAMES) & set(reporting.__all__)
    assert set(MOVED_NAMES) <= set(pipeline.__all__)  # and the names new to the pipeline
    with pytest.raises(AttributeError):
        reporting.no_such_name  # noqa: B018


def test_presentation_names_do_not_warn():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in reporting.__all__:
            assert getattr(reporting, name) is not None
