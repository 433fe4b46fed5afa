"""A variant's "Waar gaat uw zorg over?" pages: per situation what the protocol says."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import urls
from ..situations import consult_step
from ..templating import Page
from ..views import VariantView
from .base import Context, PageKind


def pages(ctx: Context, view: VariantView) -> Iterator[Page]:
    situations = ctx.situations(view)
    consult = consult_step(view.variant, view.handbook)
    for situation in situations:
        yield Page(urls.situation_page(view.variant.id, situation.situation.id), ctx.render(
            "situation.md.j2", view=view, situation=situation, situations=situations, consult=consult))


KIND = PageKind("situations", ("situation.md.j2",), "none", variant=pages)
