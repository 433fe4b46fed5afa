"""What the comparison pages compare: per step, contacts and which sections exist.

Plain data for the templates and for the per-variant JSON the comparison
picker fetches; no HTML here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diff import reader_text
from ..loader import Handbook
from ..model import SectionKind, Variant

PRESENCE_KINDS = (
    SectionKind.definities,
    SectionKind.ondersteuningsroute,
    SectionKind.beroepsgeheim,
    SectionKind.spiekkaart,
    SectionKind.afwegingskader,
)
_KADER_WORDS = re.compile(r"afwegingskader|afwegingsvragen", re.IGNORECASE)


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


def fragment(variant: Variant, handbook: Handbook, url: str) -> dict:
    """Everything the comparison shows of one variant, as JSON-ready data."""
    region_key = variant.veilig_thuis.region
    region = handbook.contacts.veilig_thuis_regions[region_key] if region_key else None
    national = handbook.contacts.national
    return {
        "id": variant.id,
        "title": variant.title,
        "url": url,
        "version": variant.version,
        "steps": [
            {"number": s.number, "wat": s.wat, "wie": s.wie, "hoe": reader_text(s.hoe)}
            for s in variant.steps
        ],
        "contacts": {
            "veilig_thuis": region.name if region else national.name,
            "phone": region.phone if region else national.phone,
            "as_written": " / ".join(
                x for x in (variant.veilig_thuis.phone_as_written, variant.veilig_thuis.website_as_written) if x
            ),
            "melder": variant.melding.door,
        },
        "presence": [
            {"kind": p.kind, "section": p.section, "steps": list(p.steps)} for p in presence(variant)
        ],
    }
