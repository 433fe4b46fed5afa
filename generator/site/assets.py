"""Which runtime files the site ships beside its pages, and how the tool boots from them.

Pyodide and diff-match-patch come from the npm packages pinned in ``package-lock.json``;
only the files needed to boot Pyodide without any package are copied, so the
site never needs (or reaches) a CDN. Pyodide lives under a folder named after
its version (``assets/pyodide/314.0.7/``), so a server may cache it for a year:
an upgrade changes every URL. Its standard library is the slim zip that
``generator.site.stdlib`` builds (named by its content), and its lock file is
replaced by the lock file's ``info`` with no packages, passed inline: the tool
loads no package, so nothing more is fetched.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..model import urls
from ..model.afwegingskader import engine
from .stdlib import StdlibError, slim_stdlib
from .templating import script_json

PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
PYODIDE_DIR = urls.PYODIDE_DIR
TOOL_DIR = urls.TOOL_DIR
"""The glue and the worker live here; the boot data's URLs are relative to it."""
DIFF_URI = urls.DIFF_URI
"""diff-match-patch, pinned in package-lock.json, for the comparison page's word marking
(the same library as the Python side's, see ``generator/site/diff.py``)."""
DIFF_SOURCE = ("diff-match-patch", "index.js")


class AssetError(Exception):
    pass


def _npm_files(node_modules: Path) -> list[Path]:
    return [node_modules / "pyodide" / name for name in (*PYODIDE_FILES, "package.json", "pyodide-lock.json", "python_stdlib.zip")] + [
        node_modules.joinpath(*DIFF_SOURCE)
    ]


def check(node_modules: Path) -> None:
    """Refuse to build a site whose pages would load files that are not there."""
    missing = [str(path) for path in _npm_files(node_modules) if not path.is_file()]
    if missing:
        raise AssetError(
            f"runtime files missing: {', '.join(missing)}; run 'npm ci' (make does this) "
            "to install the npm packages pinned in package-lock.json"
        )


@dataclass(frozen=True)
class Runtime:
    """The files the tool's runtime needs, and what the page hands its worker to boot."""

    files: tuple[tuple[str, Path], ...]
    """(site path, file on disk) for every runtime file the site loads from npm or the build."""
    preload: tuple[str, ...]
    """Site paths the tool page fetches from its head, before its scripts ask for them."""
    boot: dict
    """Pyodide's folder and standard library (relative to TOOL_DIR), its lock data, the engine's source."""

    def boot_json(self) -> str:
        """``boot`` as JSON that is safe inside ``<script type="application/json">``."""
        return str(script_json(self.boot, sort_keys=True))


def runtime(node_modules: Path) -> Runtime:
    check(node_modules)
    pyodide = node_modules / "pyodide"
    version = json.loads((pyodide / "package.json").read_text(encoding="utf-8"))["version"]
    folder = f"{PYODIDE_DIR}/{version}"
    engine_path = Path(engine.__file__)
    try:
        stdlib = slim_stdlib(node_modules, engine_path)
    except StdlibError as exc:
        raise AssetError(str(exc)) from None
    stdlib_uri = f"{folder}/python_stdlib-{hashlib.sha256(stdlib.read_bytes()).hexdigest()[:12]}.zip"
    files = [(f"{folder}/{name}", pyodide / name) for name in PYODIDE_FILES]
    files.append((stdlib_uri, stdlib))
    files.append((DIFF_URI, node_modules.joinpath(*DIFF_SOURCE)))
    lock_info = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    boot = {
        "pyodide": posixpath.relpath(folder, TOOL_DIR) + "/",
        "stdlib": posixpath.relpath(stdlib_uri, TOOL_DIR),
        "lock": {"info": lock_info, "packages": {}},
        "engine": engine_path.read_text(encoding="utf-8"),
    }
    preload = (f"{folder}/pyodide.asm.wasm", stdlib_uri, f"{folder}/pyodide.asm.mjs", f"{folder}/pyodide.mjs")
    return Runtime(files=tuple(files), preload=preload, boot=boot)
