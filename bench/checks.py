"""The quality checks on one very long field: time grows with the text, not its square.

Each shape is a text that made a backtracking pattern read the rest of the text
from every position (a 200,000-character word once took 78 s). The checks run
on a variant whose step 2 *hoe* is that text, at 250 kB and at 1 MB: linear
checks take about four times as long for the longer text, quadratic ones sixteen.
The loader refuses fields over 100,000 characters; the checks are built so that
the limit is about page size, not about the checks' time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path

from generator.checks import run_checks
from generator.model.loader import Handbook, load

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)

SHAPES = {
    "one long word": lambda n: "a" * n,
    "dotted words": lambda n: "ab." * (n // 3),
    "hyphenated": lambda n: "a-" * (n // 2),
    "at signs": lambda n: "a@" * (n // 2),
    "link openers ](": lambda n: "](" * (n // 2),
    "autolink openers <http:": lambda n: "<http:" * (n // 6),
    "www. repeated": lambda n: "www." * (n // 4),
    "digits and spaces": lambda n: "0 " * (n // 2),
    "distinct bad numbers": lambda n: "".join(f"0{i:07d}, " for i in range(n // 10)),
    "distinct bad mails": lambda n: "".join(f"a{i}@b " for i in range(n // 10)),
    "prose": lambda n: "De leerkracht belt Veilig Thuis (088-1234567), zie www.example.nl. " * (n // 68),
}


def with_long_hoe(handbook: Handbook, text: str) -> Handbook:
    """The handbook with one variant's step 2 *hoe* replaced (past the loader's limit)."""
    variant = handbook.current("levwn", TODAY)
    steps = [s.model_copy(update={"hoe": text}) if s.number == 2 else s for s in variant.steps]
    changed = variant.model_copy(update={"steps": steps})
    return dataclasses.replace(handbook, variants=[changed if v.key == variant.key else v for v in handbook.variants])


def seconds(handbook: Handbook) -> float:
    start = time.perf_counter()
    run_checks(handbook, TODAY)
    return time.perf_counter() - start


def report_checks() -> None:
    handbook = load(ROOT / "protocols")
    print("== quality checks with one long field (run_checks, all rules, all variants)")
    print(f"{'text of step 2 hoe':28s} {'250 kB':>8s} {'1 MB':>8s} {'ratio':>6s}   (linear: ~4)")
    print(f"{'(the seeds as they are)':28s} {seconds(handbook):7.2f}s")
    for name, make in SHAPES.items():
        small, large = seconds(with_long_hoe(handbook, make(250_000))), seconds(with_long_hoe(handbook, make(1_000_000)))
        print(f"{name:28s} {small:7.2f}s {large:7.2f}s {large / small:6.1f}")


if __name__ == "__main__":
    report_checks()
