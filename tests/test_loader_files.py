"""What may be a file in protocols/: regular files the loader knows, each read within its limit.

A school must never vanish without a word (a variant saved as ``x.yml``), and no
file may make the loader read without end (a link to ``/dev/zero``) or wait for
ever (a FIFO). Each case is a problem naming the file; nothing is skipped silently.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROTOCOLS, ROOT
from generator.model import loader
from generator.model.loader import SourceError, load

LEVWN = "levwn.yaml"


def _problems(protocols: Path) -> list:
    with pytest.raises(SourceError) as info:
        load(protocols)
    return info.value.problems


def _check(protocols: Path) -> subprocess.CompletedProcess:
    """`python -m generator check` in a child with 2 GiB of address space and a time limit,
    so that a loader that reads /dev/zero or waits on a FIFO fails the test, not the machine."""
    limit = 2 << 30
    return subprocess.run(
        [sys.executable, "-m", "generator", "--protocols", str(protocols), "check"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)),
    )


def _another_school(folder: Path, name: str) -> Path:
    """A copy of levwn.yaml as another school's variant, saved as ``folder / name``."""
    text = (PROTOCOLS / "variants" / LEVWN).read_text(encoding="utf-8")
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.replace("id: levwn", "id: de-zon", 1), encoding="utf-8")
    return target


def test_a_link_to_dev_zero_is_refused_without_reading_it(protocols):
    link = protocols / "variants" / "zero.yaml"
    link.symlink_to("/dev/zero")
    result = _check(protocols)
    assert result.returncode == 1, result.stderr[-2000:]
    assert f"{link}: is a symbolic link (to /dev/zero); a source must be a regular file" in result.stderr, \
        result.stderr[-2000:]


def test_a_link_to_a_regular_file_is_refused_too(protocols, tmp_path):
    """Even to a good variant: a link may point anywhere, and git keeps the link, not the text."""
    elsewhere = _another_school(tmp_path, "elsewhere/de-zon.yaml")
    link = protocols / "variants" / "de-zon.yaml"
    link.symlink_to(elsewhere)
    problems = _problems(protocols)
    assert [str(p) for p in problems] == [
        f"{link}: is a symbolic link (to {elsewhere}); a source must be a regular file"
    ]


def test_a_linked_folder_is_refused(protocols, tmp_path):
    shutil.copytree(protocols / "variants", tmp_path / "more")
    link = protocols / "variants" / "more"
    link.symlink_to(tmp_path / "more")
    assert [str(p) for p in _problems(protocols)] == [
        f"{link}: is a symbolic link (to {tmp_path / 'more'}); a source must be a regular file"
    ]


def test_a_fifo_is_refused_without_waiting(protocols):
    fifo = protocols / "variants" / "pipe.yaml"
    os.mkfifo(fifo)
    result = _check(protocols)
    assert result.returncode == 1, result.stderr[-2000:]
    assert f"{fifo}: is a FIFO (named pipe); a source must be a regular file" in result.stderr


def test_a_fifo_in_place_of_a_known_source_is_refused(protocols):
    contacts = protocols / "contacts.yaml"
    contacts.unlink()
    os.mkfifo(contacts)
    result = _check(protocols)
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr.count(str(contacts)) == 1, result.stderr[-2000:]
    assert f"{contacts}: is a FIFO (named pipe); a source must be a regular file" in result.stderr


def test_a_file_is_read_no_further_than_the_limit_whatever_its_size_says(protocols, monkeypatch):
    """A file the file system reports as small (one still being written, say) is read to at most
    1 MiB + 1 byte: the limit holds while reading, not only by the size the file system gives."""
    file = protocols / "variants" / LEVWN
    file.write_text(file.read_text(encoding="utf-8") + "# " + "x" * (2 << 20) + "\n", encoding="utf-8")
    big = file.stat().st_ino
    real_fstat, real_stat = os.fstat, Path.stat

    def small(result: os.stat_result) -> os.stat_result:
        if result.st_ino != big:
            return result
        fields = list(result[:10])
        fields[6] = 100  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", lambda fd: small(real_fstat(fd)))
    monkeypatch.setattr(Path, "stat", lambda self, **kw: small(real_stat(self, **kw)))
    sizes = []
    real_parse = loader._parse
    monkeypatch.setattr(loader, "_parse", lambda text: sizes.append(len(text)) or real_parse(text))
    messages = [str(p) for p in _problems(protocols) if p.file == file]
    assert messages == [f"{file}: file has more than 1,048,576 bytes; a source may have at most 1,048,576 "
                        "bytes (1 MiB)"]
    assert all(size <= 1 << 20 for size in sizes)


@pytest.mark.parametrize("name", ["variants/de-zon.yml", "variants/de-zon.YAML", "variants/de-zon.Yaml"])
def test_a_variant_with_another_extension_is_refused(protocols, name):
    file = _another_school(protocols, name)
    assert [str(p) for p in _problems(protocols)] == [
        f"{file}: not read: a variant file's name ends in .yaml (lower case); rename it to "
        f"{file.with_name('de-zon.yaml').name}"
    ]


@pytest.mark.parametrize("name", ["notes.txt", "variants/notes.txt", "de-zon.yaml", "schema/extra.schema.json",
                                  "variants/regio/README", "extra/de-zon.yaml"])
def test_any_other_file_is_refused(protocols, name):
    file = protocols / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("id: de-zon\n", encoding="utf-8")
    problems = _problems(protocols)
    assert [p.file for p in problems] == [file]
    assert problems[0].line is None and problems[0].message.startswith("not a file the handbook reads"), problems
    assert "variants/**/*.yaml" in problems[0].message


def test_variants_in_subfolders_are_read(protocols):
    _another_school(protocols, "variants/regio/de-zon.yaml")
    assert "de-zon" in load(protocols).variant_ids


@pytest.mark.parametrize("name", [".levwn.yaml.swp", ".levwn.yaml.swo", "levwn.yaml~", "#levwn.yaml#", ".DS_Store",
                                  "._levwn.yaml", "Thumbs.db", "desktop.ini"])
def test_files_editors_and_systems_make_are_passed_over(protocols, name):
    """Decision: what an editor or the OS writes beside a file while you work is not an error,
    else `make serve` would fail while a file is open in vim; a source never has these names."""
    for folder in (protocols, protocols / "variants", protocols / "schema"):
        (folder / name).write_bytes(b"\x00 not yaml")
    assert len(load(protocols).variant_ids) == 5


def test_an_emacs_lock_link_is_passed_over(protocols):
    (protocols / "variants" / ".#levwn.yaml").symlink_to("user@host.1234:1700000000")
    assert len(load(protocols).variant_ids) == 5


def test_the_table_of_sources_is_what_the_seeds_have():
    """Every file of protocols/ is in SOURCE_FILES (and nothing else is); the editor settings
    map the same files to the same schemas."""
    from generator.model.loader import SOURCE_FILES

    names = {s.path for s in SOURCE_FILES}
    seeds = ROOT / "protocols"
    top = {p.name + ("/" if p.is_dir() else "") for p in seeds.iterdir()}
    assert top == names | {"schema/"}
    assert {p.name for p in (seeds / "schema").iterdir()} == {s.schema for s in SOURCE_FILES}
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    expected = {f"./protocols/schema/{s.schema}": "protocols/" + (s.path + "**/*.yaml" if s.path.endswith("/") else s.path)
                for s in SOURCE_FILES}
    assert settings == expected


def test_an_edit_of_any_single_source_rerenders_every_page():
    """Under ``serve``, an edit of a source that is not a variant's file rebuilds every page:
    each single source of SOURCE_FILES is one of serve's shared sources."""
    from generator.engines.mkdocs.pages import edited_variants
    from generator.model.loader import SOURCE_FILES, load

    handbook = load(PROTOCOLS)
    singles = [s for s in SOURCE_FILES if not s.path.endswith("/")]
    missed = []
    for source in singles:
        [name] = [f.name for f in dataclasses.fields(handbook) if isinstance(getattr(handbook, f.name), source.model)]
        if edited_variants(handbook, dataclasses.replace(handbook, **{name: object()})) is not None:
            missed.append(source.path)
    assert missed == []
