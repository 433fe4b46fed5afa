"""Render every page straight to a folder, in several processes, keeping none in memory.

At thousands of variants the rendered Markdown is hundreds of megabytes; the
MkDocs plugin and ``python -m generator render`` write each page as it is made
and hand on only the paths. ``workers`` forked processes each render one
shard of the variants (``pages.iter_pages``); forking shares the loaded
handbook and report with them without copying or pickling.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from pathlib import Path

from ..checks import Report
from ..loader import Handbook
from .pages import iter_pages

_JOB: tuple | None = None
"""What the forked workers render: set before the fork, inherited by them."""


def default_workers() -> int:
    """One process per core (at most 4): rendering is CPU-bound pure Python."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _write_shard(shard: tuple[int, int]) -> list[str]:
    folder, handbook, report, today, options = _JOB
    written = []
    for page in iter_pages(handbook, report, today, shard=shard, **options):
        target = folder / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
        written.append(page.path)
    return written


def write_pages(
    folder: Path, handbook: Handbook, report: Report, today: dt.date, *, workers: int = 1, **options
) -> list[str]:
    """Write every page of ``render_pages`` below ``folder``; return their paths, in no set order."""
    global _JOB
    _JOB = (Path(folder), handbook, report, today, options)
    try:
        if workers <= 1:
            return _write_shard((0, 1))
        shards = [(index, workers) for index in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [path for part in pool.map(_write_shard, shards) for path in part]
    finally:
        _JOB = None
