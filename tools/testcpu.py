"""Where `make test` spends the machine's CPU, test by test: a pytest plugin.

    .venv/bin/pytest -p tools.testcpu -n 0 -q          # one process: the CPU is the test's own
    .venv/bin/pytest -p tools.testcpu -n 0 -q tests/test_browser.py

The suite is CPU-bound on two cores (its xdist workers leave the CPU idle only a few per cent of
the time), so `make test`'s time follows the CPU its tests use, not their waiting. Chromium's
processes are not the test's children, so the plugin reads the whole machine's busy time
(/proc/stat) around each test: run it in one process (``-n 0``) on a quiet machine. It
prints the tests and the files that used most, and writes every test to ``testcpu.jsonl`` (or
``$TESTCPU_OUT``).
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from pathlib import Path

import pytest

_rows: list[dict] = []


def _busy_seconds() -> float:
    """CPU seconds the machine has been busy (user, nice, system, irq, ...; not idle or iowait)."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(n) for n in stat.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    wall, cpu = time.monotonic(), _busy_seconds()
    yield
    _rows.append({"test": item.nodeid, "cpu": round(_busy_seconds() - cpu, 2), "wall": round(time.monotonic() - wall, 2)})


def pytest_terminal_summary(terminalreporter, config):
    if hasattr(config, "workerinput"):  # an xdist worker: side by side, a test's CPU is not its own
        return
    if not _rows:  # the tests ran in xdist's workers
        terminalreporter.write_line("testcpu: nothing measured in this process: run with -n 0")
        return
    out = Path(os.environ.get("TESTCPU_OUT", "testcpu.jsonl"))
    out.write_text("".join(json.dumps(row) + "\n" for row in _rows), encoding="utf-8")
    files: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in _rows:
        totals = files[row["test"].split("::")[0]]
        totals[0] += row["cpu"]
        totals[1] += row["wall"]
    write = terminalreporter.write_line
    write(f"testcpu: {sum(r['cpu'] for r in _rows):.0f} CPU s, {sum(r['wall'] for r in _rows):.0f} s in all; every test in {out}")
    write("CPU s   wall s  file")
    for name, (cpu, wall) in sorted(files.items(), key=lambda kv: -kv[1][0])[:15]:
        write(f"{cpu:6.1f}  {wall:6.1f}  {name}")
    write("CPU s   wall s  test")
    for row in sorted(_rows, key=lambda r: -r["cpu"])[:20]:
        write(f"{row['cpu']:6.1f}  {row['wall']:6.1f}  {row['test']}")
