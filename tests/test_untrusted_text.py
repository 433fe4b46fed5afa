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
"""

from __future__ import annotations

import itertools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML

from conftest import PROTOCOLS, build_site, serve
from generator.loader import (
    BASISMODEL_FILE, BEGRIPPEN_FILE, CHECKS_FILE, CONTACTS_FILE, KADER_FILE, ROLES_FILE, SITUATIONS_FILE, SOURCES_FILE,
    VARIANTS_DIR,
)
from generator.model import Basismodel, Begrippen, ChecksConfig, Contacts, Kader, Roles, Situations, Sources, Variant

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
]

PINNED = {"levwn.yaml:title": PAYLOADS[0], "consent-2018.yaml:title": "P{n} regel eindigt op \\"}
"""The cases of the issue: a title that redirects every reader, a title that broke the front matter."""

SOURCES = {CONTACTS_FILE: Contacts, KADER_FILE: Kader, BASISMODEL_FILE: Basismodel, CHECKS_FILE: ChecksConfig,
           SOURCES_FILE: Sources, ROLES_FILE: Roles, BEGRIPPEN_FILE: Begrippen, SITUATIONS_FILE: Situations}


# ---------------------------------------------------------------- the model's text fields


def text_slots(model: type[BaseModel], data):
    """Every (container, key, path, markdown?) in ``data`` that the model reads as free
    text: a string without a pattern, enum, constant or format in its JSON Schema."""
    schema = model.model_json_schema()
    yield from _slots(schema, schema, {"root": data}, "root", "")


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _optional_text(schema, root) -> bool:
    options = [_resolve(option, root) for option in _resolve(schema, root).get("anyOf", [])]
    return any(o.get("type") == "null" for o in options) and any(
        o.get("type") == "string" and not ({"pattern", "enum", "const", "format"} & set(o)) for o in options
    )


def _slots(schema, root, container, key, path):
    schema = _resolve(schema, root)
    value = container[key]
    if value is None:
        return
    for option in schema.get("anyOf", []):
        option = _resolve(option, root)
        if option.get("type") != "null":
            yield from _slots(option, root, container, key, path)
    kind = schema.get("type")
    if kind == "object" and isinstance(value, dict):
        for name, sub in schema.get("properties", {}).items():
            if value.get(name) is None and _optional_text(sub, root):
                value[name] = "-"  # an optional text the source leaves out gets one too
            if name in value:
                yield from _slots(sub, root, value, name, f"{path}.{name}" if path else name)
        patterns = [(re.compile(p), sub) for p, sub in schema.get("patternProperties", {}).items()]
        extra = schema.get("additionalProperties")
        for name in list(value):
            if name in schema.get("properties", {}):
                continue
            sub = next((sub for pattern, sub in patterns if pattern.search(str(name))), extra)
            if isinstance(sub, dict):
                yield from _slots(sub, root, value, name, f"{path}.{name}")
    elif kind == "array" and isinstance(value, list):
        for index in range(len(value)):
            yield from _slots(schema.get("items", {}), root, value, index, f"{path}[{index}]")
    elif kind == "string" and isinstance(value, str) and not ({"pattern", "enum", "const", "format"} & set(schema)):
        yield container, key, path, schema.get("contentMediaType") == "text/markdown"


# ---------------------------------------------------------------- sources full of payloads


class Planted:
    """Which payload went where: marker -> (payload text, source path, markdown?)."""

    def __init__(self):
        self.by_marker: dict[str, tuple[str, str, bool]] = {}
        self.counter = itertools.count(1)


def _plant(model, data, file_label: str, planted: Planted, cycle) -> None:
    for container, key, path, markdown in list(text_slots(model, data)):
        original = container[key]
        pinned = PINNED.get(f"{file_label}:{path}")
        for attempt in range(len(PAYLOADS)):
            number = next(planted.counter)
            text = (pinned if pinned and attempt == 0 else next(cycle)).replace("{n}", str(number))
            if not markdown:
                text = text.replace(EVIL, "plain-" + EVIL)
            container[key] = text
            try:
                model.model_validate(data)
            except ValidationError:
                continue
            planted.by_marker[f"P{number}"] = (text, f"{file_label}:{path}", markdown)
            break
        else:
            container[key] = original


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory):
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
        _plant(model, data, path.name, planted, cycle)
        # A passage marked for a situation names a paragraph of a text that now holds a payload:
        # keep each mark, on the whole text, so the situation pages show the payloads too.
        for answer in (data.get("situations") or {}).values() if model is Variant else ():
            for ref in answer["passages"]:
                ref.pop("paragraph", None)
                ref.pop("list_item", None)
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
    site = root / "site"
    result = build_site(site, protocols=protocols)
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
