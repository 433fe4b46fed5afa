"""The build cache is data, not code: JSON and CBOR read back by validation, never a pickle; a
state that is damaged, unreadable or of an older format makes a full build and says so once
(D37). The builds themselves: ``tests/test_incremental.py``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import cbor2
import pytest

from conftest import PROTOCOLS, ROOT
from generator.build.cache import STATE, BuildCache, Outline, Snapshot, _state
from generator.checks import run_checks
from generator.model import loader
from generator.model.loader import load
from generator.release import search

DAY = dt.date(2026, 1, 1)


def test_nothing_in_the_generator_unpickles_but_the_forked_workers_pipes():
    """A pickle runs code of its writer's choosing when read: whoever can write the cache folder
    (or a search part) must not run code in the build. The only unpickling is of what a forked
    worker sends its parent through a pipe (``model.forking``)."""
    found = set()
    for path in sorted((ROOT / "generator").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bpickle\.loads?\b|\bUnpickler\b|\bmarshal\.loads?\b|\bshelve\b|\bdill\b|\bjoblib\b", text):
            found.add(path.relative_to(ROOT).as_posix())
    assert found == {"generator/model/forking.py"}


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    handbook = load(PROTOCOLS)
    return Snapshot("key", "/nowhere", run_checks(handbook, DAY), Outline.of(handbook),
                    {"index.md": "00"}, ["index.html"], {"index.html": (1, 2)}, loader.remembered_files())


def _take(folder: Path, capsys) -> tuple[Snapshot | None, list[str]]:
    taken = BuildCache(folder).take("key", folder / "site")
    return taken, capsys.readouterr().err.splitlines()


def test_the_state_reads_back_as_it_was_written(snapshot):
    """Every value, the report and the loader's validated variants included, survives JSON."""
    again = _state().validate_json(_state().dump_json(snapshot))
    assert again == snapshot
    assert again.variant_files and again.variant_files == snapshot.variant_files


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],                                  # cut short (a full disk)
    lambda data: b"\x80\x04\x95" + data,                                  # not JSON at all
    lambda data: data.replace(b'"today":"2026-01-01"', b'"today":"gisteren"', 1),  # a wrong value
])
def test_a_damaged_state_means_a_full_build_with_one_line(snapshot, tmp_path, capsys, damage):
    cache = BuildCache(tmp_path / "cache")
    cache.clear()
    (cache.folder / STATE).write_bytes(damage(_state().dump_json(snapshot)))
    (cache.pages).mkdir()
    taken, lines = _take(cache.folder, capsys)
    assert taken is None
    assert len(lines) == 1 and str(cache.folder) in lines[0] and "damaged" in lines[0] and "whole site" in lines[0]
    assert list(cache.folder.iterdir()) == []


def test_an_older_format_means_a_full_build_with_one_line(tmp_path, capsys):
    """A cache written before D37 (a pickle) is not read: it says so and is cleared."""
    folder = tmp_path / "cache"
    (folder / "pages").mkdir(parents=True)
    (folder / "state.pickle").write_bytes(b"cos\nsystem\n(S'touch /tmp/pwned'\ntR.")
    taken, lines = _take(folder, capsys)
    assert taken is None
    assert len(lines) == 1 and "older format" in lines[0] and "whole site" in lines[0]
    assert list(folder.iterdir()) == []


def test_a_state_of_another_format_number_means_a_full_build_with_one_line(snapshot, tmp_path, capsys):
    cache = BuildCache(tmp_path / "cache")
    cache.clear()
    data = _state().dump_json(snapshot)
    (cache.folder / STATE).write_bytes(re.sub(rb'"format":\d+', b'"format":1', data))
    taken, lines = _take(cache.folder, capsys)
    assert taken is None and len(lines) == 1 and "another format" in lines[0]


def test_an_unreadable_state_means_a_full_build_with_one_line(tmp_path, capsys):
    folder = tmp_path / "cache"
    (folder / STATE).mkdir(parents=True)  # reading it fails (a folder), as a file without permission would
    taken, lines = _take(folder, capsys)
    assert taken is None and len(lines) == 1 and "cannot be read" in lines[0]


def test_no_cache_yet_is_a_full_build_without_a_word(tmp_path, capsys):
    taken, lines = _take(tmp_path / "cache", capsys)
    assert taken is None and lines == []


def _words() -> dict:
    pages = [[0, [3, 9], []], [2, [1], [-1]]]
    return {"school": (cbor2.dumps("school"), search._encode_pages(pages),
                       [("School", cbor2.dumps("School"), search._encode_pages(pages[:1]))]),
            "zeldzaam": (cbor2.dumps("zeldzaam"), None, [])}


def test_kept_search_words_read_back_as_encoded(tmp_path):
    key = (search._WORDS_FORMAT, "0" * 64, ["title"])
    path = tmp_path / f"0.{search.WORDS}"
    path.write_bytes(cbor2.dumps((key, _words())))
    assert search._kept_words(path, key) == _words()
    assert search._kept_words(path, (search._WORDS_FORMAT, "1" * 64, ["title"])) is None  # another part's


@pytest.mark.parametrize("content", [
    b"\x80\x04garbage",                                                           # not CBOR
    cbor2.dumps(((search._WORDS_FORMAT, "0" * 64, ["title"]), {"school": "not words"})),   # not their shape
    cbor2.dumps(((search._WORDS_FORMAT, "0" * 64, ["title"]), {"school": re.compile("(a+)+$")})),  # a tag
])
def test_kept_search_words_that_are_not_plain_words_are_encoded_again(tmp_path, content):
    path = tmp_path / f"0.{search.WORDS}"
    path.write_bytes(content)
    assert search._kept_words(path, (search._WORDS_FORMAT, "0" * 64, ["title"])) is None
