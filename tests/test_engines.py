"""One build, two engines: ``python -m generator build`` is ``mkdocs build`` byte for byte, and
Zensical (``--engine zensical``) makes the same handbook from the same sources.

The seed site is built three times at one fixed date (no PDFs: ``make build`` prints those
separately, from whichever site), once per module: ``mkdocs build``, ``python -m generator
build`` and ``python -m generator build --engine zensical``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROTOCOLS, ROOT, build_site, built_pages, read_yaml, serve, variant_files
from htmltext import article_text, script_data
from test_snapshots import DATE

pytestmark = pytest.mark.xdist_group("engines")

ENV = {"MELDCODE_BUILD_DATE": DATE.isoformat(), "NO_MKDOCS_2_WARNING": "1"}


def generator_build(dest: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "-d", str(dest), *options], cwd=ROOT,
                          capture_output=True, text=True,
                          env={**os.environ, "MELDCODE_PROTOCOLS": str(PROTOCOLS), **ENV})


@pytest.fixture(scope="module")
def sites(tmp_path_factory, build) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("engines")
    result = build_site(folder / "mkdocs", env=ENV)
    assert result.returncode == 0, result.stderr
    for name, options in (("generator", ()), ("zensical", ("--engine", "zensical"))):
        result = generator_build(folder / name, *options)
        assert result.returncode == 0, result.stdout + result.stderr
    return {name: folder / name for name in ("mkdocs", "generator", "zensical")}


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_generator_build_is_mkdocs_build_byte_for_byte(sites):
    ours, theirs = _files(sites["generator"]), _files(sites["mkdocs"])
    assert sorted(ours) == sorted(theirs)
    assert [path for path in theirs if ours[path] != theirs[path]] == []
    assert "pagefind/pagefind-entry.json" in ours and "index.html" in ours


def test_zensical_makes_the_same_pages_with_the_same_main_text(sites):
    pages = built_pages(sites["mkdocs"])
    assert built_pages(sites["zensical"]) == pages
    assert len(pages) > 50
    differ = [url for url in pages
              if article_text(_page(sites["zensical"], url)) != article_text(_page(sites["mkdocs"], url))]
    assert differ == []


def _page(site: Path, url: str) -> Path:
    return site / (url + "index.html" if url == "" or url.endswith("/") else url)


CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
INLINE_SCRIPT = re.compile(r'<script(?![^>]*(?:\ssrc=|type="application/json"))[^>]*>')


def test_the_zensical_site_keeps_the_csp_the_tool_and_the_search_index(sites):
    site = sites["zensical"]
    for url in built_pages(site):
        html = _page(site, url).read_text(encoding="utf-8")
        policy = CSP.findall(html)
        assert len(policy) == 1 and "script-src 'self' 'wasm-unsafe-eval';" in policy[0], url
        assert INLINE_SCRIPT.findall(html) == [], url  # the CSP would block it
        assert "meldcode:html" not in html and "meldcode-block" not in html, url
    variant = read_yaml(variant_files()[0])["id"]
    tool = (site / "varianten" / variant / "afwegingskader" / "index.html").read_text(encoding="utf-8")
    boot = json.loads(script_data(tool, "data-afweging-boot"))
    assert boot["engine"] == (ROOT / "generator" / "model" / "afwegingskader" / "engine.py").read_text(encoding="utf-8")
    pyodide = (site / "assets" / "afwegingskader" / boot["pyodide"]).resolve()
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"):
        assert (pyodide / name).is_file(), name
    assert (site / "assets" / "afwegingskader" / boot["stdlib"]).is_file()
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    mkdocs_abbr = (sites["mkdocs"] / "begrippen" / "index.html").read_text(encoding="utf-8").count("<abbr")
    assert (site / "begrippen" / "index.html").read_text(encoding="utf-8").count("<abbr") == mkdocs_abbr > 0


@pytest.mark.skipif(importlib.util.find_spec("zensical") is None, reason="Zensical is not installed")
def test_the_zensical_site_has_no_html_error_of_ours(sites):
    """The Nu Html Checker over every Zensical page, as tests/test_html.py over MkDocs' (D38)."""
    from vnu import ours, report

    remaining, unused = ours(sites["zensical"], "zensical")
    assert not remaining, report(remaining)
    assert unused == [], f"theme_html_errors.toml lists errors the checker no longer reports: {unused}"


@pytest.fixture(scope="module")
def zensical_url(sites):
    server, url = serve(sites["zensical"])
    yield url
    server.shutdown()


@pytest.mark.browser
def test_on_the_zensical_site_the_tool_walks_and_search_finds_a_school(browser, zensical_url):
    from test_browser import TOOL, Watch, _answer, _privacy, expect_node

    variant = read_yaml(variant_files()[0])
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    watch = Watch(page, zensical_url)
    page.goto(zensical_url + TOOL.format(variant["id"]))
    root = page.locator("[data-afwegingskader]")
    root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)
    for label in ("Ja", "Nee", "Nee"):
        _answer(page, label)
    expect_node(root, "melden-geen-hulp-mogelijk")
    assert root.get_attribute("data-engine") == "ready"

    page.goto(zensical_url + "zoeken/")
    box = page.get_by_role("searchbox", name="Zoekterm")
    box.fill(variant["organisation"]["name"])
    box.press("Enter")
    page.locator(".zoeken__result").first.wait_for(timeout=30000)
    titles = page.locator(".zoeken__result .zoeken__title a").all_inner_texts()
    assert variant["title"] in titles
    assert watch.foreign == [] and watch.errors == []
    _privacy(page, context)
    context.close()


def test_zensical_is_announced_as_likely_to_hang_only_past_the_size_it_was_seen_to_build():
    """Zensical 0.0.73 hangs at 4,000 protocols (BENCHMARKS.md): a hang looks like a slow build,
    so a build past the size it was measured to finish says so before the wait, and a smaller one
    (the seeds, 1,000) says nothing."""
    from generator.engines.zensical import MEASURED_TO_BUILD, scale_warning

    assert scale_warning(5) is None
    assert scale_warning(MEASURED_TO_BUILD) is None
    warning = scale_warning(7_000)
    assert warning is not None and "7,000" in warning and "MkDocs" in warning
