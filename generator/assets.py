"""Which runtime files the site ships beside its pages.

Pyodide comes from the npm package pinned in ``package-lock.json``; only the
files needed to boot it without any package are copied, so the site never
needs (or reaches) a CDN. The engine ships as its own source file.
"""

from __future__ import annotations

from pathlib import Path

from .afwegingskader import engine

PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
PYODIDE_DIR = "assets/pyodide"
ENGINE_URI = "assets/afwegingskader/engine.py"


class AssetError(Exception):
    pass


def check_pyodide(root: Path) -> None:
    missing = [name for name in PYODIDE_FILES if not (root / name).is_file()]
    if missing:
        raise AssetError(
            f"{root}: Pyodide runtime files missing ({', '.join(missing)}); "
            "run 'npm ci' (make does this) to install the pinned pyodide package"
        )


def static_files(pyodide_root: Path) -> list[tuple[str, Path]]:
    """(site path, file on disk) for every runtime file the widget loads."""
    files = [(f"{PYODIDE_DIR}/{name}", pyodide_root / name) for name in PYODIDE_FILES]
    files.append((ENGINE_URI, Path(engine.__file__)))
    return files
