"""The build benchmark ends a build that stops making progress, and says so.

Zensical 0.0.73 hangs at 7,000 variants (BENCHMARKS.md): without this, ``make bench`` would wait
forever at that row and never print the search, publish or tool figures after it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

import bench.__main__ as bench_main
from bench.__main__ import Stalled, run_measured


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_a_build_that_uses_no_cpu_is_ended_with_all_it_started(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(bench_main, "STALL_SECONDS", 1)
    child = tmp_path / "child.pid"
    waiting = ("import subprocess, sys, time; p = subprocess.Popen(['sleep', '120']); "
               f"open({str(child)!r}, 'w').write(str(p.pid)); time.sleep(120)")
    start = time.monotonic()
    with pytest.raises(Stalled, match="no CPU used for 1 s"):
        run_measured([sys.executable, "-c", waiting], dict(os.environ))
    assert time.monotonic() - start < 60
    deadline = time.monotonic() + 10
    while not _gone(int(child.read_text())) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(int(child.read_text())), "the stalled build's own child is still running"


def test_a_build_that_works_is_measured_not_ended(monkeypatch):
    monkeypatch.setattr(bench_main, "STALL_SECONDS", 1)
    working = "import time\nwhile time.process_time() < 3: pass"  # 3 CPU s, however busy the machine
    seconds, mib, cpu = run_measured([sys.executable, "-c", working], dict(os.environ))
    assert seconds >= 3
    assert cpu >= 2
    assert mib > 0
