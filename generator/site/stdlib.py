"""The slim standard library the site's Pyodide boots with.

Pyodide's npm package ships the whole standard library as source in
``python_stdlib.zip`` (2.4 MiB, deflated, so a server cannot compress it
further). The engine needs about 140 of its modules, and compiling those from
source is most of Pyodide's start-up. So the build keeps only what Pyodide's
own start-up and the engine import, compiled to ``.pyc`` by Pyodide's own
CPython under Node.js (``stdlib.mjs``), in a zip stored uncompressed so that
the site's ``.br``/``.gz`` copies compress it. The same inputs give the same
bytes; the result is cached on disk by its inputs (the pinned Pyodide, the
engine, this code), so only the first build after a change runs Node.js.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

SCRIPT = Path(__file__).with_suffix(".mjs")
FORMAT = "1"
"""Bump when the zip's layout changes, so cached zips are rebuilt."""
EPOCH = (1980, 1, 1, 0, 0, 0)


class StdlibError(Exception):
    pass


def _key(pyodide_dir: Path, engine_path: Path) -> str:
    digest = hashlib.sha256(FORMAT.encode())
    for path in (pyodide_dir / "package.json", pyodide_dir / "python_stdlib.zip", engine_path, SCRIPT, Path(__file__)):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def zip_files(files: dict[str, bytes]) -> bytes:
    """A deterministic zip: sorted names, fixed dates and modes, stored uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, EPOCH)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def compile_with_pyodide(pyodide_dir: Path, engine_path: Path) -> dict[str, bytes]:
    """{zip path: .pyc bytes} for every module Pyodide's start-up and the engine import."""
    node = shutil.which("node")
    if not node:
        raise StdlibError("Node.js ('node') is needed to build the slim standard library for Pyodide; install Node.js")
    proc = subprocess.run(
        [node, str(SCRIPT), str(pyodide_dir), str(engine_path)], capture_output=True, text=True, timeout=600,
    )
    if proc.returncode != 0:
        raise StdlibError(f"{SCRIPT.name}: Pyodide could not list and compile the standard library:\n{proc.stderr[-2000:]}")
    out = json.loads(proc.stdout)
    return {name: base64.b64decode(data) for name, data in out["files"].items()}


def slim_stdlib(node_modules: Path, engine_path: Path, cache_dir: Path | None = None) -> Path:
    """The path of the slim zip for this Pyodide and engine, built once per change."""
    pyodide_dir = node_modules / "pyodide"
    cache_dir = cache_dir or node_modules / ".cache" / "meldcode-stdlib"
    target = cache_dir / f"python_stdlib-{_key(pyodide_dir, engine_path)}.zip"
    if target.is_file():
        return target
    data = zip_files(compile_with_pyodide(pyodide_dir, engine_path))
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".part", delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, target)  # never a half-written zip under the final name
    return target
