"""The passages of a protocol that answer a situation: where they are and their text.

A variant marks, per situation, places in its own text (``PassageRef``): a step's
*hoe* or a section's body or item, whole or one paragraph, and in a paragraph
that is a list one item of it. Here those places are found in the text, as a
reader would count them: a paragraph is a block between empty lines, a list
item starts at a list mark (``-``, ``*``, ``+``, ``1.``, ``1)``) as far in as
the list's first one. The text of a place is the protocol's own Markdown, cut
out and never changed, so a page shows it exactly as the protocol's page does.

Pure string work in the model layer: the loader refuses a place that does not
exist, with the file and line of the reference, and the site renders the text.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from .sources import PassageRef, Section, SectionItem, Step, Variant

_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)*\n")
_LIST_MARK = re.compile(r"^( *)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


def paragraphs(text: str) -> list[str]:
    """The blocks of a text between empty lines, in order, as written."""
    return [block for block in _BLANK_LINES.split(text.strip("\n")) if block.strip()]


def list_items(paragraph: str) -> list[str] | None:
    """The items of a paragraph that is a list (None if it is not one), each as written."""
    lines = paragraph.split("\n")
    first = _LIST_MARK.match(lines[0])
    if first is None:
        return None
    indent = len(first.group(1))
    items: list[list[str]] = []
    for line in lines:
        mark = _LIST_MARK.match(line)
        if mark is not None and len(mark.group(1)) == indent:
            items.append([line])
        else:
            items[-1].append(line)
    return ["\n".join(item) for item in items]


@dataclass(frozen=True)
class Passage:
    """A place in a protocol and the protocol's own Markdown there."""

    ref: PassageRef
    text: str
    """The Markdown of the place, cut from the protocol's text (dedented, never reworded)."""
    step: Step | None = None
    section: Section | None = None
    item: SectionItem | None = None


class PassageError(ValueError):
    """A passage names a place the protocol does not have; ``key`` is the reference's key at fault."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def resolve(variant: Variant, ref: PassageRef) -> Passage:
    """The passage ``ref`` names in ``variant``; ``PassageError`` if there is no such place."""
    step = section = item = None
    if ref.step is not None:
        step = next((s for s in variant.steps if s.number == ref.step), None)
        if step is None:  # the model requires steps 1 to 5; kept for a partial variant
            raise PassageError("step", f"the protocol has no step {ref.step}")
        text, place = step.hoe, f"step {ref.step} (its hoe)"
    else:
        if ref.section > len(variant.sections):
            raise PassageError("section", f"the protocol has {_count(len(variant.sections), 'section')}; "
                                          f"there is no section {ref.section}")
        section = variant.sections[ref.section - 1]
        place = f"section {ref.section} ('{section.title}')"
        if ref.item is not None:
            if ref.item > len(section.items):
                raise PassageError("item", f"{place} has {_count(len(section.items), 'item')}; "
                                           f"there is no item {ref.item}")
            item = section.items[ref.item - 1]
            text, place = item.body, f"item {ref.item} ('{item.title}') of {place}"
        elif section.body is None:
            raise PassageError("section", f"{place} has no text of its own, only "
                                          f"{_count(len(section.items), 'item')}: name one as 'item'")
        else:
            text = section.body
    if ref.paragraph is not None:
        blocks = paragraphs(text)
        if ref.paragraph > len(blocks):
            raise PassageError("paragraph", f"{place} has {_count(len(blocks), 'paragraph')} "
                                            f"(blocks between empty lines); there is no paragraph {ref.paragraph}")
        text = blocks[ref.paragraph - 1]
        if ref.list_item is not None:
            items = list_items(text)
            if items is None:
                raise PassageError("list_item", f"paragraph {ref.paragraph} of {place} is not a list")
            if ref.list_item > len(items):
                raise PassageError("list_item", f"the list in paragraph {ref.paragraph} of {place} has "
                                                f"{_count(len(items), 'item')}; there is no item {ref.list_item}")
            text = items[ref.list_item - 1]
    return Passage(ref, textwrap.dedent(text).strip("\n"), step, section, item)


def passages(variant: Variant, situation_id: str) -> list[Passage]:
    """The passages the variant marks for a situation, in its order (none: it is silent on it)."""
    answer = variant.situations.get(situation_id)
    return [resolve(variant, ref) for ref in answer.passages] if answer else []
