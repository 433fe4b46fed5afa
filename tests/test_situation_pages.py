""""Waar gaat uw zorg over?" in the built site and in Chromium: the entry at the top of
every variant page (and after its tool), acute danger and its numbers in view on a 360 px phone
without scrolling, by keyboard alone, storing nothing; each situation page on one A4.

axe-core and the 360 px check walk every built page, these included
(tests/test_accessibility.py, tests/test_narrow.py).
"""

from __future__ import annotations

import io
import re

import pytest

from conftest import PROTOCOLS, read_yaml, variant_files
from htmltext import page_text, squash

VARIANT_IDS = sorted(read_yaml(path)["id"] for path in variant_files())
SITUATIONS = read_yaml(PROTOCOLS / "situaties.yaml")["situations"]
CONTACTS = read_yaml(PROTOCOLS / "contacts.yaml")
PHONE = {"width": 360, "height": 640}
LAPTOP = {"width": 1280, "height": 800}
ENTRY_PAGES = [f"varianten/{v}/" for v in VARIANT_IDS]
"""The pages the entry heads; the tool's follows its question 1, under one line for acute
danger (tests/test_inwerken.py)."""


def test_every_variant_has_every_situation_page_in_the_built_site(site_dir):
    for variant_id in VARIANT_IDS:
        variant_html = (site_dir / "varianten" / variant_id / "index.html").read_text(encoding="utf-8")
        for situation in SITUATIONS:
            page = site_dir / "varianten" / variant_id / situation["id"] / "index.html"
            html = page.read_text(encoding="utf-8")
            assert "<h1" in html and squash(situation["name"]) in page_text(page)
            # Every passage links to an id that the variant page has.
            for anchor in re.findall(r'class="situation-passage__place">[^<]*<a href="\.\./#([a-z0-9-]+)"', html):
                assert f'id="{anchor}"' in variant_html, (variant_id, situation["id"], anchor)


# ------------------------------------------------------------------ Chromium



@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    yield context
    context.close()


def _in_view(page, selector: str) -> list[dict]:
    """The boxes of what ``selector`` finds, and whether each lies wholly in the window as it is."""
    return page.eval_on_selector_all(selector, """(els) => els.map(el => {
        const r = el.getBoundingClientRect();
        return {text: el.textContent.trim(), inView: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight
                && r.right <= innerWidth && r.width > 0};
    })""")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["360px", "1280px"])
def test_acute_danger_and_its_numbers_are_in_view_without_scrolling(browser, base_url, viewport):
    context = browser.new_context(viewport=viewport, locale="nl-NL")
    page = context.new_page()
    numbers = {CONTACTS["emergency"]["phone"], CONTACTS["national"]["phone"]}
    for path in ENTRY_PAGES:
        page.goto(base_url + path)
        assert page.evaluate("scrollY") == 0
        boxes = _in_view(page, ".situation-entry__emergency a")
        assert [b["text"] for b in boxes] == ["Acuut gevaar", *[CONTACTS["emergency"]["phone"],
                                                                CONTACTS["national"]["phone"]]], path
        assert all(b["inView"] for b in boxes), (path, boxes)
        assert {b["text"] for b in boxes[1:]} == numbers
    context.close()


def _focus_is_visible(page) -> bool:
    return page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        return el !== document.body && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                                        || s.boxShadow !== 'none');
    }""")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["360px", "1280px"])
def test_by_keyboard_from_the_variant_page_to_a_situation_and_back(browser, base_url, viewport):
    context = browser.new_context(viewport=viewport, locale="nl-NL")
    page = context.new_page()
    page.goto(base_url + "varianten/levwn/")
    # The first links of the page's content are the entry's, acute danger and its numbers first.
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('article') !== null"):
            assert _focus_is_visible(page), page.evaluate("document.activeElement.outerHTML")
            stops.append(page.evaluate("document.activeElement.textContent.trim()"))
            if len(stops) == 4:
                break
    assert stops == ["Acuut gevaar", CONTACTS["emergency"]["phone"], CONTACTS["national"]["phone"],
                     "Zorg over de thuissituatie"]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Zorg over een medewerker"
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "varianten/levwn/zorg-over-een-medewerker/")
    assert "Betreffende signalen huiselijk geweld of kindermishandeling gepleegd door een beroepskracht" in \
        squash(page.locator("article").inner_text())
    # From the passage to its place on the variant page.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.situation-passage__place a')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "varianten/levwn/#stap-1")
    assert page.locator("#stap-1").is_visible()
    # Nothing was stored on the way.
    assert context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    context.close()


@pytest.mark.browser
def test_the_entry_works_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    page.goto(base_url + "varianten/prisma-almere/afwegingskader/")
    page.get_by_role("link", name="Tussen leerlingen onderling").click()
    page.wait_for_url(base_url + "varianten/prisma-almere/tussen-leerlingen-onderling/")
    assert "Het protocol van uw school beschrijft deze situatie niet." in page.locator("article").inner_text()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("variant_id", VARIANT_IDS)
def test_each_situation_page_prints_on_one_a4(browser, base_url, variant_id):
    from pypdf import PdfReader

    page = browser.new_page()
    for situation in SITUATIONS:
        page.goto(f"{base_url}varianten/{variant_id}/{situation['id']}/")
        page.emulate_media(media="print")
        reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
        assert len(reader.pages) == 1, (variant_id, situation["id"], len(reader.pages))
        width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
        assert abs(width - 595) < 3 and abs(height - 842) < 3
        text = squash(reader.pages[0].extract_text())
        assert squash(situation["name"]) in text and "Zoeken" not in text  # the page, not the site's chrome
        assert "Wat zegt het protocol van uw school?" in text
    page.close()
