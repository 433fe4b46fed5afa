"""The built site, read as HTML: every variant's key facts are on its page.

Expected facts come from the YAML sources and from the seed documents
themselves, never from the model or the templates.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from conftest import SEEDS, read_yaml, variant_files
from generator.model.afwegingskader import engine
from htmltext import page_text, squash
from test_engine import EXPECTED_NEXT

VARIANTS = {path.stem: read_yaml(path) for path in variant_files()}
DUTCH_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                "september", "oktober", "november", "december"]


def _page(site_dir, data, name="index.html"):
    return page_text(site_dir / "varianten" / data["id"] / name)


def _plain(markdown: str) -> str:
    """Markdown source as a reader sees it: no emphasis marks, list bullets or numbers."""
    text = re.sub(r"\*\*|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)", "", markdown)
    text = re.sub(r"^\s*>\s?", "", text, flags=re.M)
    text = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", text, flags=re.M)
    return squash(text)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_page_shows_its_facts(site_dir, name):
    data = VARIANTS[name]
    text = _page(site_dir, data)
    assert squash(data["title"]) in text
    for step in data["steps"]:
        row = f"Stap {step['number']} {squash(step['wat'])} {squash(step['wie'])}"
        assert row in text, f"step {step['number']}: {row!r}"
        # The first and last sentence of hoe, as written.
        hoe = _plain(step["hoe"])
        assert hoe[:60] in text and hoe[-60:] in text, f"step {step['number']} hoe"
    assert str(data["version"]) in text
    if data["valid_from"]:
        date = data["valid_from"]
        assert f"{date.day} {DUTCH_MONTHS[date.month - 1]} {date.year}" in text
    for key in ("date", "version", "title"):
        if data["source"].get(key):
            assert squash(data["source"][key]) in text
    for key in ("phone_as_written", "website_as_written"):
        if data["veilig_thuis"].get(key):
            assert data["veilig_thuis"][key] in text
    for contact in data.get("contacts", []):
        for key in ("name", "phone", "email"):
            if contact.get(key):
                assert contact[key] in text
    assert squash(data["melding"]["door"]) in text
    for section in data.get("sections", []):
        assert squash(section["title"]) in text
        for item in section.get("items", []):
            assert squash(item["title"]) in text


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_page_links_to_its_afwegingskader(site_dir, name):
    html = (site_dir / "varianten" / VARIANTS[name]["id"] / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]*)</a>', html)
    assert any(href == "afwegingskader/" and "afwegingskader" in label for href, label in links)


PHONE = re.compile(r"\b0\d{2,3} ?- ?\d[\d ]*\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"(?:https?://|www\.)[^\s)]+")


def _named_in_seed(data) -> set[str]:
    seed = (SEEDS / data["source"]["document"]).read_text(encoding="utf-8")
    found = {m.strip() for m in PHONE.findall(seed)} | set(EMAIL.findall(seed))
    # A link counts by its address without scheme or final slash: PDF link
    # annotations repeat "www.x.nl" as "http://www.x.nl/".
    found |= {re.sub(r"^https?://|/$", "", u.rstrip(".,;")) for u in URL.findall(seed)}
    return found


SEEDS_WITH_CONTACTS = sorted(name for name, data in VARIANTS.items() if _named_in_seed(data))


def test_most_seeds_name_contacts_or_links():
    assert len(SEEDS_WITH_CONTACTS) >= 4


@pytest.mark.parametrize("name", SEEDS_WITH_CONTACTS)
def test_every_phone_email_and_link_of_the_seed_is_on_the_page(site_dir, name):
    """Straight from the source document: nothing it names may be lost or 'fixed'."""
    data = VARIANTS[name]
    text = _page(site_dir, data)
    for thing in sorted(_named_in_seed(data)):
        assert squash(thing) in text, thing


def test_home_lists_every_variant_by_school_type(site_dir):
    text = page_text(site_dir / "index.html")
    assert "Primair onderwijs (PO)" in text and "Voortgezet onderwijs (VO)" in text
    for data in VARIANTS.values():
        assert squash(data["title"]) in text


def test_variant_without_region_names_the_national_number(site_dir):
    without = [d for d in VARIANTS.values() if not d["veilig_thuis"].get("region")]
    assert without
    for data in without:
        assert "0800-2000" in _page(site_dir, data)
        assert "0800-2000" in _page(site_dir, data, "afwegingskader/index.html")


def test_no_page_links_to_another_origin_for_assets(site_dir):
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assets = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html)
        assert not [a for a in assets if re.match(r"(https?:)?//", a)], page


def test_only_the_widget_pages_load_pyodide(site_dir):
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        is_widget = page.parent.name == "afwegingskader" and page.parent.parent.parent.name == "varianten"
        assert ("afwegingskader.js" in html) == is_widget, page
        assert "pyodide" not in html.replace("assets/pyodide", "") or is_widget


def test_every_page_has_a_content_security_policy(site_dir):
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in html, page
        assert "<script>" not in html, f"{page}: inline script would need 'unsafe-inline'"


def _embedded(html: str, name: str):
    found = re.search(rf'<script type="application/json" data-afweging-{name}>(.*?)</script>', html, re.S)
    assert found, name
    return json.loads(found.group(1))


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_tool_page_embeds_the_engines_table_of_every_walk_state(site_dir, name):
    """The table the page looks up in before Pyodide runs is what the engine does
    (test_engine.py checks the engine's table against its Walk at every state)."""
    html = (site_dir / "varianten" / VARIANTS[name]["id"] / "afwegingskader" / "index.html").read_text("utf-8")
    table = _embedded(html, "table")
    kader = _embedded(html, "kader")  # what the worker's engine walks
    assert {q["id"]: {a["label"]: a["next"] for a in q["answers"]} for q in kader["questions"]} == EXPECTED_NEXT
    assert table == engine.table(kader)
    # The static kader's links (the tool without JavaScript) go where the table goes, from
    # every state that shows their question.
    links = {}
    for node, body in re.findall(r'<section [^>]*data-node="([^"]+)"[^>]*>(.*?)</section>', html, re.S):
        links[node] = dict((label, href) for href, label in re.findall(r'href="#afweging-([^"]+)" data-answer="([^"]+)"', body))
    for state in table["states"].values():
        if state["node"] in EXPECTED_NEXT:
            assert {label: table["states"][state["go"][f"answer {state['node']} {label}"]]["node"]
                    for label in links[state["node"]]} == links[state["node"]] == EXPECTED_NEXT[state["node"]]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_tool_names_112_and_veilig_thuis_with_its_hours_at_the_top(site_dir, name):
    from conftest import PROTOCOLS

    contacts = read_yaml(PROTOCOLS / "contacts.yaml")
    data = VARIANTS[name]
    html = (site_dir / "varianten" / data["id"] / "afwegingskader" / "index.html").read_text("utf-8")
    line = re.search(r'<p class="afweging__contact">(.*?)</p>', html, re.S)
    assert line and html.index("afweging__contact") < html.index("data-afweging-current")
    text = squash(re.sub(r"<[^>]+>", "", line.group(1)))
    region = data["veilig_thuis"].get("region")
    phone = contacts["veilig_thuis_regions"][region]["phone"] if region else contacts["national"]["phone"]
    assert "Bel 112" in text and phone in text and contacts["national"]["phone"] in text
    assert "24 uur per dag, 7 dagen per week" in text


def test_finished_html_blocks_pass_markdown_whole_and_keep_their_anchors(site_dir):
    """Blocks marked html_block are stashed before Python-Markdown and put back after: no mark
    and no placeholder is left on any page, the step table is there, and its step headings
    count as anchors (a link to #stap-3 from a role page passes MkDocs' anchor check)."""
    pages = [p for p in site_dir.rglob("*.html") if "assets" not in p.parts]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "meldcode:html" not in html and "meldcode-block-" not in html, page
    variant = (site_dir / "varianten" / "levwn" / "index.html").read_text(encoding="utf-8")
    assert variant.count('class="protocol-steps__step" id="stap-') == 5
    assert "<p><table" not in variant and "<p><div" not in variant


class _Skeleton(HTMLParser):
    """The tool's markup without its words: every element inside ``[data-afwegingskader]`` that
    the script reads or acts on (``data-*``, class, role, ARIA state, hidden; every button and
    section), not the links, abbreviations and list items of the protocol's own words."""

    KEPT = ("class", "role", "hidden", "aria-live", "aria-atomic", "tabindex", "type")

    def __init__(self):
        super().__init__()
        self.depth, self.tags = 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self.depth and "data-afwegingskader" not in attrs:
            return
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.depth += 1
        kept = sorted((k, v) for k, v in attrs.items()
                      if (k.startswith("data-") and k != "data-afweging-boot") or k in self.KEPT)
        if kept or tag in ("button", "section", "form", "template"):  # not the words' own a, abbr, dt
            self.tags.append((tag, kept))

    def handle_endtag(self, tag):
        if self.depth and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.depth -= 1


def test_every_variants_tool_has_the_same_controls_so_one_variant_stands_for_all(site_dir):
    """The browser tests of the tool's behaviour (double clicks, throttling, held keys) run on one
    variant each: what they exercise, the controls, nodes and routing, is the same on every
    variant's tool page; only the words (contacts, who melds, the title) differ."""
    skeletons = {}
    for name, data in VARIANTS.items():
        parser = _Skeleton()
        parser.feed((site_dir / "varianten" / data["id"] / "afwegingskader" / "index.html").read_text("utf-8"))
        assert len(parser.tags) > 50, name
        skeletons[name] = parser.tags
    first = next(iter(skeletons.values()))
    for name, tags in skeletons.items():
        assert tags == first, name
