"""The review of an import in one screen (issue 32, item 2; D42).

``python -m generator import`` keeps a record of the document's blocks beside ``protocols/``
(``.review/ID.json``); ``python -m generator review ID`` writes ``.review/ID.html``: the check's
findings linked to the blocks they name, each block of the document labelled and coloured by
where it went, the variant's handbook page beside it. Protocol text stays inert and the page
loads nothing; in Chromium at 1280 px it has no axe violation and a keyboard reaches a
finding's block.
"""

from __future__ import annotations

import re
import shutil
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import PROTOCOLS, ROOT
from generator.cli import main

HOSTILE = "Zie ook <script>alert(1)</script> en <img src=x onerror=alert(1)> in [k](javascript:alert(1)) voor meer."
DOCUMENT = f"""MELDCODE DE REGENBOOG

12 maart 2024
Versie 2.0

{HOSTILE}

""" + "".join(f"""Stap {n}: {wat}
Wie: {wie}
{hoe}

""" for n, wat, wie, hoe in (
    (1, "In kaart brengen van signalen", "leerkracht",
     "De leerkracht legt de signalen vast in het dossier en bespreekt ze met\nde intern begeleider."),
    (2, "Collegiale consultatie", "intern begeleider",
     "De intern begeleider overlegt met de directeur en belt zo nodig Veilig Thuis\nTwente: 0800-2000."),
    (3, "Gesprek met de ouders", "leerkracht en intern begeleider",
     "De leerkracht en de intern begeleider bespreken de signalen met de ouders\nvan de leerling."),
    (4, "Wegen van het geweld", "intern begeleider",
     "De intern begeleider weegt met het afwegingskader de aard en de ernst van\nhet huiselijk geweld."),
    (5, "Beslissen over hulp en melden", "directeur",
     "De directeur beslist of een melding bij Veilig Thuis noodzakelijk is en of\nhulp mogelijk is. Is het "
     "geweld gepleegd door een medewerker van de school,\ndan informeert de directeur meteen het bevoegd gezag."),
)) + """Tot slot
De meldcode wordt elk jaar in het team besproken en zo nodig bijgesteld door
de directeur.
"""
"""A school's document: a title page, a block under no heading (hostile text), five steps with
a Wie line, a Veilig Thuis number, a passage about a colleague, a closing section."""


class Page(HTMLParser):
    """The review page's elements: tags with their attributes, each block's label and text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.blocks: dict[str, dict] = {}
        self._block: str | None = None
        self._part: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        classes = (attributes.get("class") or "").split()
        if tag == "li" and "block" in classes:
            self._block = attributes["id"]
            self.blocks[self._block] = {"classes": classes, "label": "", "text": "", "badges": []}
        elif self._block and "block__label" in classes:
            self._part = "label"
        elif self._block and "block__text" in classes:
            self._part = "text"
        elif self._block and "badge" in classes:
            self.blocks[self._block]["badges"].append("")
            self._part = "badge"

    def handle_endtag(self, tag):
        if tag == "span":
            self._part = None
        elif tag == "li":
            self._block = None

    def handle_data(self, data):
        if self._block and self._part == "badge":
            self.blocks[self._block]["badges"][-1] += data
        elif self._block and self._part:
            self.blocks[self._block][self._part] += data


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A copy of the seed protocols with the document imported as ``regenboog``; the review written."""
    root = tmp_path_factory.mktemp("review")
    protocols = root / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    document = root / "regenboog.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    assert main(["--protocols", str(protocols), "import", str(document), "--id", "regenboog", "--school-type", "PO"]) == 0
    assert main(["--protocols", str(protocols), "review", "regenboog", "-f", str(ROOT / "mkdocs.yml")]) == 0
    return root


def test_the_import_keeps_a_record_beside_the_protocols_and_review_writes_one_page(imported):
    assert sorted(p.name for p in (imported / ".review").iterdir()) == ["regenboog.html", "regenboog.json"]
    assert [p for p in (imported / "protocols").rglob("regenboog*") if p.suffix != ".yaml"] == []


def test_every_block_is_shown_with_the_place_it_went(imported):
    page = Page((imported / ".review" / "regenboog.html").read_text(encoding="utf-8"))
    by_text = {" ".join(b["text"].split()): b for b in page.blocks.values()}
    assert len(page.blocks) == 21  # 3 on the title page, 1 under no heading, 3 a step, 2 of "Tot slot"
    expected = {
        "MELDCODE DE REGENBOOG": ("cat-source", "Titelpagina · titel"),
        "12 maart 2024": ("cat-source", "Titelpagina · datum"),
        "Versie 2.0": ("cat-source", "Titelpagina · versie"),
        HOSTILE: ("cat-unplaced", "Niet geplaatst 1"),
        "Stap 2: Collegiale consultatie": ("cat-wat", "Stap 2 · wat"),
        "Wie: directeur": ("cat-wie", "Stap 5 · wie"),
        "Tot slot": ("cat-section", "Onderdeel 1 · titel"),
    }
    for text, (colour, label) in expected.items():
        block = by_text[text]
        assert colour in block["classes"] and block["label"].endswith(label), (text, block)
    hoe = next(b for t, b in by_text.items() if t.startswith("De intern begeleider overlegt"))
    assert "cat-hoe" in hoe["classes"] and hoe["label"].endswith("Stap 2 · hoe")
    assert hoe["badges"] == ["Contact: 0800-2000"]
    colleague = next(b for t, b in by_text.items() if t.startswith("De directeur beslist"))
    assert "proposal" in colleague["classes"] and colleague["badges"] == ["Voorstel: Zorg over een medewerker"]


def test_protocol_text_is_inert_and_the_page_loads_nothing(imported):
    html = (imported / ".review" / "regenboog.html").read_text(encoding="utf-8")
    page = Page(html)
    assert HOSTILE in {" ".join(b["text"].split()) for b in page.blocks.values()}  # shown as text, whole
    assert [tag for tag, _ in page.tags if tag in ("script", "img", "iframe", "link", "object", "base")] == []
    for tag, attributes in page.tags:
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        assert not (attributes.get("href") or "").lower().startswith("javascript:"), (tag, attributes)
        assert "src" not in attributes and "srcset" not in attributes, (tag, attributes)
    (csp,) = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_a_finding_links_to_the_blocks_it_names_and_the_handbook_page_is_beside_them(imported):
    html = (imported / ".review" / "regenboog.html").read_text(encoding="utf-8")
    page = Page(html)
    unplaced = next(i for i, b in page.blocks.items() if "cat-unplaced" in b["classes"])
    proposal = next(i for i, b in page.blocks.items() if "proposal" in b["classes"])
    findings = {a["id"]: a for t, a in page.tags if t == "li" and a.get("id", "").startswith("bevinding-")}
    links = [a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("#blok-")]
    assert f"#{unplaced}" in links and f"#{proposal}" in links  # rules unplaced and situation-proposed
    assert all(link[1:] in page.blocks for link in links) and findings
    # The right column is the variant's page as the generator renders it: its steps table, its title.
    assert 'class="protocol-steps"' in html and re.search(r"<h3[^>]*>MELDCODE DE REGENBOOG</h3>", html)


def test_review_again_from_the_document_and_what_it_refuses(imported, capsys, tmp_path):
    protocols = imported / "protocols"
    written = (imported / ".review" / "regenboog.html").read_text(encoding="utf-8")
    out = tmp_path / "copy"
    shutil.copytree(imported, out)
    (out / ".review" / "regenboog.json").unlink()
    assert main(["--protocols", str(out / "protocols"), "review", "regenboog"]) == 1
    assert "--from" in capsys.readouterr().err  # no record: says how to read the document again
    assert main(["--protocols", str(out / "protocols"), "review", "regenboog", "--from", str(imported / "regenboog.txt")]) == 0
    again = (out / ".review" / "regenboog.html").read_text(encoding="utf-8")
    assert Page(again).blocks == Page(written).blocks
    assert main(["--protocols", str(protocols), "review", "bestaat-niet"]) == 1
    assert "no variant 'bestaat-niet'" in capsys.readouterr().err


def test_the_served_review_is_made_at_each_request_on_loopback_only():
    from generator.serve import page_server

    made = []

    def make() -> str:
        made.append(1)
        if len(made) == 2:
            raise ValueError("protocols/variants/x.yaml:3: 'wie' is empty")
        return "<!doctype html><title>x</title>"

    server = page_server(make, "x.html", ("127.0.0.1", 0))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with urllib.request.urlopen(url + "x.html") as response:
            assert response.read() == b"<!doctype html><title>x</title>"
            assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(url)
        assert failed.value.code == 500 and "'wie' is empty" in failed.value.read().decode()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "regenboog.json")
        assert missing.value.code == 404 and len(made) == 2
    finally:
        server.shutdown()
        server.server_close()
    assert server.server_address[0] == "127.0.0.1"


def test_the_review_in_chromium_at_1280_px_by_keyboard(imported, browser):
    """Both columns side by side, no axe violation, no request but the file; Tab reaches a
    finding's link, Enter moves the focus to the block it names, inside the document column."""
    from axe import violations

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    url = (imported / ".review" / "regenboog.html").as_uri()
    page.goto(url)
    try:
        document, handbook = page.locator("#document").locator(".."), page.locator("#pagina").locator("..")
        left, right = document.bounding_box(), handbook.bounding_box()
        assert left["x"] + left["width"] <= right["x"] and min(left["width"], right["width"]) > 500
        assert left["y"] + 200 < 800 and right["y"] + 200 < 800  # both in the first screen
        assert violations(page) == []
        first = page.locator(".findings a[href^='#blok-']").first
        target = first.get_attribute("href")[1:]
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('href')") == f"#{target}":
                break
        else:
            pytest.fail("Tab never reached the first link of a finding")
        page.keyboard.press("Enter")
        page.wait_for_function(f"document.activeElement.id === '{target}'")
        box, column = page.locator(f"#{target}").bounding_box(), document.bounding_box()
        assert column["y"] <= box["y"] < column["y"] + column["height"]
        assert requests == [url]
    finally:
        context.close()
