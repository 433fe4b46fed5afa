"""Every number dials what it shows (issue 20).

A phone field holds a number only (digits, spaces, hyphens, an optional leading ``+``;
``+31 (0)`` is understood), with any note apart, in the variants and in contacts.yaml
alike; anything else is refused with file, line and how to write it. A page shows the
number as the source writes it and dials exactly its digits.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from conftest import line_of
from generator.checks import run_checks
from generator.model.loader import SourceError, load
from generator.site.pages import render_pages

TODAY = dt.date(2026, 11, 23)
PRISMA = "variants/prisma-almere-2021.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar (JSON's, with \\u escapes: the file shows every character)."""
    return json.dumps(text, ensure_ascii=True)


def dialled(shown: str) -> str:
    """What a phone link must dial for the number it shows: its digits, a leading + kept,
    the "(0)" after a country code left out. Written from the issue, not from the code."""
    plus = "+" if shown.startswith("+") else ""
    return "tel:" + plus + re.sub(r"[^0-9]", "", shown.replace("(0)", ""))


# Where a phone field is in a copy of the seeds: (file, old text, new text with {phone}, path in the error).
PLACES = {
    "phone-as-written": (PRISMA, 'phone_as_written: "088-2000"', "phone_as_written: {phone}",
                         "veilig_thuis.phone_as_written"),
    "contact": (PRISMA, "    email: m.brown@driemaster-almere.nl",
                "    phone: {phone}\n    email: m.brown@driemaster-almere.nl", "contacts[0].phone"),
    "region": ("contacts.yaml", 'phone: "088 - 222 05 00"', "phone: {phone}", "veilig_thuis_regions.flevoland.phone"),
    "national": ("contacts.yaml", 'phone: "0800-2000"\n  source', "phone: {phone}\n  source", "national.phone"),
    "emergency": ("contacts.yaml", 'phone: "112"', "phone: {phone}", "emergency.phone"),
}

# Text that is not a number only: each refused, with file, line and how to write a number.
BAD_PHONES = {
    "hours-in-brackets": "036 - 123 45 67 (ma t/m vr 8-17 uur)",
    "note-in-brackets": "0800-2000 (gratis, 24/7)",
    "words-before": "tel. 0800-2000",
    "area-code-in-brackets": "(036) 123 45 67",
    "dots": "088.222.05.00",
    "slash": "088/2220500",
    "en-dash": "0800\u20132000",
    "no-break-space": "0800\u00a02000",
    "two-hyphens": "0800--2000",
    "plus-not-first": "31+ 88 222 05 00",
    "trunk-without-country-code": "(0)88 222 05 00",
    "two-numbers": "088 222 05 00 of 088 222 05 01",
    "letters": "0800-VEILIG",
    "arabic-indic-digits": "\u0660\u0668\u0660\u0660\u0662\u0660\u0660\u0660",
    "fullwidth-digits": "\uff10\uff18\uff10\uff10-\uff12\uff10\uff10\uff10",
    "bidi-override": "0800\u202e0002",
    "zero-width-joiner": "0800\u200d2000",
}


def _refused(protocols: Path, place: str, phone) -> tuple[str, Path, int, str]:
    name, old, new, path = PLACES[place]
    file = protocols / name
    value = phone if isinstance(phone, str) and phone.startswith("{") else _yaml(phone)
    _edit(file, old, new.format(phone=value))
    with pytest.raises(SourceError) as info:
        load(protocols)
    return str(info.value), file, line_of(file, f"phone{'_as_written' if place == 'phone-as-written' else ''}: {value}"), path


@pytest.mark.parametrize("phone", list(BAD_PHONES.values()), ids=list(BAD_PHONES))
def test_a_phone_that_is_not_a_number_only_is_refused_with_file_and_line(protocols, phone):
    message, file, line, path = _refused(protocols, "phone-as-written", phone)
    assert f"{file}:{line}: {path}: " in message, message
    assert "not a phone number" in message or "format character" in message, message
    # It says how to write a number, and where the rest goes.
    assert "digits" in message and "note" in message, message


@pytest.mark.parametrize("place", sorted(PLACES))
def test_every_phone_field_refuses_text_around_the_number(protocols, place):
    """The variants' fields and contacts.yaml's alike."""
    message, file, line, path = _refused(protocols, place, "0800-2000 (gratis, 24/7)")
    assert f"{file}:{line}: {path}: " in message, message
    assert "not a phone number" in message and "note" in message, message


@pytest.mark.parametrize("place", ["phone-as-written", "emergency"])
def test_an_unquoted_number_is_refused_not_read_as_an_integer(protocols, place):
    """YAML reads 0882220500 as the integer 882220500: the leading 0 would be lost."""
    name, old, new, path = PLACES[place]
    file = protocols / name
    _edit(file, old, new.format(phone="0882220500" if place != "emergency" else "112"))
    with pytest.raises(SourceError) as info:
        load(protocols)
    message = str(info.value)
    line = line_of(file, "phone_as_written: 0882220500" if place != "emergency" else "phone: 112")
    assert f"{file}:{line}: {path}: " in message and "in quotes" in message, message


def test_invisible_characters_in_a_phone_are_named_not_printed(protocols):
    """0800<RLO>0002 shows as 0800...2000 and would dial 08000002; the message escapes it."""
    message, file, line, path = _refused(protocols, "phone-as-written", "0800\u202e0002")
    assert "U+202E" in message and "\u202e" not in message, message


@pytest.mark.parametrize("mapping, words", [
    ('{number: "0800-2000", notes: "gratis"}', ["unknown key 'notes'"]),
    ('{note: "gratis"}', ["missing key 'number'"]),
    ('{number: "0800-2000 gratis"}', ["not a phone number"]),
    ('{number: "0800-2000", note: "gratis\\u202e"}', ["U+202E"]),
], ids=["unknown-key", "no-number", "bad-number", "bidi-in-note"])
def test_a_phone_with_a_note_is_strict(protocols, mapping, words):
    name, old, new, path = PLACES["contact"]
    file = protocols / name
    _edit(file, old, new.format(phone=mapping))
    with pytest.raises(SourceError) as info:
        load(protocols)
    message = str(info.value)
    assert f"{file}:" in message and path in message, message
    for word in words:
        assert word in message, message
    problem = next(p for p in info.value.problems if p.file == file)
    assert problem.line == line_of(file, "phone: {"), message


# A well-formed number, odd or not, as the source writes it -> what its link dials.
GOOD = {
    "0800-2000": "tel:08002000",
    "088 - 222 05 00": "tel:0882220500",
    "088-2000": "tel:0882000",  # Prisma's odd number: shown and dialled as written, flagged by the checks
    "+31 (0)88 222 05 00": "tel:+31882220500",
    "+31(0)88-222-05-00": "tel:+31882220500",
    "+31 88 222 05 00": "tel:+31882220500",
    "+44 20 7946 0000": "tel:+442079460000",
    "112": "tel:112",
}


@pytest.mark.parametrize("shown, href", list(GOOD.items()))
def test_a_well_formed_number_loads_and_dials_its_digits(protocols, shown, href):
    assert dialled(shown) == href  # the test's own reading agrees with the table
    name, old, new, _ = PLACES["phone-as-written"]
    _edit(protocols / name, old, new.format(phone=_yaml(shown)))
    handbook = load(protocols)
    phone = handbook.current("prisma-almere", TODAY).veilig_thuis.phone_as_written
    assert phone.number == shown and phone.note is None
    assert phone.dial == href.removeprefix("tel:")


def _phone_links(pages) -> dict[str, list[tuple[str, str]]]:
    """Every <a href="tel:..."> of every page: page -> [(href, the text it shows)]."""
    found = {}
    for page in pages:
        links = [(html.unescape(href), html.unescape(text))
                 for href, text in re.findall(r'<a href="(tel:[^"]*)"[^>]*>([^<]*)</a>', page.content)]
        if links:
            found[page.path] = links
    return found


@pytest.fixture
def phones_with_notes(protocols) -> Path:
    """The seeds with a region number written +31 (0)..., a national number and a contact's
    number with a note (the forms the issue found glued into one link)."""
    _edit(protocols / "contacts.yaml", 'phone: "088 - 222 05 00"', 'phone: "+31 (0)88 222 05 00"')
    _edit(protocols / "contacts.yaml", 'phone: "0800-2000"\n  source',
          'phone:\n    number: "0800-2000"\n    note: "gratis, 24/7"\n  source')
    _edit(protocols / PRISMA, "    email: m.brown@driemaster-almere.nl",
          '    phone:\n      number: "036 - 123 45 67"\n      note: ma t/m vr 8-17 uur\n'
          "    email: m.brown@driemaster-almere.nl")
    return protocols


def test_every_phone_link_dials_exactly_the_number_it_shows(phones_with_notes):
    handbook = load(phones_with_notes)
    pages = render_pages(handbook, run_checks(handbook, TODAY), TODAY)
    links = _phone_links(pages)
    assert links, "no phone links at all"
    wrong = {path: [(href, text) for href, text in found if href != dialled(text)] for path, found in links.items()}
    assert {path: bad for path, bad in wrong.items() if bad} == {}
    shown = {text for found in links.values() for _, text in found}
    assert {"+31 (0)88 222 05 00", "0800-2000", "036 - 123 45 67", "112"} <= shown
    everything = "\n".join(html.unescape(page.content) for page in pages)
    for glued in ("tel:+310882220500", "tel:08002000247", "tel:0361234567817"):
        assert glued not in everything


def test_a_note_is_shown_beside_its_number_not_dialled(phones_with_notes):
    handbook = load(phones_with_notes)
    contact = handbook.current("prisma-almere", TODAY).contacts[0]
    assert (contact.phone.number, contact.phone.note, contact.phone.dial) == (
        "036 - 123 45 67", "ma t/m vr 8-17 uur", "0361234567")
    pages = {page.path: html.unescape(page.content) for page in render_pages(handbook, run_checks(handbook, TODAY), TODAY)}
    variant = pages["varianten/prisma-almere/index.md"]
    assert '<a href="tel:0361234567" dir="ltr">036 - 123 45 67</a> (ma t/m vr 8-17 uur)' in variant
    assert '<a href="tel:08002000" dir="ltr">0800-2000</a> (gratis, 24/7)' in variant


def test_a_national_number_with_a_note_is_still_the_number_protocols_write(phones_with_notes):
    """A note on 0800-2000 in contacts.yaml must not make every protocol's 0800-2000 "differ"."""
    consent = phones_with_notes / "variants" / "consent-2018.yaml"
    _edit(consent, "region: twente", "region: flevoland")  # so only the national number can match
    handbook = load(phones_with_notes)
    report = run_checks(handbook, TODAY, variants=["consent"])
    assert [f for f in report.findings if f.rule_id == "veilig-thuis-phone-differs"] == []


def test_the_seed_protocols_load_and_their_numbers_are_as_written():
    """A faithful transcription still loads: the five seeds, their odd 088-2000 included."""
    from conftest import PROTOCOLS

    handbook = load(PROTOCOLS)
    written = {v.id: v.veilig_thuis.phone_as_written and v.veilig_thuis.phone_as_written.number
               for v in handbook.variants}
    assert written == {"consent": "0800-2000", "flevoland-kwaliteitskaart": "088 - 222 05 00", "levwn": None,
                       "prisma-almere": "088-2000", "vo-brochure": None}


def test_plus_31_and_trunk_zero_dial_without_the_zero(protocols):
    """+31 (0)88 222 05 00 dials +31882220500 on every page that shows it (not +310882220500)."""
    _edit(protocols / "contacts.yaml", 'phone: "088 - 222 05 00"', 'phone: "+31 (0)88 222 05 00"')
    handbook = load(protocols)
    links = _phone_links(render_pages(handbook, run_checks(handbook, TODAY), TODAY))
    shown = [(href, text) for found in links.values() for href, text in found if text == "+31 (0)88 222 05 00"]
    assert shown and set(shown) == {("tel:+31882220500", "+31 (0)88 222 05 00")}


# ---------------------------------------------------------------- tel: links in protocol Markdown


@pytest.mark.parametrize("source, shown", [
    ("Bel [0800-2000](tel:08002000).", "0800-2000"),
    ("Bel [+31 (0)88 222 05 00](tel:+31882220500).", "+31 (0)88 222 05 00"),
    ("Bel [088 - 222 05 00](tel:088-222-05-00).", "088 - 222 05 00"),
])
def test_a_tel_link_in_markdown_that_dials_the_number_it_shows_stays(source, shown):
    from generator.site.templating import markdown

    found = re.findall(r'<a href="(tel:[^"]*)"[^>]*>([^<]*)</a>', str(markdown(source)))
    assert len(found) == 1, found
    href, text = found[0]
    assert html.unescape(text) == shown
    assert href == dialled(shown)


@pytest.mark.parametrize("source, shown", [
    ("Bel [0800-2000](tel:09001234567) voor advies.", "0800-2000"),  # shows one number, dials another
    ("Bel [Veilig Thuis](tel:09001234567).", "Veilig Thuis"),  # shows no number at all
    ("Bel [0800-2000 (gratis)](tel:08002000).", "0800-2000 (gratis)"),  # a note inside the link
    ("Bel [0800\u20112000](tel:08002000).", "0800\u20112000"),  # not a number as a source may write one
])
def test_a_tel_link_in_markdown_that_shows_anything_else_stays_text(source, shown):
    """A phone link dials exactly the number shown: a link whose text is not that number is no link."""
    from generator.site.templating import markdown

    out = str(markdown(source))
    assert "<a" not in out and "tel:" not in out, out
    assert shown in html.unescape(re.sub(r"<[^>]+>", "", out))
