"""The passages of a protocol that answer a situation: where they are and their text.

A variant marks, per situation, places in its own text (``PassageRef``): a step's *hoe*,
a section's body or one of its items (sections and items named by their titles), whole or
one block of it named by its first words (``begint``). The blocks are what markdown-it
makes of the text with the options the site renders protocol Markdown with
(``markdown_parser``): every block at the top of the text (a paragraph, a heading, a
table, a code block, a quote), and every list item at any depth outside a quote (a list
is its items; an item begins with its first paragraph, which is no block of its own).
A block's words are those a reader sees, without Markdown's marks, white space collapsed.

A passage is the block's own lines of the text (markdown-it's ``token.map``), never
changed: a code block stays code, a fence is never split at an empty line inside it.
The site shows it as the protocol page shows that block (``block_tokens``: the block's
tokens from the parse of the whole text, a list item in its list and numbered as there),
so a passage cannot render differently from its place, whatever the Markdown around it.

The loader resolves every passage and refuses, with the file and line of the reference, a
title the protocol does not have (or has twice), first words that begin no block or more
than one, and a passage that renders to nothing a reader sees. markdown-it is imported
when a text is parsed, not with this module: ``check`` loads no rendering library at
import (``tests/test_layers.py``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .sources import PassageRef, Section, SectionItem, Step, Variant

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MARKDOWN_OPTIONS = {"html": False, "linkify": True, "typographer": False}
"""The options protocol Markdown is parsed with, here and on every page (``markdown_parser``)."""

_NEWLINES = re.compile(r"\r\n?")


def markdown_parser() -> MarkdownIt:
    """A new markdown-it parser for protocol Markdown: CommonMark, tables, links made from
    bare addresses, raw HTML as text, no images (``site.templating`` adds its render rules)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", MARKDOWN_OPTIONS)
    md.enable(["linkify", "table"])
    md.disable("image")  # a protocol's image would load from wherever it points
    return md


@functools.cache
def _parser() -> MarkdownIt:
    return markdown_parser()


@dataclass(frozen=True)
class Block:
    """One block of a text, as markdown-it parses it."""

    kind: str
    """The type of its (opening) token: ``paragraph_open``, ``list_item_open``, ``fence``, ..."""
    lines: tuple[int, int]
    """Its lines of the text, from 0, the end excluded (the token's ``map``)."""
    words: str
    """What a reader sees of it, without Markdown's marks, white space collapsed."""


_CONTAINERS = ("bullet_list_open", "ordered_list_open")


def _end(tokens: list[Token], start: int) -> int:
    """The index of the token that closes the one at ``start`` (itself if it closes nothing)."""
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    raise ValueError("unbalanced tokens")


def _words(tokens: list[Token]) -> str:
    words = []
    for token in tokens:
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
        elif token.type in ("fence", "code_block"):
            words.append(token.content)
        words.append(" ")
    return " ".join("".join(words).split())


def _is_block(token: Token, inside_quote: bool) -> bool:
    if token.nesting == -1 or token.map is None:
        return False
    if token.level == 0:
        return token.type not in _CONTAINERS
    return token.type == "list_item_open" and not inside_quote


def _blocks(tokens: list[Token]) -> list[tuple[int, Block]]:
    """(index of its first token, block) for every block of a parsed text, in order."""
    found = []
    quotes = 0
    for index, token in enumerate(tokens):
        if _is_block(token, quotes > 0):
            end = _end(tokens, index)
            found.append((index, Block(token.type, (token.map[0], token.map[1]), _words(tokens[index:end + 1]))))
        if token.type == "blockquote_open":
            quotes += 1
        elif token.type == "blockquote_close":
            quotes -= 1
    return found


@functools.lru_cache(maxsize=1024)
def blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a protocol text, in order (see the module's docstring).

    Cached: a variant often marks several blocks of one text, and the site resolves its
    passages again after the loader did. The parse is the site's own, linkify included (it
    may decode what a link shows), about 0.6 ms per 1,000 characters on the build machine."""
    return tuple(block for _, block in _blocks(_parser().parse(text)))


def block_tokens(tokens: list[Token], block: Block) -> list[Token]:
    """From the tokens of the whole text (as any parser of ``markdown_parser`` makes them),
    those of ``block``; a list item inside a copy of its list's tokens, which an ordered list
    starts at the item's number, so that it renders as on the page of the whole text."""
    start = next((index for index, found in _blocks(tokens) if found.lines == block.lines
                  and found.kind == block.kind), None)
    if start is None:
        raise LookupError(f"no {block.kind} at lines {block.lines[0] + 1}-{block.lines[1]} of the text")
    part = tokens[start:_end(tokens, start) + 1]
    if block.kind != "list_item_open":
        return part
    level = tokens[start].level
    parent = next(i for i in range(start - 1, -1, -1) if tokens[i].level == level - 1 and tokens[i].nesting == 1)
    position = sum(1 for t in tokens[parent:start] if t.type == "list_item_open" and t.level == level)
    opening = tokens[parent].copy(attrs=dict(tokens[parent].attrs))
    if opening.type == "ordered_list_open":
        number = int(opening.attrGet("start") or 1) + position
        if number == 1:
            opening.attrs.pop("start", None)
        else:
            opening.attrSet("start", str(number))
    return [opening, *part, tokens[_end(tokens, parent)]]


@dataclass(frozen=True)
class Passage:
    """A place in a protocol and the protocol's own Markdown there."""

    ref: PassageRef
    source: str
    """The whole text the passage is in: the step's hoe, the section's body or the item's body."""
    block: Block | None
    """The block of ``source`` the reference names by its first words; None: all of it."""
    text: str
    """The Markdown of the place: the block's own lines of ``source``, as written."""
    step: Step | None = None
    section: Section | None = None
    item: SectionItem | None = None
    section_number: int | None = None
    """The section's place in the protocol's sections, from 1 (its heading's anchor)."""
    item_number: int | None = None
    """The item's place in its section's items, from 1."""


class PassageError(ValueError):
    """A passage names a place the protocol does not have; ``key`` is the reference's key at fault."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _short(words: str, count: int = 8) -> str:
    split = words.split(" ")
    return " ".join(split[:count]) + (" ..." if len(split) > count else "")


def _titled(things: list[Any], title: str, what: str, where: str, key: str) -> tuple[int, Any]:
    """The one of ``things`` titled ``title`` and its number from 1; ``PassageError`` for none or several."""
    numbers = [number for number, thing in enumerate(things, start=1) if thing.title == title]
    if not numbers:
        titles = "; ".join(f"'{thing.title}'" for thing in things)
        raise PassageError(key, f"{where} has no {what} titled '{title}' (the title exactly as written; "
                                f"{_count(len(things), what)}: {titles})")
    if len(numbers) > 1:
        raise PassageError(key, f"{where} has {len(numbers)} {what}s titled '{title}' "
                                f"(numbers {', '.join(map(str, numbers))}): a title cannot tell them apart")
    return numbers[0], things[numbers[0] - 1]


def resolve(variant: Variant, ref: PassageRef) -> Passage:
    """The passage ``ref`` names in ``variant``; ``PassageError`` if there is no such place."""
    step = section = item = section_number = item_number = None
    if ref.step is not None:
        step = next((s for s in variant.steps if s.number == ref.step), None)
        if step is None:  # the model requires steps 1 to 5; kept for a partial variant
            raise PassageError("step", f"the protocol has no step {ref.step}")
        text, place, key = step.hoe, f"step {ref.step} (its hoe)", "step"
    else:
        section_number, section = _titled(variant.sections, ref.section, "section", "the protocol", "section")
        place, key = f"section '{section.title}'", "section"
        if ref.item is not None:
            item_number, item = _titled(section.items, ref.item, "item", place, "item")
            text, place, key = item.body, f"item '{item.title}' of {place}", "item"
        elif section.body is None:
            raise PassageError("section", f"{place} has no text of its own, only "
                                          f"{_count(len(section.items), 'item')}: name one as 'item'")
        else:
            text = section.body
    text = _NEWLINES.sub("\n", text)
    found = blocks(text)
    if ref.begint is None:
        if not any(block.words for block in found):
            raise PassageError(key, f"{place} renders to nothing a reader sees (no words: only link reference "
                                    f"definitions, rules or empty lines); mark a place that has words")
        return Passage(ref, text, None, text.strip("\n"), step, section, item, section_number, item_number)
    begint = " ".join(ref.begint.split())
    matches = [block for block in found if block.words.startswith(begint)]
    if not matches:
        starts = "; ".join(f"'{_short(block.words)}'" for block in found if block.words)
        raise PassageError("begint", f"no block of {place} begins with '{begint}' (a block's words as a reader "
                                     f"sees them, without Markdown marks; its blocks begin: {starts})")
    if len(matches) > 1:
        lines = ", ".join(str(block.lines[0] + 1) for block in matches)
        raise PassageError("begint", f"'{begint}' begins {len(matches)} blocks of {place} (at lines {lines} of "
                                     f"that text): ambiguous; give more of the first words, until one block "
                                     f"begins with them")
    block = matches[0]
    lines = text.split("\n")[block.lines[0]:block.lines[1]]
    while lines and not lines[-1].strip():
        lines.pop()
    return Passage(ref, text, block, "\n".join(lines), step, section, item, section_number, item_number)


def passages(variant: Variant, situation_id: str) -> list[Passage]:
    """The passages the variant marks for a situation, in its order (none: it is silent on it)."""
    answer = variant.situations.get(situation_id)
    return [resolve(variant, ref) for ref in answer.passages] if answer else []
