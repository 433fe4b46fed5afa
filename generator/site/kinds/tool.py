"""A variant's afwegingskader tool: the kader as static HTML, the engine's routes and data."""

from __future__ import annotations

from collections.abc import Iterator

from markupsafe import Markup

from ... import urls
from ...afwegingskader import engine
from ...model import Kader
from ..templating import Page, script_json
from ..views import VariantView
from .base import Context, PageKind


def kader_data(kader: Kader) -> dict:
    """Only what the engine routes on; the wording stays in the page's HTML."""
    return {
        "start": kader.start,
        "questions": [
            {
                "id": q.id,
                "number": q.number,
                "answers": [{"label": a.label, "next": a.next} for a in q.answers],
            }
            for q in kader.questions
        ],
        "outcomes": [{"id": o.id, "kind": o.kind.value} for o in kader.outcomes],
    }


def kader_json(kader: Kader) -> Markup:
    """The kader as the worker's engine reads it."""
    return _script_json(kader_data(kader))


def table_json(kader: Kader) -> Markup:
    """Every walk state and where each command leads from it, computed by the engine at build time.

    The browser only looks up in this table, from first paint, before Pyodide runs; the
    engine in the worker then replays the commands and must land where the page went.
    """
    return _script_json(engine.table(kader_data(kader)))


def _script_json(data) -> Markup:
    return script_json(data, separators=(",", ":"))


def pages(ctx: Context, view: VariantView) -> Iterator[Page]:
    yield Page(urls.tool_page(view.variant.id), ctx.render("tool.md.j2", view=view, situations=ctx.situations(view)))


KIND = PageKind("tool", ("tool.md.j2",), "none", variant=pages)
