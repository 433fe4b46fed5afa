"""Situation passages: found by their words, cut from the parsed protocol text, shown as on
the protocol page (issue 33, items 3 and 5; issue 32, item 3).

The HTML a situation page shows for a passage must be the HTML the protocol page has for
the same block. "The same block" is found here without the code under test: the protocol
page's HTML of the whole text, split into its elements by the standard library's HTML
parser, and the one element (a top-level block, or a list item with its list) whose words
begin as the reference says.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from conftest import PROTOCOLS, assert_refused
from generator.checks import run_checks
from generator.model.loader import load
from generator.site.pages import render_pages
from generator.site.templating import markdown

DATE = dt.date(2026, 11, 23)
SILENT = "Het protocol van uw school beschrijft deze situatie niet."
PASSAGE = re.compile(r'<blockquote class="situation-passage__text">\n(.*?)\n</blockquote>', re.S)

# A section whose blocks the old cut got wrong: a fence with empty lines and links inside, an
# indented code block, nested lists (an ordered one three deep), a table, a loose list.
PAYLOAD = """\
Een gewone alinea met https://voorbeeld.nl/alinea en 0800-2000.

```text
Bel https://voorbeeld.nl/fence

of tel:08002000 en www.voorbeeld.nl
```

    Ingesprongen code https://voorbeeld.nl/ingesprongen

    met een lege regel en [een link](https://voorbeeld.nl/x)

- Buitenste punt een
  - Binnenste punt met https://voorbeeld.nl/genest
    1. Diep genummerd punt
    2. Tweede diep punt met *nadruk*
- Buitenste punt twee

| Kolom | Waarde |
| --- | --- |
| Telefoon | 0800-2000 |

1. Losse lijst punt een

2. Losse lijst punt twee

3. Losse lijst punt drie
"""
PAYLOAD_TITLE = "Passages om te knippen"

# The first words of each block a passage takes (a fenced and an indented code block, list
# items at three depths, one ordered and numbered 2, a table, an item of a loose list).
PAYLOAD_BLOCKS = [
    "Bel https://voorbeeld.nl/fence",
    "Ingesprongen code https://voorbeeld.nl/ingesprongen",
    "Buitenste punt een",
    "Binnenste punt met",
    "Tweede diep punt met nadruk",
    "Kolom Waarde Telefoon",
    "Losse lijst punt twee",
    "Een gewone alinea",
]


def squash(text: str) -> str:
    return " ".join(text.split())


class Elements(HTMLParser):
    """Every element of an HTML fragment: its tag, attributes, place in the fragment, the tags
    around it and its text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self._lines = [0] + [m.end() for m in re.finditer("\n", html)]
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)
        self.close()
        assert self._open == [], "unclosed elements"

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def _element(self, tag, attrs) -> dict:
        element = {"tag": tag, "attrs": dict(attrs), "start": self._offset(), "around": list(self._open),
                   "text": []}
        self.elements.append(element)
        return element

    def handle_starttag(self, tag, attrs):
        self._open.append(self._element(tag, attrs))

    def handle_startendtag(self, tag, attrs):
        element = self._element(tag, attrs)
        element["end"] = element["start"] + len(self.get_starttag_text())

    def handle_endtag(self, tag):
        element = self._open.pop()
        assert element["tag"] == tag, (element["tag"], tag)
        element["end"] = self._offset() + len(f"</{tag}>")

    def handle_data(self, data):
        for element in self._open:
            element["text"].append(data)

    def source(self, element: dict) -> str:
        return self.html[element["start"]:element["end"]]


def expected_passage_html(text: str, words: str | None) -> str:
    """The protocol page's HTML of the block of ``text`` that begins with ``words`` (a list item
    in its list, numbered as there); all of it without words."""
    html = str(markdown(text))
    if words is None:
        return html.strip()
    page = Elements(html)
    blocks = [e for e in page.elements if not e["around"]
              or (e["tag"] == "li" and not any(a["tag"] == "blockquote" for a in e["around"]))]
    found = [e for e in blocks if squash("".join(e["text"])).startswith(words)
             and e["tag"] not in ("ul", "ol")]
    assert len(found) == 1, (words, [page.source(e)[:60] for e in found])
    block = found[0]
    if block["tag"] != "li":
        return page.source(block)
    parent = block["around"][-1]
    siblings = [e for e in page.elements if e["tag"] == "li" and e["around"] and e["around"][-1] is parent]
    number = int(parent["attrs"].get("start") or 1) + siblings.index(block)
    start = f' start="{number}"' if parent["tag"] == "ol" and number != 1 else ""
    return f"<{parent['tag']}{start}>\n{page.source(block)}\n</{parent['tag']}>"


def field_text(variant, ref: dict) -> str:
    """The text a reference names, found by hand from its keys."""
    if "step" in ref:
        return variant.steps[ref["step"] - 1].hoe
    section = next(s for i, s in enumerate(variant.sections, start=1) if ref["section"] in (i, s.title))
    if "item" in ref:
        return next(it for i, it in enumerate(section.items, start=1) if ref["item"] in (i, it.title)).body
    return section.body


def pages_of(protocols) -> dict[str, str]:
    handbook = load(protocols)
    return {page.path: page.content for page in render_pages(handbook, run_checks(handbook, DATE), DATE)}


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 1 << 20
    return yaml


def edit_variant(protocols, name: str, change) -> None:
    """Change one variant file of a copy of the protocols (its data, as the YAML has it)."""
    file = protocols / "variants" / name
    yaml = _yaml()
    data = yaml.load(file.read_text(encoding="utf-8"))
    change(data)
    with file.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def only(protocols, name: str) -> None:
    """The smallest handbook for a test: one variant file alone."""
    for file in (protocols / "variants").glob("*.yaml"):
        if file.name != name:
            file.unlink()


def shown_passages(pages: dict[str, str], variant_id: str, situation_id: str) -> list[str]:
    return [html.strip() for html in PASSAGE.findall(pages[f"varianten/{variant_id}/{situation_id}.md"])]


# ------------------------------------------------------------------ (a) the HTML of its place


def test_every_seed_passage_shows_the_html_its_block_has_on_the_protocol_page():
    handbook = load(PROTOCOLS)
    pages = {page.path: page.content for page in render_pages(handbook, run_checks(handbook, DATE), DATE)}
    count = 0
    for variant_id in handbook.variant_ids:
        variant = handbook.current(variant_id, DATE)
        for situation_id, answer in variant.situations.items():
            refs = [ref.model_dump(exclude_none=True) for ref in answer.passages]
            expected = []
            for ref in refs:
                text = field_text(variant, ref)
                assert str(markdown(text)) in pages[f"varianten/{variant_id}/index.md"]
                expected.append(expected_passage_html(text, ref.get("begint")))
            assert shown_passages(pages, variant_id, situation_id) == expected, (variant_id, situation_id)
            count += len(expected)
    assert count == 13  # every passage the seeds mark (consent 7, LEVWN 2, the VO brochure 4)


def test_a_passage_shows_the_html_its_block_has_on_the_protocol_page(protocols):
    only(protocols, "levwn.yaml")

    def add(data):
        data["sections"].append({"kind": "overig", "title": PAYLOAD_TITLE, "body": LiteralScalarString(PAYLOAD)})
        data["situations"]["acuut-gevaar"] = {
            "passages": [{"section": PAYLOAD_TITLE, "begint": words} for words in PAYLOAD_BLOCKS]
            + [{"section": PAYLOAD_TITLE}]}

    edit_variant(protocols, "levwn.yaml", add)
    pages = pages_of(protocols)
    assert str(markdown(PAYLOAD)) in pages["varianten/levwn/index.md"]  # the protocol page renders it so
    shown = shown_passages(pages, "levwn", "acuut-gevaar")
    for words, html in zip([*PAYLOAD_BLOCKS, None], shown, strict=True):
        assert html == expected_passage_html(PAYLOAD, words), words
    # Code stays code: none of the code's addresses became a link.
    assert "voorbeeld.nl/fence</a>" not in "".join(shown) and "ingesprongen</a>" not in "".join(shown)


# ------------------------------------------------------------------ (c) nothing to show


def test_a_passage_that_renders_to_nothing_is_refused_with_file_and_line(protocols):
    """Issue 33 item 3: a text that is only a link reference definition shows an empty quote and
    counts the situation as answered."""
    file = protocols / "variants" / "levwn.yaml"

    def add(data):
        data["sections"].append({"kind": "overig", "title": "Alleen een verwijzing",
                                 "body": "[veilig thuis]: https://veiligthuis.nl"})
        data["situations"]["acuut-gevaar"] = {"passages": [{"section": "Alleen een verwijzing"}]}

    edit_variant(protocols, "levwn.yaml", add)
    assert_refused(protocols, file, "- section: Alleen een verwijzing",
                   ["situations.acuut-gevaar.passages[0].section", "renders to nothing"])


# ------------------------------------------------------------------ (b) a new version inserts a paragraph

MARKED = "      Indien de signalen duiden op kindermishandeling gepleegd door een medewerker van de school dan\n"
"""A line of step 1 of Consent: the first of the paragraph marked for "zorg-over-een-medewerker"."""


def _insert_above_the_marked_paragraph(protocols, paragraph: str) -> None:
    file = protocols / "variants" / "consent-2018.yaml"
    text = file.read_text(encoding="utf-8")
    assert text.count(MARKED) == 1
    file.write_text(text.replace(MARKED, f"      {paragraph}\n\n{MARKED}"), encoding="utf-8")


def test_a_paragraph_inserted_above_a_marked_one_leaves_the_passage_as_it_was(protocols):
    only(protocols, "consent-2018.yaml")
    before = shown_passages(pages_of(protocols), "consent", "zorg-over-een-medewerker")
    _insert_above_the_marked_paragraph(protocols, "Een alinea die een nieuwe versie hier invoegt.")
    pages = pages_of(protocols)
    after = shown_passages(pages, "consent", "zorg-over-een-medewerker")
    assert after == before and len(after) == 3
    assert "Een alinea die een nieuwe versie hier invoegt." in pages["varianten/consent/index.md"]
    assert "Indien de signalen duiden op kindermishandeling gepleegd door een medewerker" in after[0]


def test_a_paragraph_inserted_with_the_same_first_words_stops_the_build(protocols):
    """Never another passage: where the words no longer tell one block, the sources are refused."""
    file = protocols / "variants" / "consent-2018.yaml"
    _insert_above_the_marked_paragraph(
        protocols, "Indien de signalen duiden op kindermishandeling gepleegd door een medewerker van een andere "
        "school, dan meldt u dat bij die school.")
    assert_refused(protocols, file, 'begint: "Indien de signalen duiden op kindermishandeling gepleegd door een',
                   ["situations.zorg-over-een-medewerker.passages[0].begint", "begins 2 blocks of step 1", "ambiguous"])


def test_a_marked_paragraph_reworded_stops_the_build(protocols):
    file = protocols / "variants" / "consent-2018.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace(MARKED, MARKED.replace("Indien de signalen", "Als de signalen")), encoding="utf-8")
    assert_refused(protocols, file, 'begint: "Indien de signalen duiden op kindermishandeling gepleegd door een',
                   ["situations.zorg-over-een-medewerker.passages[0].begint", "no block of step 1 (its hoe) begins with"])


# ------------------------------------------------------------------ (e) proposed, not confirmed


def test_a_proposed_situation_shows_no_passage_and_is_reported(protocols):
    only(protocols, "levwn.yaml")
    edit_variant(protocols, "levwn.yaml",
                 lambda data: data["situations"]["zorg-over-een-medewerker"].insert(0, "voorstel", True))
    handbook = load(protocols)
    pages = {page.path: page.content for page in render_pages(handbook, run_checks(handbook, DATE), DATE)}
    page = pages["varianten/levwn/zorg-over-een-medewerker.md"]
    assert PASSAGE.findall(page) == [] and "Betreffende signalen" not in page
    assert SILENT in page and 'class="contact-card"' in page  # silent: who to ask, the contact card
    assert "de leidinggevende of de directie" not in page  # nor its wie
    found = {(f.rule_id, f.where, f.detail) for f in run_checks(handbook, DATE).findings_for("levwn")}
    assert ("situation-proposed", "situations", "zorg-over-een-medewerker") in found
    assert ("medewerker-not-described", "situations", "") in found
    # The rule is a warning of checks.yaml, in Dutch, saying what a person must do.
    rule = handbook.checks.rules["situation-proposed"]
    assert rule.severity.value == "waarschuwing" and "voorstel: true" in rule.message
