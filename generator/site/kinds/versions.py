"""A variant's version history and, per version after the first, what changed (a word diff)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import urls
from ..diff import changed, reader_text, word_diff
from ..templating import Page
from ..views import VariantView
from .base import Context, PageKind


def pages(ctx: Context, view: VariantView) -> Iterator[Page]:
    vid = view.variant.id
    yield Page(urls.versions_page(vid), ctx.render("history.md.j2", view=view))
    previous = None
    for version, _, _ in view.history:
        if previous is not None:
            version_view = VariantView(version, view.handbook, view.today, up="../../")
            steps = [
                {
                    "number": new.number,
                    "wat": word_diff(old.wat, new.wat),
                    "wie": word_diff(old.wie, new.wie),
                    "hoe": word_diff(reader_text(old.hoe), reader_text(new.hoe)),
                }
                for old, new in zip(previous.steps, version.steps, strict=True)
            ]
            yield Page(urls.version_diff_page(vid, version.version), ctx.render(
                "version_diff.md.j2", view=version_view, old=previous, new=version, steps=steps, changed=changed))
        previous = version


KIND = PageKind("versions", ("history.md.j2", "version_diff.md.j2"), "none", variant=pages)
