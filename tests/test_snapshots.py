"""Snapshots of every generated page: what a reader sees changes only in review.

``render_pages`` for the seed protocols at a fixed date is compared, page by
page, with the files in ``tests/snapshots/``; the main content (``<article>``)
of every page of the seed site built by MkDocs at that date with the files in
``tests/snapshots_html/``, so that a change of the engine's output (Markdown
extensions, the theme, an upgrade) shows in review too. After an intended
change, run ``.venv/bin/pytest tests/test_snapshots.py --update-snapshots`` and
review the diff of both folders like any other change.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import PROTOCOLS, built_pages
from generator.checks import run_checks
from generator.model.loader import load
from generator.site.pages import render_pages

SNAPSHOTS = Path(__file__).parent / "snapshots"
HTML_SNAPSHOTS = Path(__file__).parent / "snapshots_html"
DATE = dt.date(2026, 11, 23)
"""Fixed, so that "the version in force" and the age checks never drift."""


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    handbook = load(PROTOCOLS)
    return {page.path: page.content for page in render_pages(handbook, run_checks(handbook, DATE), DATE)}


def test_snapshots(pages, request):
    compare(pages, SNAPSHOTS, request)


@pytest.fixture(scope="module")
def articles(build, tmp_path_factory) -> dict[str, str]:
    """The normalised ``<article>`` of every page of the seed site, built by MkDocs at DATE."""
    from htmltext import article_html

    site = tmp_path_factory.mktemp("html-snapshots") / "site"
    result = build(site, env={"MELDCODE_BUILD_DATE": DATE.isoformat()})
    assert result.returncode == 0, result.stderr
    files = [url + "index.html" if url == "" or url.endswith("/") else url for url in built_pages(site)]
    return {path: article_html(site / path) for path in files}


def test_html_snapshots(articles, request):
    compare(articles, HTML_SNAPSHOTS, request)


def compare(pages: dict[str, str], snapshots: Path, request) -> None:
    """``pages`` (path -> text) against the files below ``snapshots`` (rewritten with --update-snapshots)."""
    name = snapshots.name
    if request.config.getoption("--update-snapshots"):
        shutil.rmtree(snapshots, ignore_errors=True)
        for path, content in pages.items():
            target = snapshots / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        pytest.skip(f"rewrote {len(pages)} snapshots in {snapshots}")
    stored = {p.relative_to(snapshots).as_posix() for p in snapshots.rglob("*") if p.is_file()}
    assert sorted(stored - set(pages)) == [], "pages no longer generated (update with --update-snapshots)"
    assert sorted(set(pages) - stored) == [], "new pages without a snapshot (update with --update-snapshots)"
    changed = [path for path, content in sorted(pages.items())
               if (snapshots / path).read_text(encoding="utf-8") != content]
    if changed:
        first = changed[0]
        import difflib

        diff = "".join(difflib.unified_diff(
            (snapshots / first).read_text(encoding="utf-8").splitlines(keepends=True),
            pages[first].splitlines(keepends=True), f"{name}/{first}", f"rendered/{first}", n=1))
        pytest.fail(f"{len(changed)} page(s) differ from tests/{name}/ (first shown; "
                    f"if intended, run with --update-snapshots):\n{changed}\n{diff[:4000]}")
