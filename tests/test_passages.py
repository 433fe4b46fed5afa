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

from conftest import assert_refused
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


def only_levwn(protocols) -> None:
    """The smallest handbook for a payload: LEVWN alone."""
    for file in (protocols / "variants").glob("*.yaml"):
        if file.name != "levwn.yaml":
            file.unlink()


def test_a_passage_shows_the_html_its_block_has_on_the_protocol_page(protocols):
    only_levwn(protocols)

    def add(data):
        data["sections"].append({"kind": "overig", "title": PAYLOAD_TITLE, "body": LiteralScalarString(PAYLOAD)})
        data["situations"]["acuut-gevaar"] = {
            "passages": [{"section": PAYLOAD_TITLE, "begint": words} for words in PAYLOAD_BLOCKS]
            + [{"section": PAYLOAD_TITLE}]}

    edit_variant(protocols, "levwn.yaml", add)
    pages = pages_of(protocols)
    assert str(markdown(PAYLOAD)) in pages["varianten/levwn/index.md"]  # the protocol page renders it so
    shown = PASSAGE.findall(pages["varianten/levwn/acuut-gevaar.md"])
    for words, html in zip([*PAYLOAD_BLOCKS, None], shown, strict=True):
        assert html.strip() == expected_passage_html(PAYLOAD, words), words
    # Code stays code: none of the code's addresses became a link.
    assert "voorbeeld.nl/fence</a>" not in "".join(shown) and "ingesprongen</a>" not in "".join(shown)


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
