""""Waar gaat uw zorg over?": per variant, each situation of ``situaties.yaml`` with the
passages of the protocol that answer it.

Plain data for the templates (``situation.md.j2``, ``partials/situation_links.html.j2``,
the comparison's rows); no HTML and no wording here. A passage is the protocol's own
Markdown, cut out by ``generator.model.passages`` and never changed; a page shows it
with ``templating.passage_html``, as the protocol page shows its place.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..checks import selfcheck
from ..model.handbook import Handbook
from ..model.passages import Passage, passages
from ..model.sources import Situation, Step, Variant


@dataclass(frozen=True)
class PassageView:
    passage: Passage
    anchor: str
    """The id of its place on the variant page: its step's row, or its section's or item's heading."""

    @property
    def step(self):
        return self.passage.step

    @property
    def section(self):
        return self.passage.section

    @property
    def item(self):
        return self.passage.item

    @property
    def text(self) -> str:
        return self.passage.text


@dataclass(frozen=True)
class SituationView:
    """One situation in one variant: the passages that answer it, or none (the protocol is silent)."""

    situation: Situation
    passages: tuple[PassageView, ...]
    wie: str | None
    """Who acts, in the protocol's own words, as the variant's file marks it; None: not named."""

    @property
    def slug(self) -> str:
        """The page's folder inside the variant's folder."""
        return self.situation.id

    @property
    def covered(self) -> bool:
        """The protocol answers it: the meldcode's own route always (every protocol has its five
        steps), any other where the variant marks a passage."""
        return self.situation.meldcode or bool(self.passages)

    @property
    def places(self) -> list[PassageView]:
        """The passages with one per place on the variant page (two paragraphs of step 1 are "stap 1")."""
        first: dict[str, PassageView] = {}
        for passage in self.passages:
            first.setdefault(passage.anchor, passage)
        return list(first.values())


def section_anchor(section_number: int, item_number: int | None = None) -> str:
    """The id of a section's heading (``onderdeel-3``) or of one of its items (``onderdeel-3-2``)."""
    return f"onderdeel-{section_number}" if item_number is None else f"onderdeel-{section_number}-{item_number}"


def _anchor(passage: Passage) -> str:
    if passage.step is not None:
        return f"stap-{passage.step.number}"
    return section_anchor(passage.section_number, passage.item_number)


def situation_views(variant: Variant, handbook: Handbook) -> list[SituationView]:
    """Every situation of the handbook, in its order, for this variant (none without situaties.yaml).

    A situation whose passages are only proposed (``voorstel``) shows none of them: until a
    person confirms them, the protocol counts as silent on it."""
    if handbook.situations is None:
        return []
    views = []
    for situation in handbook.situations.situations:
        answer = variant.situations.get(situation.id)
        if answer is None or answer.voorstel:
            views.append(SituationView(situation, (), None))
            continue
        found = tuple(PassageView(p, _anchor(p)) for p in passages(variant, situation.id))
        views.append(SituationView(situation, found, answer.wie))
    return views


def consult_step(variant: Variant, handbook: Handbook) -> Step | None:
    """The step whose wie a silent situation's page names as who to ask (situaties.yaml)."""
    return selfcheck.consult_step(variant, handbook.situations)
