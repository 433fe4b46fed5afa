"""A failed build leaves the earlier site exactly as it was; a good one replaces it whole.

Three ways a build fails, each over the site of a good build: a source error
(before MkDocs writes anything), two pages on one URL (after MkDocs cleaned the
site folder) and a strict-mode warning (after every page was written).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from conftest import PROTOCOLS, ROOT, build_site
from generator.release.atomic import staging_beside, swap_in

pytestmark = pytest.mark.site


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(site: Path, protocols: Path, docs: Path) -> subprocess.CompletedProcess:
    """The real `mkdocs build` with mkdocs.yml, reading docs from ``docs``."""
    config = site.parent / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\ntheme:\n  custom_dir: {ROOT / 'site_overrides'}\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],  # not --quiet: it hides strict warnings
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols)},
    )


def test_a_failed_build_leaves_the_earlier_site_byte_identical(tmp_path):
    protocols, docs, site = tmp_path / "protocols", tmp_path / "docs", tmp_path / "out" / "site"
    shutil.copytree(PROTOCOLS, protocols)
    shutil.copytree(ROOT / "docs", docs)
    site.mkdir(parents=True)
    (site / "stale.html").write_text("from an older build", encoding="utf-8")

    good = _build(site, protocols, docs)
    assert good.returncode == 0, good.stderr
    assert (site / "varianten" / "levwn" / "index.html").exists()
    assert not (site / "stale.html").exists(), "a build replaces the whole site"
    before = _tree(site)

    def fails(words: str) -> None:
        result = _build(site, protocols, docs)
        output = result.stdout + result.stderr
        assert result.returncode != 0 and words in output, output[-2000:]
        assert _tree(site) == before
        assert sorted(p.name for p in site.parent.iterdir()) == ["mkdocs.yml", "site"], "no half-built folder left"

    # A source error: stops before MkDocs cleans the site folder.
    variant = protocols / "variants" / "levwn.yaml"
    text = variant.read_text(encoding="utf-8")
    variant.write_text(text.replace("school_type: PO", "school_type: MBO", 1), encoding="utf-8")
    fails("must be one of")
    variant.write_text(text, encoding="utf-8")

    # Two pages on one URL: found after MkDocs cleaned the site folder.
    (docs / "varianten" / "levwn").mkdir(parents=True)
    (docs / "varianten" / "levwn" / "index.md").write_text("# Met de hand\n", encoding="utf-8")
    fails("would replace a hand-written file")
    shutil.rmtree(docs / "varianten")

    # A strict-mode warning: MkDocs aborts after every page was written.
    (docs / "kapot.md").write_text("# Kapot\n\n[nergens](bestaat-niet.md)\n", encoding="utf-8")
    fails("Aborted with 1 warnings in strict mode")


def test_swap_in_replaces_the_site_and_leaves_nothing_beside_it(tmp_path):
    target, new = tmp_path / "site", tmp_path / "new"
    (target / "a").mkdir(parents=True)
    (target / "a" / "old.html").write_text("old", encoding="utf-8")
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    swap_in(new, target)
    assert _tree(target) == {"index.html": b"new"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_make_build_prints_the_pdfs_inside_the_atomic_build():
    """`make build` is one `python -m generator build --pdfs` into site/: read from its recipe."""
    result = subprocess.run(["make", "-n", "build"], cwd=ROOT, capture_output=True, text=True)
    lines = [line for line in result.stdout.splitlines() if "generator" in line]
    assert len(lines) == 1 and " build " in lines[0] and "--pdfs" in lines[0] and "--site-dir site" in lines[0]


@pytest.mark.site
def test_pdfs_that_cannot_be_printed_leave_the_earlier_site(tmp_path, build):
    """The PDFs are printed into the staged site before it is swapped in: when they fail (here:
    no Chromium), the build fails and the earlier site is as it was, with nothing beside it."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "old.html").write_text("old", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "build", "-d", str(site), "--pdfs"], cwd=ROOT,
                            capture_output=True, text=True,
                            env={**os.environ, "CHROMIUM": str(tmp_path / "no-chromium"), "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    assert "PDFs need Chromium" in result.stderr
    assert _tree(site) == {"a/old.html": b"old"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def _link_to_site(tmp_path: Path) -> tuple[Path, Path]:
    """``tmp_path/out/site``, a symbolic link to the folder ``tmp_path/real/site`` with an old page."""
    real, link = tmp_path / "real" / "site", tmp_path / "out" / "site"
    real.mkdir(parents=True)
    (real / "old.html").write_text("old", encoding="utf-8")
    link.parent.mkdir()
    link.symlink_to(real, target_is_directory=True)
    return real, link


def test_swap_in_through_a_link_replaces_the_folder_it_points_to(tmp_path):
    """Decision: a site folder that is a link stays that link (a web server may serve it); the folder
    it points to is what a build replaces, built beside that folder (on its file system)."""
    real, link = _link_to_site(tmp_path)
    new = staging_beside(link)
    assert new.parent == real.parent
    (new / "index.html").write_text("new", encoding="utf-8")
    swap_in(new, link)
    assert link.is_symlink() and link.resolve() == real
    assert _tree(real) == {"index.html": b"new"}
    assert [p.name for p in real.parent.iterdir()] == ["site"]
    assert [p.name for p in link.parent.iterdir()] == ["site"]


def test_swap_in_from_another_file_system_copies_then_swaps(tmp_path, monkeypatch):
    """`make build` stages in .site.staging beside site/; a linked site/ may be on another disk,
    where renaming fails (EXDEV): the staged site is copied beside the target first."""
    real, link = _link_to_site(tmp_path)
    new = tmp_path / "out" / ".site.staging"
    (new / "a").mkdir(parents=True)
    (new / "a" / "index.html").write_text("new", encoding="utf-8")
    rename = os.replace

    def no_rename_across(src, dst):
        if Path(src).parent != Path(dst).parent:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        rename(src, dst)

    monkeypatch.setattr(os, "replace", no_rename_across)
    swap_in(new, link)
    assert link.is_symlink() and _tree(real) == {"a/index.html": b"new"}
    assert [p.name for p in real.parent.iterdir()] == ["site"]
    assert [p.name for p in link.parent.iterdir()] == ["site"]


def test_mkdocs_build_onto_a_linked_folder(tmp_path):
    """`mkdocs build -d site` where site is a link to a folder: the folder is replaced, the link kept."""
    real, link = _link_to_site(tmp_path)
    result = build_site(link)
    assert result.returncode == 0, result.stderr[-2000:]
    assert link.is_symlink() and link.resolve() == real
    assert (real / "varianten" / "levwn" / "index.html").exists() and not (real / "old.html").exists()
    assert [p.name for p in real.parent.iterdir()] == ["site"]
    assert [p.name for p in link.parent.iterdir()] == ["site"]


def test_a_swapped_in_site_has_the_mode_of_a_folder_made_as_usual(tmp_path):
    """Not 0700 as a temporary folder has: a web server running as another user reads the site."""
    mask = os.umask(0o022)
    try:
        target = tmp_path / "site"
        new = staging_beside(target)
        (new / "index.html").write_text("new", encoding="utf-8")
        swap_in(new, target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o755
    finally:
        os.umask(mask)


@pytest.mark.site
def test_a_build_from_the_cache_prints_the_edited_variant_s_pdf_from_its_staging_folder(tmp_path):
    """`make build` after an edit: only the edited variant's PDF is printed again, from the
    staging folder with the site's files filling in (its styles), and it shows the edit; the
    other PDFs are the same files as before (D34)."""
    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    env = {**os.environ, "MELDCODE_PROTOCOLS": str(protocols), "NO_MKDOCS_2_WARNING": "1"}

    def make(site: Path, *options: str) -> None:
        result = subprocess.run([sys.executable, "-m", "generator", "build", "-d", str(site), "--pdfs", *options],
                                cwd=ROOT, capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr

    site, cache = tmp_path / "site", tmp_path / "cache"
    make(site, "--cache", str(cache))
    before = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.pdf")}
    assert len(before) >= 5
    (full_pdf,) = [path for path in before if path.startswith("varianten/prisma-almere/")]
    shutil.copyfile(site / full_pdf, tmp_path / "full.pdf")  # printed by the full build, before the edit
    variant = protocols / "variants" / "prisma-almere-2021.yaml"
    text = variant.read_text(encoding="utf-8")
    variant.write_text(text.replace("\ntitle: ", "\ntitle: Bewerkt ", 1), encoding="utf-8")
    make(site, "--cache", str(cache))
    after = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.pdf")}
    assert sorted(after) == sorted(before)
    printed = [path for path in after if after[path] != before[path]]
    assert len(printed) == 1 and printed[0].startswith("varianten/prisma-almere/"), printed
    assert "Bewerkt" in pypdf.PdfReader(site / printed[0]).pages[0].extract_text()
    # the same page with eight more letters, printed with the same styles: as many pages and about
    # as many bytes as the full build's PDF (without the site's styles it has other pages and sizes)
    ours, theirs = pypdf.PdfReader(site / printed[0]), pypdf.PdfReader(tmp_path / "full.pdf")
    assert len(ours.pages) == len(theirs.pages)
    assert abs((site / printed[0]).stat().st_size - (tmp_path / "full.pdf").stat().st_size) < 2048
