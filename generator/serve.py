"""``python -m generator serve``: the handbook at http://127.0.0.1:8000 while you edit.

With MkDocs this is ``mkdocs serve --dirty`` (the plugin rebuilds only what an edit changes,
D29, and the page reloads itself, D10); with ProperDocs ``properdocs serve --dirty``, the same
plugin on its own process (``engines.properdocs``). Zensical runs no plugin, so its site is built by
``generator.engines.build`` as a whole, served as files, and built again (atomically) when a file of
the sources, ``docs/``, the overrides or the config changes; reload the page to see it.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import engines
from .build.options import BuildOptions, read_config
from .build.steps import BuildError

ADDRESS = ("127.0.0.1", 8000)


LIVE = ("mkdocs", "properdocs")
"""The engines with a server of their own that runs the plugin (``python -m <engine> serve``)."""


def serve(config_file: Path, site_dir: Path | None, engine: str) -> int:
    if engine in LIVE:
        return subprocess.call([sys.executable, "-m", engine, "serve", "--dirty", "-f", str(config_file),
                                "--dev-addr", f"{ADDRESS[0]}:{ADDRESS[1]}", "--watch", os.environ.get("MELDCODE_PROTOCOLS", "protocols")])
    root = Path(config_file).parent
    config = read_config(config_file)
    site = Path(site_dir) if site_dir is not None else root / config.get("site_dir", "site")
    options = BuildOptions.from_config(config, root)
    watched = [options.protocols, root / config.get("docs_dir", "docs"), Path(config_file)]
    if (config.get("theme") or {}).get("custom_dir"):
        watched.append(root / config["theme"]["custom_dir"])
    engines.build(config_file, site, engine)
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(ADDRESS, handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {site} at http://{ADDRESS[0]}:{ADDRESS[1]}/ (built by {engine}; Ctrl-C stops)", flush=True)
    seen = _stamp(watched)
    try:
        while True:
            time.sleep(1)
            now = _stamp(watched)
            if now != seen:
                seen = now
                started = time.perf_counter()
                try:
                    engines.build(config_file, site, engine)
                    print(f"rebuilt in {time.perf_counter() - started:.1f} s", flush=True)
                except BuildError as exc:
                    print(exc, file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass


def _stamp(paths: list[Path]) -> tuple:
    """Every file below ``paths`` with its size and time: a change anywhere changes it."""
    found = []
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in Path(path).rglob("*") if p.is_file())
        for file in files:
            try:
                status = file.stat()
            except OSError:
                continue
            found.append((str(file), status.st_size, status.st_mtime_ns))
    return tuple(found)
