"""How long ``mkdocs serve`` takes to show an edited protocol again, at scale.

``python -m bench.serve_edit [COUNT]`` (default 1,000 variants; ``make bench-serve``):
makes a synthetic handbook (``bench.synthetic``), starts ``mkdocs serve`` on it on a
free loopback port (never 8000), waits for the first build, then edits one
protocol's step 3 and polls that variant's page until the new words appear. It
prints the first build and the time from saving the file to the page showing
the edit. Numbers only, nothing asserted.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .synthetic import synthetic

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _wait(url: str, predicate, limit: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        body = _get(url)
        if body is not None and predicate(body):
            return time.perf_counter() - start
        time.sleep(0.25)
    raise SystemExit(f"{url}: not as expected after {limit:.0f} s")


def measure(count: int) -> None:
    protocols = synthetic(ROOT / "protocols", count)
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols)}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}", "-f", str(ROOT / "mkdocs.yml")],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        number = count // 2
        url = f"http://127.0.0.1:{port}/varianten/school-{number:04d}/"
        first = _wait(url, lambda body: "Stap 3" in body, 3600)
        print(f"mkdocs serve, {count:,} variants: first build and page {first:.1f} s")
        source = protocols / "variants" / f"school-{number:04d}.yaml"
        marker = f"Bewerkt om {time.time_ns()}"
        text = source.read_text(encoding="utf-8")
        edited = text.replace(f"Afspraak drie van school {number:04d}.", f"{marker}.", 1)
        assert edited != text, "no step 3 sentence to edit"
        time.sleep(1.5)  # a later mtime than the build's own files
        start = time.perf_counter()
        source.write_text(edited, encoding="utf-8")
        seconds = _wait(url, lambda body: marker in body, 3600)
        print(f"edit of {source.name} (step 3) visible on its page after {time.perf_counter() - start:.1f} s "
              f"(polled every 0.25 s; {seconds:.1f} s)")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(protocols.parent)


if __name__ == "__main__":
    measure(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
