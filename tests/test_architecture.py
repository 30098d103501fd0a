"""The import rules of docs/architecture.md, enforced by walking every module's imports with ``ast``.

Layers, bottom up: the ground floor (``exceptions``, ``_validation``), the readers (``io``), the
decision domains (``valuation``, ``risk``, ...), the presentation inside a report kernel
(``reporting``), the pack pipeline (``pipeline``) and the command line (``cli``). Every import
statement counts: module level, inside functions, under ``TYPE_CHECKING``, absolute or relative,
and ``importlib.import_module`` with a literal name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cio_analytics"
ROOT = "cio_analytics"

GROUND = {"exceptions", "_validation"}
DOMAINS = {
    "valuation",
    "risk",
    "staffing",
    "portfolio",
    "budget",
    "sourcing",
    "continuity",
    "performance",
}
LAYERS = {"io", "reporting", "pipeline", "cli"} | GROUND | DOMAINS

# Imports that break a rule today and are being removed (issue 11). The test fails on any
# violation NOT listed here; an entry may disappear (the set only shrinks): the lead empties it
# once the branches that remove them are merged. Never add to it.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()

# The two modules through which the pipeline meets reporting: the notebook contract, what goes
# into a report notebook (its parameters schema) and what comes out (recorded figures, tables).
CONTRACT = {f"{ROOT}.reporting.record", f"{ROOT}.reporting.parameters"}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name of the importing file
    imported: str  # dotted module (or module.name) imported
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(dotted: str) -> bool:
    rel = Path(*dotted.split("."))
    base = PACKAGE.parent / rel
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _resolve(importer: str, is_package: bool, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    parts = importer.split(".")
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join([*parts, module] if module else parts)


def imports_of(path: Path) -> list[Import]:
    """Every import of ``path`` that targets the package, as dotted names.

    ``from X import y`` counts as an import of ``X.y`` when ``y`` is a module, else of ``X``.
    """
    importer = _module_name(path)
    is_package = path.name == "__init__.py"
    out: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(importer, is_package, node.module, node.level)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.append(full if _is_module(full) else base)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            name = node.args[0].value
            level = len(name) - len(name.lstrip("."))
            package = importer if is_package else importer.rpartition(".")[0]
            targets = [_resolve(package, True, name.lstrip(".") or None, level) if level else name]
        out += [Import(importer, t, node.lineno) for t in targets if t.split(".")[0] == ROOT]
    return out


def all_imports() -> list[Import]:
    return [i for p in sorted(PACKAGE.rglob("*.py")) for i in imports_of(p)]


def layer(dotted: str) -> str:
    """``cio_analytics.risk.fair`` -> ``risk``; the package root is ``root``."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "root"


def _private_domain_module(dotted: str) -> bool:
    parts = dotted.split(".")
    return len(parts) > 2 and parts[1] in DOMAINS and any(p.startswith("_") for p in parts[2:])


def violation(imp: Import) -> str | None:
    """The rule ``imp`` breaks, or None."""
    src, dst = layer(imp.importer), layer(imp.imported)
    if src == dst:
        return None
    if dst == "cli":
        return "nothing imports the command line"
    if src in GROUND and dst not in GROUND:
        return "the ground floor (exceptions, _validation) imports nothing above it"
    if src == "root" and dst not in GROUND:
        return "the package root imports only the ground floor"
    if src in DOMAINS and dst in {"io", "reporting", "pipeline"}:
        return "domains never import io, reporting or the pipeline"
    if src == "io" and dst in {"reporting", "pipeline"}:
        return "io imports domains or neither, never reporting or the pipeline"
    if src == "reporting" and dst == "pipeline":
        return "reporting never imports the pipeline"
    if (
        imp.importer.startswith(f"{ROOT}.reporting.charts")
        and dst in DOMAINS
        and _private_domain_module(imp.imported)
    ):
        return "charts never import a domain's private module: use the domain's public API"
    if src == "pipeline" and dst == "reporting" and imp.imported not in CONTRACT:
        if imp.imported != f"{ROOT}.reporting":  # the package itself: only to reach the contract
            return (
                "the pipeline meets reporting only through reporting.record and "
                "reporting.parameters (the notebook contract)"
            )
    if src == "pipeline" and dst in DOMAINS:
        return "the pipeline runs notebooks; it does not call the domains"
    return None


def violations() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for imp in all_imports():
        rule = violation(imp)
        if rule:
            found.setdefault((imp.importer, imp.imported), []).append(f"line {imp.line}: {rule}")
    return found


def test_the_walk_sees_every_kind_of_import():
    """Module-level, function-level, relative (one and two dots), ``from . import`` of a
    submodule and ``import_module`` with a literal name are all found and resolved."""
    found = {(i.importer, i.imported) for i in all_imports()}
    assert ("cio_analytics.cli", "cio_analytics.exceptions") in found  # module level, relative
    assert ("cio_analytics.cli", "cio_analytics.pipeline.publish") in found  # inside a function
    assert ("cio_analytics.pipeline.runner", "cio_analytics.reporting.record") in found  # `..`
    assert ("cio_analytics.pipeline.runner", "cio_analytics.pipeline.excel") in found
    assert ("cio_analytics.pipeline.params", "cio_analytics.reporting.parameters") in found
    assert ("cio_analytics.reporting", "cio_analytics.reporting.charts") in found  # import_module


def test_the_rules_catch_what_they_forbid():
    """Each rule fires on an example of what it forbids (so the test below can fail)."""
    bad = [
        ("cio_analytics.risk.fair", "cio_analytics.io.risk"),
        ("cio_analytics.budget.adjust", "cio_analytics.reporting.tables"),
        ("cio_analytics.io.cases", "cio_analytics.reporting"),
        ("cio_analytics.reporting.summary", "cio_analytics.pipeline.params"),
        ("cio_analytics.reporting.charts.risk", "cio_analytics.risk._appetite"),
        ("cio_analytics.pipeline.runner", "cio_analytics.reporting.tables"),
        ("cio_analytics.pipeline.params", "cio_analytics.reporting.appendix"),
        ("cio_analytics.pipeline.runner", "cio_analytics.cli"),
        ("cio_analytics._validation", "cio_analytics.risk"),
    ]
    for importer, imported in bad:
        assert violation(Import(importer, imported, 1)), (importer, imported)
    good = [
        ("cio_analytics.io.cases", "cio_analytics.valuation.case"),
        ("cio_analytics.risk.uncertain_case", "cio_analytics.valuation"),
        ("cio_analytics.reporting.charts.risk", "cio_analytics.risk"),
        ("cio_analytics.pipeline.runner", "cio_analytics.reporting.record"),
        ("cio_analytics.pipeline.params", "cio_analytics.reporting.parameters"),
        ("cio_analytics.cli", "cio_analytics.pipeline.pack"),
    ]
    for importer, imported in good:
        assert violation(Import(importer, imported, 1)) is None, (importer, imported)


def test_no_import_breaks_the_architecture():
    """docs/architecture.md: which layer may import which. A new violation fails here."""
    found = violations()
    new = {edge: why for edge, why in found.items() if edge not in KNOWN_VIOLATIONS}
    assert not new, "imports that break docs/architecture.md:\n" + "\n".join(
        f"  {a} -> {b} ({'; '.join(why)})" for (a, b), why in sorted(new.items())
    )


def test_known_violations_only_shrink():
    """Every KNOWN_VIOLATIONS entry names real modules and a real rule: a listed import that is
    gone is fine (remove the entry), but an entry can never excuse an allowed import."""
    for importer, imported in KNOWN_VIOLATIONS:
        assert _is_module(importer) and _is_module(imported), (importer, imported)
        assert violation(Import(importer, imported, 1)), f"{importer} -> {imported} is allowed"


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_every_domain_is_a_package_with_a_curated_api(domain):
    """A new domain goes in its own sub-package with an ``__init__.py`` that lists ``__all__``."""
    init = PACKAGE / domain / "__init__.py"
    assert init.is_file()
    assert "__all__" in init.read_text(encoding="utf-8")


def test_every_subpackage_is_a_known_layer():
    """A sub-package the rules do not know would escape them: add it to a layer (and to
    docs/architecture.md) first."""
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert subpackages <= LAYERS, subpackages - LAYERS
