"""Render every page straight to a folder, in several processes, keeping none in memory.

At thousands of variants the rendered Markdown is hundreds of megabytes; the
MkDocs plugin and ``python -m generator render`` write each page as it is made
and hand on only the paths. ``workers`` forked processes each render one
shard of the variants (``pages.iter_pages``); forking shares the loaded
handbook and report with them without copying or pickling.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..checks import Report
from ..model.forking import fork_map
from ..model.handbook import Handbook
from .pages import iter_pages


def _write_shard(job: tuple, shard: tuple[int, int]) -> list[str]:
    folder, handbook, report, today, options = job
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
    count = max(1, workers)
    job = (Path(folder), handbook, report, today, options)
    parts = fork_map(_write_shard, job, [(index, count) for index in range(count)], count)
    return [path for part in parts for path in part]
