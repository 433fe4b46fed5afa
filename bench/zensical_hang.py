"""Zensical hangs when its docs folder holds more than 63,365 files: the smallest input, without
the generator (decisions/D40-zensical-hang.md).

``python -m bench.zensical_hang [COUNT ...]`` (default ``63365 63366``) makes, per count, a plain
project in a temporary folder: ``mkdocs.yml`` with a site name and a one-entry nav, ``docs/index.md``
and COUNT - 1 one-line Markdown pages in folders of 100, then runs ``python -m zensical build`` on
it and watches the CPU time of its process: ``hangs`` when it uses none for 40 s, ``proceeds`` once
it passed 15 CPU s (the hang comes within the first two; ``--full`` waits for the end instead),
``built`` when it ended first. Only ``zensical`` is needed (standard library otherwise).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STALL = 40.0
"""Seconds without CPU that count as a hang."""
PROCEEDS = 15.0
"""CPU seconds after which a build is past the point where the larger count hangs."""


def project(folder: Path, count: int) -> None:
    """A plain Zensical project with ``count`` Markdown files in ``docs/``."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nHello.\n", encoding="utf-8")
    for number in range(count - 1):
        page = docs / f"d{number // 100:04d}" / f"p{number:06d}.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(f"# Page {number}\n\nText of page {number}.\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Plain\nnav:\n  - Home: index.md\n", encoding="utf-8")


def cpu_seconds(pid: int) -> float:
    """CPU time of a process, its threads included (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def watch(folder: Path, full: bool) -> str:
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    cpu, busy = 0.0, time.monotonic()
    try:
        while proc.poll() is None:
            try:
                now = cpu_seconds(proc.pid)
            except OSError:
                continue
            if now > cpu:
                cpu, busy = now, time.monotonic()
            if not full and cpu > PROCEEDS:
                return f"proceeds (passed {PROCEEDS:.0f} CPU s)"
            if time.monotonic() - busy > STALL:
                return f"hangs ({cpu:.1f} CPU s, then none for {STALL:.0f} s)"
            time.sleep(0.5)
        return f"built (exit {proc.returncode}) in {time.monotonic() - start:.0f} s, {cpu:.0f} CPU s"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main(counts: list[int], full: bool) -> None:
    from importlib.metadata import version

    print(f"zensical {version('zensical')}: a docs folder of N files, `python -m zensical build`", flush=True)
    for count in counts:
        folder = Path(tempfile.mkdtemp(prefix="zensical-hang-"))
        try:
            project(folder, count)
            print(f"{count:,} files: {watch(folder, full)}", flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if arg != "--full"]
    main([int(n) for n in arguments] or [63_365, 63_366], "--full" in sys.argv[1:])
