"""Print and PDF: every variant version has a PDF with its step table; outcomes print alone."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from conftest import read_yaml, variant_files
from htmltext import squash

VARIANTS = [read_yaml(p) for p in variant_files()]


def _slug(version: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(version).lower()).strip("-")


@pytest.mark.parametrize("data", VARIANTS, ids=[v["id"] for v in VARIANTS])
def test_each_version_has_a_pdf_with_its_step_table(site_dir, data):
    slug = _slug(data["version"])
    pdf = site_dir / "varianten" / data["id"] / "versies" / slug / f"{data['id']}-{slug}.pdf"
    assert pdf.is_file()
    reader = PdfReader(pdf)
    assert 1 <= len(reader.pages) <= 20  # a protocol, not a runaway layout
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    for step in data["steps"]:
        assert f"Stap {step['number']}" in text
        # Table cells wrap, so compare word by word in order rather than as one string.
        for field in ("wat", "wie"):
            words = squash(step[field]).split()
            assert all(word in text for word in words), (step["number"], field)
    header = f"{squash(data['title'])}, versie {data['version']}"
    assert text.count(header) == len(reader.pages)  # name and version on every page
    for page in reader.pages:  # A4 portrait
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595) < 3 and abs(height - 842) < 3
    html = (site_dir / "varianten" / data["id"] / "index.html").read_text(encoding="utf-8")
    assert f'href="versies/{slug}/{data["id"]}-{slug}.pdf"' in html


@pytest.mark.browser
def test_printing_hides_navigation_and_buttons(browser, base_url):
    page = browser.new_page()
    page.goto(f"{base_url}varianten/{VARIANTS[0]['id']}/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-button"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("table.protocol-steps").is_visible()
    page.close()


@pytest.mark.browser
def test_an_outcome_prints_alone_with_path_and_date(browser, base_url):
    page = browser.new_page()
    page.goto(f"{base_url}varianten/{VARIANTS[0]['id']}/afwegingskader/")
    page.locator("[data-afwegingskader][data-engine='ready']").wait_for(timeout=60000)
    for label in ("Ja", "Nee", "Nee"):
        page.locator("[data-afwegingskader][data-settled='true']").wait_for()
        page.locator(f"[data-afweging-current] button[data-answer='{label}']").click()
    page.locator("[data-afwegingskader][data-node='melden-geen-hulp-mogelijk']").wait_for()
    page.emulate_media(media="print")
    visible = squash(page.locator("body").inner_text())
    # An afwegingsverslag for the dossier: protocol and version, date, questions and answers, outcome.
    assert "Afwegingsverslag" in visible and squash(VARIANTS[0]["title"]) in visible
    assert f"versie {VARIANTS[0]['version']}" in visible
    assert "Uitkomst" in visible and "Uw antwoorden" in visible and "Datum:" in visible
    assert "Vraag 3: " in visible and "Dit verslag bevat geen namen" in visible
    assert "Privacy" not in visible and "Vorige vraag" not in visible and "Doorloop de vijf" not in visible
    assert "Wijzig" not in visible
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    page.close()


def test_every_printed_page_names_its_version_the_edition_and_where_to_look(site_dir):
    """Without site_url the note names the handbook, not an address; version pages say their version."""
    data = VARIANTS[0]
    for path in (f"varianten/{data['id']}/", f"varianten/{data['id']}/versies/{_slug(data['version'])}/", "begrippen/"):
        html = (site_dir / path / "index.html").read_text(encoding="utf-8")
        note = squash(re.sub(r"<[^>]+>", " ", re.search(r'<div class="print-note">(.*?)</div>', html, re.S).group(1)))
        assert ("Protocol: versie " + str(data["version"])) in note or path == "begrippen/"
        assert re.search(r"Meldcode-handboek, editie \S+, gebouwd op \d{1,2} \w+ \d{4}", note), note
        assert "kijk op de website van het Meldcode-handboek of er een nieuwere versie is" in note


@pytest.mark.browser
def test_the_print_note_shows_in_print_only_with_the_day_printed(browser, base_url):
    import datetime as dt

    from generator.model.dates import nl_date

    page = browser.new_page()
    page.goto(f"{base_url}varianten/{VARIANTS[0]['id']}/")
    note = page.locator(".print-note")
    assert not note.is_visible()
    page.emulate_media(media="print")
    assert note.is_visible()
    text = squash(note.inner_text())
    assert f"Afgedrukt op {nl_date(dt.date.today())}." in text
    assert note.locator("time").get_attribute("datetime") == dt.date.today().isoformat()
    assert f"Protocol: versie {VARIANTS[0]['version']}." in text
    page.close()
