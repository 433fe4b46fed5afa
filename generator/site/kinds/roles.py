"""A variant's "Wat doe ik als ...?" pages: per role its wie names, the steps in its own words."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import urls
from ..templating import Page
from ..views import VariantView
from .base import Context, PageKind


def pages(ctx: Context, view: VariantView) -> Iterator[Page]:
    situations = ctx.situations(view)
    for role in ctx.roles(view):
        yield Page(urls.role_page(view.variant.id, role.role.id),
                   ctx.render("role.md.j2", view=view, role=role, situations=situations))


KIND = PageKind("roles", ("role.md.j2",), "none", variant=pages)
