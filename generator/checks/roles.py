"""Which roles a protocol's texts name, and its own words re-sliced per role.

The words come from ``protocols/roles.yaml``. Matching is one regular
expression of plain alternatives (whole words, any case, longest first), so it
runs in time linear in the length of a text. Nothing here rewrites a protocol:
a role's view of a step is the step's own *wat*, *wie* and the sentences of its
*hoe* that name the role, with Markdown marks left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..model.sources import Role, Roles, Step, Variant, normal_word
from .text import sentences


@dataclass(frozen=True)
class Part:
    """A piece of a text; ``role`` is the role id where the piece names one."""

    text: str
    role: str | None = None


@dataclass(frozen=True)
class RoleStep:
    """One step in which a role is named in the *wie*: the step and its sentences naming the role."""

    step: Step
    wie: tuple[Part, ...]
    hoe: tuple[tuple[Part, ...], ...]


def _word_pattern(word: str) -> str:
    """A role word as a regular expression: a space matches any white space, ' matches ’."""
    out = []
    for piece in re.split(r"(\s+|['\u2019])", word.strip()):
        if not piece:
            continue
        if piece.isspace():
            out.append(r"\s+")
        elif piece in ("'", "\u2019"):
            out.append("['\u2019]")
        else:
            out.append(re.escape(piece))
    return "".join(out)


_LIST_MARK = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
r"""A link's text in brackets without brackets in it, its target in parentheses without
parentheses in it (CommonMark allows nested ones; they stay as written here). Each attempt
stops at the next bracket or parenthesis, which the next attempt starts from, so the time is
linear in the text; with ``[^\]]*`` 100,000 ``[`` took 7 s, each reading to the end."""


def plain_sentence(sentence: str) -> str:
    """A sentence of Markdown as a reader sees it: no list mark, emphasis or link syntax.
    Linear in the length of the sentence, like every pattern here."""
    text = _LIST_MARK.sub("", sentence.lstrip("> "))
    text = _LINK.sub(r"\1", text)
    return _EMPHASIS.sub("", text).strip()


class RoleFinder:
    """Finds the roles of ``roles.yaml`` in a text."""

    def __init__(self, roles: Roles):
        self.roles = roles.roles
        self._by_word = {normal_word(w): r.id for r in self.roles for w in r.words}
        words = sorted({w for r in self.roles for w in r.words}, key=lambda w: (-len(w), w))
        self._regex = re.compile(
            r"(?<!\w)(?:" + "|".join(_word_pattern(w) for w in words) + r")(?!\w)", re.IGNORECASE
        )
        # A variant's texts are read once for each role they name (its page, its role pages, the
        # checks), so the last few thousand are kept: 2.2 ms a variant instead of 10.9 (``role_views``).
        self.parts = lru_cache(maxsize=4096)(self._parts)
        self._hoe_parts = lru_cache(maxsize=1024)(self._sentence_parts)

    @cached_property
    def by_id(self) -> dict[str, Role]:
        return {r.id: r for r in self.roles}

    def _parts(self, text: str) -> tuple[Part, ...]:
        """The text cut at every role word, in order; joined they are the text (``parts``)."""
        out: list[Part] = []
        last = 0
        for match in self._regex.finditer(text):
            if match.start() > last:
                out.append(Part(text[last:match.start()]))
            out.append(Part(match.group(0), self._by_word[normal_word(match.group(0))]))
            last = match.end()
        if last < len(text):
            out.append(Part(text[last:]))
        return tuple(out)

    def named(self, text: str) -> set[str]:
        """The ids of every role the text names."""
        return {part.role for part in self.parts(text) if part.role}

    def roles_of(self, variant: Variant) -> list[Role]:
        """The roles a variant's *wie* texts name, in the order of roles.yaml."""
        named = set().union(*(self.named(step.wie) for step in variant.steps))
        return [role for role in self.roles if role.id in named]

    def steps_for(self, variant: Variant, role_id: str) -> list[RoleStep]:
        """Per step whose *wie* names the role: its wie, and the hoe sentences that name the role."""
        found = []
        for step in variant.steps:
            wie = self.parts(step.wie)
            if not any(part.role == role_id for part in wie):
                continue
            hoe = tuple(parts for parts in self._hoe_parts(step.hoe) if any(part.role == role_id for part in parts))
            found.append(RoleStep(step, wie, hoe))
        return found

    def _sentence_parts(self, text: str) -> tuple[tuple[Part, ...], ...]:
        """Each sentence of a *hoe*, as the reader sees it, cut at its role words."""
        return tuple(self.parts(plain_sentence(sentence)) for sentence in sentences(text))
