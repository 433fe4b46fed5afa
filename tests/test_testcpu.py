"""tools/testcpu.py, the plugin that shows where `make test` spends the CPU (guides/testing.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT


def _run(tmp_path, *options: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_two.py").write_text(
        "def test_counts():\n    assert sum(range(10**6)) > 0\n\n\ndef test_nothing_much():\n    assert True\n",
        encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tools.testcpu", "-p", "no:cacheprovider", *options, "test_two.py"],
        cwd=tmp_path, capture_output=True, text=True,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},
             "PYTHONPATH": str(ROOT), "TESTCPU_OUT": str(tmp_path / "cpu.jsonl")})


def test_every_test_gets_a_row_and_the_summary_names_its_file(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [json.loads(line) for line in (tmp_path / "cpu.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["test"] for row in rows] == ["test_two.py::test_counts", "test_two.py::test_nothing_much"]
    assert all(row["cpu"] >= 0 and row["wall"] >= 0 for row in rows)
    assert "CPU s   wall s  file" in result.stdout
    assert any(line.endswith("  test_two.py") for line in result.stdout.splitlines())


def test_in_xdist_workers_it_says_to_run_in_one_process(tmp_path):
    result = _run(tmp_path, "-n", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "run with -n 0" in result.stdout
    assert not (tmp_path / "cpu.jsonl").exists()
