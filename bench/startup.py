"""Where the afwegingskader's engine start-up goes, stage by stage, first and repeat visit.

``python -m bench.startup SITE_DIR`` (or ``python -m bench startup``, not part of a plain
``make bench``): issue 25 asks for the engine ready within 1.0 s on a repeat visit; this says
which stage holds the time. The site is prepared as ``bench.tool`` prepares it (``.gz``/``.br``
copies, served like the nginx example of guides/hosting.md); in the copy only, the tool's own
``worker.js`` and ``boot.mjs`` note the time at each stage and the worker posts those times to
the glue when it is ready. Pyodide's files are not touched: the wasm's compilation is timed by
wrapping ``WebAssembly.instantiateStreaming`` in the worker before Pyodide is imported.

Per run (``BENCH_RUNS``, default 5) a new browser profile on disk (where Chromium keeps V8's code
caches, as in ``bench.tool``) opens the tool page, waits for the engine and stays open
``bench.tool.SETTLE_MS``; then the page is opened again in a new tab (repeat visit: the HTTP
cache and V8's wasm code cache warm), and a third time. Medians, in ms since navigation start,
and each stage's own share:

- the glue runs (the page parsed up to the tool); the worker's module is evaluated (worker
  started, ``worker.js`` and ``boot.mjs`` fetched); ``pyodide.mjs`` imported;
- wasm instantiation starts (``pyodide.asm.mjs`` fetched, compiled and run, Emscripten set up)
  and ends (``pyodide.asm.wasm`` compiled and instantiated);
- ``loadPyodide`` resolved (CPython's start-up, the standard library, Pyodide's own modules);
- ready (the engine's source written and imported, one command answered).

Nothing here is shipped; the instrumented copies exist only in the served copy.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from generator.release.loopback import CHROMIUM, CHROMIUM_ARGS

from .compressed import serving
from .tool import PAGE, SETTLE_MS, TIMEOUT_MS, _median, on_disk, prepare

GLUE = Path("assets/afwegingskader")
VISITS = ("first", "repeat", "third")
NOW = "performance.timeOrigin + performance.now()"
STAGES = [
    ("glue", "the glue runs (page parsed up to the tool)"),
    ("worker", "worker's module evaluated"),
    ("pyodide_mjs", "pyodide.mjs imported"),
    ("wasm_start", "wasm instantiation starts (pyodide.asm.mjs run)"),
    ("wasm_end", "wasm compiled and instantiated"),
    ("loaded", "loadPyodide resolved (CPython start-up)"),
    ("ready", "ready (engine imported, first answer)"),
]
# (file, the text it holds, what goes right after that text): each edit must find its text once,
# so a change to the shipped worker or boot fails here, not silently in the numbers.
EDITS = [
    ("worker.js", 'import { bootEngine } from "./boot.mjs";\n',
     f"self.__stages = {{ worker: {NOW} }};\n"
     "const instantiate = WebAssembly.instantiateStreaming;\n"
     f"WebAssembly.instantiateStreaming = async (...args) => {{ self.__stages.wasm_start = {NOW};\n"
     f"  const result = await instantiate(...args); self.__stages.wasm_end = {NOW}; return result; }};\n"),
    ("worker.js", '    while (pending.length) run(pending.shift());\n',
     f"    self.__stages.ready = {NOW};\n"
     '    self.postMessage({ type: "stages", stages: self.__stages });\n'),
    ("boot.mjs", '  const { loadPyodide } = await import(boot.pyodide + "pyodide.mjs");\n',
     f"  self.__stages.pyodide_mjs = {NOW};\n"),
    ("boot.mjs", "    stderr: () => {},\n  });\n", f"  self.__stages.loaded = {NOW};\n"),
    ("afwegingskader.js", "  function start(root, here) {\n", f"    window.__glue = {NOW};\n"),
    ("afwegingskader.js", "      const message = event.data;\n",
     '      if (message.type === "stages") { window.__stages = { ...message.stages, glue: window.__glue }; return; }\n'),
]


def instrument(served: Path) -> None:
    """The stage marks in the served copy's glue, worker and boot (their compressed copies go:
    the server then sends the edited files as they are)."""
    for name, anchor, addition in EDITS:
        path = served / GLUE / name
        text = path.read_text("utf-8")
        if text.count(anchor) != 1:
            raise SystemExit(f"bench.startup: {GLUE / name} no longer holds {anchor.strip()!r} once; update EDITS")
        path.write_text(text.replace(anchor, anchor + addition), "utf-8")
        for suffix in (".gz", ".br"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def _visit(context, url: str, settle: int) -> dict:
    """One visit: the stage times, after the page stayed open ``settle`` ms (V8 writes its wasm
    code cache only while the page lives)."""
    page = context.new_page()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.locator('[data-afwegingskader]:is([data-engine="ready"], [data-engine="failed"])').wait_for(timeout=TIMEOUT_MS)
    if page.get_attribute("[data-afwegingskader]", "data-engine") != "ready":
        raise SystemExit(f"bench.startup: the engine failed on {url}")
    page.wait_for_function("() => window.__stages", timeout=TIMEOUT_MS)
    stages = page.evaluate("() => Object.fromEntries(Object.entries(window.__stages)"
                           ".map(([name, time]) => [name, time - performance.timeOrigin]))")
    page.wait_for_timeout(settle)
    page.close()
    return stages


def _code_cache(profile_dir: Path, kind: str) -> int:
    """Bytes in the profile's V8 code cache of ``kind`` (``js``, ``wasm``): what the next visit may use."""
    return sum(path.stat().st_size for path in profile_dir.glob(f"*/Code Cache/{kind}/*") if path.is_file())


def measure(browser, url: str, runs: int) -> dict[str, list[dict]]:
    """Per run a new browser profile on disk (as ``bench.tool``'s repeat visits: only there does
    Chromium keep V8's code caches), visited three times."""
    visits: dict[str, list[dict]] = {name: [] for name in VISITS}
    for _ in range(runs):
        with on_disk(browser) as (context, folder):
            for number, name in enumerate(VISITS):
                cached = {kind: _code_cache(folder, kind) for kind in ("js", "wasm")}
                visits[name].append({**_visit(context, url, SETTLE_MS if number < len(VISITS) - 1 else 0), **cached})
    return visits


def print_stages(visits: dict[str, list[dict]]) -> None:
    runs = len(next(iter(visits.values())))
    print(f"| stage (ms since navigation start, its own share; median of {runs}) | "
          + " | ".join(f"{name} visit" for name in VISITS) + " |")
    print("| --- |" + " ---: |" * len(VISITS))
    before = dict.fromkeys(VISITS, 0.0)
    for key, label in STAGES:
        cells = []
        for name in VISITS:
            at = _median([run[key] for run in visits[name]])
            cells.append(f"{at:,.0f} ({at - before[name]:,.0f})")
            before[name] = at
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| V8's code cache in the profile before the visit, JavaScript / wasm | "
          + " | ".join(f"{_median([run['js'] for run in visits[name]]) / 1024:,.0f} / "
                       f"{_median([run['wasm'] for run in visits[name]]) / 1024:,.0f} KiB" for name in VISITS) + " |")
    for name in VISITS:
        print(f"   {name} visit, ready per run (wasm code cache before it): "
              + ", ".join(f"{run['ready']:,.0f} ms ({run['wasm'] / 1024:,.0f} KiB)" for run in visits[name]), flush=True)


def report_startup(served: Path, runs: int) -> None:
    """``served``: a copy made by ``bench.tool.prepare``; it is instrumented here."""
    from playwright.sync_api import sync_playwright

    instrument(served)
    print("== afwegingskader engine start-up by stage (bench/startup.py: localhost, br; an instrumented copy)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with serving(served) as base:
                print_stages(measure(browser, base + PAGE, runs))
        finally:
            browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m bench.startup SITE_DIR")
    with tempfile.TemporaryDirectory(prefix="meldcode-bench-") as tmp:
        report_startup(prepare(Path(sys.argv[1]), Path(tmp) / "site"), int(os.environ.get("BENCH_RUNS", "5")))
