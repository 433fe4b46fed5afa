"""Prints build time, memory, page sizes, afwegingskader start-up and bytes over the wire.

Run with ``make bench`` (everything) or ``make bench-quick`` (``--quick``: no
1,000-variant build, no PDFs, fewer runs), or name sections:
``python -m bench [--quick] [builds] [tool] [site]``. ``BENCH_RUNS`` (default
5, quick 3) sets the unthrottled runs of the tool, ``BENCH_THROTTLED_RUNS``
(default 3, quick 1) the throttled ones. Numbers only; no thresholds are
asserted here or in the tests (targets are in the README and the developer
notes).
"""

from __future__ import annotations

import copy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent

QUICK = "--quick" in sys.argv[1:]
SECTIONS = [arg for arg in sys.argv[1:] if not arg.startswith("-")] or ["builds", "tool", "site"]
RUNS = int(os.environ.get("BENCH_RUNS", "3" if QUICK else "5"))
THROTTLED_RUNS = int(os.environ.get("BENCH_THROTTLED_RUNS", "1" if QUICK else "3"))


def build(protocols: Path, dest: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one real ``mkdocs build``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols)}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)],
        cwd=ROOT, env=env, stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed: {proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


NAMES = (
    "De Regenboog", "Het Kompas", "De Wegwijzer", "De Fontein", "Het Palet", "De Zonnewijzer",
    "De Vlinder", "Het Anker", "De Ark", "De Klimop", "Het Mozaïek", "De Bron", "De Vuurtoren",
    "Sint Jozef", "De Springplank", "Het Baken", "De Horizon", "De Notenkraker", "Oranje Nassau",
    "Willem-Alexander", "De Toermalijn", "Kindcentrum Noord", "Juliana", "De Tandem", "Het Startpunt",
)
PREFIXES = ("Basisschool", "CBS", "OBS", "RKBS", "IKC", "Daltonschool", "Jenaplanschool")
VO_PREFIXES = ("Lyceum", "College", "Scholengemeenschap", "Gymnasium")
PLACES = (
    "Almere", "Amersfoort", "Apeldoorn", "Arnhem", "Assen", "Breda", "Delft", "Deventer", "Dordrecht",
    "Ede", "Eindhoven", "Emmen", "Enschede", "Gouda", "Groningen", "Haarlem", "Heerlen", "Helmond",
    "Hengelo", "Hoorn", "Leeuwarden", "Leiden", "Lelystad", "Maastricht", "Nijmegen", "Oss", "Roosendaal",
    "Sittard", "Tilburg", "Utrecht", "Venlo", "Zaandam", "Zoetermeer", "Zwolle",
)
REGIONS = (
    "Amsterdam-Amstelland", "Drenthe", "Flevoland", "Fryslân", "Gelderland-Midden", "Gelderland-Zuid",
    "Gooi en Vechtstreek", "Groningen", "Haaglanden", "Hollands Midden", "Hollands Noorden",
    "IJsselland", "Kennemerland", "Limburg-Noord", "Midden- en West-Brabant", "Noord- en Oost-Gelderland",
    "Rotterdam Rijnmond", "Twente", "Utrecht", "Zaanstreek-Waterland", "Zeeland", "Zuid-Holland-Zuid",
    "Zuid-Limburg", "Brabant-Noord", "Brabant Zuidoost", "Noord-Veluwe",
)


def school(number: int) -> dict:
    """Name, type, region and board of synthetic school ``number``: spread as real ones are.

    About one school in eight is VO; a board has about seven schools; every name is unique (the
    number is part of it), so a test can search for one school.
    """
    vo = number % 8 == 7
    prefix = (VO_PREFIXES if vo else PREFIXES)[number % (4 if vo else 7)]
    name = NAMES[(number * 7) % len(NAMES)]
    place = PLACES[(number * 13) % len(PLACES)]
    return {
        "title": f"{prefix} {name} {place} {number:04d}",
        "school_type": "VO" if vo else "PO",
        "region": REGIONS[number % len(REGIONS)],
        "board": f"Stichting {NAMES[(number // 7) % len(NAMES)]} {PLACES[(number // 7) % len(PLACES)]} {number // 7:03d}",
    }


def synthetic(protocols: Path, count: int) -> Path:
    """A temporary copy of protocols/ with ``count`` generated variants."""
    target = Path(tempfile.mkdtemp(prefix="meldcode-bench-")) / "protocols"
    shutil.copytree(protocols, target, ignore=shutil.ignore_patterns("variants"))
    (target / "variants").mkdir()
    yaml = YAML()
    templates = [yaml.load(p.read_text(encoding="utf-8")) for p in sorted((protocols / "variants").glob("*.yaml"))]
    for number in range(count):
        data = copy.deepcopy(templates[number % len(templates)])
        facts = school(number)
        data["id"] = f"school-{number:04d}"
        data["title"] = facts["title"]
        data["school_type"] = facts["school_type"]
        data["region"] = facts["region"]
        data["organisation"] = {"name": facts["title"], "board": facts["board"]}
        # Every school's texts differ a little, as real ones do: no cache can share them.
        for step in data["steps"]:
            step["wie"] = f"{step['wie']} (school {number:04d})"
            step["hoe"] = f"{step['hoe']}\n\nAfspraak van school {number:04d}."
        for section in data.get("sections") or []:
            if section.get("body"):
                section["body"] = f"{section['body']}\n\nAfspraak van school {number:04d}."
            for item in section.get("items") or []:
                item["body"] = f"{item['body']}\n\nAfspraak van school {number:04d}."
        with (target / "variants" / f"school-{number:04d}.yaml").open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
    return target


def sizes(site: Path) -> dict:
    pages = [p for p in site.rglob("*.html")]
    largest = max(pages, key=lambda p: p.stat().st_size)
    variant_pages = [p for p in site.glob("varianten/*/index.html")]
    index = site / "search" / "search_index.json"
    return {
        "pages": len(pages),
        "largest page": f"{largest.relative_to(site)} {largest.stat().st_size / 1024:.1f} KiB",
        "largest variant page": f"{max(p.stat().st_size for p in variant_pages) / 1024:.1f} KiB",
        "search index": f"{index.stat().st_size / 1024:.1f} KiB",
    }


def report_builds() -> None:
    print("== build (mkdocs build, 5 seed variants vs 1,000 generated)")
    with tempfile.TemporaryDirectory() as tmp:
        seconds, mib = build(ROOT / "protocols", Path(tmp) / "site")
        print(f"5 variants:     {seconds:6.2f} s   peak RSS {mib:6.1f} MiB   ", sizes(Path(tmp) / "site"))
    if QUICK:
        return
    protocols = synthetic(ROOT / "protocols", 1000)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            seconds, mib = build(protocols, Path(tmp) / "site")
            print(f"1000 variants:  {seconds:6.2f} s   peak RSS {mib:6.1f} MiB   ", sizes(Path(tmp) / "site"))
    finally:
        shutil.rmtree(protocols.parent)


def report_site(site: Path) -> None:
    """PDF time per variant version, then bytes over the wire with and without .gz/.br."""
    from generator.release.pdf import make_pdfs

    from .compressed import report_compressed

    if not QUICK:
        print("== PDF per variant version (Chromium, print stylesheet)")
        made = make_pdfs(site)
        for target, seconds in made:
            print(f"{target.name:45s} {seconds:6.2f} s   {target.stat().st_size / 1024:6.0f} KiB")
        times = [seconds for _, seconds in made]
        print(f"{'median per variant version':45s} {statistics.median(times):6.2f} s   (total {sum(times):.2f} s)")
    report_compressed(site)


if __name__ == "__main__":
    from .checks import report_checks
    from .tool import prepare, report_tool

    unknown = set(SECTIONS) - {"builds", "tool", "site"}
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(sorted(unknown))}; use builds, tool, site")
    if "builds" in SECTIONS:
        report_checks()
        report_builds()
    if "tool" in SECTIONS or "site" in SECTIONS:
        with tempfile.TemporaryDirectory() as tmp:
            build(ROOT / "protocols", Path(tmp) / "built")
            site = prepare(Path(tmp) / "built", Path(tmp) / "site")  # with .gz/.br, as make dist
            if "tool" in SECTIONS:
                report_tool(site, RUNS, THROTTLED_RUNS)
            if "site" in SECTIONS:
                report_site(site)
