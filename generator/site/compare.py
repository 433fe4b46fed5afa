"""What the comparison pages compare, per protocol: its facts at a glance, its
steps and which sections it has.

Plain data for the templates (``partials/compare.html.j2`` renders one column
per protocol, on the static pages and in each protocol's JSON fragment for the
picker); no HTML and no wording here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.handbook import Handbook
from ..model.sources import SectionKind, Variant
from .contacts import VeiligThuis, veilig_thuis
from .situations import SituationView

if TYPE_CHECKING:
    from ..checks import Report

PRESENCE_KINDS = (
    SectionKind.definities,
    SectionKind.ondersteuningsroute,
    SectionKind.beroepsgeheim,
    SectionKind.spiekkaart,
    SectionKind.afwegingskader,
)
_KADER_WORDS = re.compile(r"afwegingskader|afwegingsvragen", re.IGNORECASE)
KADER_RULE = "afwegingskader-used"
"""The check whose findings say whether steps 4 and 5 use the afwegingskader."""


@dataclass(frozen=True)
class Presence:
    kind: str
    section: bool
    """The protocol has a section of this kind."""
    steps: tuple[int, ...] = ()
    """Steps whose text names it, where it has no section of its own."""


def presence(variant: Variant) -> list[Presence]:
    kinds = {section.kind for section in variant.sections}
    found = []
    for kind in PRESENCE_KINDS:
        steps: tuple[int, ...] = ()
        if kind == SectionKind.afwegingskader and kind not in kinds:
            steps = tuple(step.number for step in variant.steps if _KADER_WORDS.search(step.hoe))
        found.append(Presence(kind.value, kind in kinds, steps))
    return found


@dataclass(frozen=True)
class Column:
    """One protocol in the comparison, with everything its column shows resolved."""

    variant: Variant
    url: str
    """Path of the protocol's page from the site root."""
    veilig_thuis: VeiligThuis
    """Where its staff call or report."""
    kader_used: bool | None
    """Steps 4 and 5 use the afwegingskader (the check found nothing); None: not checked."""
    counts: dict[str, int] | None
    """The check's findings per severity; None: this version was not checked."""
    presence: list[Presence]
    situations: tuple[SituationView, ...] = ()
    """Per situation of situaties.yaml, its ``SituationView``: covered or not, and who acts."""


def column(variant: Variant, handbook: Handbook, url: str, report: Report,
           situations: Iterable[SituationView] = ()) -> Column:
    """The comparison's column for ``variant``, its check results taken from ``report``."""
    checked = report.was_checked(variant.id, variant.version)
    findings = report.findings_for(variant.id, variant.version) if checked else []
    kader_used = None
    if checked and KADER_RULE in report.rules:
        kader_used = not any(finding.rule_id == KADER_RULE for finding in findings)
    return Column(
        variant=variant,
        url=url,
        veilig_thuis=veilig_thuis(variant, handbook.contacts),
        kader_used=kader_used,
        counts=report.counts(findings) if checked else None,
        presence=presence(variant),
        situations=tuple(situations),
    )
