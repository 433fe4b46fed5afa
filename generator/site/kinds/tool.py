"""A variant's afwegingskader tool: the kader as static HTML, the engine's routes and data
(``site.tooldata``)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import urls
from ..templating import Page
from ..views import VariantView
from .base import Context, PageKind


def pages(ctx: Context, view: VariantView) -> Iterator[Page]:
    yield Page(urls.tool_page(view.variant.id), ctx.render("tool.md.j2", view=view, situations=ctx.situations(view)))


KIND = PageKind("tool", ("tool.md.j2",), "none", variant=pages)
