"""One build, three engines: ``python -m generator build --engine mkdocs`` is ``mkdocs build``
byte for byte, ProperDocs (the default, D43) makes that site byte for byte but where it names
itself, and Zensical (``--engine zensical``) makes the same handbook from the same sources.

The seed site is built four times at one fixed date (no PDFs: ``make build`` prints those
separately, from whichever site), once per module: ``mkdocs build``, ``python -m generator
build`` (ProperDocs), and ``python -m generator build`` with ``--engine mkdocs`` and ``--engine
zensical``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import PROTOCOLS, ROOT, build_site, built_pages, read_yaml, serve, variant_files
from htmltext import article_html, script_data, visible_text
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
    for name, options in (("generator", ("--engine", "mkdocs")), ("zensical", ("--engine", "zensical")),
                          ("properdocs", ())):  # the default engine (D43)
        result = generator_build(folder / name, *options)
        assert result.returncode == 0, result.stdout + result.stderr
    return {name: folder / name for name in ("mkdocs", "generator", "zensical", "properdocs")}


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_generator_build_with_mkdocs_is_mkdocs_build_byte_for_byte(sites):
    ours, theirs = _files(sites["generator"]), _files(sites["mkdocs"])
    assert sorted(ours) == sorted(theirs)
    assert [path for path in theirs if ours[path] != theirs[path]] == []
    assert "pagefind/pagefind-entry.json" in ours and "index.html" in ours


GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')
BUILT_WITH = re.compile(r'<p class="built-with">.*?</p>', re.DOTALL)
"""Where a site names the engine that built it: the theme's generator tag, and the line of the
"Over dit handboek" page."""


def _unnamed(html: str) -> str:
    return BUILT_WITH.sub("", GENERATOR.sub("", html))


def test_properdocs_builds_the_mkdocs_site_byte_for_byte_but_where_it_names_itself(sites):
    """ProperDocs runs the same adapter on MkDocs' API: the same files, the same bytes (pages,
    search index, tool, runtime files), but for the engine's name and version."""
    ours, theirs = _files(sites["properdocs"]), _files(sites["mkdocs"])
    assert sorted(ours) == sorted(theirs)
    differ = [path for path in theirs if ours[path] != theirs[path]]
    assert "over/index.html" in differ and all(path.endswith(".html") for path in differ)
    assert [path for path in differ if _unnamed(ours[path].decode()) != _unnamed(theirs[path].decode())] == []
    assert "pagefind/pagefind-entry.json" in ours and "varianten/levwn/afwegingskader/index.html" in ours


def _main_text(site: Path, url: str) -> str:
    return visible_text(BUILT_WITH.sub("", article_html(_page(site, url))))


def test_zensical_makes_the_same_pages_with_the_same_main_text(sites):
    pages = built_pages(sites["mkdocs"])
    assert built_pages(sites["zensical"]) == pages
    assert len(pages) > 50
    differ = [url for url in pages if _main_text(sites["zensical"], url) != _main_text(sites["mkdocs"], url)]
    assert differ == []


def _page(site: Path, url: str) -> Path:
    return site / (url + "index.html" if url == "" or url.endswith("/") else url)


BUILT_BY = {
    "mkdocs": f"MkDocs {version('mkdocs')} en het thema mkdocs-material {version('mkdocs-material')}",
    "properdocs": f"ProperDocs {version('properdocs')} en het thema mkdocs-material {version('mkdocs-material')}",
    "zensical": f"Zensical {version('zensical')}",
}


@pytest.mark.parametrize("engine", sorted(BUILT_BY))
def test_the_over_page_says_which_engine_and_version_built_the_site(sites, engine):
    """A reader (or a board checking an edition) can tell what made the pages, on the page."""
    site = sites[engine]
    naming = [url for url in built_pages(site) if BUILT_WITH.search(_page(site, url).read_text(encoding="utf-8"))]
    assert naming == ["over/"]
    line = visible_text(BUILT_WITH.search(_page(site, "over/").read_text(encoding="utf-8")).group(0))
    assert line == f"Deze website is gebouwd op 23 november 2026 met {BUILT_BY[engine]}."


CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
INLINE_SCRIPT = re.compile(r'<script(?![^>]*(?:\ssrc=|type="application/json"))[^>]*>')


@pytest.mark.parametrize("engine", ["zensical", "properdocs"])
def test_the_site_keeps_the_csp_the_tool_and_the_search_index(sites, engine):
    site = sites[engine]
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


@pytest.mark.browser
def test_on_the_zensical_site_the_tool_walks_and_search_finds_a_school(browser, sites):
    """(ProperDocs' site is the MkDocs site byte for byte but for its name, which
    ``test_browser.py`` walks: a walk of it here would show nothing new.)"""
    server, url = serve(sites["zensical"])
    try:
        _walk_and_search(browser, url)
    finally:
        server.shutdown()


def _walk_and_search(browser, site_url: str) -> None:
    from test_browser import TOOL, Watch, _answer, _privacy, expect_node

    variant = read_yaml(variant_files()[0])
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    watch = Watch(page, site_url)
    page.goto(site_url + TOOL.format(variant["id"]))
    root = page.locator("[data-afwegingskader]")
    root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)
    for label in ("Ja", "Nee", "Nee"):
        _answer(page, label)
    expect_node(root, "melden-geen-hulp-mogelijk")
    assert root.get_attribute("data-engine") == "ready"

    page.goto(site_url + "zoeken/")
    box = page.get_by_role("searchbox", name="Zoekterm")
    box.fill(variant["organisation"]["name"])
    box.press("Enter")
    page.locator(".zoeken__result").first.wait_for(timeout=30000)
    titles = page.locator(".zoeken__result .zoeken__title a").all_inner_texts()
    assert variant["title"] in titles
    assert watch.foreign == [] and watch.errors == []
    _privacy(page, context)
    context.close()


def test_zensical_refuses_a_docs_folder_it_would_hang_on(tmp_path, monkeypatch):
    """Zensical 0.0.73 hangs, forever and at once, with more than 63,365 files in its docs folder
    (decisions/D40-zensical-hang.md): such a build stops with the count and what to use
    instead, before Zensical starts, and leaves nothing behind. (The limit is lowered here so
    that the seeds pass it.)"""
    from generator.build.steps import BuildError
    from generator.engines import zensical

    monkeypatch.setenv("MELDCODE_PROTOCOLS", str(PROTOCOLS))
    monkeypatch.setattr(zensical, "MAX_FILES", 50)
    ran = []
    monkeypatch.setattr(zensical.subprocess, "run", lambda *args, **kwargs: ran.append(args))
    with pytest.raises(BuildError, match=r"files in its docs folder \(more than 50\).*--engine properdocs") as error:
        zensical.build(ROOT / "mkdocs.yml", tmp_path / "site")
    count = int(re.search(r"([\d,]+) files", str(error.value)).group(1).replace(",", ""))
    assert count > 50 and ran == []
    assert list(tmp_path.iterdir()) == []


def test_a_properdocs_build_with_a_strict_warning_leaves_the_earlier_site(sites, tmp_path):
    """ProperDocs logs as ``properdocs.*``, not ``mkdocs.*``: its warnings too must stop the swap
    (strict mode aborts only after the plugin's last event) and be printed."""
    site = tmp_path / "site"
    shutil.copytree(sites["properdocs"], site)
    before = _files(site)
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "kapot.md").write_text("# Kapot\n\n[nergens](bestaat-niet.md)\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\n"
                      f"theme:\n  custom_dir: {ROOT / 'site_overrides'}\n", encoding="utf-8")
    result = generator_build(site, "--engine", "properdocs", "-f", str(config))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert sorted(_files(site)) == sorted(before), "the failed build was swapped in"
    assert _files(site) == before
    assert "bestaat-niet.md" in output, output[-2000:]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site"], "no folder left"
