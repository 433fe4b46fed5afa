"""The comparison pages: facts at a glance, every variant's wie per step, marked differences,
the "Markeer verschillen" switch, the presence table, and one definition of the tables."""

from __future__ import annotations

import math
import re
import shutil

import pytest

from axe import violations
from conftest import PROTOCOLS, read_yaml, variant_files
from htmltext import page_text, squash

VARIANTS = {read_yaml(p)["id"]: read_yaml(p) for p in variant_files()}

# Which sections each seed protocol has, checked by hand against the sources:
# (definities, ondersteuningsroute, beroepsgeheim, spiekkaart, afwegingskader)
PRESENCE = {
    "consent": ("ja", "ja", "nee", "nee", "ja"),  # kader under step 4
    "flevoland-kwaliteitskaart": ("nee", "nee", "nee", "nee", "ja"),  # links to the nji afwegingskader in step 5
    "levwn": ("ja", "nee", "ja", "nee", "nee"),
    "prisma-almere": ("nee", "nee", "nee", "nee", "nee"),
    "vo-brochure": ("ja", "ja", "nee", "ja", "ja"),
}
KINDS = ("definities", "ondersteuningsroute", "beroepsgeheim", "spiekkaart", "afwegingskader")


def test_comparison_shows_every_variants_wie_for_each_step(site_dir):
    text = page_text(site_dir / "vergelijken" / "index.html")
    for data in VARIANTS.values():
        for step in data["steps"]:
            assert squash(step["wie"]) in text, (data["id"], step["number"])


def test_presence_table_is_right_for_every_variant(site_dir):
    html = (site_dir / "vergelijken" / "index.html").read_text(encoding="utf-8")
    assert set(PRESENCE) == set(VARIANTS)
    for variant_id, expected in PRESENCE.items():
        found = tuple(
            re.search(rf'data-variant="{variant_id}" data-kind="{kind}" data-present="(\w+)"', html).group(1)
            for kind in KINDS)
        assert found == expected, variant_id


def test_contacts_are_compared(site_dir):
    text = page_text(site_dir / "vergelijken" / "index.html")
    assert "088 - 222 05 00" in text and "0800-2000" in text and "088-2000 / www.amk-nederland.nl" in text


def test_many_variants_are_split_over_pages(build, tmp_path):
    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    source = (protocols / "variants" / "levwn.yaml").read_text(encoding="utf-8")
    for number in range(20):
        (protocols / "variants" / f"extra-{number}.yaml").write_text(
            source.replace("id: levwn", f"id: extra-{number:02d}"), encoding="utf-8")
    site = tmp_path / "site"
    assert build(site, protocols=protocols).returncode == 0
    pages = [site / "vergelijken" / "index.html", *sorted((site / "vergelijken").glob("pagina-*/index.html"))]
    assert len(pages) == 5  # 25 variants, 5 a page (mkdocs.yml)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 0 < html.count('data-kind="definities"') <= 5
        assert html.count('name="v"') == 25  # the picker still offers every variant
    assert len(list((site / "vergelijken" / "varianten").glob("*.json"))) == 25


def _chosen(page, url):
    page.goto(url)
    page.locator("[data-compare-view][data-chosen]").wait_for()
    return page.locator("[data-compare-view]")


@pytest.mark.browser
def test_chosen_variants_are_marked_word_by_word(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    url = f"{base_url}vergelijken/?v=flevoland-kwaliteitskaart&v=prisma-almere"
    view = _chosen(page, url)
    step2 = view.locator("table[data-compare-table='stap-2']")
    headers = step2.locator("thead th").all_inner_texts()
    assert headers == [VARIANTS["flevoland-kwaliteitskaart"]["title"], VARIANTS["prisma-almere"]["title"]]
    wie = step2.locator("tr[data-key='stap-2-wie'] td").nth(1)
    assert "School-maatschappelijk werker" in " ".join(wie.locator("ins").all_inner_texts())
    assert "Veilig Thuis" in " ".join(wie.locator("del").all_inner_texts())
    assert "[toegevoegd:" in wie.text_content() and "[ontbreekt:" in wie.text_content()  # not by colour alone
    assert page.locator("input[value='prisma-almere']").is_checked()
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0 and context.cookies() == []
    assert page.url == url
    assert violations(page) == []
    context.close()


@pytest.mark.browser
def test_the_glance_marks_facts_that_differ_from_the_first_protocol(browser, base_url):
    page = browser.new_page()
    # Two protocols of Flevoland: the same Veilig Thuis, different people who report.
    view = _chosen(page, f"{base_url}vergelijken/?v=flevoland-kwaliteitskaart&v=prisma-almere")
    glance = view.locator("table[data-compare-table='glance']")

    def cell(key):
        return glance.locator(f"tr[data-key='{key}'] td").nth(1)

    assert "compare-cell--different" not in (cell("veilig-thuis").get_attribute("class") or "")
    assert cell("veilig-thuis").inner_text() == "Veilig Thuis Flevoland, 088 - 222 05 00"
    assert cell("anoniem").inner_text() == "Nooit anoniem"  # both say so: not marked
    melder = cell("melder")
    assert "compare-cell--different" in melder.get_attribute("class")
    assert melder.text_content().startswith("≠(anders dan het eerste protocol)")
    assert melder.locator(".md-visually-hidden").inner_text() == "(anders dan het eerste protocol)"
    # Steps 4 and 5: Consent's step 4 asks the five afwegingsvragen; Flevoland's only links to
    # the kader, which the check's rule afwegingskader-used does not count (D9).
    view = _chosen(page, f"{base_url}vergelijken/?v=consent&v=flevoland-kwaliteitskaart")
    kader = view.locator("table[data-compare-table='glance'] tr[data-key='kader'] td")
    assert [squash(t) for t in kader.all_text_contents()] == ["Ja", "≠(anders dan het eerste protocol)Nee"]
    view = _chosen(page, f"{base_url}vergelijken/?v=flevoland-kwaliteitskaart&v=prisma-almere")
    assert glance.locator("tr[data-key='version'] td").nth(1).inner_text().endswith(
        "september-2021, geldig vanaf 1 september 2021")
    page.close()


@pytest.mark.browser
def test_the_switch_marks_hoe_only_when_pressed_and_stores_nothing(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    url = f"{base_url}vergelijken/?v=consent&v=levwn"
    view = _chosen(page, url)
    switch = page.get_by_role("button", name="Markeer verschillen")
    hoe = view.locator("tr[data-key='stap-1-hoe'] td").nth(1)
    wie = view.locator("tr[data-key='stap-1-wie'] td").nth(1)
    assert switch.get_attribute("aria-pressed") == "false"
    assert hoe.locator("ins, del").count() == 0 and hoe.locator("li").count() > 0  # the text as written
    assert wie.locator("ins, del").count() > 0  # wie is always marked
    assert violations(page) == []
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    assert hoe.locator("ins").count() > 0 and hoe.locator("del").count() > 0
    assert violations(page) == []
    switch.click()
    assert switch.get_attribute("aria-pressed") == "false"
    assert hoe.locator("ins, del").count() == 0 and hoe.locator("li").count() > 0
    assert page.url == url
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0 and context.cookies() == []
    context.close()


@pytest.mark.browser
def test_the_browser_marks_exactly_what_the_python_diff_finds(browser, base_url):
    """The same pair, the same marks: the browser's cell reads as the Python macro renders it."""
    from generator.site.diff import word_diff

    page = browser.new_page()
    view = _chosen(page, f"{base_url}vergelijken/?v=consent&v=vo-brochure")
    pairs = 0
    for step in range(1, 6):
        for field in ("wat", "wie"):
            a = squash(VARIANTS["consent"]["steps"][step - 1][field])
            b = squash(VARIANTS["vo-brochure"]["steps"][step - 1][field])
            expected = " ".join(
                s.text if s.op == "same" else f"[{'ontbreekt' if s.op == 'delete' else 'toegevoegd'}: {s.text}]"
                for s in word_diff(a, b))
            cell = view.locator(f"tr[data-key='stap-{step}-{field}'] td").nth(1)
            assert squash(cell.text_content()) == expected, (step, field)
            pairs += a != b
    assert pairs >= 5
    page.close()


@pytest.mark.browser
def test_past_the_diff_limit_the_browser_says_so_and_leaves_the_text_unmarked(browser, base_url):
    """Step 1's wat of both protocols is swapped for 1,001 and 1,000 different words on their way
    from the server: one word pair past the limit the Python diff draws (test_worddiff.py)."""
    from generator.site.diff import MAX_WORD_PAIRS

    side = math.isqrt(MAX_WORD_PAIRS)
    texts = {"consent": " ".join(f"a{i}" for i in range(side + 1)), "levwn": " ".join(f"b{i}" for i in range(side))}

    def swap(route):
        response = route.fetch()
        fragment = response.json()
        text = texts[route.request.url.rsplit("/", 1)[1].removesuffix(".json")]
        fragment["html"], count = re.subn(r'(<tr[^>]*data-key="stap-1-wat"[^>]*>.*?<td[^>]*>).*?(</td>)',
                                          lambda m: m.group(1) + text + m.group(2), fragment["html"], flags=re.S)
        assert count == 1
        route.fulfill(response=response, json=fragment)

    page = browser.new_page()
    page.route("**/vergelijken/varianten/*.json", swap)
    view = _chosen(page, f"{base_url}vergelijken/?v=consent&v=levwn")
    wat = view.locator("tr[data-key='stap-1-wat'] td")
    assert wat.nth(0).text_content() == texts["consent"]
    assert wat.nth(1).locator("ins, del").count() == 0
    assert squash(wat.nth(1).text_content()) == "Te veel verschillen om te markeren. " + texts["levwn"]
    assert view.locator("tr[data-key='stap-1-wie'] td").nth(1).locator("ins, del").count() > 0  # within it: marked
    assert violations(page) == []
    page.close()


@pytest.mark.browser
def test_without_javascript_all_variants_are_shown(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}vergelijken/?v=levwn")
    headers = page.locator("[data-compare-view] table[data-compare-table='stap-1'] thead th").all_inner_texts()
    assert len(headers) == len(VARIANTS)
    assert page.locator("[data-compare-switch]").is_hidden()  # it needs the script
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["vergelijken/", "varianten/consent/versies/"])
def test_comparison_and_version_pages_pass_axe(browser, base_url, path):
    page = browser.new_page()
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    page.close()


def test_the_pager_shows_the_ends_and_the_neighbours_not_every_page():
    from generator.site.pages import page_window

    assert page_window(1, 1) == [1]
    assert page_window(2, 4) == [1, 2, 3, 4]
    assert page_window(5, 10) == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert page_window(1, 1400) == [1, 2, 3, None, 1400]
    assert page_window(1400, 1400) == [1, None, 1398, 1399, 1400]
