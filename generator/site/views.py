"""The view every page of a variant starts from: a version with its contacts, links and
other versions resolved. No wording and no HTML here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from ..checks.roles import RoleFinder, RoleStep
from ..model import urls
from ..model.handbook import Handbook
from ..model.sources import Role, Variant, VeiligThuisRegion
from .contacts import VeiligThuis, veilig_thuis
from .tooldata import kader_json, table_json


@dataclass(frozen=True)
class VariantView:
    """A variant version with what its pages need resolved: contacts, links, other versions."""

    variant: Variant
    handbook: Handbook
    today: dt.date
    up: str = ""
    """Relative path from this page's folder to the variant's main folder."""

    @property
    def url(self) -> str:
        """The variant's folder from the docs root."""
        return urls.variant_dir(self.variant.id)

    @property
    def page_path(self) -> str:
        return urls.variant_page(self.variant.id)

    @property
    def tool_path(self) -> str:
        return urls.tool_page(self.variant.id)

    def _href(self, path: str) -> str:
        """A page of this variant linked from this page (``up`` leads to the variant's folder)."""
        return self.up + urls.within_variant(self.variant.id, path)

    @property
    def page_href(self) -> str:
        return self._href(urls.variant_page(self.variant.id))

    @property
    def tool_href(self) -> str:
        return self._href(urls.tool_page(self.variant.id))

    @property
    def inwerken_path(self) -> str:
        return urls.inwerken_page(self.variant.id)

    @property
    def inwerken_href(self) -> str:
        return self._href(urls.inwerken_page(self.variant.id))

    @property
    def versions_href(self) -> str:
        return self._href(urls.versions_page(self.variant.id))

    @property
    def check_href(self) -> str:
        return self._href(urls.check_page(self.variant.id))

    @property
    def pdf_href(self) -> str:
        return self._href(urls.version_pdf(self.variant.id, self.variant.version))

    @property
    def diff_page_href(self) -> str:
        """What changed in this version (its diff page), from this page."""
        return self._href(urls.version_diff_page(self.variant.id, self.variant.version))

    def version_href(self, version: Variant) -> str:
        """A version's page from the versions page (a served folder)."""
        return urls.dir_url(urls.relative(urls.version_page(version.id, version.version),
                                          urls.versions_page(version.id).rpartition("/")[0]))

    def diff_href(self, version: Variant) -> str:
        """What changed in a version, from the versions page (a served folder)."""
        return urls.dir_url(urls.relative(urls.version_diff_page(version.id, version.version),
                                          urls.versions_page(version.id).rpartition("/")[0]))

    def previous_version_href(self, old: Variant) -> str:
        """Another version's page from this version's diff page."""
        return urls.relative(urls.version_page(old.id, old.version), urls.version_dir(self.variant.id, self.variant.version))

    @cached_property
    def current(self) -> Variant:
        return self.handbook.current(self.variant.id, self.today)

    @property
    def is_current(self) -> bool:
        return self.variant.key == self.current.key

    @cached_property
    def history(self) -> list[tuple[Variant, dt.date | None, dt.date | None]]:
        return self.handbook.history(self.variant.id)

    @cached_property
    def veilig_thuis(self) -> VeiligThuis:
        """Where staff call or report: the region's Veilig Thuis, else the national one."""
        return veilig_thuis(self.variant, self.handbook.contacts)

    @property
    def region(self) -> VeiligThuisRegion | None:
        return self.veilig_thuis.region

    @property
    def national(self):
        return self.handbook.contacts.national

    @property
    def emergency(self):
        return self.handbook.contacts.emergency

    @property
    def wie_from_text(self) -> bool:
        return any(step.wie_from_text for step in self.variant.steps)

    def kader_json(self) -> Markup:
        return kader_json(self.handbook.kader)

    def table_json(self) -> Markup:
        return table_json(self.handbook.kader)


def role_slug(role: Role) -> str:
    """The folder of a role's page inside its variant's folder."""
    return urls.role_slug(role.id)


@dataclass(frozen=True)
class RoleView:
    """One role in one variant: the steps whose wie names it, in the protocol's own words."""

    role: Role
    slug: str
    steps: list[RoleStep]


def role_views(variant: Variant, finder: RoleFinder | None) -> list[RoleView]:
    """Every role the variant's wie texts name, in the order of roles.yaml."""
    if finder is None:
        return []
    return [RoleView(role, role_slug(role), finder.steps_for(variant, role.id)) for role in finder.roles_of(variant)]
