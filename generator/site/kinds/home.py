"""The home page: the entry by school type, the tool, the search."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import urls
from ...model.sources import SchoolType
from ..templating import Page
from .base import Context, PageKind


def pages(ctx: Context) -> Iterator[Page]:
    by_type = {school_type: [v for v in ctx.views if v.variant.school_type == school_type] for school_type in SchoolType}
    yield Page(urls.HOME, ctx.render("home.md.j2", views=ctx.views, by_type=by_type))


KIND = PageKind("home", ("home.md.j2",), "all", site=pages)
