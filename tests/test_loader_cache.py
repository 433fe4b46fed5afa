"""``load()`` re-reads only the variant files that changed, and stays a function of their contents.

``mkdocs serve`` reloads the protocols on every change; at thousands of variants
re-parsing the unchanged files would be most of each rebuild.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from conftest import PROTOCOLS
from generator.model import loader
from generator.model.loader import SourceError, load

EXAMPLE = "prisma-almere-2021.yaml"
HOUR_NS = 3600 * 10**9


@pytest.fixture
def protocols(tmp_path) -> Path:
    """A copy whose files were last written an hour ago, as in a checkout being served."""
    target = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, target)
    old = time.time_ns() - HOUR_NS
    for file in target.glob("**/*.yaml"):
        os.utime(file, ns=(old, old))
    return target


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The names of the files the loader parses, in order."""
    names: list[str] = []
    parse = loader._read

    def counting(file, problems, *args):
        names.append(file.name)
        return parse(file, problems, *args)

    monkeypatch.setattr(loader, "_read", counting)
    return names


def _variants(names: list[str]) -> list[str]:
    return sorted(name for name in names if name in {p.name for p in (PROTOCOLS / "variants").glob("*.yaml")})


def _replace(file: Path, old: str, new: str, keep_mtime: bool = False) -> None:
    stat = file.stat()
    text = file.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {file.name}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    if keep_mtime:
        os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_an_unchanged_variant_file_is_not_parsed_again(protocols, parsed):
    first = load(protocols)
    assert _variants(parsed) == sorted(p.name for p in (protocols / "variants").glob("*.yaml"))
    parsed.clear()
    second = load(protocols)
    assert _variants(parsed) == []
    assert second == first


def test_an_edited_file_is_read_again_and_only_it(protocols, parsed):
    load(protocols)
    parsed.clear()
    file = protocols / "variants" / EXAMPLE
    _replace(file, "title: Meldcode stappenplan Prisma", "title: Meldcode stappenplan PRISMA (herzien)")
    handbook = load(protocols)
    assert _variants(parsed) == [EXAMPLE]
    assert handbook.current("prisma-almere", dt.date(2024, 1, 1)).title.startswith("Meldcode stappenplan PRISMA (herzien)")


def test_an_edit_of_the_same_size_in_the_same_clock_tick_is_seen(protocols):
    """A file written just now may be written again with the same (mtime, size): its bytes decide."""
    file = protocols / "variants" / EXAMPLE
    _replace(file, "school_type: PO", "school_type: PO")  # written now
    assert load(protocols).current("prisma-almere", dt.date(2024, 1, 1)).school_type.value == "PO"
    _replace(file, "school_type: PO", "school_type: VO", keep_mtime=True)
    assert load(protocols).current("prisma-almere", dt.date(2024, 1, 1)).school_type.value == "VO"


def test_an_edit_of_the_same_size_with_its_time_put_back_is_seen(protocols, parsed):
    """An editor, a checkout or a copy that puts a file's modification time back: what the file
    holds decides, not its (mtime, size)."""
    load(protocols)
    parsed.clear()
    file = protocols / "variants" / EXAMPLE
    _replace(file, "school_type: PO", "school_type: VO", keep_mtime=True)
    assert load(protocols).current("prisma-almere", dt.date(2024, 1, 1)).school_type.value == "VO"
    assert _variants(parsed) == [EXAMPLE]


def test_a_bad_file_is_reported_on_every_load(protocols, parsed):
    file = protocols / "variants" / EXAMPLE
    _replace(file, "school_type: PO", "school_type: MBO")
    old = time.time_ns() - HOUR_NS
    os.utime(file, ns=(old, old))
    for _ in range(2):
        with pytest.raises(SourceError, match=rf"{EXAMPLE}:\d+: school_type: must be one of"):
            load(protocols)
    assert _variants(parsed).count(EXAMPLE) == 2


def test_problems_between_files_are_found_with_cached_files(protocols):
    """A cached file still takes part in the checks across files (here: the same version twice)."""
    load(protocols)
    shutil.copy(protocols / "variants" / EXAMPLE, protocols / "variants" / "copy.yaml")
    with pytest.raises(SourceError, match="also defined in") as info:
        load(protocols)
    problem = next(p for p in info.value.problems if "also defined in" in p.message)
    assert problem.line is not None and problem.path == "version"


def test_the_cache_is_bounded(protocols, monkeypatch):
    monkeypatch.setattr(loader, "CACHE_SIZE", 2)
    load(protocols)
    assert 0 < len(loader._CACHE) <= 2


def test_versions_follow_a_replaced_list_of_variants(protocols):
    """The versions are indexed once per Handbook; a Handbook with other variants has its own index."""
    handbook = load(protocols)
    assert "levwn" in handbook.variant_ids and handbook.versions("levwn")
    other = dataclasses.replace(handbook, variants=[v for v in handbook.variants if v.id != "levwn"])
    assert "levwn" not in other.variant_ids and other.versions("levwn") == []
    assert handbook.versions("levwn")


def test_files_remembered_by_an_earlier_process_are_not_parsed_again_until_they_change(protocols, parsed):
    """``build.cache`` hands ``remembered_files`` to the next build's process as JSON, and the
    variants validated from it are the variants the files give."""
    first = load(protocols)
    remembered = TypeAdapter(loader.RememberedFiles)
    entries = remembered.validate_json(remembered.dump_json(loader.remembered_files()))
    loader._CACHE.clear()  # a new process
    loader.remember_files(entries)
    parsed.clear()
    assert load(protocols) == first
    assert _variants(parsed) == []
    _replace(protocols / "variants" / EXAMPLE, "Prisma", "Prisma-bewerkt")
    load(protocols)
    assert _variants(parsed) == [EXAMPLE]
