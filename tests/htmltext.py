"""Visible text of a built page, for assertions on what a reader sees."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

_SKIP = {"script", "style", "template"}
_INLINE = {"a", "abbr", "b", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "small", "span", "strong",
           "sub", "sup", "u"}
"""Tags that do not break a line: their text runs on ("de <abbr>IB-er</abbr>;" reads "de IB-er;")."""


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIP and self._skip:
            self._skip -= 1
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return squash("".join(parser.parts))


def page_text(path: Path) -> str:
    return visible_text(path.read_text(encoding="utf-8"))


class _Script(HTMLParser):
    def __init__(self, attribute: str):
        super().__init__()
        self.attribute = attribute
        self.found: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and any(name == self.attribute for name, _ in attrs)
        if self._inside:
            self.found.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.found[-1] += data


def script_data(html: str, attribute: str) -> str:
    """The text of the one ``<script>`` with ``attribute`` (embedded JSON), as the browser reads it."""
    parser = _Script(attribute)
    parser.feed(html)
    if len(parser.found) != 1:
        raise AssertionError(f"expected one <script {attribute}>, found {len(parser.found)}")
    return parser.found[0]


_ARTICLE = re.compile(r"<article\b[^>]*>.*?</article>", re.DOTALL)


def article_html(path: Path) -> str:
    """The page's ``<article>`` (its main content, without the theme's header, navigation and
    footer), with blank lines and trailing spaces dropped."""
    found = _ARTICLE.findall(path.read_text(encoding="utf-8"))
    if len(found) != 1:
        raise AssertionError(f"{path}: expected one <article>, found {len(found)}")
    return "\n".join(line.rstrip() for line in found[0].splitlines() if line.strip()) + "\n"


def article_text(path: Path) -> str:
    """The visible text of the page's ``<article>``."""
    return visible_text(article_html(path))
