"""MkDocs' private API is used in one module only, and fails loudly when MkDocs changes it.

``generator/engines/mkdocs/pages.py`` builds the generated pages by MkDocs' own per-page steps and wraps
the live-reload server's script injection (D10, D28); ``PRIVATE_API`` lists each private function
with the parameters it is called with. A new MkDocs that renames one or changes its parameters
fails here, by name, rather than somewhere inside a build.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from conftest import ROOT
from generator.engines.mkdocs import pages as mkdocs_pages


def test_mkdocs_private_functions_are_as_the_build_expects():
    assert mkdocs_pages.private_api_changes() == []


def test_a_changed_private_function_is_named(monkeypatch):
    function = next(iter(mkdocs_pages.PRIVATE_API))
    monkeypatch.setitem(mkdocs_pages.PRIVATE_API, function, ("page", "config"))
    changes = mkdocs_pages.private_api_changes()
    assert len(changes) == 1 and function.__qualname__ in changes[0]


def _private_uses(path) -> list[str]:
    """Private names of MkDocs a module imports or reads as attributes (``x._name``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mkdocs"):
            found += [alias.name for alias in node.names if alias.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr in PRIVATE_NAMES:
            found.append(node.attr)
    return found


PRIVATE_NAMES = {function.__name__ for function in mkdocs_pages.PRIVATE_API}


def test_no_other_module_uses_mkdocs_private_api():
    users = {path.relative_to(ROOT).as_posix(): _private_uses(path) for path in sorted((ROOT / "generator").rglob("*.py"))}
    assert sorted(users["generator/engines/mkdocs/pages.py"]) != []  # the check sees them where they are
    assert {path: names for path, names in users.items() if names and path != "generator/engines/mkdocs/pages.py"} == {}


PROPERDOCS = """
import json
from generator.engines.properdocs import take_over_mkdocs_imports
take_over_mkdocs_imports()
from generator.engines.mkdocs import host, pages
print(json.dumps([host.PACKAGE, pages._build_page.__module__, pages.private_api_changes()]))
"""


def test_properdocs_private_functions_are_as_the_build_expects():
    """The same adapter on ProperDocs (``engines.properdocs``): its ``mkdocs.*`` imports are
    ProperDocs' own, whose private functions take the same parameters."""
    found = subprocess.run([sys.executable, "-c", PROPERDOCS], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(found.stdout) == ["properdocs", "properdocs.commands.build", []]


def test_properdocs_refuses_a_process_where_mkdocs_is_loaded():
    """With MkDocs' modules loaded, the adapter's classes would be MkDocs' and ProperDocs would
    build with a mixture of both (in a process of its own: the switch cannot be undone)."""
    code = ("import mkdocs.structure.files\nfrom generator.engines.properdocs import take_over_mkdocs_imports\n"
            "take_over_mkdocs_imports()")
    found = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert found.returncode != 0 and "BuildError: ProperDocs cannot build in a process that has loaded MkDocs" in found.stderr
