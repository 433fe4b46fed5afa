"""Abbreviations explained in place: ``<abbr title="...">`` around every one in a page's HTML.

Python-Markdown's ``abbr`` extension only sees Markdown text, and every
protocol text reaches a page as an HTML block (the step table, sections,
contacts), which it never enters. So the plugin passes each page's rendered
HTML through ``explain`` instead (a tokenizer of one regular expression: the HTML is
MkDocs' and ours, well formed; an HTML parser in Python took 6 ms a page): text nodes only, outside ``code``, ``pre``,
``script``, ``style`` and existing ``abbr``; whole words with case as written,
longest first (as the ``abbr`` extension matches). The theme's
``content.tooltips`` feature shows the titles as tooltips.
"""

from __future__ import annotations

import re
from html import escape, unescape

_SKIP = frozenset({"abbr", "code", "kbd", "pre", "samp", "script", "style", "svg", "template", "textarea"})


_TAG = re.compile(
    r"<!--.*?-->"                       # a comment
    r"|<(/?)([a-zA-Z][^\s/>]*)"          # a tag: its name ...
    r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"  # ... and its attributes, quoted values may hold ">"
    r"|<![^>]*>|<\?[^>]*>",
    re.DOTALL,
)


def _explain_text(text: str, regex: re.Pattern, glossary: dict[str, str]) -> str:
    """A text node with its abbreviations in ``<abbr>``; matched as read (``IB&#39;er`` is IB'er)."""
    if "&" in text:
        text = unescape(text)
    parts, last = [], 0
    for match in regex.finditer(text):
        word = match.group(0)
        parts.append(escape(text[last : match.start()], quote=False))
        parts.append(f'<abbr title="{escape(glossary[word], quote=True)}">{escape(word, quote=False)}</abbr>')
        last = match.end()
    parts.append(escape(text[last:], quote=False))
    return "".join(parts)


def glossary_regex(glossary: dict[str, str]) -> re.Pattern | None:
    """One pattern of every abbreviation: whole words, case as written, longest first."""
    if not glossary:
        return None
    words = sorted(glossary, key=lambda w: (-len(w), w))
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def explain(html: str, glossary: dict[str, str], regex: re.Pattern | None = None) -> str:
    """``html`` with every abbreviation of ``glossary`` (word -> explanation) in an ``<abbr>``."""
    regex = regex or glossary_regex(glossary)
    if regex is None or regex.search(html) is None:
        return html
    out: list[str] = []
    skipping: list[str] = []  # the open elements whose text stays as it is
    last = 0
    for tag in _TAG.finditer(html):
        text = html[last : tag.start()]
        out.append(text if skipping else _explain_text(text, regex, glossary))
        out.append(tag.group(0))
        last = tag.end()
        name = (tag.group(2) or "").lower()
        if skipping and skipping[-1] in ("script", "style"):  # their text is not HTML
            if tag.group(1) and name == skipping[-1]:
                skipping.pop()
            continue
        if name in _SKIP and not tag.group(0).endswith("/>"):
            if tag.group(1):
                if name in skipping:
                    del skipping[len(skipping) - 1 - skipping[::-1].index(name)]
            else:
                skipping.append(name)
    text = html[last:]
    out.append(text if skipping else _explain_text(text, regex, glossary))
    return "".join(out)
