"""The start-up bench (bench/startup.py) instruments the tool's own scripts, or says it cannot.

Its numbers are only as true as its marks: an edit of ``worker.js``, ``boot.mjs`` or the glue
that moves a text the bench hooks onto must stop the bench with the file's name, not leave a
stage unmarked.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bench.startup import EDITS, GLUE, STAGES, instrument

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def served(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "docs" / GLUE, tmp_path / GLUE)
    for path in (tmp_path / GLUE).iterdir():
        (path.parent / (path.name + ".br")).write_bytes(b"stale")
    return tmp_path


def test_every_stage_is_marked_in_the_shipped_scripts(served: Path):
    instrument(served)
    text = "".join((served / GLUE / name).read_text("utf-8") for name in {name for name, _, _ in EDITS})
    for key, _ in STAGES:
        assert f"__stages.{key} =" in text or f"{key}: " in text, key
    # The server must send the edited files, not their stale compressed copies.
    assert not list((served / GLUE).glob("*.br"))
    for name in ("worker.js", "afwegingskader.js"):  # still JavaScript
        if shutil.which("node"):
            check = subprocess.run(["node", "--check", str(served / GLUE / name)], capture_output=True, text=True)
            assert check.returncode == 0, check.stderr


def test_a_moved_anchor_stops_the_bench_with_the_file_s_name(served: Path):
    boot = served / GLUE / "boot.mjs"
    boot.write_text(boot.read_text("utf-8").replace("stderr: () => {},", "stderr: () => null,"), "utf-8")
    with pytest.raises(SystemExit, match=r"boot\.mjs"):
        instrument(served)
