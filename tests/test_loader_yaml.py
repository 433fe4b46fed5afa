"""The loader reads YAML with libyaml (PyYAML's C parser) and builds the data itself.

It must read every source to the same Python values as ruamel.yaml's round-trip
reader did (YAML 1.2: ``yes`` and ``1:20`` stay text, ``010`` is ten), name the
line of any key or list item, and refuse anchors, aliases, duplicate keys and
tags with a line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PROTOCOLS
from generator.model import loader
from generator.model.loader import Problem, SourceError, load, read_source

EXAMPLE = "prisma-almere-2021.yaml"


def _ruamel(text: str) -> Any:
    """The reading the loader had before: ruamel.yaml round-trip, timestamps as text."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):
        pass

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)
    reader = YAML(typ="rt")
    reader.Constructor = Constructor
    return reader.load(text)


def _typed(value: Any) -> Any:
    """The value with each scalar's plain type beside it (True == 1 and 1 == 1.0, but not here)."""
    if isinstance(value, dict):
        return {_typed(k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return (kind.__name__, kind(value))
    assert value is None, f"unexpected {type(value).__name__}: {value!r}"
    return ("null", None)


def _read(file: Path) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    return read_source(file, problems), problems


SOURCE_FILES = sorted(PROTOCOLS.glob("**/*.yaml"))


@pytest.mark.parametrize("file", SOURCE_FILES, ids=[str(p.relative_to(PROTOCOLS)) for p in SOURCE_FILES])
def test_every_source_reads_to_the_values_ruamel_read(file):
    data, problems = _read(file)
    assert problems == []
    assert _typed(data) == _typed(_ruamel(file.read_text(encoding="utf-8")))


SCALARS = ["yes", "no", "on", "off", "y", "n", "True", "FALSE", "tRue", "1.0", "1.", ".5", "1e3", "1E+3", "-.inf",
           "010", "08", "00", "0o17", "0o8", "0x1F", "0b101", "1_000", "+12", "-0", "1:20", "12:30:00", "~", "null",
           "Null", "nUll", "", "2021-09-01", "2021-9-1 1:02:03", "2021-09-01T10:00:00Z", "'12'", '"true"', "'2021-09-01'",
           "!!str 12", "!!int '12'", "!!float 1", "v1.0", "1.0.2", "088-2000", "+31 88 2000", "0800-2000"]


@pytest.mark.parametrize("text", SCALARS)
def test_scalars_are_read_as_ruamel_read_them(tmp_path, text):
    file = tmp_path / "s.yaml"
    file.write_text(f"value: {text}\n{text or 'x'}: key\n", encoding="utf-8")
    data, problems = _read(file)
    assert problems == []
    expected = dict(_ruamel(file.read_text(encoding="utf-8")))
    if text.startswith("!!str"):  # ruamel kept the tag on a TaggedScalar; the text is what counts
        expected = {"value": "12", "12": "key"}
    assert _typed(data) == _typed(expected)


@pytest.mark.parametrize("text, value", [("yes", "yes"), ("off", "off"), ("010", 10), ("1:20", "1:20"),
                                         ("2021-09-01", "2021-09-01"), ("1.0", 1.0), ("0x10", 16), ("true", True),
                                         ("null", None), ("1_000", 1000), ("!!str 12", "12")])
def test_yaml_1_2_values(tmp_path, text, value):
    """Written out, not only compared with ruamel: YAML 1.1 would read yes as True and 010 as 8."""
    file = tmp_path / "s.yaml"
    file.write_text(f"value: {text}\n", encoding="utf-8")
    data, _ = _read(file)
    assert _typed(data["value"]) == _typed(value)


def _line(file: Path, snippet: str) -> int:
    numbers = [n for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1) if snippet in line]
    assert len(numbers) == 1, f"test set-up: {snippet!r} is on lines {numbers}"
    return numbers[0]


def _problem(protocols: Path) -> str:
    with pytest.raises(SourceError) as info:
        load(protocols)
    return str(info.value)


VARIANT_TAIL = """\
sections:
  - kind: overig
    title: Sectie-een
    body: Tekst.
  - kind: overig
    title: Sectie-twee
    items:
      - title: Itemeen
        body: Tekst een.
      -
        title: Itemtwee
        body: Tekst twee.
      - title: Itemdrie
        body: Tekst drie.
{line}
"""


@pytest.mark.parametrize("line, snippet, path", [
    ("      - title: '  '\n        body: Tekst vier.", "title: '  '", "sections[1].items[3].title"),
    ("      - {title: Itemvier, body: 'x'}\n      - {title: Vijf, bodi: 'y'}", "bodi:", "sections[1].items[4]"),
    ("      - title: Itemvier\n        body: x\n        kleur: rood", "kleur: rood", "sections[1].items[3].kleur"),
    ("  - kind: overig\n    title: Derde\n    items: [{title: A, body: a},\n            {title: B, body: ''}]",
     "{title: B, body: ''}", "sections[2].items[1].body"),
], ids=["block", "flow-item", "unknown-key", "flow-list-second-line"])
def test_a_bad_value_deep_in_a_list_names_its_line(protocols, line, snippet, path):
    file = protocols / "variants" / EXAMPLE
    text = _without_key(file.read_text(encoding="utf-8"), "sections:")
    file.write_text(text + VARIANT_TAIL.format(line=line), encoding="utf-8")
    message = _problem(protocols)
    assert f"{file}:{_line(file, snippet)}: {path}" in message, message


def test_a_missing_key_names_the_line_of_its_list_item(protocols):
    """An item of a list written as ``-`` alone on its line starts on the next line."""
    file = protocols / "variants" / EXAMPLE
    text = _without_key(file.read_text(encoding="utf-8"), "sections:")
    file.write_text(text + VARIANT_TAIL.format(line="").replace("        body: Tekst twee.\n", ""), encoding="utf-8")
    message = _problem(protocols)
    assert f"{file}:{_line(file, 'title: Itemtwee')}: sections[1].items[1]: missing key 'body'" in message, message


@pytest.mark.parametrize("yaml_text, snippet, words", [
    ("organisation: &org\n  name: Prisma\n", "&org", "anchor '&org'"),
    ("contacts:\n  - name: A\n    role: b\n  - *first\n", "*first", "alias '*first'"),
    ("steps:\n  - &s {number: 1}\n", "&s", "anchor '&s'"),
    ("intro: |\n  Tekst\nmelding:\n  door: x\n  door: y\n", "door: y", 'found duplicate key "door"'),
    ("intro: !!binary aGFsbG8=\n", "!!binary", "tag '!!binary' is not allowed"),
    ("intro: !!python/object:os.system x\n", "!!python", "tag '!!python/object:os.system' is not allowed"),
    ("organisation: !!omap [{name: x}]\n", "!!omap", "tag '!!omap' is not allowed"),
    ("intro: {<<: {a: 1}}\n", "<<", "merge keys ('<<') are not allowed"),
    ("? [a, b]\n: c\n", "? [a, b]", "a key must be a single value"),
    ("---\nid: twee\n", "---", "expected a single document"),
    ("intro: Tekst \x07 met een bel\n", "met een bel", "unacceptable character #x0007"),
    ("intro: 1" + "0" * 5000 + "\n", "intro: 1000", "cannot read this value"),
], ids=["anchor", "alias", "anchor-in-flow", "nested-duplicate", "binary", "python-object", "omap", "merge",
        "complex-key", "second-document", "control-character", "huge-integer"])
def test_refused_yaml_names_its_line(protocols, yaml_text, snippet, words):
    file = protocols / "variants" / EXAMPLE
    text = file.read_text(encoding="utf-8")
    for key in ("organisation:", "contacts:", "steps:", "melding:", "intro:"):
        if yaml_text.startswith(key) or f"\n{key}" in yaml_text:
            text = _without_key(text, key)
    file.write_text(text + yaml_text, encoding="utf-8")
    message = _problem(protocols)
    assert f"{file}:{_line(file, snippet)}: not valid YAML: {words}" in message, message


def _without_key(text: str, key: str) -> str:
    """The YAML text without the top-level ``key`` and its indented block."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(key):
            skipping = True
            continue
        if skipping and (line.startswith(" ") or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def test_an_anchor_after_a_duplicate_key_is_the_problem_reported(protocols):
    """As when ruamel.yaml composed the whole document before building it: the structure first."""
    file = protocols / "variants" / EXAMPLE
    file.write_text(file.read_text(encoding="utf-8") + "region: Twee\nintro: &i Tekst\n", encoding="utf-8")
    message = _problem(protocols)
    assert f"{file}:{_line(file, '&i')}: not valid YAML: anchor '&i'" in message, message


def test_the_pure_python_parser_reads_the_same(monkeypatch, protocols):
    """Without libyaml the loader falls back to PyYAML's pure-Python parser: same data, same problems."""
    before = {file: _read(file) for file in SOURCE_FILES}
    file = protocols / "variants" / EXAMPLE
    file.write_text(file.read_text(encoding="utf-8") + "intro: é \x07\nregion: x\n", encoding="utf-8")
    c_problem = _problem(protocols)
    monkeypatch.setattr(loader, "_Parser", yaml.SafeLoader)
    monkeypatch.setattr(loader, "_POSITION_IN_BYTES", False)
    assert {file: _read(file) for file in SOURCE_FILES} == before
    assert _problem(protocols) == c_problem
