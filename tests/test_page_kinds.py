"""Each page kind says whether search indexes its pages; its pages' front matter agrees."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import PROTOCOLS
from generator.checks import run_checks
from generator.model.loader import load
from generator.site.kinds import KINDS
from generator.site.kinds.base import Context
from generator.site.pages import context

DATE = dt.date(2026, 11, 23)


def excluded(content: str) -> bool:
    front = content.split("---", 2)[1]
    return "search:\n  exclude: true" in front


@pytest.fixture(scope="module")
def ctx() -> Context:
    handbook = load(PROTOCOLS)
    report = run_checks(handbook, DATE)
    return context(handbook, report, DATE, overview_page_size=100)


@pytest.mark.parametrize("kind", [k for k in KINDS if k.site or k.variant], ids=lambda k: k.name)
def test_a_kind_s_pages_are_searched_as_it_says(kind, ctx):
    pages = list(kind.site(ctx)) if kind.site else [p for v in ctx.views for p in kind.variant(ctx, v)]
    assert pages
    hidden = {excluded(page.content) for page in pages}
    assert hidden == {"all": {False}, "none": {True}, "some": {False, True}}[kind.search]
