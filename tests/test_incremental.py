"""A build from the cache (``python -m generator build --cache``, ``make build``) is a full build,
byte for byte, after an edit of a variant's title, a step and its region; it makes again only what
the edit changed; and a failed build leaves no cache, so the next one is full (D34).

A small synthetic handbook, with small search parts so that the index is merged from several
and some of them are kept. No PDFs (their creation time differs in every build); the build date
is fixed, so the sitemap's dates agree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import PROTOCOLS, ROOT
from test_snapshots import DATE

sys.path.insert(0, str(ROOT))
from bench.synthetic import step_agreement, synthetic  # noqa: E402

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("incremental")]

COUNT = 10
EDITED = 3
ENV = {"MELDCODE_BUILD_DATE": DATE.isoformat(), "NO_MKDOCS_2_WARNING": "1",
       "MELDCODE_SEARCH_SHARD_PAGES": "5", "MELDCODE_OVERVIEW_PAGE_SIZE": "4"}


def generator_build(protocols: Path, dest: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "-d", str(dest), *options], cwd=ROOT,
                          capture_output=True, text=True,
                          env={**os.environ, "MELDCODE_PROTOCOLS": str(protocols), **ENV})


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


class Handbook:
    """A synthetic handbook, its site built from the cache, and a full build to compare it with."""

    def __init__(self, folder: Path) -> None:
        self.protocols = synthetic(PROTOCOLS, COUNT)
        self.site, self.cache, self.folder = folder / "site", folder / "cache", folder

    def edit(self, number: int, old: str, new: str) -> None:
        path = self.protocols / "variants" / f"school-{number:04d}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def build(self) -> subprocess.CompletedProcess:
        return generator_build(self.protocols, self.site, "--cache", str(self.cache))

    def full(self) -> Path:
        dest = self.folder / "full"
        shutil.rmtree(dest, ignore_errors=True)
        result = generator_build(self.protocols, dest)
        assert result.returncode == 0, result.stderr
        return dest


@pytest.fixture(scope="module")
def handbook(tmp_path_factory):
    book = Handbook(tmp_path_factory.mktemp("incremental"))
    result = book.build()
    assert result.returncode == 0, result.stderr
    assert (book.cache / "state.json").is_file()
    yield book
    shutil.rmtree(book.protocols.parent)


def assert_same_as_full(book: Handbook) -> None:
    ours, full = files(book.site), files(book.full())
    assert sorted(ours) == sorted(full)
    assert [path for path in full if ours[path] != full[path]] == []


def rebuilt(before: dict[str, int], site: Path) -> set[str]:
    """The files of ``site`` that are not the same file as before (made again; the others are left as they were)."""
    return {path for path, inode in inodes(site).items() if before.get(path) != inode}


# The edits build on each other, in this order (one module, one xdist group, one worker).


def test_a_title_edit_builds_what_it_changes_and_equals_a_full_build(handbook):
    before = inodes(handbook.site)
    handbook.edit(EDITED, "title: ", "title: Hernoemd ")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    made = rebuilt(before, handbook.site)
    assert f"varianten/school-{EDITED:04d}/index.html" in made
    assert "Hernoemd" in (handbook.site / f"varianten/school-{EDITED:04d}/index.html").read_text(encoding="utf-8")
    # another school's own page is the same file as before: left as it was
    assert "varianten/school-0008/index.html" not in made
    assert "varianten/school-0008/index.html" in before
    assert any(path.startswith("pagefind/") for path in made)
    assert_same_as_full(handbook)


def test_a_step_edit_equals_a_full_build_and_keeps_the_other_search_parts(handbook):
    parts = handbook.cache / "search-parts"
    kept = {p.name: p.stat().st_mtime_ns for p in parts.glob("*.json")}
    assert len(kept) > 2, "the test needs a search index made of several parts"
    before = inodes(handbook.site)
    handbook.edit(EDITED, step_agreement(EDITED, 3), "Afspraak drie is gewijzigd.")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    page = (handbook.site / f"varianten/school-{EDITED:04d}/index.html").read_text(encoding="utf-8")
    assert "Afspraak drie is gewijzigd." in page
    assert "varianten/school-0008/index.html" not in rebuilt(before, handbook.site)
    after = {p.name: p.stat().st_mtime_ns for p in parts.glob("*.json")}
    assert sorted(after) == sorted(kept)
    assert 0 < sum(after[name] != kept[name] for name in kept) < len(kept), "only the parts with the page again"
    assert_same_as_full(handbook)


def test_a_region_edit_equals_a_full_build(handbook):
    text = (handbook.protocols / "variants" / f"school-{EDITED:04d}.yaml").read_text(encoding="utf-8")
    region = next(line for line in text.splitlines() if line.startswith("region: "))
    handbook.edit(EDITED, region, "region: Zeeland" if "Zeeland" not in region else "region: Twente")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert_same_as_full(handbook)


def test_an_edit_of_a_shared_source_builds_everything_and_equals_a_full_build(handbook):
    before = inodes(handbook.site)
    path = handbook.protocols / "begrippen.yaml"
    old = "tooltip: Veilig Thuis, het advies- en meldpunt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, "tooltip: Veilig Thuis, het landelijke advies- en meldpunt", 1),
                    encoding="utf-8")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert "varianten/school-0008/index.html" in rebuilt(before, handbook.site)
    assert_same_as_full(handbook)


def test_a_comment_in_a_shared_source_changes_nothing(handbook):
    before = inodes(handbook.site)
    path = handbook.protocols / "roles.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# een opmerking\n", encoding="utf-8")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert not [p for p in rebuilt(before, handbook.site) if p.startswith("varianten/") and p.endswith(".html")]


def test_a_failed_build_leaves_the_site_and_no_cache_and_the_next_build_is_full(handbook):
    before = files(handbook.site)
    variant = handbook.protocols / "variants" / f"school-{EDITED:04d}.yaml"
    good = variant.read_text(encoding="utf-8")
    variant.write_text(good.replace("school_type: ", "school_type: XX", 1), encoding="utf-8")
    result = handbook.build()
    assert result.returncode != 0
    assert f"school-{EDITED:04d}.yaml" in result.stderr
    assert files(handbook.site) == before
    assert not (handbook.cache / "state.json").exists()
    variant.write_text(good, encoding="utf-8")
    inode_before = inodes(handbook.site)
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert "varianten/school-0008/index.html" in rebuilt(inode_before, handbook.site)
    assert (handbook.cache / "state.json").is_file()
    assert_same_as_full(handbook)


def test_a_site_changed_by_hand_is_built_whole(handbook):
    page = handbook.site / "varianten/school-0008/index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- met de hand -->", encoding="utf-8")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert "met de hand" not in page.read_text(encoding="utf-8")
    assert_same_as_full(handbook)


def _state(book: Handbook) -> Path:
    """The cache's state file, whatever its format."""
    found = [p for p in book.cache.iterdir() if p.is_file() and p.name.startswith("state.")]
    assert len(found) == 1, f"test set-up: {found}"
    return found[0]


def _about_the_cache(book: Handbook, stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if str(book.cache) in line]


def test_an_edit_of_the_same_size_with_its_time_put_back_is_published(handbook):
    """The loader's files remembered in the cache count by what they hold, not by (mtime, size)."""
    path = handbook.protocols / "variants" / "school-0005.yaml"
    before = path.stat()
    old = step_agreement(5, 2)
    new = old.replace("twee", "TWEE")
    handbook.edit(5, old, new)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns, "test set-up"
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert new in (handbook.site / "varianten/school-0005/index.html").read_text(encoding="utf-8")


def test_a_damaged_cache_makes_a_full_build_and_says_so_once(handbook):
    state = _state(handbook)
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
    before = inodes(handbook.site)
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    lines = _about_the_cache(handbook, result.stderr)
    assert len(lines) == 1 and "whole site" in lines[0], result.stderr
    assert "varianten/school-0008/index.html" in rebuilt(before, handbook.site)
    assert _state(handbook).stat().st_size > 0


def test_a_cache_of_one_engine_is_not_used_by_another(tmp_path):
    """MkDocs and ProperDocs make the same pages but for their names (the generator tag on every
    page, the "Over dit handboek" line): a cache left by one must not give the other's site the
    first one's pages."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    for engine in ("mkdocs", "properdocs"):
        result = generator_build(PROTOCOLS, site, "--engine", engine, "--cache", str(cache))
        assert result.returncode == 0, result.stderr
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    mkdocs_tag = f'<meta name="generator" content="mkdocs-{version("mkdocs")},'  # ProperDocs': "mkdocs-ProperDocs 1.6.7"
    named = [p.relative_to(site).as_posix() for p in pages if mkdocs_tag in p.read_text(encoding="utf-8")]
    assert named == [], f"{len(named)} pages still say MkDocs built them, e.g. {named[:3]}"
    assert "met ProperDocs" in (site / "over" / "index.html").read_text(encoding="utf-8")
