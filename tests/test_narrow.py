"""Every page on a 360 px phone: nothing past the edge, no table to scroll sideways;
the step table as cards there, as a table on a laptop and on paper; the comparison
with four protocols fully visible at 1280 px."""

from __future__ import annotations

import pytest

from conftest import PAGE_SHARDS, built_pages, read_yaml, shard, variant_files
from narrow import overflow

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
VARIANT_IDS = sorted(read_yaml(path)["id"] for path in variant_files())
# The comparison as readers choose it, beside the static page itself.
CHOSEN = [
    "vergelijken/?v=consent&v=levwn",
    "vergelijken/?v=consent&v=levwn&v=flevoland-kwaliteitskaart&v=prisma-almere",
    "vergelijken/?" + "&".join(f"v={v}" for v in VARIANT_IDS),
]


def _compare_ready(page):
    page.locator("[data-compare-view][data-chosen]").wait_for()


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("part", range(PAGE_SHARDS))
def test_every_built_page_fits_a_360_px_screen(phone, base_url, site_dir, part):
    pages = built_pages(site_dir)
    assert len(pages) >= 6 * len(VARIANT_IDS)  # variant, tool, history, version, check page each, and more
    found = {}
    for url in shard(pages, part):
        phone.goto(base_url + url)  # waits for "load": the layout is there, Pyodide need not be
        if problems := overflow(phone):
            found[url] = problems[:5]
    assert found == {}


@pytest.mark.parametrize("url", CHOSEN)
def test_the_chosen_comparison_fits_a_360_px_screen_with_marking_on_and_off(phone, base_url, url):
    phone.goto(base_url + url)
    _compare_ready(phone)
    assert overflow(phone) == []
    phone.locator("[data-compare-switch]").click()
    assert phone.locator("[data-compare-switch]").get_attribute("aria-pressed") == "true"
    assert overflow(phone) == []


def _cards(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('table.protocol-steps tbody tr')].map(tr => ({
            display: getComputedStyle(tr).display,
            title: tr.cells[0].textContent.trim(),
            labels: [...tr.cells].slice(1).map(cell => getComputedStyle(cell, '::before').content),
        }))"""
    )


def value(node: dict, key: str) -> str:
    return node.get(key, {}).get("value", "")


def _table_roles(page) -> list[tuple[str, str]]:
    """The step table as Chromium exposes it to screen readers (its accessibility tree, not the
    DOM): (role, name) of the table and each row, header and cell in it, in order."""
    cdp = page.context.new_cdp_session(page)
    nodes = {n["nodeId"]: n for n in cdp.send("Accessibility.getFullAXTree")["nodes"]}
    cdp.detach()
    table = next(n for n in nodes.values() if value(n, "role") == "table" and value(n, "name").startswith("Stappenplan"))
    found = []

    def walk(node):
        if value(node, "role") in ("table", "row", "columnheader", "rowheader", "cell"):
            found.append((value(node, "role"), " ".join(value(node, "name").split())[:40]))
        for child in node.get("childIds", []):
            if child in nodes:
                walk(nodes[child])

    walk(table)
    return found


def test_the_step_table_is_one_card_per_step_on_a_phone(phone, base_url):
    phone.goto(base_url + "varianten/levwn/")
    cards = _cards(phone)
    assert [c["title"] for c in cards] == [f"Stap {n}" for n in range(1, 6)]
    for card in cards:
        assert card["display"] == "block"
        assert card["labels"] == ['"Wat" / ""', '"Wie" / ""', '"Hoe" / ""']
    # The card's words in reading order are the table's: title, then Wat, Wie, Hoe.
    data = read_yaml(next(p for p in variant_files() if read_yaml(p)["id"] == "levwn"))
    card = phone.locator("table.protocol-steps tbody tr").nth(2).inner_text()
    positions = [card.index(text) for text in ("Stap 3", data["steps"][2]["wat"], data["steps"][2]["wie"])]
    assert positions == sorted(positions)
    # Screen readers still meet a table: Chromium keeps its rows, headers and cells although CSS
    # shows them as blocks, without ARIA roles (D38).
    roles = _table_roles(phone)
    assert [name for role, name in roles if role == "columnheader"] == ["Stap", "Wat", "Wie", "Hoe"]
    assert [role for role, _ in roles].count("row") == 6  # the header row and five steps
    rows = [name for role, name in roles if role == "rowheader"]
    assert rows == [" ".join(step["wat"].split())[:40] for step in data["steps"]]
    assert [role for role, _ in roles].count("cell") == 5 * 3  # Stap (its heading), Wie, Hoe


def test_the_step_table_stays_a_table_on_a_laptop_and_on_paper(browser, base_url):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(base_url + "varianten/levwn/")
    assert {c["display"] for c in _cards(page)} == {"table-row"}
    context.close()
    context = browser.new_context(viewport=PHONE)  # a phone that prints: paper keeps the table
    page = context.new_page()
    page.goto(base_url + "varianten/levwn/")
    page.emulate_media(media="print")
    assert {c["display"] for c in _cards(page)} == {"table-row"}
    context.close()


def test_four_protocols_side_by_side_are_fully_visible_at_1280_px(browser, base_url):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(base_url + CHOSEN[1])
    _compare_ready(page)
    for pressed in ("false", "true"):
        assert page.locator("[data-compare-switch]").get_attribute("aria-pressed") == pressed
        assert overflow(page) == []
        # Every table: a header column and four protocol columns of equal width, inside the window.
        tables = page.evaluate(
            """() => [...document.querySelectorAll('[data-compare-view] table')].map(table =>
                [...table.querySelector('thead tr').children].map(c => c.getBoundingClientRect())
                  .map(r => ({left: r.left, right: r.right, width: r.width})))"""
        )
        assert len(tables) == 7  # at a glance, five steps, the parts
        for columns in tables:
            assert len(columns) == 5
            assert columns[0]["left"] >= 0 and columns[-1]["right"] <= 1280
            widths = [c["width"] for c in columns[1:]]
            assert max(widths) - min(widths) < 1.5, widths
            assert min(widths) > 200  # readable, not squeezed
        page.locator("[data-compare-switch]").click()
    context.close()


def test_the_protocol_names_stay_in_view_while_the_texts_scroll(browser, base_url):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(base_url + CHOSEN[1])
    _compare_ready(page)
    table = page.locator("table[data-compare-table='stap-3']")
    hoe = table.locator("tr[data-key='stap-3-hoe']")
    hoe.scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(200)
    head = table.locator("thead th").first.bounding_box()
    header = page.locator(".md-header").bounding_box()
    assert head["y"] >= header["y"] + header["height"] - 1 and head["y"] < header["height"] + 5
    assert table.bounding_box()["y"] < 0  # the table's top has scrolled away; its names have not
    context.close()
