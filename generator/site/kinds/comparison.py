"""The comparison in pages of ``compare_page_size`` variants (``vergelijken/``), and per
variant the JSON fragment its picker loads; what a column compares is ``site.compare``.

Not a ``site`` or ``variant`` kind: ``iter_pages`` renders each comparison page right after
its variants' own pages, while their texts are in ``templating.markdown``'s cache."""

from __future__ import annotations

import json

from jinja2 import Environment

from ...checks import Report
from ...model import urls
from ..compare import column
from ..situations import situation_views
from ..templating import Page
from ..views import VariantView
from .base import PageKind

COMPARE_PAGE_SIZE = 5
"""Default variants per static comparison page (the plugin's ``compare_page_size``)."""


def page_window(number: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows on page ``number`` of ``count``: the first, the last and
    ``around`` on either side; None where numbers are left out. A pager listing all pages
    would grow every page with the number of variants."""
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    window: list[int | None] = []
    for page in shown:
        if window and page - window[-1] > 1:
            window.append(None)
        window.append(page)
    return window


class Comparison:
    """The comparison in pages of ``size`` variants (``vergelijken/``), and per variant the
    fragment its picker loads."""

    def __init__(self, env: Environment, views: list[VariantView], common: dict, report: Report, size: int):
        self.env, self.views, self.common, self.report = env, views, common, report
        self.chunks = [views[i : i + size] for i in range(0, len(views), size)] or [[]]
        self.paths = [urls.compare_page(n) for n in range(1, len(self.chunks) + 1)]
        self.names = [path.rpartition("/")[2] for path in self.paths]
        self.template = env.get_template("compare.md.j2")
        self.comparison = env.get_template("partials/compare.html.j2").module.comparison
        self.basis = views[0].handbook.basismodel if views else None
        situations = views[0].handbook.situations if views else None
        self.situations = situations.situations if situations else []

    def pages(self, number: int) -> list[Page]:
        """Page ``number`` (from 1), then the fragments of its variants."""
        views, chunk, names = self.views, self.chunks[number - 1], self.names
        columns = [column(v.variant, v.handbook, v.url, self.report,
                          situation_views(v.variant, v.handbook)) for v in chunk]
        pages = [
            Page(
                self.paths[number - 1],
                self.template.render(
                    views=views, columns=columns, number=number, pages=names, window=page_window(number, len(names)),
                    picker=views if self.common["overview"].all_fit else chunk, situations=self.situations,
                    root=urls.up_to_root(urls.dir_url(self.paths[number - 1])), **self.common,
                ),
            )
        ]
        # The columns as the static page renders them, for the picker's script (their texts are
        # still in the caches).
        for item in columns:
            data = {"id": item.variant.id, "title": item.variant.title,
                    "html": str(self.comparison([item], self.basis, "", self.situations))}
            pages.append(Page(urls.compare_fragment(item.variant.id), json.dumps(data, ensure_ascii=False)))
        return pages


KIND = PageKind("comparison", ("compare.md.j2",), "none")
