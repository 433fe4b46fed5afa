"""Prints build time, memory, page sizes and afwegingskader timings.

Run with ``make bench``. Numbers only; no thresholds are asserted here or in
the tests (targets are discussed in the README and the developer notes).
"""

from __future__ import annotations

import copy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ruamel.yaml import YAML

from generator.release.loopback import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
LONGTASKS = """window.__longtasks = [];
new PerformanceObserver((list) => window.__longtasks.push(...list.getEntries().map((e) => e.duration)))
  .observe({ type: "longtask", buffered: true });"""


def build(protocols: Path, dest: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one real ``mkdocs build``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols)}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)],
        cwd=ROOT, env=env, stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed: {proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def synthetic(protocols: Path, count: int) -> Path:
    """A temporary copy of protocols/ with ``count`` generated variants."""
    target = Path(tempfile.mkdtemp(prefix="meldcode-bench-")) / "protocols"
    shutil.copytree(protocols, target, ignore=shutil.ignore_patterns("variants"))
    (target / "variants").mkdir()
    yaml = YAML()
    templates = [yaml.load(p.read_text(encoding="utf-8")) for p in sorted((protocols / "variants").glob("*.yaml"))]
    for number in range(count):
        data = copy.deepcopy(templates[number % len(templates)])
        data["id"] = f"school-{number:04d}"
        data["title"] = f"Synthetische school {number:04d}"
        # Every school's texts differ a little, as real ones do: no cache can share them.
        for step in data["steps"]:
            step["wie"] = f"{step['wie']} (school {number:04d})"
            step["hoe"] = f"{step['hoe']}\n\nAfspraak van school {number:04d}."
        for section in data.get("sections") or []:
            if section.get("body"):
                section["body"] = f"{section['body']}\n\nAfspraak van school {number:04d}."
            for item in section.get("items") or []:
                item["body"] = f"{item['body']}\n\nAfspraak van school {number:04d}."
        with (target / "variants" / f"school-{number:04d}.yaml").open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
    return target


def sizes(site: Path) -> dict:
    pages = [p for p in site.rglob("*.html")]
    largest = max(pages, key=lambda p: p.stat().st_size)
    variant_pages = [p for p in site.glob("varianten/*/index.html")]
    index = site / "search" / "search_index.json"
    return {
        "pages": len(pages),
        "largest page": f"{largest.relative_to(site)} {largest.stat().st_size / 1024:.1f} KiB",
        "largest variant page": f"{max(p.stat().st_size for p in variant_pages) / 1024:.1f} KiB",
        "search index": f"{index.stat().st_size / 1024:.1f} KiB",
    }


def report_builds() -> None:
    print("== build (mkdocs build, 5 seed variants vs 1,000 generated)")
    with tempfile.TemporaryDirectory() as tmp:
        seconds, mib = build(ROOT / "protocols", Path(tmp) / "site")
        print(f"5 variants:     {seconds:6.2f} s   peak RSS {mib:6.1f} MiB   ", sizes(Path(tmp) / "site"))
    protocols = synthetic(ROOT / "protocols", 1000)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            seconds, mib = build(protocols, Path(tmp) / "site")
            print(f"1000 variants:  {seconds:6.2f} s   peak RSS {mib:6.1f} MiB   ", sizes(Path(tmp) / "site"))
    finally:
        shutil.rmtree(protocols.parent)


def _bytes(context, action) -> int:
    total = []

    def finished(request):
        size = request.sizes()
        total.append(size["responseBodySize"] + size["responseHeadersSize"])

    context.on("requestfinished", finished)
    action()
    context.remove_listener("requestfinished", finished)
    return sum(total)


def report_widget() -> None:
    from playwright.sync_api import sync_playwright

    print(f"== afwegingskader in Chromium (median of {RUNS} fresh contexts, localhost)")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(ROOT / "protocols", site)
        shutil.copytree(ROOT / "bench" / "bare", site / "bench-bare")
        server, base = serve(site)
        variant = sorted(p.name for p in (site / "varianten").iterdir() if p.is_dir())[0]
        widget = f"{base}varianten/{variant}/afwegingskader/"
        results: dict[str, list[float]] = {k: [] for k in (
            "first question visible (ms)", "engine ready (ms)", "outcome of a full path (ms)",
            "widget page bytes", "variant page bytes", "bare Pyodide ready (ms)", "bare page bytes",
            "longest main-thread task during boot (ms)")}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(RUNS):
                context = browser.new_context()
                context.add_init_script(LONGTASKS)
                page = context.new_page()

                def open_widget():
                    page.goto(widget)
                    page.locator("[data-afwegingskader][data-engine='ready']").wait_for(timeout=60000)

                results["widget page bytes"].append(_bytes(context, open_widget))
                timing = page.evaluate("""() => ({
                    paint: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
                    ready: performance.getEntriesByName('afwegingskader-ready')[0].startTime,
                    longest: Math.max(0, ...window.__longtasks),
                })""")
                for label in ("Ja", "Nee", "Ja", "Ja", "Ja"):
                    page.locator("[data-afweging-current] button[data-answer='%s']" % label).click()
                page.locator("[data-afwegingskader][data-node='hulp-afsluiten']").wait_for()
                results["first question visible (ms)"].append(timing["paint"])
                results["engine ready (ms)"].append(timing["ready"])
                results["outcome of a full path (ms)"].append(page.evaluate("performance.now()"))
                results["longest main-thread task during boot (ms)"].append(timing["longest"])
                context.close()

                context = browser.new_context()
                page = context.new_page()
                results["variant page bytes"].append(_bytes(context, lambda: page.goto(f"{base}varianten/{variant}/")))
                context.close()

                context = browser.new_context()
                page = context.new_page()

                def open_bare():
                    page.goto(f"{base}bench-bare/")
                    page.locator("body[data-ready]").wait_for(timeout=60000)

                results["bare page bytes"].append(_bytes(context, open_bare))
                results["bare Pyodide ready (ms)"].append(
                    page.evaluate("performance.getEntriesByName('bare-ready')[0].startTime"))
                context.close()
            browser.close()
        server.shutdown()
        for key, values in results.items():
            if not values:
                continue
            med = statistics.median(values)
            print(f"{key:45s} {med:12.0f}" + ("" if "bytes" not in key else f"   ({med / 1024 / 1024:.2f} MiB)"))
        ratio = statistics.median(results["engine ready (ms)"]) / statistics.median(results["bare Pyodide ready (ms)"])
        print(f"{'engine ready / bare Pyodide ready':45s} {ratio:12.2f}")


def report_site() -> None:
    """PDF time per variant version, then bytes over the wire with and without .gz/.br."""
    from generator.release.pdf import make_pdfs

    from .compressed import report_compressed

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(ROOT / "protocols", site)
        print("== PDF per variant version (Chromium, print stylesheet)")
        made = make_pdfs(site)
        for target, seconds in made:
            print(f"{target.name:45s} {seconds:6.2f} s   {target.stat().st_size / 1024:6.0f} KiB")
        times = [seconds for _, seconds in made]
        print(f"{'median per variant version':45s} {statistics.median(times):6.2f} s   (total {sum(times):.2f} s)")
        report_compressed(site)


if __name__ == "__main__":
    from .checks import report_checks

    report_checks()
    report_builds()
    report_widget()
    report_site()
