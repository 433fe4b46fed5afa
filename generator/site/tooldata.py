"""The afwegingskader as the tool's page embeds it: the kader the worker's engine reads, and the
engine's table of every walk state (computed here, at build time)."""

from __future__ import annotations

from markupsafe import Markup

from ..model.afwegingskader import engine
from ..model.sources import Kader
from .templating import script_json


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
