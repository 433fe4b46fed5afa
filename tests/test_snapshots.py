"""Snapshots of every generated page: what a reader sees changes only in review.

``render_pages`` for the seed protocols at a fixed date is compared, page by
page, with the files in ``tests/snapshots/``. After an intended change, run
``.venv/bin/pytest tests/test_snapshots.py --update-snapshots`` and review the
diff of ``tests/snapshots/`` like any other change.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import PROTOCOLS
from generator.checks import run_checks
from generator.loader import load
from generator.site.pages import render_pages

SNAPSHOTS = Path(__file__).parent / "snapshots"
DATE = dt.date(2026, 11, 23)
"""Fixed, so that "the version in force" and the age checks never drift."""


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    handbook = load(PROTOCOLS)
    return {page.path: page.content for page in render_pages(handbook, run_checks(handbook, DATE), DATE)}


def test_snapshots(pages, request):
    if request.config.getoption("--update-snapshots"):
        shutil.rmtree(SNAPSHOTS, ignore_errors=True)
        for path, content in pages.items():
            target = SNAPSHOTS / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        pytest.skip(f"rewrote {len(pages)} snapshots in {SNAPSHOTS}")
    stored = {p.relative_to(SNAPSHOTS).as_posix() for p in SNAPSHOTS.rglob("*") if p.is_file()}
    assert sorted(stored - set(pages)) == [], "pages no longer generated (update with --update-snapshots)"
    assert sorted(set(pages) - stored) == [], "new pages without a snapshot (update with --update-snapshots)"
    changed = [path for path, content in sorted(pages.items())
               if (SNAPSHOTS / path).read_text(encoding="utf-8") != content]
    if changed:
        first = changed[0]
        import difflib

        diff = "".join(difflib.unified_diff(
            (SNAPSHOTS / first).read_text(encoding="utf-8").splitlines(keepends=True),
            pages[first].splitlines(keepends=True), f"snapshots/{first}", f"rendered/{first}", n=1))
        pytest.fail(f"{len(changed)} page(s) differ from tests/snapshots/ (first shown; "
                    f"if intended, run with --update-snapshots):\n{changed}\n{diff[:4000]}")
