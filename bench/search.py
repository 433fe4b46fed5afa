"""What one search on ``zoeken/`` costs a reader: bytes, requests and time to the first result.

A fresh browser context opens ``zoeken/`` (the page and its own assets are not counted), types
a query and presses Enter; every request under ``pagefind/`` counts, from the page's start (a
search page that loaded Pagefind before the query would not hide its cost). Files are served
as ``make dist`` and the nginx example (guides/hosting.md) serve them: a ``.br`` copy of every
compressible file (made here, in memory, as ``generator.release.dist`` makes them, so a big
site is not copied), Pagefind's own files as they are (they are gzip already). The time is
from the Enter key to the first result on screen, on the issue's "Slow 4G" (4 Mbit/s down,
150 ms latency: ``bench.tool.ISSUE_4G``) with nothing cached.

Run alone with ``python -m bench.search SITE QUERY...`` (``-v``: every request).
"""

from __future__ import annotations

import functools
import os
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import brotli

from generator.release.dist import BROTLI_QUALITY, compressible
from generator.release.loopback import CHROMIUM, CHROMIUM_ARGS, serve

from .compressed import PrecompressedHandler, accepted_encodings
from .tool import ISSUE_4G, Profile

TIMEOUT_MS = 120_000

OBSERVE = """(() => {
  const times = (window.__search = {});
  document.addEventListener("submit", () => { times.submit = performance.now(); }, true);
  new MutationObserver(() => {
    if (!times.first && document.querySelector(".zoeken__result")) times.first = performance.now();
  }).observe(document, { subtree: true, childList: true });
})();"""


@functools.lru_cache(maxsize=256)
def _brotli(path: str, stamp: float) -> bytes | None:
    data = Path(path).read_bytes()
    if not compressible(Path(path), data):
        return None
    packed = brotli.compress(data, quality=BROTLI_QUALITY)
    return packed if len(packed) < len(data) else None


class BrotliHandler(PrecompressedHandler):
    """As ``PrecompressedHandler``, with the .br copy made on request (a site of 7,000 variants
    is too big to copy and compress whole for one search)."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) or not os.path.isfile(path) or os.path.isfile(path + ".br") \
                or "br" not in accepted_encodings(self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        packed = _brotli(path, os.path.getmtime(path))
        if packed is None:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "br")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Length", str(len(packed)))
        self.end_headers()
        self.wfile.write(packed)
        return None


def kind(url: str) -> str:
    """What a request of the search is, by Pagefind's file names."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if "/fragment/" in url:
        return "fragment"
    if "/index/" in url:
        return "index chunk"
    if "/filter/" in url:
        return "filter chunk"
    if name.endswith(".pf_meta"):
        return "metadata"
    if name.startswith("wasm."):
        return "WebAssembly"
    if name.startswith("pagefind-entry"):
        return "entry"
    if name.endswith(".js"):
        return "script"
    return name


def measure(browser, base: str, query: str, profile: Profile | None = ISSUE_4G) -> dict:
    """One first query in a fresh context: the search's requests, their bytes, the time to the first result."""
    context = browser.new_context(locale="nl-NL")
    context.add_init_script(OBSERVE)
    page = context.new_page()
    if profile is not None:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": profile.latency,
            "downloadThroughput": profile.download, "uploadThroughput": profile.upload,
        })
    seen: list[tuple[str, int]] = []

    def finished(request):
        if "/pagefind/" in request.url:
            size = request.sizes()
            seen.append((request.url, size["responseBodySize"] + size["responseHeadersSize"]))

    context.on("requestfinished", finished)
    try:
        page.goto(base + "zoeken/", timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        box = page.get_by_role("searchbox", name="Zoekterm")
        box.fill(query)
        box.press("Enter")
        page.locator(".zoeken__result").first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function("q => document.querySelector('.zoeken__results').dataset.query === q", arg=query,
                               timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        page.wait_for_timeout(300)  # the last responses, for the count
        times = page.evaluate("() => window.__search")
        first = page.locator(".zoeken__result .zoeken__title a").first.inner_text()
        shown = page.locator(".zoeken__result").count()
    finally:
        context.close()
    kinds: Counter = Counter()
    kind_bytes: Counter = Counter()
    for url, n in seen:
        kinds[kind(url)] += 1
        kind_bytes[kind(url)] += n
    return {"bytes": sum(n for _, n in seen), "requests": len(seen), "first": first, "shown": shown,
            "ms": times["first"] - times["submit"], "kinds": kinds, "kind_bytes": kind_bytes, "seen": seen}


def report(site: Path, queries: list[str], label: str = "", verbose: bool = False) -> list[dict]:
    """Print one line per query: a first query, unthrottled (bytes, requests) and on the issue's
    "Slow 4G" (time to the first result)."""
    from playwright.sync_api import sync_playwright

    found = []
    server, base = serve(site, BrotliHandler)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for query in queries:
                    m = measure(browser, base, query, None)
                    slow = measure(browser, base, query, ISSUE_4G)
                    m["slow_ms"] = slow["ms"]
                    found.append(m)
                    parts = ", ".join(f"{m['kinds'][k]} {k} {m['kind_bytes'][k] / 1024:.0f} KiB"
                                      for k in sorted(m["kinds"], key=lambda k: -m["kind_bytes"][k]))
                    print(f"search {label}{query!r}: {m['bytes'] / 1024:.0f} KiB in {m['requests']} requests, "
                          f"first result after {slow['ms'] / 1000:.1f} s on {ISSUE_4G.name} "
                          f"({m['ms']:.0f} ms unthrottled); first of {m['shown']}: {m['first']}", flush=True)
                    print(f"    {parts}", flush=True)
                    if verbose:
                        for url, n in m["seen"]:
                            print(f"    {n / 1024:7.1f} KiB  {urlsplit(url).path}")
            finally:
                browser.close()
    finally:
        server.shutdown()
    return found


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    if len(args) < 2:
        raise SystemExit("usage: python -m bench.search [-v] SITE QUERY...")
    report(Path(args[0]), args[1:], verbose="-v" in sys.argv[1:])
