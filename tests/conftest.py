"""Shared fixtures: the real built site, served on loopback, and Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.release.loopback import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: F401 - tests and bench import them from here

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = ROOT / "protocols"
SEEDS = Path(os.environ.get("MELDCODE_SEEDS") or ROOT.parent / "shared" / "seeds")
"""The seed documents (shared/seeds beside the checkout; $MELDCODE_SEEDS elsewhere, e.g. in a worktree)."""


def pytest_addoption(parser):
    parser.addoption(
        "--update-snapshots", action="store_true",
        help="rewrite tests/snapshots/ from the current output (review the diff before committing)",
    )


def build_site(
    dest: Path, protocols: Path = PROTOCOLS, env: dict | None = None, options: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """Run the real ``mkdocs build`` into ``dest``; mkdocs.yml reads MELDCODE_PROTOCOLS."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols), **(env or {})},
    )


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The site as `make build` makes it: mkdocs build, then the PDFs."""
    dest = tmp_path_factory.mktemp("build") / "site"
    result = build_site(dest)
    assert result.returncode == 0, result.stderr
    pdfs = subprocess.run([sys.executable, "-m", "generator.release.pdf", str(dest)], cwd=ROOT, capture_output=True, text=True)
    assert pdfs.returncode == 0, pdfs.stderr
    return dest


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


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make chromium' (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def variant_files() -> list[Path]:
    return sorted((PROTOCOLS / "variants").glob("**/*.yaml"))


def read_yaml(path: Path):
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))
