"""A variant's main page (the version a reader should see) and a stable page per version."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import urls
from ..templating import Page
from ..views import VariantView
from .base import Context, PageKind


def pages(ctx: Context, view: VariantView) -> Iterator[Page]:
    vid = view.variant.id
    yield Page(urls.variant_page(vid), ctx.render(
        "variant.md.j2", view=view, roles=ctx.roles(view), situations=ctx.situations(view)))
    for version, _, _ in view.history:
        version_view = VariantView(version, view.handbook, view.today, up="../../")
        yield Page(urls.version_page(vid, version.version),
                   ctx.render("variant.md.j2", view=version_view, roles=[], situations=[]))


KIND = PageKind("variant", ("variant.md.j2",), "some", variant=pages)
