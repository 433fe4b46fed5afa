"""The shape of a page kind and what every kind is given.

A page kind is a module of ``generator.site.kinds`` with one ``KIND``: its templates, whether
search indexes its pages, and a function that yields its pages, either once for the site
(``site``) or once per variant (``variant``, the variant's own pages under
``urls.variant_dir``). Paths come from ``generator.urls``; wording from the templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from jinja2 import Environment

from ...checks import Report
from ...checks.roles import RoleFinder
from ...model.handbook import Handbook
from ..situations import SituationView, situation_views
from ..templating import Page
from ..views import RoleView, VariantView, role_views


@dataclass(frozen=True)
class Context:
    """What every page kind is given: the inputs, the Jinja environment, the views of every
    variant (its current version) and the template variables all pages share."""

    env: Environment
    handbook: Handbook
    report: Report
    today: dt.date
    views: list[VariantView]
    common: dict
    finder: RoleFinder | None
    overview_page_size: int
    _last: dict = field(default_factory=dict)

    def render(self, template: str, **values) -> str:
        return self.env.get_template(template).render(**values, **self.common)

    def _forget_other(self, view: VariantView) -> None:
        for key in [k for k in self._last if k[1] != view.variant.key]:
            del self._last[key]

    def roles(self, view: VariantView) -> list[RoleView]:
        """Every role the variant's wie texts name (only the last variant's kept)."""
        key = ("roles", view.variant.key)
        if key not in self._last:
            self._forget_other(view)
            self._last[key] = role_views(view.variant, self.finder)
        return self._last[key]

    def situations(self, view: VariantView) -> list[SituationView]:
        """The variant's situations, computed once for its kinds (only the last variant's kept)."""
        key = ("situations", view.variant.key)
        if key not in self._last:
            self._forget_other(view)
            self._last[key] = situation_views(view.variant, view.handbook)
        return self._last[key]


@dataclass(frozen=True)
class PageKind:
    name: str
    templates: tuple[str, ...]
    search: Literal["all", "none", "some"]
    """Whether search indexes its pages: every one, none (front matter ``search: exclude``), or
    some (the template decides per page, as the version page that repeats the main page)."""
    site: Callable[[Context], Iterable[Page]] | None = None
    """The kind's pages shared by the whole site (rendered in part 0 of a sharded run)."""
    variant: Callable[[Context, VariantView], Iterable[Page]] | None = None
    """One variant's own pages (every part renders them for its variants)."""
