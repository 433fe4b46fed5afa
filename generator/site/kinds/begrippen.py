"""The begrippenlijst (``begrippen.yaml``), when the handbook has one."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import urls
from ..templating import Page
from .base import Context, PageKind


def pages(ctx: Context) -> Iterator[Page]:
    if ctx.handbook.begrippen:
        yield Page(urls.BEGRIPPEN, ctx.render("begrippen.md.j2", begrippen=ctx.handbook.begrippen))


KIND = PageKind("begrippen", ("begrippen.md.j2",), "all", site=pages)
