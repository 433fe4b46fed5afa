"""Several versions of a variant: the one in force, stable older pages, history, diff.

A second version is added to a temporary copy of protocols/; the real site is
built from it and read as HTML.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROTOCOLS, ROOT
from htmltext import page_text

# One xdist worker builds this module's site and runs all its tests (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("two_versions")

OLD = "prisma-almere-2021.yaml"


@pytest.fixture(scope="module")
def two_versions(build, tmp_path_factory) -> Path:
    """Site built with a 2024 version of the Prisma protocol beside the 2021 one."""
    tmp = tmp_path_factory.mktemp("versions")
    protocols = tmp / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    text = (protocols / "variants" / OLD).read_text(encoding="utf-8")
    text = text.replace('version: "september-2021"', 'version: "augustus-2024"')
    text = text.replace("valid_from: 2021-09-01", "valid_from: 2024-08-01\nchange_note: Stap 2 aangepast.")
    text = text.replace(
        "wie: Leerkracht intern begeleider en School-maatschappelijk werker of zorg team",
        "wie: Leerkracht en aandachtsfunctionaris",
    )
    (protocols / "variants" / "prisma-almere-2024.yaml").write_text(text, encoding="utf-8")
    site = tmp / "site"
    result = build(site, protocols=protocols, env={"MELDCODE_BUILD_DATE": "2025-01-15"})
    assert result.returncode == 0, result.stderr
    return site


def test_the_main_page_shows_the_version_in_force(two_versions):
    text = page_text(two_versions / "varianten" / "prisma-almere" / "index.html")
    assert "augustus-2024, geldig vanaf 1 augustus 2024" in text
    assert "Leerkracht en aandachtsfunctionaris" in text
    assert "Oudere versie" not in text


def test_the_old_version_stays_published_with_a_banner(two_versions):
    old = two_versions / "varianten" / "prisma-almere" / "versies" / "september-2021" / "index.html"
    text = page_text(old)
    assert "Oudere versie: deze versie geldt niet meer" in text
    assert "versie augustus-2024, geldig vanaf 1 augustus 2024" in text
    assert "School-maatschappelijk werker of zorg team" in text  # the old words, unchanged
    html = old.read_text(encoding="utf-8")
    assert re.search(r'<a href="\.\./\.\./">versie augustus-2024', html)


def test_the_history_lists_both_with_their_periods(two_versions):
    text = page_text(two_versions / "varianten" / "prisma-almere" / "versies" / "index.html")
    assert "september-2021 van 1 september 2021 tot en met 31 juli 2024" in text
    assert "augustus-2024 (geldt nu) van 1 augustus 2024" in text
    assert "Stap 2 aangepast." in text


def test_the_diff_page_marks_the_changed_words(two_versions):
    diff = two_versions / "varianten" / "prisma-almere" / "versies" / "augustus-2024" / "verschil" / "index.html"
    html = diff.read_text(encoding="utf-8")
    assert re.search(r"<del>.*School-maatschappelijk werker of zorg team.*</del>", html)
    assert re.search(r"<ins>.*aandachtsfunctionaris.*</ins>", html)
    text = page_text(diff)
    assert "[ontbreekt:" in text and "[toegevoegd:" in text  # not by colour alone
    assert text.count("Geen verschil in deze stap.") == 4


@pytest.mark.browser
def test_every_page_of_a_protocol_with_two_versions_fits_a_360_px_screen(two_versions, browser):
    """The history, both versions and the diff between them (pages the seed site has none of)."""
    from conftest import serve
    from narrow import overflow

    server, url = serve(two_versions)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    found = {}
    folder = two_versions / "varianten" / "prisma-almere"
    pages = sorted(p.parent.relative_to(two_versions).as_posix() for p in folder.rglob("index.html"))
    assert "varianten/prisma-almere/versies/augustus-2024/verschil" in pages
    for path in pages:
        page.goto(f"{url}{path}/")
        if problems := overflow(page):
            found[path] = problems[:5]
    context.close()
    server.shutdown()
    assert found == {}


def test_several_versions_without_dates_are_refused(tmp_path):
    from generator.model.loader import SourceError, load

    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    text = (protocols / "variants" / "levwn.yaml").read_text(encoding="utf-8")
    (protocols / "variants" / "levwn-2.yaml").write_text(text.replace('version: "1"', 'version: "2"'), encoding="utf-8")
    with pytest.raises(SourceError, match="needs a valid_from date"):
        load(protocols)


@pytest.mark.site
def test_mike_publishes_an_edition_in_a_temporary_git_repository(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("mkdocs.yml", "docs", "site_overrides", "protocols"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, repo / name)
    (repo / "node_modules").symlink_to(ROOT / "node_modules")
    git = ["git", "-c", "user.email=test@example.invalid", "-c", "user.name=test"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "handboek"], cwd=repo, check=True)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "MELDCODE_EDITION": "2026.1", "MELDCODE_VERSION_PROVIDER": "mike", "NO_MKDOCS_2_WARNING": "1",
           "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}
    mike = [str(Path(sys.executable).parent / "mike")]
    deploy = subprocess.run([*mike, "deploy", "--update-aliases", "2026.1", "latest"], cwd=repo, env=env,
                            capture_output=True, text=True)
    assert deploy.returncode == 0, deploy.stderr
    subprocess.run([*mike, "set-default", "latest"], cwd=repo, env=env, check=True, capture_output=True)
    listing = subprocess.run([*mike, "list"], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout
    assert "2026.1 [latest]" in listing
    page = subprocess.run(["git", "show", "gh-pages:2026.1/index.html"], cwd=repo, capture_output=True,
                          text=True, check=True).stdout
    assert "editie 2026.1" in page and '"provider": "mike"' in page
    files = subprocess.run(["git", "ls-tree", "--name-only", "gh-pages"], cwd=repo, capture_output=True,
                           text=True, check=True).stdout.split()
    assert {"versions.json", "2026.1", "latest", "index.html"} <= set(files)


def test_past_the_diff_limit_the_page_says_so_and_shows_both_texts_whole(tmp_path):
    """The words are Dutch and live in the template; the texts are escaped like any protocol text."""
    from generator.site.diff import Segment
    from generator.site.templating import environment

    marked = environment().get_template("partials/diff.html.j2").module.marked
    html = str(marked([Segment("old", "De leerkracht <meldt>"), Segment("new", "De IB'er & de directie")]))
    assert "<del" not in html and "<ins" not in html and "<meldt>" not in html
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    assert page_text(page) == (
        "Te veel verschillen om te markeren. Oude tekst: De leerkracht <meldt> Nieuwe tekst: De IB'er & de directie")
