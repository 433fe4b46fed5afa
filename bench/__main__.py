"""Prints build time, memory, page sizes, afwegingskader start-up and bytes over the wire.

Run with ``make bench`` (everything) or ``make bench-quick`` (``--quick``: only the seed
build, no PDFs, fewer runs), or name sections:
``python -m bench [--quick] [builds] [tool] [site] [import] [snapshot] [startup]`` (``snapshot``, the memory
snapshot trial of ``bench/snapshot.py``, and ``startup``, the engine's start-up by stage of
``bench/startup.py``, only when named). ``BENCH_RUNS`` (default
5, quick 3) sets the unthrottled runs of the tool, ``BENCH_THROTTLED_RUNS``
(default 3, quick 1) the throttled ones. Numbers only; no thresholds are
asserted here or in the tests (targets are in the README and the developer
notes).
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .synthetic import school, step_agreement, synthetic

ROOT = Path(__file__).resolve().parent.parent


QUICK = "--quick" in sys.argv[1:]
SECTIONS = [arg for arg in sys.argv[1:] if not arg.startswith("-")] or ["builds", "tool", "site"]
RUNS = int(os.environ.get("BENCH_RUNS", "3" if QUICK else "5"))
THROTTLED_RUNS = int(os.environ.get("BENCH_THROTTLED_RUNS", "1" if QUICK else "3"))


def _tree(pid: int) -> list[int]:
    """A process and all its descendants now living (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
        found.append(current)
    return found


def _tree_rss(pids: list[int]) -> int:
    """Memory of processes (``_tree``): the sum of their proportional set sizes (PSS), so that pages
    a forked worker shares with the build's process count once, not once per process as a sum of
    their RSS would."""
    total = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:"))) * 1024
        except (OSError, StopIteration, ValueError):
            continue
    return total


def _tree_cpu(pids: list[int]) -> float:
    """CPU seconds of processes (``_tree``) so far, their children that already ended included
    (/proc: utime, stime, cutime, cstime)."""
    total = 0
    for pid in pids:
        try:
            total += sum(int(value) for value in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:15])
        except (OSError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


STALL_SECONDS = 180
"""A build whose processes together use no CPU for this long has stopped (Zensical 0.0.73 at
7,000 variants: both its threads wait on each other, BENCHMARKS.md); the bench ends it and
says so instead of waiting forever."""


class Stalled(Exception):
    """A build stopped making progress; its processes were ended."""


class BuildFailed(SystemExit):
    """A build ended with an error (Zensical refuses a docs folder it would hang on, D40): the
    build table says so in its row; elsewhere the bench stops."""


def build(protocols: Path, dest: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB, all processes of the build together) of one real ``mkdocs build``."""
    seconds, mib, _ = build_measured(protocols, dest)
    return seconds, mib


ENGINES = [name for name in os.environ.get("BENCH_ENGINES", "mkdocs,zensical,properdocs").split(",") if name.strip()]
"""The engines whose builds are measured (``make build ENGINE=...``)."""

CACHED = ("mkdocs", "properdocs")
"""The engines that keep a cache for the next build (``make build``'s ``--cache``, D34): measured
as ``make build`` builds, and then publishing one edit."""


def build_measured(protocols: Path, dest: Path, engine: str = "mkdocs",
                   cache: Path | None = None) -> tuple[float, float, float]:
    """Seconds, peak memory of the whole process tree (PSS, MiB, sampled every 0.2 s) and CPU seconds
    of one build: ``mkdocs build``, or ``python -m generator build --engine ENGINE``; with ``cache``,
    ``python -m generator build --cache`` (``make build`` without the PDFs)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols)}
    command = ([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)]
               if engine == "mkdocs" and cache is None else
               [sys.executable, "-m", "generator", "build", "--engine", engine, "-d", str(dest)]
               + (["--cache", str(cache)] if cache is not None else []))
    return run_measured(command, env)


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds, peak memory (MiB) and CPU seconds of ``command`` and all it starts; ``Stalled``
    (its processes ended) once they together use no CPU for ``STALL_SECONDS``."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, start_new_session=True)
    peak = 0
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)
    reader.start()
    cpu, busy = 0.0, time.perf_counter()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        tree = _tree(proc.pid)
        peak = max(peak, _tree_rss(tree))
        if (now_cpu := _tree_cpu(tree)) > cpu:
            cpu, busy = now_cpu, time.perf_counter()
        elif time.perf_counter() - busy > STALL_SECONDS:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise Stalled(f"no CPU used for {STALL_SECONDS} s, ended {time.perf_counter() - start:.0f} s after the start"
                          f" at {cpu:.0f} CPU s")
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    reader.join()
    if status != 0:
        raise BuildFailed(f"build failed: {b''.join(errors).decode()}")
    peak = max(peak, usage.ru_maxrss * 1024)  # the largest single process, if sampling missed it
    return seconds, peak / 1024 / 1024, usage.ru_utime + usage.ru_stime


def _mib(n: float) -> str:
    return f"{n / 1024 / 1024:.0f} MiB" if n >= 10 * 1024 * 1024 else f"{n / 1024:.0f} KiB"


def sizes(site: Path) -> dict:
    pages = list(site.rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    index = site / "pagefind"
    return {
        "pages": len(pages),
        "largest": (largest.relative_to(site).parent.as_posix() + "/", largest.stat().st_size),
        "over_100k": sum(1 for p in pages if p.stat().st_size > 100 * 1024),
        "largest_variant": max(p.stat().st_size for p in site.glob("varianten/*/index.html")),
        "site": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        "index": sum(p.stat().st_size for p in index.rglob("*") if p.is_file()),
    }


def counts() -> list[int]:
    """``BENCH_VARIANTS=5,1000,7000`` (the default; ``--quick``: 5): 5 is the seed protocols, others
    synthetic (``bench/synthetic.py``)."""
    default = "5" if QUICK else "5,1000,7000"
    return [int(n) for n in os.environ.get("BENCH_VARIANTS", default).split(",") if n.strip()]


def index_measured(site: Path, workers: int = 2) -> tuple[float, float]:
    """Seconds and peak memory (MiB, PSS of the process tree) of the search index alone, made
    again over a built site as the build makes it (``workers`` Pagefind runs at a time)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "generator.release.search", str(site), str(workers)], cwd=ROOT)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(_tree(proc.pid)))
        time.sleep(0.2)
    if proc.returncode != 0:
        raise SystemExit("indexing failed")
    return time.perf_counter() - start, peak / 1024 / 1024


def search_queries(n: int) -> list[str]:
    """A first query by a school's name and one by a phrase of its step 3: a seed protocol's
    at 5 variants, a synthetic school's (``bench.synthetic``) otherwise."""
    if n == 5:
        return ["Stichting Consent", "Bespreek de signalen met de ouder/verzorger"]
    number = min(n - 1, 4242)
    return [school(number)["title"], step_agreement(number, 3).rstrip(".")]


def report_builds() -> None:
    """The table of the README: one real build per count (a row as soon as it is measured),
    then, per count, a first search by a school's name and by a phrase of its step 3
    (``bench.search``)."""
    from .publish import measure as measure_edits
    from .search import report as report_search

    tmp = Path(tempfile.mkdtemp(prefix="meldcode-bench-site-"))
    print("== build (pages and search index; python -m generator build --engine ENGINE, with --cache for "
          + " and ".join(CACHED) + ": make build without PDFs; BENCH_ENGINES=" + ",".join(ENGINES)
          + "; BENCH_VARIANTS=" + ",".join(map(str, counts())) + ")")
    print("| variants | engine | build s | CPU s | peak memory | site size | search index | largest page | pages > 100 KiB |")
    print("|---:|---|---:|---:|---:|---:|---:|---|---:|", flush=True)
    searches, published = [], []
    try:
        for n in counts():
            if n == 5:  # a copy: the edits below must not touch the repository's protocols
                protocols = Path(tempfile.mkdtemp(prefix="meldcode-bench-")) / "protocols"
                shutil.copytree(ROOT / "protocols", protocols)
            else:
                protocols = synthetic(ROOT / "protocols", n)
            try:
                for engine in ENGINES:
                    site = tmp / f"site-{n}-{engine}"
                    cache = tmp / f"cache-{n}" if engine in CACHED else None  # make build's, without PDFs
                    try:
                        seconds, mib, cpu = build_measured(protocols, site, engine, cache)
                    except Stalled as stalled:
                        print(f"| {n:,} | {engine} | stalled: {stalled} | | | | | | |", flush=True)
                        shutil.rmtree(site, ignore_errors=True)
                        continue
                    except BuildFailed as failed:
                        last = str(failed).strip().splitlines()[-1]
                        print(f"| {n:,} | {engine} | failed: {last} | | | | | | |", flush=True)
                        shutil.rmtree(site, ignore_errors=True)
                        continue
                    info = sizes(site)
                    path, size = info["largest"]
                    print(f"| {n:,} | {engine} | {seconds:.0f} | {cpu:.0f} | {mib:.0f} MiB | {_mib(info['site'])} "
                          f"| {_mib(info['index'])} | {size / 1024:.0f} KiB ({path}) | {info['over_100k']} |", flush=True)
                    print(f"   largest variant page at {n:,} variants ({engine}): {info['largest_variant'] / 1024:.0f} KiB",
                          flush=True)
                    # First: the search measurements below write into the site (a new index, compressed
                    # copies), and a site changed outside the build makes the next build full.
                    if cache is not None:  # one edited protocol published (bench/publish.py)
                        published.append((n, engine, measure_edits(protocols, site, cache, None if n == 5 else n // 3,
                                                                    engine=engine)))
                        print("   publish one edit: " + ", ".join(f"{what} {s:.1f} s" for what, s in published[-1][2]),
                              flush=True)
                        shutil.rmtree(cache)
                    if engine == ENGINES[0]:  # the search index is the same whichever engine wrote the pages
                        seconds, mib = index_measured(site)
                        print(f"   search index alone (Pagefind in parts, merged): {seconds:.0f} s, peak memory {mib:.0f} MiB",
                              flush=True)
                        searches.append((n, report_search(site, search_queries(n), label=f"at {n:,} variants for ")))
                    shutil.rmtree(site)
            finally:
                shutil.rmtree(protocols.parent)
        print("== first search (bench/search.py: served as make dist serves it; time on the issue's Slow 4G)")
        print("| variants | by a school's name | by a phrase of its step 3 |")
        print("|---:|---|---|")
        for n, (name, phrase) in searches:
            print(f"| {n:,} | " + " | ".join(f"{m['bytes'] / 1024:.0f} KiB, {m['requests']} requests, {m['slow_ms'] / 1000:.1f} s"
                                           for m in (name, phrase)) + " |", flush=True)
        print("== publish one edit (bench/publish.py: python -m generator build --cache, no PDFs, after each edit)")
        print("| variants | engine | title s | step 3 s | region s |")
        print("|---:|---|---:|---:|---:|")
        for n, engine, times in published:
            print(f"| {n:,} | {engine} | " + " | ".join(f"{seconds:.1f}" for _, seconds in times) + " |", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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

    unknown = set(SECTIONS) - {"builds", "tool", "site", "snapshot", "startup", "import"}
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(sorted(unknown))}; use builds, tool, site, snapshot, startup")
    if "import" in SECTIONS or SECTIONS == ["builds", "tool", "site"]:
        from .intake import main as import_bench  # python -m generator import, per document and page

        import_bench()
    if "builds" in SECTIONS:
        report_checks()
        report_builds()
    if {"tool", "site", "snapshot", "startup"} & set(SECTIONS):
        with tempfile.TemporaryDirectory() as tmp:
            build(ROOT / "protocols", Path(tmp) / "built")
            site = prepare(Path(tmp) / "built", Path(tmp) / "site")  # with .gz/.br, as make dist
            if "tool" in SECTIONS:
                report_tool(site, RUNS, THROTTLED_RUNS)
            if "site" in SECTIONS:
                report_site(site)
            if "startup" in SECTIONS:  # on a copy of its own: it instruments the tool's scripts
                from .startup import report_startup

                report_startup(prepare(Path(tmp) / "built", Path(tmp) / "startup"), RUNS)
            if "snapshot" in SECTIONS:  # last: it adds the snapshot and its page to the served copy
                from .snapshot import report_snapshot

                report_snapshot(site, RUNS, THROTTLED_RUNS)
