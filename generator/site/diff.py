"""Word-by-word differences between two texts, as data (no HTML).

The same rules run in the browser (``docs/assets/vergelijken/worddiff.js``) for
the comparison of chosen protocols; ``tests/test_worddiff.py`` feeds the same
pairs to both and requires the same segments. The rules:

- A word is a run of non-white-space characters; white space only separates.
- Words are compared without regard to case ("Leerkracht" = "leerkracht");
  an unchanged stretch is shown as the *new* text writes it.
- The diff is Google's diff-match-patch (the same library, and so the same
  algorithm, on PyPI and npm), run on words and without a time limit, then
  cleaned up for people (``diff_cleanupSemantic``), so that two unrelated
  sentences read as one replacement rather than as scattered shared words.

Texts are compared as a reader sees them: Markdown is reduced to its words
first (``reader_text``), so a moved bullet or a bold marker is not a change.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False})

WORD_CODES = (0xE000, 0xF8FF)
"""Each distinct word becomes one character of Unicode's private use area, so the
character diff is a word diff. These characters are neither letters nor space in
Python or JavaScript, so diff-match-patch's clean-up scores them alike in both."""


@dataclass(frozen=True)
class Segment:
    op: Literal["same", "insert", "delete"]
    text: str


@functools.lru_cache(maxsize=1024)
def reader_text(markdown: str | None) -> str:
    """The words of a Markdown text, without markup, on one line."""
    words = []
    for token in _MD.parse(markdown or ""):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            words.append(" ")
    return re.sub(r"\s+", " ", "".join(words)).strip()


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments that turn ``old`` into ``new``; adjacent segments of one kind are merged."""
    a, b = old.split(), new.split()
    codes: dict[str, str] = {}
    first, last = WORD_CODES

    def encode(words: list[str]) -> str | None:
        for word in words:
            key = word.lower()
            if key not in codes:
                if first + len(codes) > last:
                    return None
                codes[key] = chr(first + len(codes))
        return "".join(codes[word.lower()] for word in words)

    text_a, text_b = encode(a), encode(b)
    if text_a is None or text_b is None:
        # More distinct words than codes: the texts are shown as replaced whole.
        diffs = [(-1, "x" * len(a)), (1, "x" * len(b))]
    else:
        engine = diff_match_patch()
        engine.Diff_Timeout = 0  # no deadline: the same result on every machine
        diffs = engine.diff_main(text_a, text_b, False)
        engine.diff_cleanupSemantic(diffs)

    segments: list[Segment] = []

    def add(op, words):
        if not words:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + " " + " ".join(words))
        else:
            segments.append(Segment(op, " ".join(words)))

    i = j = 0
    for op, chars in diffs:
        n = len(chars)
        if op == 0:
            add("same", b[j : j + n])
            i, j = i + n, j + n
        elif op == -1:
            add("delete", a[i : i + n])
            i += n
        else:
            add("insert", b[j : j + n])
            j += n
    return segments


def changed(segments: list[Segment]) -> bool:
    return any(segment.op != "same" for segment in segments)
