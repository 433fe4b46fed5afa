"""Which runtime files the site ships beside its pages.

Pyodide and diff-match-patch come from the npm packages pinned in ``package-lock.json``;
only the files needed to boot Pyodide without any package are copied, so the
site never needs (or reaches) a CDN. The engine ships as its own source file.
"""

from __future__ import annotations

from pathlib import Path

from ..afwegingskader import engine

PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
PYODIDE_DIR = "assets/pyodide"
ENGINE_URI = "assets/afwegingskader/engine.py"
DIFF_URI = "assets/diff-match-patch/diff_match_patch.js"
"""diff-match-patch, pinned in package-lock.json, for the comparison page's word marking
(the same library as the Python side's, see ``generator/site/diff.py``)."""


class AssetError(Exception):
    pass


def static_files(node_modules: Path) -> list[tuple[str, Path]]:
    """(site path, file on disk) for every runtime file the site loads from npm or Python."""
    files = [(f"{PYODIDE_DIR}/{name}", node_modules / "pyodide" / name) for name in PYODIDE_FILES]
    files.append((DIFF_URI, node_modules / "diff-match-patch" / "index.js"))
    files.append((ENGINE_URI, Path(engine.__file__)))
    return files


def check(node_modules: Path) -> None:
    """Refuse to build a site whose pages would load files that are not there."""
    missing = [str(path) for _, path in static_files(node_modules) if not path.is_file()]
    if missing:
        raise AssetError(
            f"runtime files missing: {', '.join(missing)}; run 'npm ci' (make does this) "
            "to install the npm packages pinned in package-lock.json"
        )
