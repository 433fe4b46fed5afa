"""Shared fixtures: the real built site, served on loopback, and Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from generator.release.loopback import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: F401 - tests and bench import them from here

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = ROOT / "protocols"
SEEDS = Path(os.environ.get("MELDCODE_SEEDS") or ROOT.parent / "shared" / "seeds")
"""The seed documents (shared/seeds beside the checkout; $MELDCODE_SEEDS elsewhere, e.g. in a worktree)."""


SITE_FIXTURES = frozenset({"site_dir", "build"})
"""A test that asks for one of these needs a built site: it gets the ``site`` marker."""
BROWSER_FIXTURES = frozenset({"browser"})
"""A test that asks for one of these drives Chromium: it gets the ``browser`` marker."""


def pytest_addoption(parser):
    parser.addoption(
        "--update-snapshots", action="store_true",
        help="rewrite tests/snapshots/ from the current output (review the diff before committing)",
    )


def pytest_collection_modifyitems(items):
    """The tiers follow what a test needs: `make test-fast` deselects ``site`` and ``browser``."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & SITE_FIXTURES or fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.site)
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` that works: a module marked ``xdist_group`` (its ``pytestmark``) runs on
    one worker, so the site its module fixture builds is built once.

    xdist 3.8 names a test's group by rewriting ``item._nodeid``, which pytest 9 no longer reads,
    so its own loadgroup sends such tests to any worker (each then builds the module's site).
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if _grouped_module(config.rootpath / module) else nodeid

    return ModuleGroups(config, log)


@functools.cache
def _grouped_module(path: Path) -> bool:
    return path.suffix == ".py" and "\npytestmark = pytest.mark.xdist_group(" in path.read_text(encoding="utf-8")


_running: list[pytest.Item] = []


def pytest_runtest_setup(item):
    _running[:] = [item]


def build_site(
    dest: Path, protocols: Path = PROTOCOLS, env: dict | None = None, options: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """Run the real ``mkdocs build`` into ``dest``; mkdocs.yml reads MELDCODE_PROTOCOLS.

    Only a test marked ``site`` may build (ask for the ``build`` fixture), so that the fast
    tier never builds a site by accident.
    """
    if _running and _running[0].get_closest_marker("site") is None:
        raise RuntimeError(f"{_running[0].nodeid} builds a site: ask for the `build` fixture or mark it `site`")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols), **(env or {})},
    )


@pytest.fixture(scope="session")
def build():
    """``build_site`` for a test that must build its own (smallest) site."""
    return build_site


def _manifest(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory, worker_id) -> Path:
    """The seed site as `make build` makes it (mkdocs build, then the PDFs), built once per
    test session and shared read-only by every test and every xdist worker.

    A test that must change a site copies it first: the session fails if the shared site
    has changed by its end.
    """
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # every xdist worker has its own base folder below a shared one
        shared = shared.parent
    dest, done = shared / "seed-site" / "site", shared / "seed-site.done"
    with FileLock(str(shared / "seed-site.lock")):
        if not done.exists():
            dest.parent.mkdir(exist_ok=True)
            result = build_site(dest)
            assert result.returncode == 0, result.stderr
            pdfs = subprocess.run([sys.executable, "-m", "generator.release.pdf", str(dest)], cwd=ROOT,
                                  capture_output=True, text=True)
            assert pdfs.returncode == 0, pdfs.stderr
            done.write_text("built", encoding="utf-8")
    before = _manifest(dest)
    yield dest
    assert _manifest(dest) == before, "a test changed the shared seed site: copy it first"


@pytest.fixture
def protocols(tmp_path) -> Path:
    """A copy of the seed protocols to change (test_loader_cache.py has one with old files)."""
    target = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, target)
    return target


@pytest.fixture(scope="session")
def base_url(site_dir):
    server, url = serve(site_dir)
    yield url
    server.shutdown()


TEST_CHROMIUM_ARGS = ["--js-flags=--liftoff-only"]
"""The tests' Chromium compiles Pyodide's wasm with V8's baseline compiler only: the optimising
tier changes how fast code runs, never what it does, and cost each of the suite's ~70 engine
starts 0.8 s of CPU (of 3.6) on two cores where the suite is CPU-bound. The benches, the PDFs
and the screenshots keep Chromium as a reader's browser runs it."""


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make chromium' (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + TEST_CHROMIUM_ARGS)
        yield browser
        browser.close()


PAGE_SHARDS = 4
"""A walk over every built page is split into this many tests, so that xdist's workers share it."""


def built_pages(site: Path) -> list[str]:
    """The URL of every HTML page of a built site (relative, "" for the home page), found on
    disk, not listed by hand; the theme's and the tool's assets are not pages."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if rel.parts[0] == "assets":
            continue
        text = rel.as_posix()
        urls.append(text[: -len("index.html")] if text.endswith("index.html") else text)
    return urls


def shard(items: list, index: int) -> list:
    """Every PAGE_SHARDS-th item from ``index``: the part of a walk one test takes."""
    return items[index::PAGE_SHARDS]


def line_of(path: Path, snippet: str) -> int:
    """The number of the first line of ``path`` that holds ``snippet``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if snippet in line:
            return number
    raise AssertionError(f"{snippet!r} not in {path}")


def assert_refused(protocols: Path, file: Path, snippet: str, words: list[str]) -> str:
    """``load`` refuses the sources with an error at the file and line of ``snippet`` that says
    every one of ``words``; the message, for further checks."""
    from generator.model.loader import SourceError, load

    with pytest.raises(SourceError) as info:
        load(protocols)
    message = str(info.value)
    assert f"{file}:{line_of(file, snippet)}:" in message, message
    for word in words:
        assert word in message, message
    return message


def variant_files() -> list[Path]:
    return sorted((PROTOCOLS / "variants").glob("**/*.yaml"))


def read_yaml(path: Path):
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))
