"""``python -m generator serve``: the handbook at http://127.0.0.1:8000 while you edit; and
``serve_page``, one page made at every request (``review --serve``).

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
from collections.abc import Callable
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


def serve_page(make: Callable[[], str], name: str, address: tuple[str, int]) -> int:
    """Serve one page at ``http://address/name`` until Ctrl-C (``review --serve``, ``make review``)."""
    server = page_server(make, name, address)
    print(f"Serving the review at http://{address[0]}:{server.server_address[1]}/{name} (made again at every "
          "reload; Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        return 0
    finally:
        server.server_close()
    return 0


def page_server(make: Callable[[], str], name: str, address: tuple[str, int]) -> http.server.ThreadingHTTPServer:
    """A server of one page, ``make()`` made again at every request, at ``/name`` (and ``/``):
    nothing else, on ``address`` (loopback: this computer only). Where ``make`` fails (a source
    that no longer loads), the page says why."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            if self.path.split("?")[0] not in ("/", f"/{name}"):
                self.send_error(404)
                return
            try:
                body, kind, status = make().encode("utf-8"), "text/html", 200
            except Exception as exc:  # noqa: BLE001 - shown to the person who reloads
                body, kind, status = f"De pagina kon niet worden gemaakt:\n\n{exc}\n".encode(), "text/plain", 500
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                             "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
            pass

    return http.server.ThreadingHTTPServer(address, Page)


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
