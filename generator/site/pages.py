"""Model in, pages out: the engine-neutral core of the generator.

``render_pages`` turns a loaded ``Handbook`` into Markdown pages (with HTML
blocks where a table or widget needs them). It knows nothing of MkDocs, so the
same pages can be written to disk for another engine (``python -m generator
render``). All wording lives in the templates and in ``protocols/``.

Each page kind is a module of ``generator.site.kinds``; this module runs them in order, in
parts (``shard``) and for edited variants only (``only``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator

from ..checks import Report
from ..checks.roles import RoleFinder
from ..model.handbook import Handbook
from .changes import ChangeLog, change_pages
from .checkpages import render_check_pages
from .kinds import SITE, VARIANT
from .kinds.base import Context
from .kinds.comparison import COMPARE_PAGE_SIZE, Comparison, page_window
from .kinds.listings import overview
from .overviews import OVERVIEW_PAGE_SIZE
from .templating import Page, environment
from .views import VariantView

__all__ = ["COMPARE_PAGE_SIZE", "Comparison", "VariantView", "iter_pages", "page_window", "render_pages"]


def render_pages(
    handbook: Handbook, report: Report, today: dt.date, *, compare_page_size: int = COMPARE_PAGE_SIZE,
    overview_page_size: int = OVERVIEW_PAGE_SIZE, site_url: str | None = None,
) -> list[Page]:
    """Every generated page; a function of its inputs only (no clock, no disk)."""
    return list(iter_pages(handbook, report, today, compare_page_size=compare_page_size,
                           overview_page_size=overview_page_size, site_url=site_url))


def context(handbook: Handbook, report: Report, today: dt.date, *,
            overview_page_size: int = OVERVIEW_PAGE_SIZE, site_url: str | None = None) -> Context:
    """What every page kind is given: the views of every variant and the shared template values."""
    env = environment()
    views = [VariantView(handbook.current(vid, today), handbook, today) for vid in handbook.variant_ids]
    ov = overview(views, overview_page_size)
    common = {
        "check_counts": {
            (vid, version): report.counts(report.findings_for(vid, version)) for vid, version in report.checked
        },
        "handbook": handbook,
        "kader": handbook.kader,
        "national": handbook.contacts.national,
        "overview": ov,
        "site_url": site_url,
        "today": today,
    }
    finder = RoleFinder(handbook.roles) if handbook.roles else None
    common["changes"] = ChangeLog(handbook, today, finder)
    return Context(env, handbook, report, today, views, common, finder, overview_page_size)


def iter_pages(
    handbook: Handbook, report: Report, today: dt.date, *, compare_page_size: int = COMPARE_PAGE_SIZE,
    overview_page_size: int = OVERVIEW_PAGE_SIZE, shard: tuple[int, int] = (0, 1),
    only: Collection[str] | None = None, site_url: str | None = None,
) -> Iterator[Page]:
    """The pages one at a time, so a caller can write each and keep none.

    ``shard=(i, n)``: only the i-th of n parts (every n-th comparison page with the pages of
    its variants, and the shared pages in part 0), so that n processes can share the work; the n parts together
    are exactly ``render_pages``. ``only``: of the pages of single variants (their own pages,
    comparison pages, check pages), only those that show one of these variants; the shared
    pages always (``mkdocs serve`` re-renders what an edit can change).
    """
    index, count = shard
    ctx = context(handbook, report, today, overview_page_size=overview_page_size, site_url=site_url)
    env, views, common = ctx.env, ctx.views, ctx.common
    if index == 0:
        for kind in SITE:
            yield from kind.site(ctx)
    # A part is every n-th page of the comparison with its variants' own pages just before it:
    # each text is rendered while it is still in ``templating.markdown``'s cache.
    comparison = Comparison(env, views, common, report, compare_page_size)
    # While every variant fits one overview page, each comparison page's picker lists them all.
    every_comparison_page = only is None or common["overview"].all_fit
    for number, chunk in enumerate(comparison.chunks, start=1):
        if (number - 1) % count != index:
            continue
        for view in chunk:
            if only is None or view.variant.id in only:
                for kind in VARIANT:
                    yield from kind.variant(ctx, view)
        if every_comparison_page or any(view.variant.id in only for view in chunk):
            yield from comparison.pages(number)
    yield from render_check_pages(handbook, env, report, overview_page_size, shard, only)
    yield from change_pages(env, handbook, today, common, page_size=overview_page_size, shard=shard, only=only,
                            site_url=site_url)
