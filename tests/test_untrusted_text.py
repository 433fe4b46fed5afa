"""Protocol text is untrusted: a catalogue of payloads through every text field of
every source, one real `mkdocs build`, and no page has live markup from them.

The fields are found by walking the pydantic model next to the YAML (every
``str`` without a pattern: plain ``Text`` and ``Markdown``), so a field added to
the model is covered without touching this file. Each field gets a payload of
the catalogue (a field that refuses one, such as a regular expression in
checks.yaml, gets the next), marked with a number ``P<n>`` to trace it.

Then, in every built HTML page: no element or attribute that a payload made
(tags, event handlers, ids and classes, ``<meta http-equiv>``, ``src`` to another
origin, ``javascript:`` and other non-web links), and wherever a plain field's
marker shows, the page shows that payload's text verbatim (so no Markdown ate a
``*``, split a table at ``|`` or turned ``[k](...)`` into a link). Markdown fields
(*hoe*, bodies, intro) may keep their formatting and http(s) links, nothing else.
Chromium then opens the pages a reader would: no navigation, dialog or request
to another origin.

A phone field holds a number only (issue 20): each gets a valid but tricky number
(``+31 (0)...``, foreign, short) and a note, and the note gets a payload; every phone
link of the site must dial exactly the number it shows.

And on a page of every kind it hovers and focuses every element with a title and every
text cut off with "...", with HTML in each field that reaches one (PINNED): nothing of it
may become live.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from test_phones import dialled

from conftest import PROTOCOLS, serve
from generator.model.handbook import SOURCE_FILES, VARIANTS_DIR
from generator.model.sources import Variant
from generator.site.templating import markdown

# One xdist worker builds this module's site and runs all its tests (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("payload_site")

EVIL = "evil.example"
PAYLOADS = [
    "P{n} LEVWN </title><meta http-equiv=refresh content=0;url=https://evil.example/>",
    'P{n}</title><meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "P{n}<script>alert(1)</script>",
    'P{n}<img src="https://evil.example/i.png" onerror="alert(1)"><xss>live</xss>',
    "P{n} &lt;xss&gt;escaped&lt;/xss&gt; &amp;lt;i&amp;gt; &#60;b&#62;",
    "P{n} [klik](javascript:alert(1)) en [data](data:text/html,<script>alert(1)</script>)",
    "P{n} [web](https://evil.example/phish) <https://evil.example/auto> www.evil.example",
    "P{n} ![beeld](https://evil.example/i.png) [pr](//evil.example/x)",
    "P{n} kop { onclick=alert(1) }",
    "P{n} kop {: .xss #xss-id style=color:red }",
    "P{n} *schuin* _ook_ **vet** `code`",
    "P{n} | a | b |",
    "P{n} regel eindigt op \\",
    "P{n} {{ 7*7 }} {% if true %}jinja{% endif %} {# weg #}",
    "P{n} </script><script>alert(1)</script> --> <!-- x",
    "P{n} ]]> <![CDATA[ x ]]> </style><style>*{display:none}</style>",
    "# P{n} kop #",
    "- P{n} lijst",
    "1. P{n} genummerd",
    "!!! danger \"P{n}\"",
    "P{n} \"dubbel\" 'enkel' & &amp; \u00a0 tab\there",
    "P{n} regel een\n\nregel twee\n- lijst\n<div markdown=\"1\">*md*</div>",
    "P{n} [ref]\n\n[ref]: javascript:alert(1)",
    "P{n} <a href=\"javascript:alert(1)\">a</a> <iframe src=\"https://evil.example/\"></iframe>",
    "P{n} mailto:x@evil.example tel:0800 javascript:alert(1)",
    'P{n} <?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boem">]> &e; &#xFFFE; \ufffd \U0001f600',
]

PHONES = ["+31 (0)88 222 05 00", "0800-2000", "088 - 222 05 00", "+44 20 7946 0000", "036-1234567", "112"]
"""Numbers that are well formed and easy to dial wrongly (a glued "(0)", a foreign code, 3 digits)."""

FAKE = ("<div style='position:fixed;top:0;left:0;right:0;z-index:9;background:yellow' class='xss'>Bel 0900-1234567</div>"
        "<meta http-equiv='refresh' content='0;url=https://evil.example/'>")
"""HTML that, made live, lays a fake number over the page and sends the reader to another site."""
TITLED = "prisma-almere-2021.yaml"
"""The variant whose texts reach a ``title`` attribute or a title the theme may cut off."""

PINNED = {
    # The cases of issue 11: a title that redirects every reader, a title that broke the front matter.
    "levwn.yaml:title": PAYLOADS[0], "consent-2018.yaml:title": "P{n} regel eindigt op \\",
    # The cases of issue 20: every text that reaches a title, holding HTML. A link title in hoe; a
    # begrip's tooltip, with an abbreviation that hoe uses; a variant title and a section title so long
    # that the header and the table of contents cut them off (one word wider than the sidebar). A wie
    # and a role word that make a role page for that hoe.
    f"{TITLED}:steps[0].hoe": f'P{{n}} De leerkracht belt VT of [Veilig Thuis](https://veiligthuis.nl/ "P{{n}}{FAKE}").',
    f"{TITLED}:steps[0].wie": "P{n} leerkracht",
    "roles.yaml:roles[0].words[0]": "leerkracht",
    "begrippen.yaml:terms[0].abbreviations[0]": "VT",
    "begrippen.yaml:terms[0].tooltip": f"P{{n}}{FAKE}",
    f"{TITLED}:title": f"P{{n}}{FAKE} Meldcode stappenplan met een titel zo lang dat de kop van de pagina hem afbreekt",
    f"{TITLED}:sections[0].title": f"P{{n}}{FAKE} Bij_twijfel_over_de_ernst_van_het_geweld_of_de_verwaarlozing",
}

SOURCES = {source.path: source.model for source in SOURCE_FILES if not source.path.endswith("/")}
"""Every single source of the one table; the variants' files are added where they are read."""


# ---------------------------------------------------------------- the model's text fields


def text_slots(model: type[BaseModel], data, phones=None):
    """Every (container, key, path, markdown?) in ``data`` that the model reads as free
    text: a string without a pattern, enum, constant or format in its JSON Schema.

    With ``phones`` (an iterator of numbers), every phone field the model has, given or
    not, becomes ``{number: next(phones), note: ...}`` first, so its note is a slot too."""
    schema = model.model_json_schema()
    yield from _slots(schema, schema, {"root": data}, "root", "", phones)


def _phone_schema(schema: dict, root: dict) -> dict | None:
    """The object form of a phone field (``number`` and ``note``), if ``schema`` is one."""
    schema = _resolve(schema, root)
    for option in [schema] + [_resolve(o, root) for o in schema.get("anyOf", [])]:
        if option.get("type") == "object" and set(option.get("properties", {})) == {"number", "note"}:
            return option
        if option is not schema and "anyOf" in option and (found := _phone_schema(option, root)):
            return found
    return None


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _optional_text(schema, root) -> bool:
    options = [_resolve(option, root) for option in _resolve(schema, root).get("anyOf", [])]
    return any(o.get("type") == "null" for o in options) and any(
        o.get("type") == "string" and not ({"pattern", "enum", "const", "format"} & set(o)) for o in options
    )


def _slots(schema, root, container, key, path, phones=None):
    if phones is not None and (phone := _phone_schema(schema, root)) is not None:
        container[key] = {"number": next(phones), "note": "-"}
        yield from _slots(phone, root, container, key, path)
        return
    schema = _resolve(schema, root)
    value = container[key]
    if value is None:
        return
    for option in schema.get("anyOf", []):
        option = _resolve(option, root)
        if option.get("type") != "null":
            yield from _slots(option, root, container, key, path, phones)
    kind = schema.get("type")
    if kind == "object" and isinstance(value, dict):
        for name, sub in schema.get("properties", {}).items():
            if value.get(name) is None and _optional_text(sub, root):
                value[name] = "-"  # an optional text the source leaves out gets one too
            if phones is not None and name not in value and _phone_schema(sub, root) is not None:
                value[name] = None  # so does an optional phone
            if name in value:
                yield from _slots(sub, root, value, name, f"{path}.{name}" if path else name, phones)
        patterns = [(re.compile(p), sub) for p, sub in schema.get("patternProperties", {}).items()]
        extra = schema.get("additionalProperties")
        for name in list(value):
            if name in schema.get("properties", {}):
                continue
            sub = next((sub for pattern, sub in patterns if pattern.search(str(name))), extra)
            if isinstance(sub, dict):
                yield from _slots(sub, root, value, name, f"{path}.{name}", phones)
    elif kind == "array" and isinstance(value, list):
        for index in range(len(value)):
            yield from _slots(schema.get("items", {}), root, value, index, f"{path}[{index}]", phones)
    elif kind == "string" and isinstance(value, str) and not ({"pattern", "enum", "const", "format"} & set(schema)):
        yield container, key, path, schema.get("contentMediaType") == "text/markdown"


# ---------------------------------------------------------------- sources full of payloads


class Planted:
    """Which payload went where: marker -> (payload text, source path, markdown?)."""

    def __init__(self):
        self.by_marker: dict[str, tuple[str, str, bool]] = {}
        self.counter = itertools.count(1)
        self.phones = itertools.cycle(PHONES)


def _plant(model, data, file_label: str, planted: Planted, cycle) -> None:
    for container, key, path, is_markdown in list(text_slots(model, data, planted.phones)):
        original = container[key]
        pinned = PINNED.get(f"{file_label}:{path}")
        for attempt in range(len(PAYLOADS)):
            number = next(planted.counter)
            text = (pinned if pinned and attempt == 0 else next(cycle)).replace("{n}", str(number))
            if not is_markdown:
                text = text.replace(EVIL, "plain-" + EVIL)
            container[key] = text
            try:
                model.model_validate(data)
            except ValidationError:
                continue
            planted.by_marker[f"P{number}"] = (text, f"{file_label}:{path}", is_markdown)
            break
        else:
            container[key] = original


def _passage_places(data) -> list[tuple[dict, tuple[int | None, int | None, int | None]]]:
    """Each passage reference of a variant's data with its step, or its section and item by index."""
    places = []
    sections = data.get("sections") or []
    for answer in (data.get("situations") or {}).values():
        for ref in answer["passages"]:
            step, section, item = ref.get("step"), None, None
            if "section" in ref:
                section = next(i for i, s in enumerate(sections) if s["title"] == ref["section"])
            if "item" in ref:
                item = next(i for i, it in enumerate(sections[section]["items"]) if it["title"] == ref["item"])
            places.append((ref, (step, section, item)))
    return places


@pytest.fixture(scope="module")
def payload_site(build, tmp_path_factory):
    root = tmp_path_factory.mktemp("payloads")
    protocols = root / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    yaml = YAML()
    yaml.width = 1 << 20
    planted = Planted()
    cycle = itertools.cycle(PAYLOADS)
    files = [(protocols / name, model) for name, model in SOURCES.items()]
    files += [(path, Variant) for path in sorted((protocols / VARIANTS_DIR).glob("*.yaml"))]
    for path, model in files:
        data = yaml.load(path.read_text(encoding="utf-8"))
        # A passage marked for a situation names a section by a title and a block by words that
        # will hold payloads: keep each mark, on the same place's whole text (by the titles it has
        # then), so the situation pages show the payloads too. While the walk fills every optional
        # text, a reference holds all three texts (a step and a section would be refused).
        places = _passage_places(data) if model is Variant else []
        for ref, _ in places:
            ref.clear()
            ref.update({"section": "-", "item": "-", "begint": "-"})
        _plant(model, data, path.name, planted, cycle)
        for marker, (_, where, _) in list(planted.by_marker.items()):
            if ".passages[" in where:  # replaced below: no page shows it
                del planted.by_marker[marker]
        for ref, (step, section, item) in places:
            ref.clear()
            if step is not None:
                ref["step"] = step
            if section is not None:
                ref["section"] = data["sections"][section]["title"]
            if item is not None:
                ref["item"] = data["sections"][section]["items"][item]["title"]
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
    site = root / "site"
    result = build(site, protocols=protocols)
    assert result.returncode == 0, result.stderr[-3000:]
    return site, planted


def test_every_text_field_of_the_model_got_a_payload(payload_site):
    """The walk finds the fields, and (almost) every field took a payload."""
    _, planted = payload_site
    paths = {where for _, where, _ in planted.by_marker.values()}
    for expected in ["levwn.yaml:title", "levwn.yaml:version", "levwn.yaml:region", "levwn.yaml:steps[0].wat",
                     "levwn.yaml:steps[0].hoe", "levwn.yaml:organisation.name", "levwn.yaml:source.date",
                     "contacts.yaml:national.name", "afwegingskader.yaml:questions[0].title",
                     "basismodel.yaml:steps[0].wat", "checks.yaml:rules.phone-invalid.message",
                     "checks.yaml:places.steps", "consent-2018.yaml:change_note"]:
        assert expected in paths, sorted(paths)[:40]
    assert sum(1 for _, _, markdown in planted.by_marker.values() if markdown) >= 10
    assert len(planted.by_marker) >= 200


def test_a_link_title_in_markdown_is_dropped():
    """A link's title would reach a ``title`` attribute, which only a mouse shows (and a theme may
    read as HTML): the link stays, its title goes, whatever it holds."""
    html = str(markdown(f'Bel [Veilig Thuis](https://veiligthuis.nl/ "{FAKE}") of [0800-2000](tel:08002000 \'0800\').'))
    assert html == ('<p>Bel <a href="https://veiligthuis.nl/">Veilig Thuis</a> of '
                    '<a href="tel:08002000" dir="ltr">0800-2000</a>.</p>\n'), html


# ---------------------------------------------------------------- the built HTML


class _Page(HTMLParser):
    """Every element with its attributes, and the text a reader sees (not scripts or styles)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._raw = 0

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._raw += tag in ("script", "style")

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._raw:
            self._raw -= 1

    def handle_data(self, data):
        if not self._raw:
            self.text.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "data", "poster", "xlink:href", "content")
THEME_SCRIPT = re.compile(r"^/?(\.\./)*(assets/[\w./-]+\.(m?js)|search/[\w./-]+\.js)$")


def _problems(html_file: Path, planted: Planted) -> list[str]:
    page = _Page()
    page.feed(html_file.read_text(encoding="utf-8"))
    problems = []
    for tag, attrs in page.elements:
        where = f"<{tag} {attrs}>"
        if tag == "xss" or tag in ("iframe", "object", "embed", "base", "frame"):
            problems.append(f"payload element {where}")
        if tag == "meta" and "http-equiv" in attrs and attrs["http-equiv"].lower() != "content-security-policy":
            problems.append(f"payload meta {where}")
        if tag == "script" and "src" in attrs and not THEME_SCRIPT.match(attrs["src"]):
            problems.append(f"foreign script {where}")
        for name, value in attrs.items():
            low = value.strip().lower()
            if name.startswith("on"):
                problems.append(f"event handler {where}")
            if (name == "class" and "xss" in low) or (name == "id" and low == "xss-id"):
                problems.append(f"id/class from a payload {where}")
            if name in URL_ATTRIBUTES and "plain-" + EVIL in low:
                problems.append(f"plain text became a link or source {where}")
            if name in ("src", "srcset", "poster", "data") and ("//" in low or low.startswith("data:")):
                problems.append(f"foreign source {where}")
            if name in ("href", "action", "formaction", "xlink:href"):
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", low)
                if low.startswith("//") or (scheme and not low.startswith(ALLOWED_SCHEMES)):
                    problems.append(f"link outside http(s)/mailto/tel/the site {where}")
    text = _squash("".join(page.text))
    for marker in set(re.findall(r"P\d+(?!\d)", text)):
        if marker not in planted.by_marker:
            continue
        payload, source, markdown = planted.by_marker[marker]
        if markdown:
            continue
        expected = _squash(payload)
        offset = expected.index(marker)
        for found in re.finditer(re.escape(marker) + r"(?!\d)", text):
            start = found.start() - offset
            if text[start : start + len(expected)] != expected:
                problems.append(f"plain text of {source} shown as {text[max(start, 0) : start + len(expected)]!r}, "
                                f"not {expected!r}")
    return problems


def test_no_page_has_live_markup_from_a_payload(payload_site):
    site, planted = payload_site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    problems = {str(p.relative_to(site)): found for p in pages if (found := _problems(p, planted))}
    assert not problems, "\n".join(f"{page}: {msg}" for page, msgs in problems.items() for msg in msgs[:5])


@pytest.mark.parametrize("variant_id, source", [("levwn", "levwn.yaml"), ("consent", "consent-2018.yaml")])
def test_titles_show_the_payload_as_text(payload_site, variant_id, source):
    """In <title> and the theme's header, on every page that has the variant's title;
    a title ending in a backslash no longer breaks the front matter (the tool keeps its script)."""
    site, planted = payload_site
    payload = next(text for text, where, _ in planted.by_marker.values() if where == f"{source}:title")
    tool = (site / f"varianten/{variant_id}/afwegingskader/index.html").read_text(encoding="utf-8")
    assert "assets/afwegingskader/afwegingskader.js" in tool
    for page in [f"varianten/{variant_id}/index.html", f"varianten/{variant_id}/afwegingskader/index.html",
                 f"varianten/{variant_id}/kwaliteitscheck/index.html", f"varianten/{variant_id}/versies/index.html"]:
        html = (site / page).read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        parsed = _Page()
        parsed.feed(title)
        assert parsed.elements == [] and _squash(payload) in _squash("".join(parsed.text)), (page, title)
        header = re.search(r'data-md-component="header-topic">\s*<span class="md-ellipsis">(.*?)</span>', html, re.S)
        parsed = _Page()
        parsed.feed(header.group(1))
        assert parsed.elements == [] and _squash(payload) in _squash("".join(parsed.text)), (page, header.group(1))


def test_every_phone_link_dials_the_number_it_shows(payload_site):
    """Every phone field got a number and a note with a payload: each link dials the digits it shows."""
    site, planted = payload_site
    notes = {where for _, where, _ in planted.by_marker.values() if where.endswith(".note")}
    assert {"contacts.yaml:emergency.phone.note", "contacts.yaml:national.phone.note",
            "levwn.yaml:veilig_thuis.phone_as_written.note",
            "prisma-almere-2021.yaml:contacts[0].phone.note"} <= notes, notes
    links = [(page.relative_to(site), html.unescape(href), html.unescape(text))
             for page in site.rglob("*.html")
             for href, text in re.findall(r'<a href="(tel:[^"]*)"[^>]*>([^<]*)</a>', page.read_text(encoding="utf-8"))]
    assert {text for _, _, text in links} >= set(PHONES[:4]), sorted({text for _, _, text in links})
    assert [link for link in links if link[1] != dialled(link[2])] == []


# ---------------------------------------------------------------- the feeds


def test_every_feed_is_xml_and_shows_each_payload_as_written(payload_site):
    """Every feed of the payload site (the handbook's and each protocol's, whose titles, versions
    and change notes hold payloads) parses as XML (etree, sax) and as Atom (feedparser), and
    each payload in it is its text exactly as written (issue 33)."""
    import xml.etree.ElementTree as ET
    import xml.sax

    import feedparser

    site, planted = payload_site
    feeds = sorted(site.rglob("feed.xml"))
    assert len(feeds) >= 6
    shown = set()
    for path in [*feeds, site / "sitemap.xml"]:
        xml.sax.parse(str(path), xml.sax.ContentHandler())
        texts = [element.text or "" for element in ET.parse(path).getroot().iter()]
        texts += [value for element in ET.parse(path).getroot().iter() for value in element.attrib.values()]
        for text in texts:
            for marker in re.findall(r"P\d+(?!\d)", text):
                payload, source, _ = planted.by_marker[marker]
                assert payload.strip() in text, (path, source, text)
                shown.add(source.split(":", 1)[1])
        if path.name == "feed.xml":
            parsed = feedparser.parse(path.read_bytes())
            assert not parsed.bozo and parsed.version == "atom10", (path, parsed.get("bozo_exception"))
    assert {"title", "version", "change_note"} <= shown, shown


# ---------------------------------------------------------------- in Chromium


@pytest.mark.browser
def test_chromium_sees_no_navigation_dialog_or_foreign_request(payload_site, browser):
    site, planted = payload_site
    server, base = serve(site)
    context = browser.new_context(locale="nl-NL")
    try:
        page = context.new_page()
        events: list[str] = []
        page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
        page.on("request", lambda r: r.url.startswith((base, "data:", "blob:")) or events.append(f"request {r.url}"))
        page.on("framenavigated", lambda f: f == page.main_frame and events.append(f"navigated {f.url}"))
        ids = sorted({p.parent.parent.name for p in site.glob("varianten/*/versies/index.html")})
        paths = ["", "varianten/", "afwegingskader/", "kwaliteitscheck/", "vergelijken/",
                 "vergelijken/?" + "&".join(f"v={i}" for i in ids)]
        for variant_id in ids:
            paths += [f"varianten/{variant_id}/", f"varianten/{variant_id}/afwegingskader/",
                      f"varianten/{variant_id}/versies/", f"varianten/{variant_id}/kwaliteitscheck/"]
            paths += [p.parent.relative_to(site).as_posix() + "/"
                      for p in site.glob(f"varianten/{variant_id}/versies/*/**/index.html")]
        for path in paths:
            events.clear()
            page.goto(base + path, wait_until="load")
            page.wait_for_timeout(300)
            navigations = [e for e in events if e.startswith("navigated")]
            assert navigations == [f"navigated {base}{path}"], (path, events)
            assert [e for e in events if not e.startswith("navigated")] == [], (path, events)
            assert page.url == base + path
            if path.startswith("vergelijken/?"):
                page.locator("[data-compare-view][data-chosen]").wait_for(timeout=20000)
            assert page.locator("xss").count() == 0
    finally:
        context.close()
        server.shutdown()


# ---------------------------------------------------------------- titles in Chromium

WATCH_ADDED = """() => {
    // Every element added to the page from now on, with what in it a payload could have made.
    const payload = "meta, script, iframe, object, embed, img, xss, .xss, #xss-id, [style*='position'], [onerror], [onclick]";
    window.__added = [];
    new MutationObserver((records) => {
        for (const record of records) for (const node of record.addedNodes) {
            if (node.nodeType !== 1) continue;
            const live = [node, ...node.querySelectorAll("*")].filter((el) => el.matches(payload));
            const tooltip = [node, ...node.querySelectorAll("*")].filter((el) =>
                el.matches("[role=tooltip], [class*=tooltip]") && el.querySelector("*:not([class*=tooltip])"));
            window.__added.push({
                html: node.outerHTML.slice(0, 300),
                live: live.map((el) => el.outerHTML.slice(0, 200)),
                tooltip: tooltip.map((el) => el.outerHTML.slice(0, 200)),
            });
        }
    }).observe(document, {subtree: true, childList: true});
}"""

LINK_WITH_TITLE = 'a[href="https://veiligthuis.nl/"]'
"""The link in hoe whose source gives it a title: hovered and focused whether or not it keeps one."""

TARGETS = """(extra) => {
    // Every element with a title, one per tag and title, every element whose text is cut off with an
    // ellipsis, and the extra ones; each marked so the test can find it again, with what it shows.
    const seen = new Set();
    const targets = [];
    const add = (el, why) => {
        const key = why === "title" ? el.tagName + "|" + el.getAttribute("title") : null;
        if (el.hasAttribute("data-hover-target") || (key && seen.has(key))) return;
        if (key) seen.add(key);
        el.setAttribute("data-hover-target", targets.length);
        const focusable = el.closest("a[href], button, [tabindex]");
        targets.push({why, tag: el.tagName, title: el.getAttribute("title") || "", text: el.textContent.trim(),
                      href: (el.closest("a[href]") || {}).href || "", focusable: !!focusable,
                      chrome: !!el.closest("header, nav, .md-sidebar, .md-footer")});
    };
    for (const el of document.body.querySelectorAll("*")) {
        const style = getComputedStyle(el);
        if (style.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth) add(el, "cut off");
    }
    for (const el of document.body.querySelectorAll("[title]")) add(el, "title");
    for (const el of document.body.querySelectorAll(extra)) add(el, "source link");
    return targets;
}"""

POINT_AT = """async (index) => {
    // Scroll the target into view (the header shows the page's title once the page is scrolled) and
    // the point a pointer would rest on; null if the reader cannot reach it there.
    const el = document.querySelector(`[data-hover-target="${index}"]`);
    const bottom = document.documentElement.scrollHeight - window.innerHeight;
    if (!el.closest(".md-header")) el.scrollIntoView({block: "center"});
    else if (window.scrollY < bottom - 1) {
        window.scrollTo(0, bottom);
        await new Promise((resolve) => setTimeout(resolve, 300));  // the header's title slides in
    }
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) return null;
    const x = box.left + Math.min(box.width / 2, 20), y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    return hit && (el.contains(hit) || hit.contains(el)) ? {x, y} : null;
}"""


def _kind(path: str) -> str:
    """What kind of page a path is: a variant's pages by what they are, not whose."""
    parts = path.split("/")
    if parts[0] == "overzicht":
        return "/".join(parts[:2] + ["*"] * len(parts[2:]))
    if parts[0] != "varianten" or len(parts) == 1:
        return path
    rest = ["wat-doe-ik-als-*" if part.startswith("wat-doe-ik-als-") else part for part in parts[2:]]
    if rest[:1] == ["versies"] and len(rest) > 1:
        rest[1] = "*"
    return "/".join(["varianten", "*", *rest])


def _title_pages(site: Path, titled_id: str) -> list[str]:
    """A page of every kind (the TITLED variant's own where it has one) and the comparison of all."""
    pages = sorted((p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")),
                   key=lambda p: (not p.startswith(f"varianten/{titled_id}"), p))
    chosen: dict[str, str] = {}
    for path in pages:
        chosen.setdefault(_kind(path), path)
    ids = sorted(p.parent.name for p in site.glob("varianten/*/afwegingskader"))
    return ["" if p == "." else p + "/" for p in chosen.values()] + ["vergelijken/?" + "&".join(f"v={i}" for i in ids)]


def _open_for_titles(page, url: str, navigations: list[str]) -> list[dict]:
    page.goto(url, wait_until="load")
    if "vergelijken/?" in url:
        page.locator("[data-compare-view][data-chosen]").wait_for(timeout=20000)
    page.clock.run_for(300)  # the theme's scripts have run; it knows which titles are cut off
    navigations.clear()
    page.evaluate(WATCH_ADDED)
    return page.evaluate(TARGETS, LINK_WITH_TITLE)


@pytest.mark.browser
def test_no_title_becomes_html_when_hovered_or_focused(payload_site, browser):
    """Hover, then focus, every element with a title and every text cut off with an ellipsis, on a
    page of every kind: no element of a payload appears, no tooltip holds HTML, nothing navigates."""
    from playwright.sync_api import Error as PlaywrightError

    site, planted = payload_site
    server, base = serve(site)
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800})
    # The page's timers run on a clock the test moves: a tooltip's delay passes at once, not after
    # 400 ms of waiting per target. With the theme's content.tooltips switched on, this walk fails
    # on the same titles as it did with real waiting.
    context.clock.install()
    reached: list[dict] = []
    problems: list[str] = []
    tried: set[tuple] = set()
    try:
        page = context.new_page()
        navigations: list[str] = []
        page.on("framenavigated", lambda f: f == page.main_frame and navigations.append(f.url))
        titled_id = YAML(typ="safe").load((PROTOCOLS / VARIANTS_DIR / TITLED).read_text(encoding="utf-8"))["id"]
        for path in _title_pages(site, titled_id):
            targets = _open_for_titles(page, base + path, navigations)
            for how in ("hover", "focus"):
                for index, target in enumerate(targets):
                    if how == "focus" and not target["focusable"]:
                        continue
                    seen = (how, target["why"], target["tag"], target["title"], target["text"], target["href"])
                    if target["chrome"] and seen in tried:  # the header and the nav repeat on every page
                        continue
                    tried.add(seen)
                    try:
                        if how == "hover":
                            page.mouse.move(0, 0)  # nothing else under the pointer while the page scrolls
                            point = page.evaluate(POINT_AT, index)
                            if point is None:
                                continue
                            page.mouse.move(point["x"], point["y"])
                        else:
                            page.evaluate("(i) => document.querySelector(`[data-hover-target='${i}']`)"
                                          ".closest('a[href], button, [tabindex]').focus()", index)
                        reached.append({**target, "how": how, "page": path})
                        page.clock.run_for(400)  # the theme showed a tooltip 250 ms after hover or focus
                        live = [a for a in page.evaluate("window.__added") or [] if a["live"] or a["tooltip"]]
                    except PlaywrightError:
                        if not navigations:  # the page went away: its navigation may be reported just after
                            with contextlib.suppress(PlaywrightError):
                                page.wait_for_event("framenavigated", timeout=5000)
                        if not navigations:
                            raise
                        live = []
                    if navigations or live:
                        problems.append(f"{path} {how} {target['why']} <{target['tag']}> {target['text'][:60]!r}: "
                                        f"{'navigated to ' + navigations[-1] if navigations else live}")
                        page.wait_for_timeout(400)  # (only when it failed) what the payload began, ends
                        targets = _open_for_titles(page, base + path, navigations)  # the same page again
                page.mouse.move(0, 0)
                page.evaluate("document.activeElement && document.activeElement.blur()")
    finally:
        context.close()
        server.shutdown()
    assert problems == [], "\n".join(problems)
    # Every source field that reaches a title was reached, by pointer and by keyboard where it can be.
    marker = {where: m for m, (_, where, _) in planted.by_marker.items()}

    def reached_by(how, source, why=None, tag=None):
        m = marker[source]
        return [r for r in reached if r["how"] == how and (why is None or r["why"] == why)
                and (tag is None or r["tag"] == tag) and (m in r["title"] or m in r["text"] or m in r["href"])]

    assert reached_by("hover", "begrippen.yaml:terms[0].tooltip", "title", "ABBR"), "no abbreviation with the begrip"
    assert reached_by("focus", "begrippen.yaml:terms[0].tooltip", "title", "ABBR"), "the abbreviation took no focus"
    assert reached_by("hover", f"{TITLED}:title", "cut off"), "the variant title was not cut off in the header"
    assert reached_by("hover", f"{TITLED}:sections[0].title", "cut off"), "the section title was not cut off"
    assert reached_by("focus", f"{TITLED}:sections[0].title", "cut off"), "the cut-off section title took no focus"
    links = [r for r in reached if r["href"] == "https://veiligthuis.nl/"]
    assert {r["how"] for r in links} == {"hover", "focus"}, "the link with a title in hoe was not reached"
    assert any("wat-doe-ik-als-" in r["page"] for r in reached_by("hover", "begrippen.yaml:terms[0].tooltip")), \
        "no role page was reached"
