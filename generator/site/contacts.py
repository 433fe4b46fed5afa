"""Which Veilig Thuis a variant's staff call or report to: its region's, else the national one.

The one place of that rule for the pages (the variant's contact card, the tool, the
afwegingskader's outcomes, the comparison's rows); no wording and no HTML here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.sources import Contacts, NationalContact, Phone, Variant, VeiligThuisRegion


@dataclass(frozen=True)
class VeiligThuis:
    """The Veilig Thuis of one variant: the region it names, else none, and the national one."""

    region: VeiligThuisRegion | None
    national: NationalContact

    @property
    def name(self) -> str:
        """The service to call: the region's name, else the national one's."""
        return self.region.name if self.region else self.national.name

    @property
    def phone(self) -> Phone:
        """The number an outcome tells staff to call: the region's, else the national one."""
        return self.region.phone if self.region else self.national.phone

    @property
    def source(self) -> str:
        """Where the number to call comes from (contacts.yaml, cited)."""
        return self.region.source if self.region else self.national.source

    @property
    def portal(self) -> str | None:
        """Where a melding is made online: the region's portal, else none."""
        return self.region.melding_portal if self.region else None

    @property
    def is_national_number(self) -> bool:
        """Whether the number to call is the national one, whose hours the contacts state."""
        return self.phone.digits == self.national.phone.digits


def veilig_thuis(variant: Variant, contacts: Contacts) -> VeiligThuis:
    key = variant.veilig_thuis.region
    return VeiligThuis(contacts.veilig_thuis_regions[key] if key else None, contacts.national)
