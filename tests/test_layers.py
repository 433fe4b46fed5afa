"""The generator's layers import only downward: model -> checks -> site -> adapters.

A newcomer reads where a change belongs from the folders (CONTRIBUTING.md,
"Layers"); this test keeps the folders honest.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "generator"

# Rank of each layer; a module may import its own layer and lower ones.
LAYERS = {
    "model": 0,     # generator.model, loader, schema, dates, afwegingskader
    "checks": 1,    # generator.checks
    "site": 2,      # generator.site: views, templates, pages
    "release": 2,   # generator.release: pdf, dist, linkcheck (on a built site)
    "adapters": 3,  # generator.cli, build (+ build_config, build_cache, serve), the engines (mkdocs_plugin + mkdocs_pages, zensical_engine)
}
RENDERING = ("jinja2", "markdown_it", "markupsafe", "babel", "mkdocs", "material", "linkify_it")


MODULES = {
    "model": {
        "generator.model", "generator.handbook", "generator.loader", "generator.schema",
        "generator.dates", "generator.forking", "generator.passages", "generator.urls",
        "generator.afwegingskader", "generator.afwegingskader.engine",
    },
    "adapters": {
        "generator.__main__", "generator.cli", "generator.build", "generator.build_config", "generator.build_cache",
        "generator.serve",
        "generator.mkdocs_plugin", "generator.mkdocs_pages", "generator.zensical_engine",
    },
}
"""The modules outside the layer folders, each named: a new one must be given its layer here."""
FOLDERS = ("checks", "site", "release")
"""A module in ``generator/<folder>/`` is in that layer."""


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "generator":
        raise ValueError(module)
    if len(parts) > 1 and parts[1] in FOLDERS:
        return parts[1]
    for layer, names in MODULES.items():
        if module in names:
            return layer
    raise LookupError(f"{module} has no layer: name it in MODULES (tests/test_layers.py) and CONTRIBUTING's Layers")


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import of the package, at any depth of the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("generator"):
                if node.module is None:  # from . import x
                    found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
                else:
                    found.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator")]
    return found


def test_no_module_imports_a_higher_layer():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = layer_of(module_name(path))
        for line, target in imports(path):
            other = layer_of(target)
            if LAYERS[other] > LAYERS[own] or {own, other} == {"site", "release"}:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {own} imports {target} ({other})")
    assert wrong == []


def test_the_layer_map_knows_every_module():
    """Every module has a layer by its folder or by name; none is taken for model unnamed."""
    unknown = []
    for path in sorted(PACKAGE.rglob("*.py")):
        try:
            layer_of(module_name(path))
        except LookupError:
            unknown.append(path.relative_to(ROOT).as_posix())
    assert unknown == []
    named = {m for names in MODULES.values() for m in names}
    gone = {m for m in named if not (ROOT / (m.replace(".", "/") + ".py")).exists()
            and not (ROOT / m.replace(".", "/") / "__init__.py").exists()}
    assert gone == set()


@pytest.mark.parametrize("module", ["generator.checks", "generator.cli", "generator.loader"])
def test_checking_loads_no_rendering_library(module):
    """`python -m generator check --json`, run in a board's CI, needs no Jinja, Markdown or babel."""
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    names = loaded.stdout.split()
    assert [n for n in names if n.split(".")[0] in RENDERING] == []
    assert module in names
