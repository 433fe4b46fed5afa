"""The comparison pages: every variant's wie per step, marked differences, presence table."""

from __future__ import annotations

import re
import shutil

import pytest

from axe import violations
from conftest import PROTOCOLS, build_site, read_yaml, variant_files
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
        row = re.search(rf'<tr data-variant="{variant_id}">(.*?)</tr>', html, re.S).group(1)
        found = tuple(re.search(rf'data-kind="{kind}" data-present="(\w+)"', row).group(1) for kind in KINDS)
        assert found == expected, variant_id


def test_contacts_are_compared(site_dir):
    text = page_text(site_dir / "vergelijken" / "index.html")
    assert "088 - 222 05 00" in text and "0800-2000" in text and "088-2000 / www.amk-nederland.nl" in text


def test_many_variants_are_split_over_pages(tmp_path):
    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    source = (protocols / "variants" / "levwn.yaml").read_text(encoding="utf-8")
    for number in range(20):
        (protocols / "variants" / f"extra-{number}.yaml").write_text(
            source.replace("id: levwn", f"id: extra-{number:02d}"), encoding="utf-8")
    site = tmp_path / "site"
    assert build_site(site, protocols=protocols).returncode == 0
    pages = [site / "vergelijken" / "index.html", *sorted((site / "vergelijken").glob("pagina-*/index.html"))]
    assert len(pages) == 3  # 25 variants, 10 a page
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count('<tr data-variant="') <= 10
        assert html.count('name="v"') == 25  # the picker still offers every variant
    assert len(list((site / "vergelijken" / "varianten").glob("*.json"))) == 25


@pytest.mark.browser
def test_chosen_variants_are_marked_word_by_word(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    url = f"{base_url}vergelijken/?v=flevoland-kwaliteitskaart&v=prisma-almere"
    page.goto(url)
    chosen = page.locator("[data-compare-chosen]")
    chosen.locator("table").first.wait_for()
    assert page.locator("[data-compare-static]").is_hidden()
    step2 = chosen.locator("table[data-compare-step='2']")
    headers = step2.locator("thead th").all_inner_texts()
    assert headers == ["Basismodel", VARIANTS["flevoland-kwaliteitskaart"]["title"], VARIANTS["prisma-almere"]["title"]]
    wie = step2.locator("tr[data-row='wie'] td").nth(2)
    assert "maatschappelijk" in wie.locator("ins").all_inner_texts()[0]
    assert "Veilig Thuis" in " ".join(wie.locator("del").all_inner_texts())
    assert page.locator("input[value='prisma-almere']").is_checked()
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0 and context.cookies() == []
    assert page.url == url
    assert violations(page) == []
    context.close()


@pytest.mark.browser
def test_without_javascript_all_variants_are_shown(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}vergelijken/?v=levwn")
    headers = page.locator("[data-compare-static] table[data-compare-step='1'] thead th").all_inner_texts()
    assert len(headers) == 1 + len(VARIANTS)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["vergelijken/", "varianten/consent/versies/"])
def test_comparison_and_version_pages_pass_axe(browser, base_url, path):
    page = browser.new_page()
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    page.close()
