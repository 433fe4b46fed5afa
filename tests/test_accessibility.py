"""WCAG 2.1 AA on the built site: axe-core on every page and every state that matters,
keyboard-only walks with visible focus, a proper heading outline, lang="nl" throughout."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections import Counter
from html.parser import HTMLParser

import pytest

from axe import violations
from conftest import PAGE_SHARDS, PROTOCOLS, built_pages, read_yaml, shard, variant_files

VARIANT_IDS = sorted(read_yaml(path)["id"] for path in variant_files())


def _html_pages(site_dir):
    return sorted(p for p in site_dir.rglob("*.html") if "assets" not in p.relative_to(site_dir).parts)


class _Outline(HTMLParser):
    """The <html lang> and the headings h1-h6 of the page's article, in order."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.levels: list[int] = []
        self.ids: Counter[str] = Counter()
        self._in_article = 0

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id")
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag == "article":
            self._in_article += 1
        if self._in_article and len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.levels.append(int(tag[1]))

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article -= 1


def test_every_page_is_dutch_with_one_h1_and_no_skipped_heading_level(site_dir):
    pages = _html_pages(site_dir)
    assert len(pages) >= 5 * len(VARIANT_IDS)
    for page in pages:
        outline = _Outline()
        outline.feed(page.read_text(encoding="utf-8"))
        name = page.relative_to(site_dir)
        assert outline.lang == "nl", name
        assert outline.levels and outline.levels[0] == 1 and outline.levels.count(1) == 1, (name, outline.levels)
        for before, after in itertools.pairwise(outline.levels):
            assert after <= before + 1, f"{name}: h{before} followed by h{after}"


def _twice(html: str) -> dict[str, int]:
    """The ids more than one element of ``html`` has, a ``<template>``'s content included (a
    validator reads it, and the script that clones it puts it in the page)."""
    outline = _Outline()
    outline.feed(html)
    return {name: count for name, count in outline.ids.items() if count > 1}


def test_no_page_has_two_elements_with_one_id(site_dir):
    """A link to an id that two elements have goes to the first: on the tool page, "Ja" on
    question 1 jumped to the contact card (issue 33); the comparison had its headings twice."""
    pages = _html_pages(site_dir)
    assert len(pages) >= 5 * len(VARIANT_IDS)
    found = {str(page.relative_to(site_dir)): twice for page in pages
             if (twice := _twice(page.read_text(encoding="utf-8")))}
    assert found == {}


def test_a_kader_node_id_never_takes_an_id_of_the_page(tmp_path):
    """A question id that is also an id of the tool page (its contact card's "wie-bel-ik")."""
    from generator.checks import run_checks
    from generator.model.loader import load
    from generator.site.pages import render_pages

    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    kader = protocols / "afwegingskader.yaml"
    text = kader.read_text(encoding="utf-8")
    for key in ("- id", "next", "question"):
        assert f"{key}: veiligheid\n" in text
        text = text.replace(f"{key}: veiligheid\n", f"{key}: wie-bel-ik\n")
    kader.write_text(text, encoding="utf-8")
    handbook = load(protocols)
    day = dt.date(2026, 1, 1)
    pages = {page.path: page.content for page in render_pages(handbook, run_checks(handbook, day), day)}
    tool = pages[f"varianten/{VARIANT_IDS[0]}/afwegingskader.md"]
    assert 'id="wie-bel-ik"' in tool and 'data-node="wie-bel-ik"' in tool
    assert _twice(tool) == {}


# ------------------------------------------------------------------ axe-core in Chromium

@pytest.mark.browser
@pytest.mark.parametrize("part", range(PAGE_SHARDS))
def test_axe_finds_nothing_on_any_page(browser, base_url, site_dir, part):
    """Home, every variant page and version page, every check page, comparison, over, 404."""
    page = browser.new_page()
    found = {}
    for url in shard(built_pages(site_dir), part):
        # "load": no page of the site requests anything after it (networkidle only added 500 ms
        # of waiting per page); one frame more, so that what the scripts did on load is drawn.
        page.goto(base_url + url, wait_until="load")
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
        if problems := violations(page):
            found[url] = problems
    page.close()
    assert found == {}


def _tool(browser, base_url, variant_id):
    page = browser.new_page()
    page.goto(f"{base_url}varianten/{variant_id}/afwegingskader/")
    root = page.locator("[data-afwegingskader]")
    root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)
    return page, root


@pytest.mark.browser
@pytest.mark.parametrize("variant_id", VARIANT_IDS)
def test_axe_on_the_afwegingskader_at_the_start_and_at_an_outcome(browser, base_url, variant_id):
    page, root = _tool(browser, base_url, variant_id)
    assert violations(page) == []
    # Ja, Ja: a strong suspicion with acute danger ends in "direct melden".
    for label in ("Ja", "Ja"):
        root.locator(":scope[data-settled='true']").wait_for()
        root.locator(f"[data-afweging-current] button[data-answer='{label}']").first.click()
    root.locator("[data-afweging-current] [data-kind='outcome']").wait_for()
    assert violations(page) == []
    # "Wijzig": question 2 again, with the earlier answer marked.
    root.locator(":scope[data-settled='true']").wait_for()
    page.get_by_role("button", name="Wijzig antwoord op vraag 2").click()
    root.locator("[data-afweging-current] .afweging__answer--earlier").wait_for()
    assert violations(page) == []
    page.close()


@pytest.mark.browser
def test_axe_on_the_search_page_with_results(browser, base_url):
    page = browser.new_page()
    page.goto(base_url)
    page.get_by_role("link", name="Zoeken").first.click()  # the header's search button
    page.get_by_role("searchbox", name="Zoekterm").fill("melden")
    page.locator(".zoeken__result").first.wait_for()
    assert page.get_by_role("search", name="Zoeken in het handboek").count() == 1
    assert violations(page) == []
    page.close()


# ------------------------------------------------------------------ keyboard only


def _focus_is_visible(page) -> bool:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return outline || s.boxShadow !== 'none';
        }"""
    )


def _tab_to(page, predicate_js: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert _focus_is_visible(page), page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"nothing matching {predicate_js} reachable by Tab")


@pytest.fixture
def desktop(browser):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_keyboard_navigates_from_home_to_a_variant(desktop, base_url):
    page = desktop
    page.goto(base_url)
    _tab_to(page, "el.matches('.md-nav a') && el.textContent.trim() === 'Alle protocollen'")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "varianten/")
    _tab_to(page, "el.matches('article a') && el.getAttribute('href').includes('levwn/')")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "varianten/levwn/")
    _tab_to(page, "el.matches('article a') && el.textContent.includes('afwegingskader')")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "varianten/levwn/afwegingskader/")


@pytest.mark.browser
def test_keyboard_chooses_variants_to_compare_and_switches_the_marking(desktop, base_url):
    page = desktop
    page.goto(base_url + "vergelijken/")
    for variant_id in ("flevoland-kwaliteitskaart", "prisma-almere"):
        _tab_to(page, f"el.matches('input[name=v]') && el.value === '{variant_id}'")
        page.keyboard.press("Space")
    _tab_to(page, "el.matches('[data-compare-picker] button[type=submit]')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/vergelijken/?v=flevoland-kwaliteitskaart&v=prisma-almere")
    view = page.locator("[data-compare-view][data-chosen]")
    view.wait_for()
    header = view.locator("table").first.locator("thead").inner_text()
    assert "Kwaliteitskaart" in header and "Prisma" in header
    assert violations(page) == []
    switch = page.locator("[data-compare-switch]")
    hoe = view.locator("tr[data-key='stap-2-hoe'] td").nth(1)
    assert hoe.locator("ins").count() == 0
    _tab_to(page, "el.matches('[data-compare-switch]')")
    page.keyboard.press("Enter")
    assert switch.get_attribute("aria-pressed") == "true" and hoe.locator("ins").count() > 0
    assert violations(page) == []  # with the switch on, as with it off
    page.keyboard.press("Space")
    assert switch.get_attribute("aria-pressed") == "false" and hoe.locator("ins").count() == 0
    # On from the keyboard, then on to the protocols' names: every stop shows its focus.
    _tab_to(page, "el.matches('[data-compare-view] thead a')")


@pytest.mark.browser
def test_keyboard_answers_move_focus_to_each_new_question(desktop, base_url):
    page = desktop
    page.goto(f"{base_url}varianten/prisma-almere/afwegingskader/")
    page.locator("[data-afwegingskader][data-engine='ready']").wait_for(timeout=60000)
    for label, next_text in (("Ja", "Vraag 2"), ("Nee", "Vraag 3"), ("Ja", "Vraag 4")):
        _tab_to(page, f"el.dataset.answer === '{label}'")
        page.keyboard.press("Enter")
        # wait_for_function() evaluates a string, which the page's CSP forbids: poll instead.
        for _ in range(50):
            if page.evaluate("document.activeElement.textContent").strip().startswith(next_text):
                break
            page.wait_for_timeout(20)
        assert page.evaluate("document.activeElement.textContent").strip().startswith(next_text)
        assert _focus_is_visible(page)


@pytest.mark.browser
def test_an_abbreviation_shows_its_title_as_text_on_tab_and_on_tap(browser, desktop, base_url):
    """The theme's tooltips are off (they read a title as HTML): Tab reaches the first of each
    abbreviation on a page and a tap any of them; focused, it shows its title after it, as text."""
    glossary = {a: t.get("tooltip") or t["term"] for t in read_yaml(PROTOCOLS / "begrippen.yaml")["terms"]
                for a in t.get("abbreviations", [])}
    shown = "(el => [el.localName, el.textContent, getComputedStyle(el, '::after').content])(document.activeElement)"
    page = desktop
    page.goto(base_url + "varianten/levwn/")
    _tab_to(page, "el.localName === 'abbr'")
    name, text, after = page.evaluate(shown)
    assert after == f'" ({glossary[text]})"', (text, after)
    context = browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 740}, has_touch=True,
                                  is_mobile=True)
    try:
        phone = context.new_page()
        phone.goto(base_url + "varianten/levwn/")
        texts = phone.locator("article abbr").all_inner_texts()
        later = next(i for i, text in enumerate(texts) if text in texts[:i])  # not in the tab order
        phone.locator("article abbr").nth(later).tap()
        name, text, after = phone.evaluate(shown)
        assert (name, after) == ("abbr", f'" ({glossary[text]})"'), (name, text, after)
        assert violations(phone) == []
    finally:
        context.close()
