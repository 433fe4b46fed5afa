"""Abbreviations explained in place: ``<abbr title="...">`` around every one in a page's HTML.

Python-Markdown's ``abbr`` extension only sees Markdown text, and every
protocol text reaches a page as an HTML block (the step table, sections,
contacts), which it never enters. So the plugin passes each page's rendered
HTML through ``explain`` instead. The HTML is MkDocs' and ours, well formed, and
read with regular expressions (an HTML parser in Python took 6 ms a page, a
tokenizer of every tag 1 ms): one finds the elements whose text stays as it is
(``code``, ``pre``, ``script``, ``style``, existing ``abbr`` ...), one finds the
abbreviations in the rest, outside tags. Whole words with case as written,
longest first (as the ``abbr`` extension matches), as a reader reads them: an
abbreviation written with a character reference (``IB&#39;er``) is found, and a
character reference is a word character where it stands for one. How readers see
the titles: D31.

Never inside a tag or a character reference: an abbreviation that is also the name
of a tag, an attribute or a reference (``p``, ``href``, ``gt``, ``amp``, ``39``) is
only found where it stands as a word, and one written as markup (``<p>``) never
matches the page's own. Linear in the page: whether a match is inside a tag is told
by the next ``<`` or ``>`` after it, looked up once for all the matches before it.
"""

from __future__ import annotations

import re
from html import escape, unescape
from html.entities import codepoint2name

_SKIP = ("abbr", "code", "kbd", "pre", "samp", "script", "style", "svg", "template", "textarea")

_SKIPPED = re.compile(
    r"<!--.*?-->"                                 # a comment
    r"|<(/?)(" + "|".join(_SKIP) + r")(?=[\s/>])"  # a tag of an element whose text stays ...
    r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",           # ... and its attributes, quoted values may hold ">"
    re.DOTALL | re.IGNORECASE,
)
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_REFERENCE_BEFORE = re.compile(_REFERENCE.pattern + r"\Z")
_WORD = re.compile(r"\w")
_DELIMITER = re.compile(r"[<>]")


def _character(char: str) -> str:
    """A character of an abbreviation as a pattern: as written, or as a character reference
    where HTML may write it as one."""
    if char not in "&<>\"'":
        return re.escape(char)
    forms = [re.escape(char), f"&#0*{ord(char)};", f"&#[xX]0*{ord(char):x};"]
    if ord(char) in codepoint2name:
        forms.append(f"&{codepoint2name[ord(char)]};")
    if char == "'":
        forms.append("&apos;")
    return "(?:" + "|".join(forms) + ")"


def _word(word: str) -> str:
    r"""An abbreviation as a pattern, not preceded by a word character. The check follows the
    first character where it can (``(?<!\w.)``), so that the pattern starts with a literal
    and Python's regex engine skips ahead to the places it can start: three times as fast."""
    if word[0] in "&<>\"'":
        return r"(?<!\w)" + "".join(_character(c) for c in word)
    return re.escape(word[0]) + r"(?<!\w.)" + "".join(_character(c) for c in word[1:])


def glossary_regex(glossary: dict[str, str]) -> re.Pattern | None:
    """One pattern of every abbreviation: whole words, case as written, longest first. Where a
    match stands (in a tag, in a reference) ``explain`` decides."""
    if not glossary:
        return None
    words = sorted(glossary, key=lambda w: (-len(w), w))
    return re.compile(r"(?:" + "|".join(_word(word) for word in words) + r")(?!\w)")


def _is_word_reference(reference: re.Match | None) -> bool:
    return reference is not None and _WORD.match(unescape(reference.group(0))) is not None


def _in_reference(html: str, start: int) -> bool:
    """Whether ``start`` is inside a character reference: a whole word there starts right
    after its ``&`` or ``&#`` (the rest of a reference is word characters)."""
    for amp in (start - 1, start - 2):
        if amp >= 0 and html[amp] == "&":
            reference = _REFERENCE.match(html, amp)
            return reference is not None and reference.end() > start
    return False


def _explain_part(html: str, regex: re.Pattern, glossary: dict[str, str]) -> str:
    delimiter = [-1, False]  # the first "<" or ">" after the last match, and whether it is ">"

    def abbr(match: re.Match) -> str:
        start, end = match.span()
        if end > delimiter[0]:
            found = _DELIMITER.search(html, end)
            delimiter[:] = (found.start(), found.group() == ">") if found else (len(html), False)
        if delimiter[1] or "<" in match.group(0) or ">" in match.group(0) or _in_reference(html, start):
            return match.group(0)  # in a tag (the next delimiter is its end), markup itself, in a reference
        if html[start - 1 : start] == ";" and _is_word_reference(_REFERENCE_BEFORE.search(html, max(0, start - 12), start)):
            return match.group(0)
        if html[end : end + 1] == "&" and _is_word_reference(_REFERENCE.match(html, end)):
            return match.group(0)
        word = unescape(match.group(0))
        if word not in glossary:
            return match.group(0)  # markup that a reader reads as another word (a key "&gt;" found as ">")
        return f'<abbr title="{escape(glossary[word], quote=True)}">{match.group(0)}</abbr>'

    return regex.sub(abbr, html)


def explain(html: str, glossary: dict[str, str], regex: re.Pattern | None = None) -> str:
    """``html`` with every abbreviation of ``glossary`` (word -> explanation) in an ``<abbr>``."""
    regex = regex or glossary_regex(glossary)
    if regex is None or regex.search(html) is None:
        return html
    out: list[str] = []
    skipping: list[str] = []  # the open elements whose text stays as it is
    last = 0  # where the part not yet written starts
    for tag in _SKIPPED.finditer(html):
        name = (tag.group(2) or "").lower()
        closing = tag.group(1) == "/"
        if skipping and skipping[-1] in ("script", "style") and not (closing and name == skipping[-1]):
            continue  # their text is not HTML
        if not skipping:
            out.append(_explain_part(html[last : tag.start()], regex, glossary))
            last = tag.start()
        if name and not tag.group(0).endswith("/>"):
            if not closing:
                skipping.append(name)
            elif name in skipping:
                del skipping[len(skipping) - 1 - skipping[::-1].index(name)]
        if not skipping:  # a comment, or the end of an element whose text stays: as it is
            out.append(html[last : tag.end()])
            last = tag.end()
    out.append(html[last:] if skipping else _explain_part(html[last:], regex, glossary))
    return "".join(out)
