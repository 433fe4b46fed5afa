"""Trial (issue 25): would a Pyodide memory snapshot made at build time start the engine sooner?

``python -m bench.snapshot SITE_DIR`` (or ``python -m bench snapshot``, not part of a plain
``make bench``): the site is prepared as ``bench.tool`` prepares it (``.gz``/``.br`` copies,
served like the nginx example of guides/hosting.md). Then:

- ``bench/snapshot.mjs`` boots Pyodide under Node.js from the site's own Pyodide files, as the
  shipped ``boot.mjs`` does, imports the engine, calls it once and writes
  ``pyodide.makeMemorySnapshot()`` (a private Pyodide API: ``_makeSnapshot``/``_loadSnapshot``
  options of ``loadPyodide``) into Pyodide's folder, named by its content, with ``.gz``/``.br``
  copies at ``make dist``'s levels. Its sizes are printed.
- Beside the tool page, ``varianten/consent/afwegingskader-snapshot/`` is the same page whose
  glue and worker (copies, in ``assets/afwegingskader-snapshot/``) boot through
  ``bench/snapshot_page/boot.mjs`` from that snapshot; its head also preloads the snapshot
  beside the wasm, at the same low priority. Nothing else differs.
- Per run, interleaved, each in a fresh browser context: the tool page as shipped and the
  snapshot page, each visited cold and then again in a new tab of the same context (repeat
  visit, ``bench.tool.SETTLE_MS`` after the first visit's engine was ready; since stop 30 that
  context is a browser profile on disk, ``bench.tool._load``, so V8's code caches count; the
  figures in BENCHMARKS.md are from off-the-record contexts, before); on localhost
  (``BENCH_RUNS``, default 5) and at the issue's 4 Mbit/s, 150 ms (``BENCH_THROTTLED_RUNS``,
  default 3). Engine ready is ``data-engine="ready"`` on the page, set when the worker has
  booted and answered its first command (the shipped ``worker.js``, unchanged).

Nothing here is shipped; the site's own files are not changed (the work is on a copy).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import brotli

from generator.release.dist import BROTLI_QUALITY
from generator.release.loopback import CHROMIUM, CHROMIUM_ARGS

from .compressed import serving
from .tool import ISSUE_4G, PAGE, SETTLE_MS, Profile, _load, _median, _ms, prepare

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_PAGE = PAGE.rstrip("/") + "-snapshot/"
GLUE = "assets/afwegingskader"
SNAPSHOT_GLUE = "assets/afwegingskader-snapshot"


def _script_data(html: str, attribute: str) -> str:
    return re.search(rf'<script type="application/json" {attribute}>(.*?)</script>', html, re.S).group(1)


def _copies(path: Path) -> None:
    """``.gz``/``.br`` copies as ``make dist`` makes them (gzip 9, brotli at its quality)."""
    data = path.read_bytes()
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=BROTLI_QUALITY))


def make_snapshot(served: Path) -> dict:
    """The engine's memory snapshot in ``served``'s Pyodide folder (with copies); its name and sizes."""
    html = (served / PAGE / "index.html").read_text("utf-8")
    boot = json.loads(_script_data(html, "data-afweging-boot"))
    kader = _script_data(html, "data-afweging-kader")
    glue = served / GLUE
    pyodide = (glue / boot["pyodide"]).resolve()
    node_boot = {**boot, "pyodide": pyodide.as_uri() + "/", "stdlib": (glue / boot["stdlib"]).resolve().as_uri()}
    out = pyodide / "engine.snapshot"
    started = time.perf_counter()
    done = subprocess.run(["node", str(ROOT / "bench" / "snapshot.mjs")], check=True, capture_output=True, text=True,
                          input=json.dumps({"boot": node_boot, "kader": kader, "out": str(out)}))
    made = time.perf_counter() - started
    data = out.read_bytes()
    # Named by content, like the standard library zip: Pyodide's folder is cached for a year.
    named = out.with_name(f"engine-{hashlib.sha256(data).hexdigest()[:12]}.snapshot")
    out.rename(named)
    started = time.perf_counter()
    _copies(named)
    packed = time.perf_counter() - started
    return {
        "name": named.name, "raw": len(data), "heap": json.loads(done.stdout)["heap"],
        "gz": named.with_name(named.name + ".gz").stat().st_size,
        "br": named.with_name(named.name + ".br").stat().st_size,
        "made s": made, "compressed s": packed,
    }


def add_snapshot_page(served: Path, snapshot: str) -> None:
    """The tool page again at ``SNAPSHOT_PAGE``, booting from ``snapshot`` (a file in Pyodide's folder)."""
    shutil.copytree(served / GLUE, served / SNAPSHOT_GLUE)
    boot = served / SNAPSHOT_GLUE / "boot.mjs"
    shutil.copy2(ROOT / "bench" / "snapshot_page" / "boot.mjs", boot)
    for suffix in (".gz", ".br"):
        boot.with_name(boot.name + suffix).unlink(missing_ok=True)
    _copies(boot)
    html = (served / PAGE / "index.html").read_text("utf-8")
    old_glue = f"../../../{GLUE}/afwegingskader.js"
    if html.count(old_glue) != 2:  # the head's preload and the script
        raise SystemExit(f"{PAGE}: expected the glue twice, found {html.count(old_glue)}")
    html = html.replace(old_glue, f"../../../{SNAPSHOT_GLUE}/afwegingskader.js")
    wasm = re.search(r'<link rel="preload" href="(\.\./\.\./\.\./assets/pyodide/[^"]+/)pyodide\.asm\.wasm"[^>]*>', html)
    preload = wasm.group(0).replace("pyodide.asm.wasm", snapshot)
    html = html.replace(wasm.group(0), wasm.group(0) + preload)
    html, found = re.subn(r'(<script type="application/json" data-afweging-boot>\s*\{)',
                          lambda m: m.group(1) + json.dumps("snapshot") + ": " + json.dumps(snapshot) + ", ", html)
    if found != 1:
        raise SystemExit(f"{PAGE}: no boot data")
    json.loads(_script_data(html, "data-afweging-boot"))  # still JSON
    page = served / SNAPSHOT_PAGE / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(html, "utf-8")
    _copies(page)


def _summary(loads: list[dict]) -> dict:
    again = [r["repeat"] for r in loads]
    return {
        "ready": _median(r.get("ready") for r in loads),
        "failed": sum(1 for r in loads if not r.get("ready")),
        "bytes": _median(r["bytes"] for r in loads),
        "paint to moved": _median(r["moved"] - r["paint"] for r in loads if r.get("moved") and r.get("paint")),
        "repeat ready": _median(r.get("ready") for r in again),
        "repeat failed": sum(1 for r in again if not r.get("ready")),
        "repeat wire": _median(r["wire"] for r in again),
        "all": [round(r["ready"]) for r in loads if r.get("ready")],
        "all repeat": [round(r["ready"]) for r in again if r.get("ready")],
    }


def measure(browser, base: str, profile: Profile | None, runs: int) -> dict[str, dict]:
    shipped, snapshot = [], []
    for _ in range(runs):  # interleaved: both pages share the machine's load
        shipped.append(_load(browser, base + PAGE, profile, tool=True, repeat=True))
        snapshot.append(_load(browser, base + SNAPSHOT_PAGE, profile, tool=True, repeat=True))
    return {"as shipped": _summary(shipped), "with snapshot": _summary(snapshot)}


def print_trial(title: str, runs: int, m: dict[str, dict]) -> None:
    print(f"-- {title} (median of {runs}; repeat: same profile, {SETTLE_MS / 1000:.0f} s after the first visit's engine)")
    print(f"   {'':34}{'as shipped':>14}{'with snapshot':>16}")
    rows = [
        ("engine ready, cold", lambda r: _ms(r["ready"])),
        ("engine ready, repeat visit", lambda r: _ms(r["repeat ready"])),
        ("FCP -> first answer (keyboard)", lambda r: _ms(r["paint to moved"])),
        ("bytes transferred, cold", lambda r: f"{r['bytes'] / 2**20:8.2f} MiB"),
        ("over the wire, repeat (w/ headers)", lambda r: f"{r['repeat wire'] / 1024:8.1f} KiB"),
        ("engine not ready (cold / repeat)", lambda r: f"{r['failed']:>5} / {r['repeat failed']}"),
    ]
    for label, cell in rows:
        print(f"   {label:34}{cell(m['as shipped']):>14}{cell(m['with snapshot']):>16}")
    for name, r in m.items():
        print(f"   runs, {name}: cold {r['all']}, repeat {r['all repeat']}")


def report_snapshot(served: Path, runs: int, throttled_runs: int) -> None:
    """``served``: a site made by ``bench.tool.prepare``; the snapshot and its page are added to it."""
    from playwright.sync_api import sync_playwright

    snapshot = make_snapshot(served)
    add_snapshot_page(served, snapshot["name"])
    print(f"== Pyodide memory snapshot of the engine (bench/snapshot.mjs, made in {snapshot['made s']:.1f} s under Node.js,"
          f" brotli in {snapshot['compressed s']:.0f} s)")
    print(f"   {snapshot['name']}: {snapshot['raw'] / 2**20:.2f} MiB raw (wasm heap {snapshot['heap'] / 2**20:.2f} MiB),"
          f" {snapshot['gz'] / 2**20:.2f} MiB gzip, {snapshot['br'] / 2**20:.2f} MiB brotli")
    print("== engine start-up with and without the snapshot: the tool page as shipped vs the same page booting from it")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for profile, count in ((None, runs), (ISSUE_4G, throttled_runs)):
                if not count:
                    continue
                with serving(served) as base:
                    print_trial(f"{profile.name if profile else 'localhost'}, br", count, measure(browser, base, profile, count))
        finally:
            browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m bench.snapshot SITE_DIR")
    with tempfile.TemporaryDirectory(prefix="meldcode-bench-") as tmp:
        served = prepare(Path(sys.argv[1]), Path(tmp) / "site")
        report_snapshot(served, int(os.environ.get("BENCH_RUNS", "5")), int(os.environ.get("BENCH_THROTTLED_RUNS", "3")))
