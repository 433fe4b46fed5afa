"""Abbreviations explained in place: ``<abbr title="...">`` around every one in a page's HTML.

Python-Markdown's ``abbr`` extension only sees Markdown text, and every
protocol text reaches a page as an HTML block (the step table, sections,
contacts), which it never enters. So the plugin passes each page's rendered
HTML through ``explain`` instead: text nodes only, outside ``code``, ``pre``,
``script``, ``style`` and existing ``abbr``; whole words with case as written,
longest first (as the ``abbr`` extension matches). The theme's
``content.tooltips`` feature shows the titles as tooltips.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

_SKIP = frozenset({"abbr", "code", "kbd", "pre", "samp", "script", "style", "svg", "template", "textarea"})


class _Explainer(HTMLParser):
    def __init__(self, regex: re.Pattern, glossary: dict[str, str]):
        super().__init__(convert_charrefs=True)
        self.regex, self.glossary = regex, glossary
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in _SKIP:
            self.skip += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in _SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.cdata_elem is not None:  # inside <script> or <style>: kept byte for byte
            self.out.append(data)
        elif self.skip:
            self.out.append(escape(data, quote=False))
        else:
            self.out.append(self._explain(data))

    def _explain(self, text: str) -> str:
        parts, last = [], 0
        for match in self.regex.finditer(text):
            parts.append(escape(text[last:match.start()], quote=False))
            word = match.group(0)
            parts.append(f'<abbr title="{escape(self.glossary[word], quote=True)}">{escape(word, quote=False)}</abbr>')
            last = match.end()
        parts.append(escape(text[last:], quote=False))
        return "".join(parts)

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def glossary_regex(glossary: dict[str, str]) -> re.Pattern | None:
    """One pattern of every abbreviation: whole words, case as written, longest first."""
    if not glossary:
        return None
    words = sorted(glossary, key=lambda w: (-len(w), w))
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def explain(html: str, glossary: dict[str, str], regex: re.Pattern | None = None) -> str:
    """``html`` with every abbreviation of ``glossary`` (word -> explanation) in an ``<abbr>``."""
    regex = regex or glossary_regex(glossary)
    if regex is None:
        return html
    parser = _Explainer(regex, glossary)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
