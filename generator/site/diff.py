"""Word-by-word differences between two texts, as data (no HTML).

Used for the diff between consecutive versions of a variant. Texts are
compared as a reader sees them: Markdown is reduced to its words first, so a
moved bullet or a bold marker is not reported as a change of wording.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from typing import Literal

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False})


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
    segments: list[Segment] = []

    def add(op, words):
        if not words:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + " " + " ".join(words))
        else:
            segments.append(Segment(op, " ".join(words)))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("same", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return segments


def changed(segments: list[Segment]) -> bool:
    return any(segment.op != "same" for segment in segments)
