"""Chromium and a loopback web server for the built site.

Printing the PDFs, the browser tests and the benchmarks all open the built
site in Debian's Chromium over http://127.0.0.1 (module scripts, workers and
``.wasm`` need http, not file://); they share these so they open it the same way.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without a log line per request."""

    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that closes a connection mid-download (a new context, a blocked
        # .wasm) is not an error of the site; anything else still prints.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _OverlayHandler(QuietHandler):
    """Serves a file of ``directory``, or else the one at the same place in ``fallback``."""

    fallback = ""

    def translate_path(self, path):
        first = super().translate_path(path)
        if os.path.exists(first):
            return first
        second = os.path.join(self.fallback, os.path.relpath(first, self.directory))
        return second if os.path.exists(second) else first


def serve(directory: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler,
          fallback: Path | None = None):
    """Serve ``directory`` on a free loopback port in a thread; returns (server, base URL).
    ``fallback``: a folder whose files are served where ``directory`` has none (a build from the
    cache holds only the files it made again)."""
    if fallback is not None:
        handler = type("Overlay", (_OverlayHandler,), {"fallback": str(fallback)})
    server = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"
