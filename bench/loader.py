"""Prints how long ``generator.model.loader.load()`` takes on synthetic handbooks.

``python -m bench.loader [COUNT ...]`` (default 1000 7000): for each count of
variants, the first load (nothing cached), a second load with nothing changed,
and a third after one variant file was edited, as ``mkdocs serve`` reloads.
Numbers only; no thresholds.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from bench.synthetic import synthetic
from generator.model import loader

ROOT = Path(__file__).resolve().parent.parent


def timed(protocols: Path) -> float:
    start = time.perf_counter()
    handbook = loader.load(protocols)
    seconds = time.perf_counter() - start
    assert handbook.variants, "no variants loaded"
    return seconds


def main(counts: list[int]) -> None:
    for count in counts:
        protocols = synthetic(ROOT / "protocols", count)
        try:
            getattr(loader, "_CACHE", {}).clear()
            print(f"load {count} variants, first:              {timed(protocols):8.2f} s", flush=True)
            print(f"load {count} variants, again, unchanged:   {timed(protocols):8.2f} s", flush=True)
            edited = sorted((protocols / "variants").glob("*.yaml"))[count // 2]
            edited.write_text(edited.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
            print(f"load {count} variants, again, 1 file edited: {timed(protocols):8.2f} s", flush=True)
        finally:
            shutil.rmtree(protocols.parent)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 7000])
