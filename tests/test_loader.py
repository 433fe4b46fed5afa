"""Bad sources give a clear error (file, line, path, what is wrong) and write nothing."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROTOCOLS, ROOT, assert_refused, line_of
from generator.model.handbook import SOURCE_FILES
from generator.model.loader import SourceError, load

EXAMPLE = "prisma-almere-2021.yaml"


def _edit(path: Path, old, new) -> None:
    """Replace ``old`` by ``new`` once; both may be lists, edited pairwise."""
    text = path.read_text(encoding="utf-8")
    pairs = zip(old, new, strict=True) if isinstance(old, list) else [(old, new)]
    for before, after in pairs:
        assert before in text, f"test set-up: {before!r} not in {path.name}"
        text = text.replace(before, after, 1)
    path.write_text(text, encoding="utf-8")




# (what is broken, edit old -> new, snippet on the line the error must name, words in the message)
BROKEN = [
    ("unknown-key", "school_type: PO", "school_typ: PO", "school_typ: PO", ["unknown key 'school_typ'"]),
    ("missing-step", "  - number: 3\n    wat: Gesprek", "  - number: 4\n    wat: Gesprek", "steps:", ["missing step 3"]),
    ("steps-out-of-order", ["number: 2\n    wat: Collegiale", "number: 3\n    wat: Gesprek"],
     ["number: 3\n    wat: Collegiale", "number: 2\n    wat: Gesprek"], "steps:", ["out of order"]),
    ("unknown-contact", "region: flevoland", "region: atlantis", "region: atlantis", ["unknown contact reference 'atlantis'"]),
    ("empty-wie", "wie: Intern begeleider en directie", "wie: '  '", "wie: '  '", ["'wie' is empty"]),
    ("missing-wie", "    wie: Intern begeleider en directie\n", "", "number: 5", ["missing key 'wie'"]),
    # The YAML parser notices the open bracket on the line after it.
    ("not-yaml", "school_type: PO", "school_type: [PO", "region: Flevoland", ["not valid YAML"]),
    ("duplicate-key", "school_type: PO", "school_type: PO\nschool_type: VO", "school_type: VO", ["not valid YAML", "duplicate"]),
    ("bad-type", "school_type: PO", "school_type: MBO", "school_type: MBO", ["must be one of"]),
    ("bad-date", "valid_from: 2021-09-01", "valid_from: september", "valid_from: september", ["valid_from"]),
]


@pytest.mark.parametrize("case", BROKEN, ids=[case[0] for case in BROKEN])
def test_bad_variant_gives_file_line_and_message(protocols, case):
    _, old, new, line_snippet, words = case
    file = protocols / "variants" / EXAMPLE
    _edit(file, old, new)
    with pytest.raises(SourceError) as info:
        load(protocols)
    message = str(info.value)
    expected_line = line_of(file, line_snippet)
    assert f"{file}:{expected_line}:" in message, message
    for word in words:
        assert word in message, message


def test_all_problems_are_reported_at_once(protocols):
    _edit(protocols / "variants" / EXAMPLE, "school_type: PO", "school_typ: PO")
    _edit(protocols / "variants" / "consent-2018.yaml", "region: twente", "region: overijssel")
    with pytest.raises(SourceError) as info:
        load(protocols)
    # A renamed key is two problems (unknown and missing); the bad region is the third.
    assert [p.file.name for p in info.value.problems].count(EXAMPLE) == 2
    assert [p.file.name for p in info.value.problems].count("consent-2018.yaml") == 1


def test_duplicate_version_is_refused(protocols):
    shutil.copy(protocols / "variants" / EXAMPLE, protocols / "variants" / "copy.yaml")
    with pytest.raises(SourceError, match="also defined in"):
        load(protocols)


def test_broken_kader_is_refused_with_its_file(protocols):
    _edit(protocols / "afwegingskader.yaml", "next: hulp-afsluiten", "next: nergens")
    with pytest.raises(SourceError) as info:
        load(protocols)
    assert "afwegingskader.yaml" in str(info.value) and "unknown target 'nergens'" in str(info.value)


@pytest.mark.parametrize("case", BROKEN[:5], ids=[case[0] for case in BROKEN[:5]])
def test_mkdocs_build_fails_and_writes_nothing(build, protocols, tmp_path, case):
    _, old, new, _, words = case
    _edit(protocols / "variants" / EXAMPLE, old, new)
    site = tmp_path / "site"
    result = build(site, protocols=protocols)
    assert result.returncode != 0
    assert EXAMPLE in result.stderr and words[0] in result.stderr
    assert not site.exists()


KEYS = ["schema_version", "id", "version", "valid_from", "title", "organisation", "school_type",
        "region", "source", "veilig_thuis", "steps", "melding"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(KEYS), step=st.integers(min_value=0, max_value=4),
       field=st.sampled_from(["number", "wat", "wie", "hoe"]))
def test_any_removed_required_field_is_named(protocols, key, step, field):
    """Remove a required key (top level or in a step): the error names the key and the file."""
    from ruamel.yaml import YAML

    yaml = YAML()
    file = protocols / "variants" / EXAMPLE
    original = file.read_text(encoding="utf-8")
    try:
        data = yaml.load(original)
        if key == "steps":
            del data["steps"][step][field]
            missing = field
        else:
            del data[key]
            missing = key
        with file.open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
        with pytest.raises(SourceError) as info:
            load(protocols)
        assert str(file) in str(info.value)
        assert f"missing key '{missing}'" in str(info.value) or "missing step" in str(info.value)
    finally:
        file.write_text(original, encoding="utf-8")


# (file, edit old -> new, snippet on the line the error must name, words in the message)
BROKEN_SHARED = [
    ("contacts.yaml", "source: '[[consent-2018]], voetnoot 1'", "source: '[[consent-2019]], voetnoot 1'",
     "[[consent-2019]]", ["unknown source [[consent-2019]]", "national.source"]),
    ("contacts.yaml", "source: '[[consent-2018]], voetnoot 1'", "source: 004_16b855c1efaced9d.txt, voetnoot 1",
     "004_16b855c1efaced9d.txt", ["names the file", "[[consent-2018]]"]),
    ("checks.yaml", "    reference: >-\n      De kolom Wie in [[kwaliteitskaart-flevoland]] en in [[prisma-2021]].",
     "    reference: 'De kolom Wie in [[kaart]].'", "[[kaart]]", ["unknown source [[kaart]]", "rules.wie-from-text.reference"]),
    ("roles.yaml", "words: [mentor, mentoren]", "words: [mentor, docent]",
     "roles:", ["the word 'docent' names both 'leerkracht' and 'mentor'"]),
    ("roles.yaml", "  - id: mentor\n    name: mentor\n", "  - id: mentor\n", "id: mentor", ["missing key 'name'"]),
    ("begrippen.yaml", "abbreviations: [ZAT]", "abbreviations: [AMK]", "terms:", ["abbreviation 'AMK' is in both"]),
    ("begrippen.yaml", "reference: '[[cjg-loket-gezond-leven]].'", "reference: '[[cjg]].'",
     "[[cjg]]", ["unknown source [[cjg]]", "terms[17].reference"]),
]


@pytest.mark.parametrize("case", BROKEN_SHARED, ids=[f"{c[0]}-{i}" for i, c in enumerate(BROKEN_SHARED)])
def test_bad_shared_source_gives_file_line_and_message(protocols, case):
    """Citations ([[id]] of sources.yaml), roles and begrippen are validated like every source."""
    name, old, new, line_snippet, words = case
    file = protocols / name
    _edit(file, old, new)
    assert_refused(protocols, file, line_snippet, words)


@pytest.mark.parametrize("name", ["sources.yaml", "roles.yaml", "begrippen.yaml"])
def test_a_missing_shared_source_is_named(protocols, name):
    (protocols / name).unlink()
    with pytest.raises(SourceError, match=f"{name}: file is missing"):
        load(protocols)


def test_citations_are_resolved_to_the_names_readers_know(protocols):
    handbook = load(protocols)
    consent = handbook.sources.sources["consent-2018"]
    assert handbook.contacts.national.source == f"{consent.name}, voetnoot 1"
    for rule in handbook.checks.rules.values():
        assert "[[" not in rule.reference and ".txt" not in rule.reference


# ---------------------------------------------------------------- loading is complete (issue 11)

SOURCES = ["variants/levwn.yaml"] + [s.path for s in SOURCE_FILES if not s.path.endswith("/")]
"""A variant's file and every single source of the one table."""


@pytest.mark.parametrize("text", ["", "# only a comment\n\n# and another\n", "---\n"], ids=["empty", "comments", "bare-document"])
@pytest.mark.parametrize("name", SOURCES)
def test_an_empty_source_is_an_error_naming_it(protocols, name, text):
    """An empty variant used to vanish (one school fewer, "all valid"); the others gave tracebacks."""
    (protocols / name).write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load(protocols)
    assert f"{protocols / name}: file is empty" in str(info.value)


def test_an_impossible_date_is_a_message_with_file_line_and_path(protocols):
    file = protocols / "variants" / EXAMPLE
    _edit(file, "valid_from: 2021-09-01", "valid_from: 2021-02-30")
    with pytest.raises(SourceError) as info:
        load(protocols)
    assert f"{file}:{line_of(file, '2021-02-30')}: valid_from: " in str(info.value)
    assert "day value is outside expected range" in str(info.value)


@pytest.mark.parametrize("yaml_text, words", [
    ("region: Flevoland\nsource: {title: &t Titel, document: *t}\n", "anchor '&t'"),
    ("number: 1" + "9" * 5000 + "\n", "cannot read this value"),
    ("steps: " + "[" * 200 + "]" * 200 + "\n", "maximum depth"),
    ("title: !!binary 'not base64 ?'\n", "not valid YAML"),
], ids=["anchor", "huge-integer", "deep-nesting", "bad-binary"])
def test_any_yaml_library_error_is_a_message_with_file_and_line(protocols, yaml_text, words):
    file = protocols / "variants" / EXAMPLE
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("region: Flevoland\n", "") + yaml_text if yaml_text.startswith("region") else text + yaml_text,
                    encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load(protocols)
    message = str(info.value)
    assert f"{file}:" in message and words in message, message
    problem = next(p for p in info.value.problems if p.file == file)
    assert problem.line is not None and problem.line > 1, message


def test_billion_laughs_is_refused_before_it_expands(protocols):
    """Nine levels of nine aliases (a billion "lol"s) under a duplicate key: refused at the first
    anchor. Run with 1 GB of address space, so a loader that expands it fails instead of
    taking the machine's memory."""
    lines = ['lol0: &a0 "lol"'] + [f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    file = protocols / "variants" / EXAMPLE
    file.write_text(file.read_text(encoding="utf-8") + "\n".join(lines) + "\nlol9: *a9\n", encoding="utf-8")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from generator.model.loader import SourceError, load\n"
        "try:\n    load(sys.argv[1])\nexcept SourceError as exc:\n    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(protocols)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"{file}:{line_of(file, 'lol0:')}: not valid YAML: anchor '&a0'" in result.stdout


def test_a_file_over_one_mib_is_refused_before_reading(protocols):
    file = protocols / "variants" / EXAMPLE
    file.write_text(file.read_text(encoding="utf-8") + "# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load(protocols)
    assert f"{file}: file is {file.stat().st_size:,} bytes; a source may have at most 1,048,576 bytes" in str(info.value)


def test_a_field_over_100000_characters_is_refused_with_its_path(protocols):
    file = protocols / "variants" / EXAMPLE
    _edit(file, "wie: Intern begeleider en directie", "wie: " + "x" * 100_001)
    with pytest.raises(SourceError) as info:
        load(protocols)
    assert f"{file}:{line_of(file, 'wie: xxx')}: steps[4].wie: 'wie' is longer than 100,000 characters" in str(info.value)


def test_control_characters_in_text_are_refused(protocols):
    file = protocols / "variants" / EXAMPLE
    _edit(file, "region: Flevoland", 'region: "Flevo\\x02land"')
    with pytest.raises(SourceError, match=r"region: .*control character U\+0002"):
        load(protocols)


def test_versions_that_would_share_a_page_are_refused_naming_both_files(build, protocols, tmp_path):
    """"1.0" and "1-0" both make versies/1-0/: the loader says so, and check and build agree."""
    first = protocols / "variants" / EXAMPLE
    second = protocols / "variants" / "prisma-later.yaml"
    text = first.read_text(encoding="utf-8")
    version_line = next(line for line in text.splitlines() if line.startswith("version:"))
    first.write_text(text.replace(version_line, 'version: "1.0"'), encoding="utf-8")
    second.write_text(text.replace(version_line, 'version: "1-0"').replace("valid_from: 2021-09-01", "valid_from: 2022-09-01"),
                      encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load(protocols)
    message = str(info.value)
    assert "'1-0'" in message and "'1.0'" in message and str(first) in message and str(second) in message
    assert "versies/1-0/" in message
    check = subprocess.run([sys.executable, "-m", "generator", "--protocols", str(protocols), "check"],
                           cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 1 and "would share the page versies/1-0/" in check.stderr
    site = tmp_path / "site"
    built = build(site, protocols=protocols)
    assert built.returncode != 0 and "would share the page versies/1-0/" in built.stderr
    assert not site.exists()


@pytest.mark.parametrize("where, text", [
    ("places", "steps: 'Stap {nummer}'"),
    ("places", "steps: 'Stap {number:>999999999}'"),
    ("rules", "{max_age_years.__class__}"),
])
def test_checks_placeholders_are_only_the_known_names(protocols, where, text):
    file = protocols / "checks.yaml"
    if where == "places":
        data = file.read_text(encoding="utf-8")
        line = next(line for line in data.splitlines() if line.strip().startswith("steps:") and "{number}" in line)
        file.write_text(data.replace(line, "  " + text), encoding="utf-8")
    else:
        _edit(file, "title: Ongeldig telefoonnummer", f"title: '{text}'")
    with pytest.raises(SourceError, match="bad placeholder"):
        load(protocols)


# ---------------------------------------------------------------- format characters (issue 20)

# (field, file, old text, new text with {text}, snippet of the line, path in the error)
FORMAT_PLACES = {
    "title": ("variants/" + EXAMPLE, "title: Meldcode stappenplan Prisma (september 2021)",
              "title: {text}", "title: ", "title"),
    "markdown": ("variants/" + EXAMPLE, "    wat: In kaart brengen van de signalen\n    wie: Leerkracht en intern begeleider\n    hoe: |",
                 "    wat: In kaart brengen van de signalen\n    wie: Leerkracht en intern begeleider\n    hoe: {text}\n    x: |",
                 "hoe: \"", "steps[0].hoe"),
    "cited": ("contacts.yaml", "source: '[[consent-2018]], voetnoot 1'\n  hours:", "source: {text}\n  hours:",
              "source: \"", "national.source"),
    "id": ("variants/" + EXAMPLE, "id: prisma-almere", "id: {text}", "id: ", "id"),
    "region-key": ("contacts.yaml", "  flevoland:\n", "  {text}:\n", "Veilig", "veilig_thuis_regions"),
    "phone": ("variants/" + EXAMPLE, 'phone_as_written: "088-2000"', "phone_as_written: {text}",
              "phone_as_written: ", "veilig_thuis.phone_as_written"),
    "email": ("variants/" + EXAMPLE, "email: m.brown@driemaster-almere.nl", "email: {text}", "email: \"",
              "contacts[0].email"),
    "url": ("contacts.yaml", "website: https://veiligthuisflevoland.nl/", "website: {text}", "website: \"",
            "veilig_thuis_regions.flevoland.website"),
    "source-url": ("sources.yaml", "url: https://www.meldcode.nl", "url: {text}", "url: \"", ".url"),
}
ORIGINAL = {
    "title": "Meldcode stappen|plan Prisma (september 2021)", "markdown": "Denk aan de sig|nalen.",
    "cited": "[[consent-2018]], voet|noot 1", "id": "prisma|-almere", "region-key": "flevo|land",
    "phone": "088-|2000", "email": "m.brown@drie|master-almere.nl", "url": "https://veiligthuis|flevoland.nl/",
    "source-url": "https://www.meld|code.nl",
}
"""Each field's text; the format character goes where the | is."""


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar with every character outside ASCII as an escape."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x7F and ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _with_format_character(protocols, field, char):
    """The field's text with ``char`` in its middle, written as a \\u escape in a quoted scalar."""
    name, old, new, snippet, path = FORMAT_PLACES[field]
    value = yaml_quoted(ORIGINAL[field].replace("|", char))
    if field == "markdown":  # the old block scalar becomes an unused key, removed again
        file = protocols / name
        data = file.read_text(encoding="utf-8")
        start = data.index(old)
        end = data.index("  - number: 2", start)
        file.write_text(data[:start] + new.format(text=value).replace("\n    x: |", "\n") + data[end:], encoding="utf-8")
    else:
        _edit(protocols / name, old, new.format(text=value))
    return protocols / name, snippet, path


REFUSED_EVERYWHERE = {
    "right-to-left-override": "\u202e", "left-to-right-embedding": "\u202a", "pop-directional": "\u202c",
    "right-to-left-isolate": "\u2067", "pop-isolate": "\u2069", "right-to-left-mark": "\u200f",
    "zero-width-space": "\u200b", "soft-hyphen": "\u00ad", "word-joiner": "\u2060", "byte-order-mark": "\ufeff",
    "arabic-letter-mark": "\u061c", "tag-letter": "\U000e0041",
}


def _refused_at_its_place(protocols, field: str, char: str):
    """``char`` put in ``field`` (``_with_format_character``): the load fails, naming that file,
    the line and the field's path; its problem there and the whole message."""
    file, snippet, path = _with_format_character(protocols, field, char)
    with pytest.raises(SourceError) as info:
        load(protocols)
    problem = next(p for p in info.value.problems if p.file == file)
    assert problem.line == line_of(file, snippet.replace("Veilig", "name: Veilig Thuis Flevoland")) - (
        1 if field == "region-key" else 0), str(info.value)
    assert path in problem.path, str(info.value)
    return problem, str(info.value)


@pytest.mark.parametrize("char", list(REFUSED_EVERYWHERE.values()), ids=list(REFUSED_EVERYWHERE))
@pytest.mark.parametrize("field", sorted(FORMAT_PLACES))
def test_format_characters_are_refused_with_file_line_and_path(protocols, field, char):
    if field == "region-key" and char == "\U000e0041":
        pytest.skip("one case of a key is enough")
    problem, message = _refused_at_its_place(protocols, field, char)
    assert f"U+{ord(char):04X}" in problem.message, message
    assert char not in message, "the message shows the invisible character itself"


JOINERS = {"zero-width-joiner": "\u200d", "zero-width-non-joiner": "\u200c"}


@pytest.mark.parametrize("char", list(JOINERS.values()), ids=list(JOINERS))
@pytest.mark.parametrize("field", ["title", "markdown", "cited"])
def test_joiners_are_allowed_in_prose(protocols, field, char):
    """Scripts (Persian, Indic) and emoji sequences (👩‍🏫) need ZWJ and ZWNJ in text."""
    _with_format_character(protocols, field, char)
    handbook = load(protocols)
    texts = [handbook.current("prisma-almere", dt.date(2026, 11, 23)).title,
             handbook.current("prisma-almere", dt.date(2026, 11, 23)).steps[0].hoe, handbook.contacts.national.source]
    assert any(char in text for text in texts)


@pytest.mark.parametrize("char", list(JOINERS.values()), ids=list(JOINERS))
@pytest.mark.parametrize("field", ["id", "region-key", "phone", "email", "url", "source-url"])
def test_joiners_are_refused_in_ids_phones_and_addresses(protocols, field, char):
    file, _, path = _with_format_character(protocols, field, char)
    with pytest.raises(SourceError) as info:
        load(protocols)
    problem = next(p for p in info.value.problems if p.file == file)
    assert path in problem.path and f"U+{ord(char):04X}" in problem.message, str(info.value)


def test_no_source_contains_format_characters():
    """What the seeds hold today: none (so refusing them keeps every faithful transcription)."""
    import unicodedata

    found = [(path.name, f"U+{ord(ch):04X}") for path in sorted(PROTOCOLS.rglob("*.yaml"))
             for ch in path.read_text(encoding="utf-8") if unicodedata.category(ch) == "Cf"]
    assert found == []

# ---------------------------------------------------------------- text limits (issue 20)


@pytest.mark.parametrize("abbreviation", ["&gt;", "<p>", "</td>", "gt;", '"VT"', "“VT”", "#39", "a&b", "VT>", "-VT"])
def test_an_abbreviation_must_be_a_word(protocols, abbreviation):
    """Abbreviations are wrapped in the built HTML, so markup in one would be markup there."""
    file = protocols / "begrippen.yaml"
    quoted = '"' + abbreviation.replace('"', '\\"') + '"'
    _edit(file, "abbreviations: [ZAT]", f"abbreviations: [ZAT, {quoted}]")
    with pytest.raises(SourceError) as info:
        load(protocols)
    message = str(info.value)
    assert f"{file}:{line_of(file, 'abbreviations: [ZAT,')}:" in message, message
    assert ".abbreviations[1]" in message and "is not a word" in message, message


def test_words_that_name_a_character_reference_or_a_tag_are_abbreviations_like_any_other(protocols):
    _edit(protocols / "begrippen.yaml", "abbreviations: [ZAT]", "abbreviations: [ZAT, gt, amp, p, td, o.a., i.o.m.]")
    assert {"gt", "amp", "p", "td", "o.a.", "i.o.m.", "IB'er", "IB’er", "IB-er"} <= set(load(protocols).begrippen.glossary)


CATASTROPHIC = [
    r"(x+x+)+y",       # the example
    r"(a*)*b",
    r"(a|a)*b",
    r"(?:\w+\s?)+$",
    r"(?:a+){2,}",
    r"(\d+){1,50}x",
    r"(?:a|ab)*c",     # alternatives that may start alike: refused although this one is harmless
    r"(?:(?:x+)y?)+z",
]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
@pytest.mark.parametrize("key", ["patterns", "unless"])
def test_a_checks_pattern_that_can_backtrack_for_ever_is_refused_with_its_rule(protocols, pattern, key):
    """Python's re has no time limit: ``(x+x+)+y`` on a long run of x's never ends."""
    file = protocols / "checks.yaml"
    if key == "patterns":
        _edit(file, r"- '\bgeen\s+melding\b'", f"- '{pattern}'")
        rule, where = "no-melding-when-help", "patterns[0]"
    else:
        _edit(file, r"- '\b(?:nooit|niet)\s+anoniem'", f"- '{pattern}'")
        rule, where = "anonymous-contradiction", "unless[0]"
    with pytest.raises(SourceError) as info:
        load(protocols)
    message = str(info.value)
    assert f"{file}:{line_of(file, pattern)}:" in message, message
    assert f"rules.{rule}.{where}" in message and "repeat" in message, message


@pytest.mark.parametrize("pattern", [
    r"[^.?!]{0,80}", r"afwegingsvra(?:ag|gen)+", r"(?:^|[.-])amk(?:[.-]|$)", r"\bmeld(?:en|ing|t)\b\w*",
    r"(?:ab)+c", r"(?:en|ing|t)+", r"(?:\s\w)+", r"(?:a{2})*", r"(?>x+)?y",
])
def test_a_checks_pattern_without_nested_repeats_loads(protocols, pattern):
    _edit(protocols / "checks.yaml", r"- '\bgeen\s+melding\b'", f"- '{pattern}'")
    assert load(protocols).checks.rules["no-melding-when-help"].patterns[0] == pattern


def test_braces_in_a_sources_name_reach_the_texts_that_cite_it_as_written(protocols):
    """A cited name is not a format string: only the citing text's own {placeholders} count."""
    from generator.checks.report import run_checks

    name = "Kwaliteitskaart {meldcode} (basisschool in Flevoland, {{zonder datum}}"
    _edit(protocols / "sources.yaml", "name: Kwaliteitskaart meldcode (basisschool in Flevoland, zonder datum)",
          f"name: '{name}'")
    handbook = load(protocols)
    report = run_checks(handbook, handbook.checks.settings.meldcode_change_date)
    assert report.reference("wie-from-text") == f"De kolom Wie in {name} en in " + (
        handbook.sources.sources["prisma-2021"].name + ".")
    assert handbook.contacts.veilig_thuis_regions["flevoland"].source.startswith(name)  # not format()-ed: as is


def test_a_bad_placeholder_in_a_citing_text_is_still_named_in_its_own_file(protocols):
    _edit(protocols / "sources.yaml", "name: Kwaliteitskaart meldcode (basisschool in Flevoland, zonder datum)",
          "name: 'Kwaliteitskaart {meldcode}'")
    file = protocols / "checks.yaml"
    _edit(file, "De kolom Wie in [[kwaliteitskaart-flevoland]] en in [[prisma-2021]].",
          "De kolom Wie in [[kwaliteitskaart-flevoland]] ({nummer}) en in [[prisma-2021]].")
    with pytest.raises(SourceError) as info:
        load(protocols)
    message = str(info.value)
    assert "bad placeholder" in message and "rules.wie-from-text.reference" in message, message
    assert f"{file}:" in message and "sources.yaml" not in message, message


# ---------------------------------------------------------------- dates are dates (issue 33)

# (field, as written in the YAML, words the message must say). YAML reads 2024-01-01 as text
# (the loader resolves no timestamps; the model parses it), 20240101 as an integer, 0.5 as a
# float and true as a boolean: pydantic's lax mode read 0 as 1970-01-01 and 1767225600 as
# 2026-01-01, silently.
NOT_DATES = [
    ("valid_from", "0", ["YAML read 0 as a number, not a date", "YYYY-MM-DD"]),
    ("valid_from", "20240101", ["YAML read 20240101 as a number, not a date", "2024-01-01"]),
    ("herzien_voor", "1767225600", ["YAML read 1767225600 as a number", "YYYY-MM-DD"]),
    ("vastgesteld", "2024.5", ["YAML read 2024.5 as a number", "YYYY-MM-DD"]),
    ("valid_until", "true", ["true or false, not a date", "YYYY-MM-DD"]),
    ("valid_from", '"1767225600"', ["'1767225600' is not a date", "YYYY-MM-DD"]),
    ("valid_from", "2024-01-01 10:00", ["'2024-01-01 10:00' is not a date", "YYYY-MM-DD"]),
    ("valid_from", "1-9-2021", ["'1-9-2021' is not a date", "YYYY-MM-DD"]),
]


@pytest.mark.parametrize("field, written, words", NOT_DATES, ids=[f"{f}-{w}" for f, w, _ in NOT_DATES])
def test_a_number_or_boolean_is_not_a_date(protocols, field, written, words):
    file = protocols / "variants" / EXAMPLE
    line = f"{field}: {written}"
    _edit(file, "valid_from: 2021-09-01", line if field == "valid_from" else f"valid_from: 2021-09-01\n{line}")
    message = assert_refused(protocols, file, line, [f"{field}: ", *words])
    assert "1970" not in message and "2026-01-01" not in message


def test_the_checks_date_setting_is_a_date_too(protocols):
    file = protocols / "checks.yaml"
    _edit(file, "meldcode_change_date: 2019-01-01", "meldcode_change_date: 20190101")
    assert_refused(protocols, file, "meldcode_change_date: 20190101",
                   ["settings.meldcode_change_date", "as a number, not a date", "2019-01-01"])


def test_a_date_written_as_a_date_is_read_as_one(protocols):
    file = protocols / "variants" / EXAMPLE
    _edit(file, "valid_from: 2021-09-01", 'valid_from: 2021-09-01\nherzien_voor: "2024-01-01"\nvastgesteld: 2021-08-15')
    version = load(protocols).current("prisma-almere", dt.date(2021, 9, 2))
    assert (version.valid_from, version.herzien_voor, version.vastgesteld) == (
        dt.date(2021, 9, 1), dt.date(2024, 1, 1), dt.date(2021, 8, 15))


# ---------------------------------------------------------------- what XML 1.0 cannot carry (issue 33)

NOT_IN_XML = {
    "noncharacter-fffe": "\ufffe", "noncharacter-ffff": "\uffff", "noncharacter-fdd0": "\ufdd0",
    "noncharacter-fdef": "\ufdef", "noncharacter-plane-1": "\U0001fffe", "noncharacter-plane-16": "\U0010ffff",
}
"""Characters a YAML source can hold (as escapes) that XML 1.0 cannot carry (U+FFFE, U+FFFF) or that
Unicode reserves as never being characters (the other noncharacters): one in a change note made
every feed unreadable. The control characters but tab and line feed are refused already."""
LONE_SURROGATE = "\ud800"
"""XML cannot carry it either; YAML refuses it as an escape and UTF-8 cannot encode it, so only
data built in Python can hold one."""


IN_EVERY_PLACE = ["noncharacter-fffe", "noncharacter-fdef", "noncharacter-plane-16"]
"""Three of them in every kind of place (the test below puts each in every field)."""


@pytest.mark.parametrize("char", [NOT_IN_XML[name] for name in IN_EVERY_PLACE], ids=IN_EVERY_PLACE)
@pytest.mark.parametrize("field", sorted(FORMAT_PLACES))
def test_what_xml_cannot_carry_is_refused_with_file_line_and_path(protocols, field, char):
    if field in ("region-key", "source-url", "email") and char != "\ufffe":
        pytest.skip("one case of a key and of an address is enough")
    problem, message = _refused_at_its_place(protocols, field, char)
    assert f"U+{ord(char):04X}" in problem.message and "noncharacter" in problem.message, message
    assert char not in message, "the message shows the character itself"


def test_every_text_field_refuses_what_xml_cannot_carry():
    """Every free-text field of every source (found by walking the model beside the YAML, as the
    payload test finds them), each with one character of the catalogue in it, is refused, and
    the error names the field and the character; a key of checks.yaml's places too."""
    from pydantic import ValidationError
    from test_untrusted_text import SOURCES, text_slots

    from conftest import read_yaml, variant_files
    from generator.model.sources import Variant

    chars = itertools.cycle([*NOT_IN_XML.values(), LONE_SURROGATE])
    files = [(PROTOCOLS / name, model) for name, model in SOURCES.items()] + [(p, Variant) for p in variant_files()]
    accepted, checked = [], 0
    for path, model in files:
        data = read_yaml(path)
        for container, key, where, _ in list(text_slots(model, data)):
            original, char = container[key], next(chars)
            container[key] = original[:1] + char + original[1:]
            try:
                model.model_validate(data)
                accepted.append(f"{path.name}:{where} U+{ord(char):04X}")
            except ValidationError as exc:
                # pydantic-core refuses a lone surrogate itself (a Rust string cannot hold one).
                errors = [e for e in exc.errors() if f"U+{ord(char):04X}" in str(e["msg"])
                          or char == LONE_SURROGATE and e["type"] == "string_unicode"]
                if not errors:
                    accepted.append(f"{path.name}:{where}: {exc}")
            container[key] = original
            checked += 1
    assert accepted == []
    assert checked > 300
    checks = read_yaml(PROTOCOLS / "checks.yaml")
    checks["places"]["st\ufffeeps"] = checks["places"].pop("steps")
    with pytest.raises(ValidationError, match=r"U\+FFFE"):
        SOURCES["checks.yaml"].model_validate(checks)
