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
- Its work grows with the product of the numbers of words that differ (what
  lies between the words both texts start with and end with), so past
  ``MAX_WORD_PAIRS`` of them the texts are not marked but given whole
  (``old`` and ``new``): a limit on the texts, not on the clock, so every
  machine gives the same page.

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


MAX_WORD_PAIRS = 1_000_000
"""The most (old words) x (new words) between the shared start and end that are diffed.

diff-match-patch searches the grid of those word pairs (Myers' algorithm, with the
diagonals that leave the grid cut off), so its time is at most proportional to their
product, whatever the texts say: on the shared 2-core build machine about 0.5 s in
Python and 0.07 s in Node.js at this limit, for two texts of 1,000 words that differ
throughout. The longest pair of seed texts is 767 x 415 words (step 5's hoe of Consent
and LEVWN), a third of it. Beyond it the time grew with the square of the length: two
versions with 49,000-word texts would take half an hour. ``worddiff.js`` has the same
limit."""


@dataclass(frozen=True)
class Segment:
    """``same``, ``insert``, ``delete``: words of a diff. ``old`` and ``new``: the whole of
    each text, unmarked, when more words differ than ``MAX_WORD_PAIRS`` allows to mark."""

    op: Literal["same", "insert", "delete", "old", "new"]
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


def _shared_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many words ``a`` and ``b`` start with and end with alike (case ignored)."""
    shortest = min(len(a), len(b))
    start = 0
    while start < shortest and a[start].lower() == b[start].lower():
        start += 1
    end = 0
    while end < shortest - start and a[-1 - end].lower() == b[-1 - end].lower():
        end += 1
    return start, end


def _diff(text_a: str, text_b: str) -> list[tuple[int, str]]:
    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # no deadline: the same result on every machine (MAX_WORD_PAIRS bounds it)
    diffs = engine.diff_main(text_a, text_b, False)
    engine.diff_cleanupSemantic(diffs)
    return diffs


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments that turn ``old`` into ``new``; adjacent segments of one kind are merged.
    Past ``MAX_WORD_PAIRS`` (or with more distinct words between the shared start and end
    than ``WORD_CODES`` has): ``[Segment("old", old), Segment("new", new)]``, white space
    as in the other segments."""
    a, b = old.split(), new.split()
    start, end = _shared_ends(a, b)
    if (len(a) - start - end) * (len(b) - start - end) > MAX_WORD_PAIRS:
        return [Segment("old", " ".join(a)), Segment("new", " ".join(b))]
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
    if text_a is not None and text_b is not None:
        diffs = _diff(text_a, text_b)
    else:
        # More distinct words than codes: only the words between the shared start and end are
        # diffed (the whole texts give the same diffs where both fit; they are kept for those).
        codes.clear()
        text_a, text_b = encode(a[start : len(a) - end]), encode(b[start : len(b) - end])
        if text_a is None or text_b is None:
            return [Segment("old", " ".join(a)), Segment("new", " ".join(b))]
        diffs = [(0, "x" * start), *_diff(text_a, text_b), (0, "x" * end)]

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
