"""A variant's "Inwerken" page: a new colleague's path through the protocol, in the order she
needs it, a self-check made from the protocol (``checks.selfcheck``) and a leesbevestiging to
print."""

from __future__ import annotations

from collections.abc import Iterator

from ...checks.selfcheck import selfcheck
from ...model import urls
from ..templating import Page
from ..views import VariantView
from .base import Context, PageKind


def pages(ctx: Context, view: VariantView) -> Iterator[Page]:
    handbook = view.handbook
    check = selfcheck(view.variant, handbook.contacts, handbook.situations, ctx.finder)
    site_url = ctx.common["site_url"]
    address = f"{site_url.rstrip('/')}/{view.url}" if site_url else None
    yield Page(urls.inwerken_page(view.variant.id), ctx.render(
        "inwerken.md.j2", view=view, roles=ctx.roles(view), situations=ctx.situations(view), check=check,
        address=address))


KIND = PageKind("inwerken", ("inwerken.md.j2",), "none", variant=pages)
