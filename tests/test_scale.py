"""A handbook of a few hundred variants: paged overviews and a search index in fragments.

One build of 60 synthetic variants (``bench.synthetic``, as ``make bench`` makes
them) with 6 variants per listing page, so that listings, letters and boards each
span several pages, and a search index made in three parts and merged into one: the
smallest handbook that pages everything. Sizes at 7,000 variants are measured by ``make bench``, not here.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import cbor2
import pytest

from axe import violations
from bench.synthetic import school, step_agreement, synthetic
from conftest import PROTOCOLS, ROOT, serve
from generator.release.search import pages_to_index
from test_accessibility import _tab_to
from test_browser import Watch, _privacy

# One xdist worker builds this module's site and runs all its tests (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("big_site")

COUNT = 60
PAGE_SIZE = 6
SHARD_PAGES = 25  # the search index made in three parts (Pagefind runs), merged into one index


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.in_article = False

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.in_article = True
        if tag == "a" and self.in_article:
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article = False


def article_links(site: Path, url: str) -> set[str]:
    """Site-relative URLs (folders, "a/b/") that the page at ``url`` links to in its content."""
    parser = Links()
    parser.feed((site / url / "index.html").read_text(encoding="utf-8"))
    found = set()
    for href in parser.hrefs:
        parts = urlsplit(urljoin("http://x/" + url, href))
        if parts.netloc == "x" and not parts.fragment:
            found.add(parts.path.lstrip("/"))
    return found


@pytest.fixture(scope="module")
def big_site(build, tmp_path_factory):
    protocols = synthetic(PROTOCOLS, COUNT)
    try:
        dest = tmp_path_factory.mktemp("scale") / "site"
        result = build(dest, protocols, env={"MELDCODE_OVERVIEW_PAGE_SIZE": str(PAGE_SIZE),
                                                  "MELDCODE_SEARCH_SHARD_PAGES": str(SHARD_PAGES)})
        assert result.returncode == 0, result.stderr
    finally:
        shutil.rmtree(protocols.parent)
    return dest


@pytest.fixture(scope="module")
def big_url(big_site):
    server, url = serve(big_site)
    yield url
    server.shutdown()


VARIANT = re.compile(r"^varianten/(school-\d{4})/$")


def two_clicks(site: Path, start: str, target: re.Pattern) -> tuple[set[str], dict[str, int]]:
    """What ``start`` reaches in two clicks, and how many targets each page in between lists."""
    first = article_links(site, start)
    assert not {u for u in first if target.match(u)}, f"{start} lists variants itself"
    reached, per_page = set(), {}
    for url in sorted(first):
        if url.startswith(("overzicht/", "kwaliteitscheck/a-z/")):
            found = {u for u in article_links(site, url) if target.match(u)}
            per_page[url] = len(found)
            reached |= found
    return reached, per_page


def test_every_school_is_two_clicks_from_the_overview_and_no_list_page_holds_more(big_site):
    everyone = {f"varianten/school-{n:04d}/" for n in range(COUNT)}
    for start in ("varianten/", ""):
        reached, per_page = two_clicks(big_site, start, VARIANT)
        assert {u for u in reached} == everyone, start
        assert max(per_page.values()) <= PAGE_SIZE
        # by region (per school type), by board and by name, each over several pages
        for kind in ("overzicht/po/", "overzicht/vo/", "overzicht/besturen/", "overzicht/a-z/"):
            assert sum(1 for url in per_page if url.startswith(kind)) > 1, (start, kind)


def test_every_check_page_is_two_clicks_from_the_check_overview(big_site):
    target = re.compile(r"^varianten/(school-\d{4})/kwaliteitscheck/$")
    reached, per_page = two_clicks(big_site, "kwaliteitscheck/", target)
    assert reached == {f"varianten/school-{n:04d}/kwaliteitscheck/" for n in range(COUNT)}
    assert len(per_page) > COUNT // PAGE_SIZE and max(per_page.values()) <= PAGE_SIZE


def test_overviews_do_not_grow_with_the_variants(big_site):
    """No overview names every variant (in a link, a list, an option or data): at most a page's worth."""
    for url in ("", "varianten/", "kwaliteitscheck/", "afwegingskader/"):
        named = set(re.findall(r"school-\d{4}", (big_site / url / "index.html").read_text(encoding="utf-8")))
        assert len(named) <= PAGE_SIZE, (url, len(named))


def test_search_index_is_one_index_in_fragments(big_site):
    """Made in parts, the index is one: one entry and metadata, every fragment in one folder,
    the word index in chunks; no parts left in the site and nothing for the page to merge."""
    pagefind = big_site / "pagefind"
    assert len(marked_urls(big_site)) > 2 * SHARD_PAGES  # so it was made in three parts
    assert sorted(p.name for p in pagefind.iterdir() if p.is_dir()) == ["fragment", "index"]
    assert len(list(pagefind.glob("*.pf_meta"))) == 1 and not (pagefind / "shards.json").exists()
    assert not (big_site / ".pagefind-parts").exists()
    fragments = list((pagefind / "fragment").iterdir())
    chunks = list((pagefind / "index").iterdir())
    # one fragment per indexed page, the word index in several small chunks
    assert len(fragments) == len(marked_urls(big_site)) and len(chunks) > 3
    assert max(p.stat().st_size for p in chunks) < 100 * 1024


def index_content(folder: Path) -> tuple[list[str], dict]:
    """What a Pagefind index holds, whatever its page numbers, chunks and file names: its pages'
    URLs, and per word each page's (URL's) locations, meta locations (by field name) and the
    word's variants with diacritics, read with the decoder Pagefind's files need (CBOR)."""
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    (index,) = entry["languages"].values()

    def read(path: Path):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        return cbor2.loads(data[len(b"pagefind_dcd"):])

    _version, pages, chunks, _filters, _sorts, fields = read(folder / f"pagefind.{index['hash']}.pf_meta")
    assert index["page_count"] == len(pages)
    urls = []
    for fragment, *_ in pages:
        text = gzip.decompress((folder / "fragment" / f"{fragment}.pf_fragment").read_bytes()).decode("utf-8")
        urls.append(json.loads(text[text.index("{"):])["url"])

    def by_url(postings):
        number, out = 0, []
        for delta, locations, meta in postings:  # page numbers are stored as differences
            number += delta
            out.append((urls[number], tuple(locations), tuple(fields[-1 - n] if n < 0 else n for n in meta)))
        return sorted(out)

    words = {}
    for first, last, chunk in chunks:
        for word, postings, variants in read(folder / "index" / f"{chunk}.pf_index")[0]:
            # a word is in the one chunk whose bounds hold it (the browser asks for that chunk)
            assert first <= word[: len(first)] and word[: len(last)] <= last and word not in words
            words[word] = (by_url(postings), sorted((v, tuple(by_url(p))) for v, p in variants))
    return sorted(urls), words


def test_merged_search_index_holds_what_one_pagefind_run_writes(big_site, tmp_path):
    """The parts, merged, hold the same pages and words, at the same places, as Pagefind writes
    when it indexes every page in one run (which needs too much memory at thousands of variants)."""
    one = tmp_path / "one"
    job = {"pagefind": str(ROOT / "node_modules" / "pagefind" / "lib" / "index.js"), "site": str(big_site),
           "language": "nl", "pages": pages_to_index(big_site), "out": str(one)}
    result = subprocess.run(["node", str(ROOT / "generator" / "release" / "pagefind_index.mjs")],
                            input=json.dumps(job), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pages, words = index_content(one)
    merged_pages, merged_words = index_content(big_site / "pagefind")
    assert merged_pages == pages and len(pages) > 2 * SHARD_PAGES
    assert any(variants for _, variants in words.values())  # words with diacritics (coördinator) too
    assert merged_words == words


def shard_folders(site: Path) -> list[Path]:
    """The search index's folder: pagefind/ (and shards of pagefind/shards.json, if any)."""
    pagefind = site / "pagefind"
    shards = pagefind / "shards.json"
    return [pagefind] + [pagefind / shard for shard in (json.loads(shards.read_text()) if shards.exists() else [])]


def indexed_urls(site: Path) -> list[str]:
    """The URL of every page in the search index (one fragment each), over all shards."""
    urls = []
    for fragment in (f for folder in shard_folders(site) for f in (folder / "fragment").iterdir()):
        text = gzip.decompress(fragment.read_bytes()).decode("utf-8")
        urls.append(json.loads(text[text.index("{"):])["url"])
    return sorted(urls)


def indexed_count(site: Path) -> int:
    """The pages in the search index, as its shards' entry files count them."""
    entries = [json.loads((folder / "pagefind-entry.json").read_text()) for folder in shard_folders(site)]
    return sum(language["page_count"] for entry in entries for language in entry["languages"].values())


def marked_urls(site: Path) -> list[str]:
    return sorted("/" + path.removesuffix("index.html") for path in pages_to_index(site))


def test_search_index_holds_every_marked_page_once(big_site):
    """The pages to index are noted as they are built (in the build's workers too), not found
    by reading the site again: the index has exactly the pages the site marks, each once."""
    assert len(marked_urls(big_site)) > COUNT
    assert indexed_urls(big_site) == marked_urls(big_site)
    assert indexed_count(big_site) == len(marked_urls(big_site))


def test_a_dirty_build_indexes_the_pages_it_did_not_write(build, tmp_path):
    """A dirty build (``mkdocs serve --dirty`` after an edit of a shared source) writes only the
    hand-written pages that changed; the index still holds them all."""
    site = tmp_path / "site"
    for _ in range(2):
        result = build(site, options=("--dirty", "--no-strict"))
        assert result.returncode == 0, result.stderr
    assert "/over/" in marked_urls(site)
    # (the first build's fragments are still on disk: the entry files count what is indexed now)
    assert indexed_count(site) == len(marked_urls(site))


def _search(page, query: str):
    page.get_by_role("searchbox", name="Zoekterm").fill(query)
    page.get_by_role("searchbox", name="Zoekterm").press("Enter")
    page.locator(".zoeken__result").first.wait_for(timeout=30000)
    # the results of this query, not those of the one before
    page.wait_for_function("q => document.querySelector('.zoeken__results').dataset.query === q", arg=query,
                           timeout=30000)


@pytest.mark.browser
def test_search_finds_a_school_by_name_and_by_a_phrase_of_its_step_3(browser, big_site, big_url):
    number = COUNT - 5  # in the last of the three parts the index was made in
    title = school(number)["title"]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    watch = Watch(page, big_url)
    index_requests: list[str] = []
    page.on("request", lambda r: "/pagefind/" in r.url and index_requests.append(urlsplit(r.url).path))
    page.goto(big_url + "zoeken/")

    _search(page, title)
    first = page.locator(".zoeken__result").first
    assert first.locator(".zoeken__title a").inner_text() == title
    assert first.locator(".zoeken__title a").get_attribute("href").endswith(f"varianten/school-{number:04d}/")
    # one index, fetched once: one entry and metadata, no file twice (typing and Enter share it)
    assert [p for p in index_requests if p.endswith(("pagefind-entry.json", ".pf_meta"))] == [
        "/pagefind/pagefind-entry.json", f"/pagefind/{next((big_site / 'pagefind').glob('*.pf_meta')).name}"]
    assert len(index_requests) == len(set(index_requests)), index_requests

    _search(page, step_agreement(number, 3).rstrip("."))
    first = page.locator(".zoeken__result").first
    assert first.locator(".zoeken__title a").inner_text() == title
    # the step and the version stay in view
    where = first.locator(".zoeken__where")
    assert where.inner_text() == "Stap 3"
    assert where.get_attribute("href").endswith(f"varianten/school-{number:04d}/#stap-3")
    assert "versie" in first.locator(".zoeken__facts").inner_text()
    assert f"drie van school {number:04d}" in first.locator(".zoeken__excerpt").inner_text()

    page.locator(".zoeken__where").first.click()
    page.wait_for_url(re.compile(rf"varianten/school-{number:04d}/#stap-3$"))
    assert watch.foreign == [] and watch.errors == []
    _privacy(page, context)
    context.close()


@pytest.mark.browser
def test_paged_overviews_work_by_keyboard(browser, big_url):
    number = 57
    facts = school(number)
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(big_url + "varianten/")
    region = facts["region"]
    _tab_to(page, f"el.matches('article a') && el.textContent.trim() === {region!r} "
                  f"&& el.getAttribute('href').includes('/{facts['school_type'].lower()}/')", limit=400)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"overzicht/"))
    # the region's other pages, then the school itself, all by Tab and Enter
    while page.locator(f"article a[href$='school-{number:04d}/']").count() == 0:
        current = page.url
        _tab_to(page, "el.matches('article a') && /pagina-\\d+\\/$/.test(el.getAttribute('href'))"
                      " && !location.href.endsWith(el.getAttribute('href'))", limit=400)
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url, before=current: url != before)
    _tab_to(page, f"el.matches('article a') && el.getAttribute('href').endsWith('school-{number:04d}/')", limit=400)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"varianten/school-{number:04d}/$"))
    assert page.locator("h1").inner_text() == facts["title"]
    context.close()


@pytest.mark.browser
def test_axe_on_the_paged_overviews_and_the_search(browser, big_site, big_url):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    listing = sorted(big_site.glob("overzicht/a-z/*/pagina-2/index.html"))[0].parent.relative_to(big_site)
    checks = sorted(big_site.glob("kwaliteitscheck/a-z/*/index.html"))[0].parent.relative_to(big_site)
    for url in ("", "varianten/", "kwaliteitscheck/", f"{listing.as_posix()}/", f"{checks.as_posix()}/",
                "overzicht/besturen/"):
        page.goto(big_url + url)
        assert violations(page) == [], url
    page.goto(big_url + "zoeken/")
    _search(page, school(7)["title"])
    assert violations(page) == []
    context.close()
