"""The generator's layers import only downward, and no module imports itself back.

model -> checks -> site | release -> build -> engines -> adapters. A newcomer reads where a
change belongs from the folders (CONTRIBUTING.md, "Layers"); this test keeps them honest: a
module's layer is its folder, and only the adapters (the command line) stand outside one.
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
    "model": 0,     # generator/model/: the sources, validated; the afwegingskader engine
    "checks": 1,    # generator/checks/: model -> Report
    "site": 2,      # generator/site/: model + report -> pages
    "release": 2,   # generator/release/: work on a built site (PDFs, archive, links, search)
    "build": 3,     # generator/build/: the steps every engine takes (options, cache, signals)
    "intake": 3,    # generator/intake/: a school's document -> a draft variant (python -m generator import)
    "engines": 4,   # generator/engines/: MkDocs, Zensical, ... chosen by name
    "adapters": 5,  # generator/__main__, cli, serve: python -m generator
}
RENDERING = ("jinja2", "markdown_it", "markupsafe", "babel", "mkdocs", "material", "linkify_it")

ADAPTERS = {"generator", "generator.__main__", "generator.cli", "generator.serve"}
"""The only modules outside a layer's folder: the command line over everything."""


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "generator":
        raise ValueError(module)
    if len(parts) > 1 and parts[1] in LAYERS and parts[1] != "adapters":
        return parts[1]
    if module in ADAPTERS:
        return "adapters"
    raise LookupError(f"{module} is in no layer's folder: put it in generator/<layer>/ (CONTRIBUTING, Layers)")


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _exists(module: str) -> bool:
    path = ROOT / module.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


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
                # from .pkg import module: the module; from .module import name: the module
                subs = [f"{target}.{a.name}" for a in node.names if _exists(f"{target}.{a.name}")]
                if node.module is None:  # from . import x
                    found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
                else:
                    found += [(node.lineno, sub) for sub in subs] or [(node.lineno, target)]
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


def test_every_module_is_in_a_layers_folder():
    """A model module beside the command line (``generator/passages.py``, say) fails here."""
    unknown = []
    for path in sorted(PACKAGE.rglob("*.py")):
        try:
            layer_of(module_name(path))
        except LookupError:
            unknown.append(path.relative_to(ROOT).as_posix())
    assert unknown == []


def test_layer_of_refuses_a_model_module_outside_the_model_folder():
    with pytest.raises(LookupError):
        layer_of("generator.passages")
    assert layer_of("generator.model.passages") == "model"


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (at any depth, inside functions too), each
    resolved to a module that exists (``from .x import name`` counts as importing ``x``)."""
    known = {module_name(p) for p in PACKAGE.rglob("*.py")}
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        edges = set()
        for _, target in imports(path):
            while target not in known and "." in target:
                target = target.rpartition(".")[0]
            if target in known and target != module_name(path):
                edges.add(target)
        graph[module_name(path)] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), sorted."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_module_imports_itself_back():
    """No circle of imports, counting the ones inside functions: such a circle hides which
    module is the lower one."""
    assert circles(import_graph()) == []


def test_a_circle_is_found():
    """The search itself, on the two circles main had at 9f5c296 (before the folders)."""
    graph = {
        "generator.build": {"generator.zensical_engine"},
        "generator.zensical_engine": {"generator.build"},
        "generator.site.views": {"generator.site.kinds.tool"},
        "generator.site.kinds.tool": {"generator.site.kinds.base"},
        "generator.site.kinds.base": {"generator.site.views"},
        "generator.site.pages": {"generator.site.views"},
    }
    assert circles(graph) == [
        ["generator.build", "generator.zensical_engine"],
        ["generator.site.kinds.base", "generator.site.kinds.tool", "generator.site.views"],
    ]


@pytest.mark.parametrize("module", ["generator.checks", "generator.cli", "generator.model.loader"])
def test_checking_loads_no_rendering_library(module):
    """`python -m generator check --json`, run in a board's CI, needs no Jinja, Markdown or babel."""
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    names = loaded.stdout.split()
    assert [n for n in names if n.split(".")[0] in RENDERING] == []
    assert module in names
