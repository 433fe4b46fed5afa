"""How long one edited protocol takes to publish: ``python -m generator build --cache`` (``make
build`` without the PDFs) after an edit of a title, a step and a region, one after the other, on
a site the same command built whole (D34).

``python -m bench.publish [COUNT ...]`` (default 1000), and part of ``make bench``'s build table.
Numbers only; ``tests/test_incremental.py`` proves the result equals a full build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .synthetic import REGIONS, step_agreement, synthetic

ROOT = Path(__file__).resolve().parent.parent


def cached_build(protocols: Path, site: Path, cache: Path, engine: str = "mkdocs") -> float:
    """Seconds of one ``python -m generator build --engine ENGINE --cache`` (no PDFs)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols)}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--engine", engine, "-d", str(site),
                             "--cache", str(cache)], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"build failed: {result.stderr}")
    return time.perf_counter() - start


def edited_file(protocols: Path, number: int | None) -> Path:
    """The variant file ``edits`` changes: a synthetic school's ``number``, else the first seed variant."""
    files = sorted((protocols / "variants").glob("*.yaml"))
    return protocols / "variants" / f"school-{number:04d}.yaml" if number is not None else files[0]


def edits(protocols: Path, number: int | None):
    """(what, change) for a title, a step and a region of one variant (``edited_file``)."""
    path = edited_file(protocols, number)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    step = next(s for s in data["steps"] if s["number"] == 3)
    old_step = step_agreement(number, 3) if number is not None else step["hoe"].splitlines()[0]
    region = next(r for r in REGIONS if r != data.get("region"))

    def replace(old: str, new: str):
        def change():
            text = path.read_text(encoding="utf-8")
            if old not in text:
                raise SystemExit(f"{path.name}: {old!r} not found")
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return change

    return [
        ("title", replace(f"title: {data['title']}", f"title: {data['title']} (bewerkt)")),
        ("step 3", replace(old_step, "Bewerkte afspraak bij stap drie.")),
        ("region", replace(f"region: {data['region']}", f"region: {region}")),
    ]


def measure(protocols: Path, site: Path, cache: Path, number: int | None, engine: str = "mkdocs") -> list[tuple[str, float]]:
    """The seconds of a cached build after each edit; the site and cache are those of a full
    ``cached_build`` already made. The edited file is as it was afterwards (the next engine's
    build starts from the same sources)."""
    path = edited_file(protocols, number)
    before = path.read_bytes()
    times = []
    try:
        for what, change in edits(protocols, number):
            time.sleep(0.01)
            change()
            times.append((what, cached_build(protocols, site, cache, engine)))
    finally:
        path.write_bytes(before)
    return times


def main(counts: list[int]) -> None:
    print("| variants | full build with cache s | title edit s | step 3 edit s | region edit s |")
    print("|---:|---:|---:|---:|---:|", flush=True)
    for n in counts:
        work = Path(tempfile.mkdtemp(prefix="meldcode-bench-publish-"))
        try:
            if n == 5:
                protocols = work / "protocols"
                shutil.copytree(ROOT / "protocols", protocols)
            else:
                protocols = synthetic(ROOT / "protocols", n)
            full = cached_build(protocols, work / "site", work / "cache")
            times = measure(protocols, work / "site", work / "cache", None if n == 5 else n // 3)
            print(f"| {n:,} | {full:.0f} | " + " | ".join(f"{seconds:.1f}" for _, seconds in times) + " |", flush=True)
        finally:
            if n != 5:
                shutil.rmtree(protocols.parent, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [1000])
