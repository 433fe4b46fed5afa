"""The national afwegingskader as a page, with a link to each variant's tool."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import urls
from ..templating import Page
from .base import Context, PageKind


def pages(ctx: Context) -> Iterator[Page]:
    yield Page(urls.KADER, ctx.render("kader.md.j2", views=ctx.views))


KIND = PageKind("kader", ("kader.md.j2",), "all", site=pages)
