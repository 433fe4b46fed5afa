"""The validated model of the handbook's sources.

Everything the generator renders passes through these classes first, so a
protocol that loads is a protocol every template can rely on. The model knows
nothing of HTML or MkDocs; its JSON Schema (``python -m generator schema``) is
what editors validate the YAML sources against.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import string
import unicodedata
from enum import Enum
from functools import cached_property
from re import _parser as _re_parser
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

SCHEMA_VERSION = 1

MAX_TEXT_CHARS = 100_000
"""The longest text a field may hold (a whole protocol is about 30,000 characters)."""

PROSE_FORMAT_CHARACTERS = "\u200c\u200d"
"""The only invisible format characters (Unicode category Cf) a text may hold: ZERO WIDTH
NON-JOINER and ZERO WIDTH JOINER, which Persian, the Indic scripts and emoji sequences
need. Never in ids, phone numbers, e-mail or web addresses; every other Cf character
(bidi embeddings, overrides, isolates and marks, zero-width spaces, word joiners, soft
hyphens, byte order marks, tag characters, ...) is refused everywhere: invisible, it can
make a text show other than it reads (``0800<U+202E>0002`` shows as 0800...2000 and runs
on into the rest of the line) or hide a word from the checks."""


def _ranges(codes: list[int]) -> str:
    """A regular expression character class body for these code points, as ranges."""
    out, start = [], None
    for index, code in enumerate(codes):
        start = code if start is None else start
        if index + 1 == len(codes) or codes[index + 1] != code + 1:
            out.append(re.escape(chr(start)) + ("-" + re.escape(chr(code)) if code != start else ""))
            start = None
    return "".join(out)


_FORMAT_CODES = [code for plane in (range(0x10000), range(0x10000, 0x20000), range(0xE0000, 0xE1000))
                 for code in plane if unicodedata.category(chr(code)) == "Cf"]
"""Every format character (Unicode category Cf) of this Python's Unicode: they are in these planes."""
NONCHARACTERS = [*range(0xFDD0, 0xFDF0), *(plane * 0x10000 + low for plane in range(17) for low in (0xFFFE, 0xFFFF))]
"""Unicode's 66 noncharacters, code points that are never characters: U+FDD0-U+FDEF and the last
two of every plane. XML 1.0 cannot carry U+FFFE and U+FFFF at all (one in a change note made
every Atom feed unreadable) and discourages the rest, so no text may hold any of them."""
_NONCHARACTER_SET = frozenset(NONCHARACTERS)
SURROGATES = r"\ud800-\udfff"
"""Half of a UTF-16 pair, alone in a Python string: no UTF-8 file, page or feed can hold one. Neither
YAML nor UTF-8 can bring one, and pydantic-core refuses one in any ``str`` field; ``visible`` escapes it."""


class _Invisible:
    """Finds what a text may not hold: control characters (but tab and line feed), format
    characters (but ``allowed``), noncharacters and lone surrogates. With them refused, every
    text is one XML 1.0 can carry, and none can make a page show other than it reads.

    A protocol text is read once per character, so in two steps: one character class below
    U+10000 (a table lookup for the regular expression engine, as fast as the control
    characters alone), and only a text with characters beyond it (UTF-16 longer than the
    text) is searched for the few format characters and noncharacters there."""

    def __init__(self, allowed: str):
        codes = sorted([code for code in _FORMAT_CODES if chr(code) not in allowed] + NONCHARACTERS)
        control = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
        self.low = re.compile(f"[{control}{SURROGATES}{_ranges([c for c in codes if c < 0x10000])}]")
        self.high = re.compile(f"[{_ranges([c for c in codes if c >= 0x10000])}]")

    def search(self, text: str) -> re.Match | None:
        found = self.low.search(text)
        if found is None and not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text):
            found = self.high.search(text)
        return found

    def sub(self, replace, text: str) -> str:
        return self.high.sub(replace, self.low.sub(replace, text))


_INVISIBLE = _Invisible("")
_INVISIBLE_IN_PROSE = _Invisible(PROSE_FORMAT_CHARACTERS)


def visible(text: str) -> str:
    """``text`` with what ``_Invisible`` finds written as ``\\uXXXX``, for messages: a
    right-to-left override printed raw would reverse the rest of the line it is on, and a lone
    surrogate cannot be printed at all."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) <= 0xFFFF
                          else f"\\U{ord(m.group()):08x}", text)


def _kind_of(char: str) -> str:
    """What a character ``_Invisible`` found is, for a message."""
    category = unicodedata.category(char)
    if category == "Cc":
        return f"the control character U+{ord(char):04X}"
    if category == "Cs":
        return f"a lone surrogate U+{ord(char):04X} (half of a character)"
    if ord(char) in _NONCHARACTER_SET:
        return f"the noncharacter U+{ord(char):04X}, which no page or feed may hold"
    return f"the invisible format character U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


def _refuse_invisible(text: str, pattern: _Invisible = _INVISIBLE) -> str:
    """Text is what a person can type: control characters (escaped in YAML), invisible
    format characters, noncharacters and lone surrogates are refused, named by their code point."""
    found = pattern.search(text)
    if found is None:
        return text
    char, position = found.group(), found.start() + 1
    if unicodedata.category(char) == "Cc":
        raise ValueError(f"contains {_kind_of(char)} at position {position}")
    allowed = (" (zero width joiner and non-joiner only in text)"
               if pattern is _INVISIBLE and unicodedata.category(char) == "Cf" else "")
    raise ValueError(f"contains {_kind_of(char)} at position {position}: remove it{allowed}")


def _prose_characters(text: str) -> str:
    return _refuse_invisible(text, _INVISIBLE_IN_PROSE)


def _exact_characters(value: object) -> object:
    """Before any other check of an id: no invisible character at all, named as such."""
    return _refuse_invisible(value) if isinstance(value, str) else value


SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_ID_CHARS = 64
"""The longest id (and variant version): ids and versions name folders and files of the site
(``varianten/<id>/versies/<version>/<id>-<version>.pdf``), which must stay well under the
255 bytes a file name may have (guides/sources.md)."""
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=MAX_ID_CHARS), BeforeValidator(_exact_characters)]


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS),
    AfterValidator(_prose_characters),
]
"""Plain text: may not be empty or only white space. Pages show it as text, never as markup."""


def _short_text(max_length: int):
    """``Text`` of at most ``max_length`` characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_prose_characters),
    ]


MAX_REGION_CHARS = 48
"""The longest region: it names a folder of the overviews, where a character may become up to
five ('㎯' is 'rads2'), and 48 x 5 = 240 bytes stays under the 255 a file name may have."""
VersionName = _short_text(MAX_ID_CHARS)
RegionName = _short_text(MAX_REGION_CHARS)

Markdown = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS),
    AfterValidator(_prose_characters),
    Field(json_schema_extra={"contentMediaType": "text/markdown"}),
]
"""Markdown as the source has it: paragraphs, lists, links (http(s), mailto, tel, the site)."""
Key = Annotated[str, AfterValidator(_refuse_invisible)]
"""A key that names a part of the model (``places`` of checks.yaml), as written: no character a text may not hold."""
Address = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS),
    AfterValidator(_refuse_invisible),
]
"""An e-mail or web address as the source writes it: text without any format character
(the checks say whether it is well formed)."""


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_HOW_TO_WRITE_A_DATE = "write a date as YYYY-MM-DD"


def _date_as_written(value: object) -> object:
    """A date field holds a date written as one (``2024-08-01``, which the loader reads as text)
    or nothing. pydantic's lax mode would read a number as seconds since 1970 (``0`` is
    1970-01-01, ``1767225600`` 2026-01-01) and refuse ``20240101`` with a message about
    times, so numbers, booleans and text of any other form are refused here, saying how to
    write the date; a well-formed text is then parsed by pydantic (``2021-02-30`` refused)."""
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, bool):
        raise ValueError(f"YAML read {str(value).lower()} as true or false, not a date: "
                         f"{_HOW_TO_WRITE_A_DATE} (2024-08-01)")
    digits = str(value)
    example = "2024-08-01"
    if re.fullmatch(r"[0-9]{8}", digits):
        with contextlib.suppress(ValueError):  # not a day: the example stays
            example = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    if isinstance(value, (int, float)):
        raise ValueError(f"YAML read {value} as a number, not a date: {_HOW_TO_WRITE_A_DATE} ({example})")
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise ValueError(f"'{visible(str(value))}' is not a date: {_HOW_TO_WRITE_A_DATE} ({example})")


Date = Annotated[dt.date, BeforeValidator(_date_as_written)]
"""A day, written ``YYYY-MM-DD``; never a number (``_date_as_written``)."""
OptionalDate = Annotated[dt.date | None, BeforeValidator(_date_as_written)]
"""``Date`` or null; one check before the union, so a wrong value gets one message."""


def version_slug(version: str) -> str:
    """A version's URL segment ("v1.0_301018" -> "v1-0-301018"); the loader refuses two
    versions of a variant with the same slug, since their pages would share a URL."""
    return re.sub(r"[^a-z0-9]+", "-", version.lower()).strip("-") or "versie"

CITATION = re.compile(r"\[\[([^\[\]]*)\]\]")
"""``[[id]]`` in a citing text: a source of ``protocols/sources.yaml`` by its id."""


def _resolve_citations(text: str, info: ValidationInfo) -> str:
    """Name each ``[[id]]`` as a reader knows it; refuse unknown ids and bare file names.

    The registry comes from the validation context (``{"sources": Sources}``),
    which the loader passes; without it the text is kept as written.
    """
    return _cite(text, info, lambda name: name)


def _resolve_citations_in_format(text: str, info: ValidationInfo) -> str:
    """As ``_resolve_citations``, in a text that is ``format()``-ed later (``{placeholder}``):
    a brace in a source's name is doubled, so it shows as written and is no placeholder."""
    return _cite(text, info, lambda name: name.replace("{", "{{").replace("}", "}}"))


def _cite(text: str, info: ValidationInfo, shown) -> str:
    sources = (info.context or {}).get("sources")
    if sources is None:
        return text
    for source_id, source in sources.sources.items():
        if source.file and source.file in text:
            raise ValueError(
                f"names the file {source.file!r}; cite the source as [[{source_id}]] "
                "(protocols/sources.yaml), so readers see its title, not a file name"
            )
    unknown = [m.group(1) for m in CITATION.finditer(text) if m.group(1) not in sources.sources]
    if unknown:
        known = ", ".join(sorted(sources.sources))
        raise ValueError(f"unknown source [[{unknown[0]}]] (known ids in sources.yaml: {known})")
    return CITATION.sub(lambda m: shown(sources.sources[m.group(1)].name), text)


_CITED_DESCRIPTION = "Text that may cite sources as [[id]] (ids from sources.yaml)."
Cited = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_prose_characters),
    AfterValidator(_resolve_citations),
    Field(json_schema_extra={"description": _CITED_DESCRIPTION}),
]
"""Text that names where something comes from: ``[[id]]`` cites ``sources.yaml``."""
CitedFormat = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_prose_characters),
    AfterValidator(_resolve_citations_in_format),
    Field(json_schema_extra={"description": _CITED_DESCRIPTION}),
]
"""``Cited`` in a text with ``{placeholders}``: the names it cites keep their braces as text."""


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a source must never vanish silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- phone numbers

MAX_PHONE_CHARS = 40
_SEPARATOR = r"(?: +(?:- *)?|- *)"
PHONE_PATTERN = rf"^(?:\+[0-9]{{1,3}}(?: ?\(0\))?{_SEPARATOR}?)?[0-9]+(?:{_SEPARATOR}[0-9]+)*$"
"""A phone number as people write it: digits, with single spaces or hyphens (" - " too)
between groups, and an optional leading + and country code, which may be followed by
"(0)" (``+31 (0)88 222 05 00``). ASCII digits only."""
_PHONE = re.compile(PHONE_PATTERN)
_HOW_TO_WRITE = (
    "a phone field holds only the number, in digits with spaces or hyphens between them and "
    "an optional leading + ('0800-2000', '088 - 222 05 00', '+31 (0)88 222 05 00'); anything "
    "else goes in its note: {number: \"0800-2000\", note: \"gratis, 24/7\"}"
)


def _phone_number(text: str) -> str:
    """A number only: refused with what to write instead."""
    found = _INVISIBLE.search(text)
    if found:
        raise ValueError(f"'{visible(text)}' contains {_kind_of(found.group())}; {_HOW_TO_WRITE}")
    if not _PHONE.match(text):
        raise ValueError(f"'{text}' is not a phone number: {_HOW_TO_WRITE}")
    return text


PhoneNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_PHONE_CHARS),
    AfterValidator(_phone_number),
    Field(json_schema_extra={"pattern": PHONE_PATTERN}),
]


def phone_digits(text: str) -> str:
    """The number a phone text stands for, as digits dialled within the Netherlands, for
    comparing numbers: '+31 (0)88 222 05 00', '0031 88 222 05 00' and '088-2220500' are all
    '0882220500'; another country keeps its + and code ('+32 2 ...' -> '+322...')."""
    plus = text.strip().startswith("+")
    digits = re.sub(r"[^0-9]", "", text.replace("(0)", ""))
    if plus and digits.startswith("31"):
        return "0" + digits[2:]
    if not plus and digits.startswith("0031"):
        return "0" + digits[4:]
    return ("+" if plus else "") + digits


class Phone(Strict):
    """A phone number as the source writes it, with anything said about it apart.

    Written as the number alone (``phone: "0800-2000"``) or with a note
    (``phone: {number: "0800-2000", note: "gratis, 24/7"}``). A page shows ``number`` as
    written and dials ``dial``: exactly its digits. An odd but well-formed number
    (``088-2000``) is kept as written; the checks flag it.
    """

    number: PhoneNumber = Field(description="The number only, as written: digits, spaces, hyphens, a leading +.")
    note: Text | None = Field(None, description="What the source says beside the number (hours, 'gratis', ...).")

    @model_validator(mode="before")
    @classmethod
    def _number_alone(cls, data: object) -> object:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            raise ValueError(f"YAML read {data} as a number, not as written: put the phone number in quotes "
                             "(phone: \"0882220500\"); unquoted, a leading 0 or + is lost")
        if isinstance(data, str):
            if data.strip():
                _phone_number(data.strip())  # so that the error is the field's, not its 'number'
            return {"number": data}
        return data

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        schema = handler.resolve_ref_schema(handler(core_schema))
        number = dict(schema["properties"]["number"])
        return {"anyOf": [number, schema], "description": cls.__doc__.split("\n\n")[0]}

    @property
    def dial(self) -> str:
        """What a phone link dials: the digits as shown, a leading + kept, "(0)" left out
        (``+31 (0)88 222 05 00`` -> ``+31882220500``)."""
        digits = re.sub(r"[^0-9]", "", self.number.replace("(0)", ""))
        return f"+{digits}" if self.number.startswith("+") else digits

    @property
    def digits(self) -> str:
        """The number, for comparing numbers (see ``phone_digits``)."""
        return phone_digits(self.number)


class SchoolType(str, Enum):
    PO = "PO"
    VO = "VO"


class SectionKind(str, Enum):
    """The kinds of section a protocol may have beside its step table."""

    inleiding = "inleiding"
    definities = "definities"
    ondersteuningsroute = "ondersteuningsroute"
    beroepsgeheim = "beroepsgeheim"
    spiekkaart = "spiekkaart"
    afwegingskader = "afwegingskader"
    verantwoordelijkheden = "verantwoordelijkheden"
    tot_slot = "tot_slot"
    overig = "overig"


# ---------------------------------------------------------------- sources


class Source(Strict):
    """A document (or law, or web page) the handbook cites, as a reader knows it."""

    name: Text = Field(description="How a reader knows it: title, school or publisher, date or version.")
    title: Text | None = Field(None, description="The document's own title, as written.")
    publisher: Text | None = Field(None, description="School, board or organisation that published it.")
    date: Text | None = Field(None, description="The date as the document writes it.")
    version: Text | None = Field(None, description="The version as the document writes it.")
    url: Address | None = Field(None, description="Where a public source can be read.")
    file: Text | None = Field(
        None, description="Provenance only: the file name of the source text in shared/seeds, never shown."
    )


class Sources(Strict):
    """``protocols/sources.yaml``: every source cited elsewhere as ``[[id]]``."""

    schema_version: Literal[1]
    sources: dict[Slug, Source]


# ---------------------------------------------------------------- roles


class Role(Strict):
    """A function at (or around) a school that protocols name in their *wie*."""

    id: Slug
    name: Text = Field(description="The Dutch name a page uses: \"Wat doe ik als {name}?\"")
    words: list[Text] = Field(
        min_length=1,
        description="Every word that names this role in protocols, matched whole and without regard to "
        "case; a space matches any white space, ' matches ’ too.",
    )


class Roles(Strict):
    """``protocols/roles.yaml``: the roles, in the order pages list them."""

    schema_version: Literal[1]
    roles: list[Role] = Field(min_length=1)

    @field_validator("roles")
    @classmethod
    def _unique(cls, roles: list[Role]) -> list[Role]:
        ids, words = set(), {}
        for role in roles:
            if role.id in ids:
                raise ValueError(f"role id '{role.id}' is used twice")
            ids.add(role.id)
            for word in role.words:
                key = normal_word(word)
                if key in words and words[key] != role.id:
                    raise ValueError(f"the word '{word}' names both '{words[key]}' and '{role.id}'")
                words[key] = role.id
        return roles


def normal_word(word: str) -> str:
    """How a role word is compared: lower case, single spaces, straight apostrophes."""
    return " ".join(word.replace("\u2019", "'").lower().split())


# ---------------------------------------------------------------- begrippen


_ABBREVIATION = re.compile(r"[^\W_]+(?:[-'\u2019./ ][^\W_]+)*\.?")


def _word_abbreviation(text: str) -> str:
    """An abbreviation is wrapped in ``<abbr>`` in the built HTML: it is a word, never markup."""
    if not _ABBREVIATION.fullmatch(text):
        raise ValueError(
            f"abbreviation {text!r} is not a word: write letters and digits, joined by single "
            "- ' \u2019 . / or spaces, and perhaps a final . (no < > & ; quotes or other signs)"
        )
    return text


Abbreviation = Annotated[Text, AfterValidator(_word_abbreviation)]


class Term(Strict):
    """A term or abbreviation staff meet in the protocols, with where its meaning comes from."""

    id: Slug
    term: Text = Field(description="The term written out.")
    abbreviations: list[Abbreviation] = Field(
        default_factory=list,
        description="Abbreviations explained in place on every page, matched whole and with case as written: "
        "letters and digits, joined by single - ' \u2019 . / or spaces, and perhaps a final .",
    )
    tooltip: Text | None = Field(None, description="What an abbreviation's tooltip says; default the term.")
    definition: Text = Field(description="A short definition, in the words of the cited source where possible.")
    replaced_by: Text | None = Field(
        None, description="For an organisation that no longer exists: what replaced it, and since when."
    )
    reference: Cited = Field(description="Where the definition comes from ([[id]] from sources.yaml).")

    @property
    def explanation(self) -> str:
        return self.tooltip or self.term


class Begrippen(Strict):
    """``protocols/begrippen.yaml``: the begrippenlijst, in the order the page shows it."""

    schema_version: Literal[1]
    terms: list[Term] = Field(min_length=1)

    @field_validator("terms")
    @classmethod
    def _unique(cls, terms: list[Term]) -> list[Term]:
        ids, abbreviations = set(), {}
        for term in terms:
            if term.id in ids:
                raise ValueError(f"term id '{term.id}' is used twice")
            ids.add(term.id)
            for abbreviation in term.abbreviations:
                if abbreviation in abbreviations:
                    raise ValueError(
                        f"abbreviation '{abbreviation}' is in both '{abbreviations[abbreviation]}' and '{term.id}'"
                    )
                abbreviations[abbreviation] = term.id
        return terms

    @property
    def glossary(self) -> dict[str, str]:
        """Every abbreviation with what its tooltip says."""
        return {a: t.explanation for t in self.terms for a in t.abbreviations}


# ---------------------------------------------------------------- contacts


class VeiligThuisRegion(Strict):
    """A Veilig Thuis region, defined once and referenced by variants."""

    name: Text
    phone: Phone
    website: Address | None = None
    melding_portal: Address | None = Field(
        None, description="Where a professional makes a melding online."
    )
    source: Cited = Field(description="Which source these facts come from ([[id]] from sources.yaml).")


class NationalContact(Strict):
    """The fallback where a protocol names no region."""

    name: Text
    phone: Phone
    source: Cited
    hours: Text = Field(description="When this number answers, as a reader should read it.")
    hours_source: Cited = Field(description="The public source that states these hours ([[id]]).")


class EmergencyContact(Strict):
    """The number for acute danger, shown above the afwegingskader."""

    phone: Phone
    source: Cited = Field(description="The public source that states what this number is for ([[id]]).")


class Contacts(Strict):
    """``protocols/contacts.yaml``: contact data shared by all variants."""

    schema_version: Literal[1]
    emergency: EmergencyContact
    national: NationalContact
    veilig_thuis_regions: dict[Slug, VeiligThuisRegion]


# ---------------------------------------------------------------- variants


class Organisation(Strict):
    name: Text | None = Field(
        None, description="School or school board as the source names it; none if it names none."
    )
    board: Text | None = Field(None, description="The school board (bestuur), where known.")


class SourceDocument(Strict):
    title: Text | None = Field(None, description="The document's own title, if it has one.")
    date: Text | None = Field(None, description="The date as the document writes it.")
    version: Text | None = Field(None, description="The version as the document writes it.")
    document: Text = Field(description="File name of the source text in shared/seeds.")


class VeiligThuisReference(Strict):
    """Which region a variant uses, and what its own text says about it."""

    region: Slug | None = Field(
        None, description="Key in contacts.yaml; none means the national number."
    )
    phone_as_written: Phone | None = Field(
        None, description="The phone number exactly as the protocol writes it (its words around it in a note)."
    )
    website_as_written: Address | None = Field(
        None, description="The website exactly as the protocol writes it."
    )


class Contact(Strict):
    """A named person or service the protocol tells staff to contact."""

    name: Text
    role: Text | None = None
    organisation: Text | None = None
    phone: Phone | None = None
    email: Address | None = None
    website: Address | None = None


class Step(Strict):
    """One row of the step table: stap, wat, wie, hoe."""

    number: int = Field(ge=1, le=5)
    wat: Text
    wie: Text = Field(description="Who acts, in the protocol's words.")
    wie_from_text: bool = Field(
        False,
        description="True where the source has no wie column and wie is taken from its text.",
    )
    hoe: Markdown


class SectionItem(Strict):
    title: Text
    body: Markdown


class Section(Strict):
    """A part of the protocol beside the step table, in the source's order."""

    kind: SectionKind
    title: Text
    body: Markdown | None = None
    items: list[SectionItem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_content(self) -> Section:
        if not self.body and not self.items:
            raise ValueError("a section needs a body or items")
        return self


class Melding(Strict):
    """Who makes a melding at Veilig Thuis, in the protocol's words."""

    door: Text = Field(description="Who makes the melding (from the variant's step 5).")
    door_from_text: bool = Field(
        False, description="True where the source does not name this in so many words."
    )
    ouders_informeren: Text | None = Field(
        None, description="Who informs the parents of a melding, if the source says."
    )
    nooit_anoniem: bool = Field(
        False, description="The source says the school never melds anonymously."
    )


class PassageRef(Strict):
    """A place in the protocol that answers a situation, shown there verbatim.

    Either a step (its *hoe*) or a section (its body, or one of its items), sections and items
    named by their titles; whole, or the one block of that text whose words begin with
    ``begint``: a paragraph, a list item, a table, a code block ..., as markdown-it parses the
    text (``generator.model.passages``). The loader checks that the place exists and is one.
    """

    step: int | None = Field(None, ge=1, le=5, description="A step's number (the basismodel's, 1-5): the place "
                             "is its hoe.")
    section: Text | None = Field(None, description="A section by its title, exactly as in `sections`.")
    item: Text | None = Field(None, description="With section: one of its items, by its title (else the "
                              "section's own text).")
    begint: Text | None = Field(
        None, description="The first words of one block of the text (a paragraph, a list item, a table, a code "
        "block ...) as a reader sees them, without Markdown marks; enough of them that one block begins so. "
        "None: the whole text.",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_counts(cls, data):
        """The keys that counted blocks are gone: counts point elsewhere once a text changes."""
        if isinstance(data, dict):
            for key in ("paragraph", "list_item"):
                if key in data:
                    raise ValueError(f"'{key}' is gone: passages are no longer counted; name the block by its "
                                     f"first words with 'begint' (README, \"Marking a passage for a situation\")")
        return data

    @field_validator("section", "item", mode="before")
    @classmethod
    def _titles_not_numbers(cls, value, info: ValidationInfo):
        if isinstance(value, int) and not isinstance(value, bool):
            name = info.field_name
            raise ValueError(f"{'an' if name == 'item' else 'a'} {name} is named by its title now, not by its "
                             f"number ({name}: \"...\", the title exactly as written)")
        return value

    @model_validator(mode="after")
    def _one_place(self) -> PassageRef:
        if (self.step is None) == (self.section is None):
            raise ValueError("a passage names either a step or a section")
        if self.item is not None and self.section is None:
            raise ValueError("'item' belongs to a section; a step has no items")
        return self


class SituationAnswer(Strict):
    """What a protocol says about one situation: the places that answer it, and who acts."""

    wie: Text | None = Field(
        None, description="Who acts, or to whom the passages send the reader, in the protocol's own words "
        "(words that stand in the passages); none where they name nobody.",
    )
    passages: list[PassageRef] = Field(min_length=1, description="The places, in the order a page shows them.")
    voorstel: bool = Field(
        False, description="Proposed (by `python -m generator import`), not yet confirmed by a person: the site "
        "shows none of these passages (the situation counts as not described) and `check` reports it. Remove "
        "the key once a person has read the passages in the protocol.",
    )


class Variant(Strict):
    """One version of one school's (or board's) meldcode protocol."""

    schema_version: Literal[1]
    id: Slug = Field(description="Stable across versions; the page's URL.")
    version: VersionName = Field(description="This version's name; also its page's URL (versies/<version>/).")
    valid_from: OptionalDate = Field(
        description="First day in force; null (explicitly) where the source gives no date."
    )
    valid_until: OptionalDate = None
    superseded_by: Text | None = None
    change_note: Text | None = None
    lees_opnieuw: bool = Field(
        False, description="The change note asks staff to re-read this version in full: the variant page "
        "says so for a while after valid_from (needs a change_note saying what changed).",
    )
    vastgesteld: OptionalDate = Field(
        None, description="The day the school or board adopted this version, where the document says.",
    )
    eigenaar: Slug | None = Field(
        None, description="Who keeps this protocol current: a role id of roles.yaml, where the document says.",
    )
    herzien_voor: OptionalDate = Field(
        None, description="The day by which this version is to be reviewed, where the document says.",
    )
    continues: Slug | None = Field(
        None,
        description="This file's own id, where this version names another organisation (or, without one, "
        "another title) than the version before it: the same protocol, its school or board renamed.",
    )
    title: Text = Field(description="The name shown to readers.")
    organisation: Organisation
    school_type: SchoolType
    region: RegionName = Field(description="Also a folder's name: overzicht/<type>/<region>/.")
    source: SourceDocument
    veilig_thuis: VeiligThuisReference
    contacts: list[Contact] = Field(default_factory=list)
    intro: Markdown | None = None
    steps: list[Step]
    melding: Melding
    sections: list[Section] = Field(default_factory=list)
    situations: dict[Slug, SituationAnswer] = Field(
        default_factory=dict,
        description="Per situation of situaties.yaml (by id), the places in this protocol that answer it; "
        "a situation not listed here is one the protocol does not describe.",
    )
    unplaced: list[Markdown] = Field(
        default_factory=list,
        description="Blocks of the school's document that `python -m generator import` placed nowhere, as "
        "written: a person moves each into the protocol or deletes it. No page shows them; `check` names each "
        "by its first words until the list is empty.",
    )

    @field_validator("continues")
    @classmethod
    def _continues_its_own_id(cls, continues: str | None, info: ValidationInfo) -> str | None:
        own = info.data.get("id")
        if continues is not None and own is not None and continues != own:
            raise ValueError(f"must be this file's own id '{own}': a version continues the versions of its "
                             f"own id (a school's protocol under another id is another variant)")
        return continues

    @field_validator("lees_opnieuw")
    @classmethod
    def _read_again_says_why(cls, lees_opnieuw: bool, info: ValidationInfo) -> bool:
        if lees_opnieuw and not info.data.get("change_note"):
            raise ValueError("needs a change_note: it tells the reader what changed, and why to read it again")
        return lees_opnieuw

    @field_validator("steps")
    @classmethod
    def _five_steps_in_order(cls, steps: list[Step]) -> list[Step]:
        numbers = [step.number for step in steps]
        missing = sorted({1, 2, 3, 4, 5} - set(numbers))
        if missing:
            raise ValueError(
                f"missing step {', '.join(map(str, missing))} (found {numbers}); "
                "every variant has steps 1 to 5"
            )
        if numbers != [1, 2, 3, 4, 5]:
            raise ValueError(f"step numbers out of order {numbers}; expected [1, 2, 3, 4, 5]")
        return steps

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)


# ---------------------------------------------------------------- afwegingskader


class Answer(Strict):
    label: Literal["Ja", "Nee", "Twijfel"]
    text: Text | None = Field(None, description="The source's words for this answer.")
    next: Slug = Field(description="Id of the next question or of an outcome.")


class Question(Strict):
    id: Slug
    number: int = Field(ge=1)
    title: Text
    text: Text = Field(description="The question as a question.")
    explanation: Text | None = Field(None, description="The source's own wording of the afweging.")
    answers: list[Answer] = Field(min_length=2)
    todo_before: Text | None = Field(
        None, description="What to do now, shown together with this question."
    )
    answer_when: Text | None = Field(None, description="When to answer, if not at once.")


class OutcomeKind(str, Enum):
    melden = "melden"
    hulp = "hulp"
    sluiten = "sluiten"


class Outcome(Strict):
    id: Slug
    kind: OutcomeKind
    title: Text
    text: Text


class Note(Strict):
    """What the sources say around the questions, where it changes what to do."""

    id: Slug
    placement: Literal["voor_vraag_1", "bij_vraag", "bij_uitkomst"]
    question: Slug | None = None
    title: Text
    text: Text
    source: Cited


class Kader(Strict):
    """``protocols/afwegingskader.yaml``: the national afwegingskader as data."""

    schema_version: Literal[1]
    title: Text
    source: Cited
    start: Slug
    questions: list[Question]
    outcomes: list[Outcome]
    notes: list[Note] = Field(default_factory=list)


# ---------------------------------------------------------------- basismodel


class BasisStep(Strict):
    number: int = Field(ge=1, le=5)
    wat: Text


class Basismodel(Strict):
    """``protocols/basismodel.yaml``: the five steps every variant follows."""

    schema_version: Literal[1]
    title: Text
    source: Cited
    steps: list[BasisStep]

    @field_validator("steps")
    @classmethod
    def _five(cls, steps: list[BasisStep]) -> list[BasisStep]:
        if [s.number for s in steps] != [1, 2, 3, 4, 5]:
            raise ValueError("the basismodel has steps 1 to 5 in order")
        return steps



# ---------------------------------------------------------------- situations


RESERVED_PAGE_NAMES = ("afwegingskader", "kwaliteitscheck", "versies", "index", "inwerken")
"""Page names inside a variant's folder that a situation's page may not take."""


class NationalText(Strict):
    """What national law or guidance says about a situation, with its public source."""

    text: Text = Field(description="The source's words, quoted or closely paraphrased.")
    source: Cited = Field(description="The public source ([[id]] from sources.yaml), and where in it.")


class Situation(Strict):
    """A situation a worry may be about ("Waar gaat uw zorg over?"), with its own page per variant."""

    id: Slug = Field(description="The page's folder name in each variant's folder.")
    name: Text = Field(description="The Dutch name readers choose it by.")
    description: Text = Field(description="One line: what the situation is.")
    emergency: bool = Field(
        False, description="The entry shows the emergency number and Veilig Thuis beside this situation."
    )
    meldcode: bool = Field(
        False, description="The meldcode's own route: its page shows the five steps and the afwegingskader."
    )
    national: list[NationalText] = Field(
        default_factory=list, description="What national law or guidance says, each with its source; none if unread."
    )

    @field_validator("id")
    @classmethod
    def _free_page_name(cls, value: str) -> str:
        if value in RESERVED_PAGE_NAMES or value.startswith("wat-doe-ik-als-"):
            raise ValueError(f"'{value}' is the name of another page in a variant's folder; choose another id")
        return value


class Situations(Strict):
    """``protocols/situaties.yaml``: the situations, in the order the entry lists them."""

    schema_version: Literal[1]
    consult_step: int = Field(
        ge=1, le=5,
        description="The step whose wie a page shows as who to ask where the protocol is silent "
        "(the basismodel's collegiale consultatie).",
    )
    situations: list[Situation] = Field(min_length=1)

    @field_validator("situations")
    @classmethod
    def _unique(cls, situations: list[Situation]) -> list[Situation]:
        seen = set()
        for situation in situations:
            if situation.id in seen:
                raise ValueError(f"situation id '{situation.id}' is used twice")
            seen.add(situation.id)
        return situations

    @cached_property
    def by_id(self) -> dict[str, Situation]:
        return {s.id: s for s in self.situations}


# ---------------------------------------------------------------- quality checks


class Severity(str, Enum):
    """Most severe first; ``fout`` makes ``python -m generator check`` exit 1."""

    fout = "fout"
    waarschuwing = "waarschuwing"
    tip = "tip"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class RuleKind(str, Enum):
    """How a rule finds its hits: declared here by its patterns, or a procedure in code."""

    mention = "mention"
    """Every match of any pattern, in every text field."""
    sentence = "sentence"
    """Every sentence that has every pattern and none of ``unless``."""
    domain = "domain"
    """Every domain name (with or without http:// or www.) whose host has a pattern."""
    procedure = "procedure"
    """A function in ``generator/checks/rules.py``, by the rule's id; it may use the patterns."""
    situation = "situation"
    """Once, where the protocol marks no passage for the rule's ``situation`` (it is silent on it)."""


_REPEATS = (_re_parser.MAX_REPEAT, _re_parser.MIN_REPEAT, _re_parser.POSSESSIVE_REPEAT)


def _backtracking(items, in_loop: bool = False) -> str | None:
    """What in a parsed pattern can make Python's backtracking take exponential time, if any.

    Refused: a group repeated more than once (``*``, ``+``, ``{2,}``, ``{0,80}`` ...) that holds
    a repeat of variable count (``(x+x+)+``, ``(a*)*``, ``(a?b?)*``) or alternatives that may
    start with the same character or be empty (``(a|a)*``, ``(?:a|ab)*``, which the parser
    turns into ``a(?:|b)``). Such a group can match one text in exponentially many ways, and
    a search tries them all before it fails. Deliberately simple, so it refuses some harmless
    patterns (``(?:ab?)*``) and lets through what is only polynomial: adjacent repeats of
    the same characters (``x+x+y``, ``.*.*z``: cubic) and any single repeat (``a.*b``: each
    start reads on to the end), which a protocol text of 100,000 characters makes slow,
    not endless. ``re._parser`` is CPython's own parser of patterns (private; every load of
    ``checks.yaml`` runs it, so a Python that changes it fails every test).
    """
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            if in_loop and low != high:
                return f"a repeat of variable count ({_repeat_name(low, high)})"
            found = _backtracking(body, in_loop or high > 1)
        elif op is _re_parser.BRANCH:
            alternatives = av[1]
            if in_loop and not _start_apart(alternatives):
                return "alternatives that may start alike or be empty"
            found = next(filter(None, (_backtracking(alt, in_loop) for alt in alternatives)), None)
        elif op is _re_parser.SUBPATTERN:
            found = _backtracking(av[3], in_loop)
        elif op in (_re_parser.ASSERT, _re_parser.ASSERT_NOT):
            found = _backtracking(av[1], in_loop)
        elif op is _re_parser.ATOMIC_GROUP:
            found = _backtracking(av, in_loop)
        elif op is _re_parser.GROUPREF_EXISTS:
            found = _backtracking(av[1], in_loop) or (av[2] and _backtracking(av[2], in_loop))
        else:
            found = None
        if found:
            return found
    return None


def _repeat_name(low: int, high: int) -> str:
    maximum = "" if high == _re_parser.MAXREPEAT else str(high)
    return {(0, ""): "*", (1, ""): "+", (0, "1"): "?"}.get((low, maximum), f"{{{low},{maximum}}}")


def _start_apart(alternatives) -> bool:
    """Each alternative starts with a character of its own (case ignored)."""
    firsts = []
    for alternative in alternatives:
        if not alternative or alternative[0][0] is not _re_parser.LITERAL:
            return False
        firsts.append(chr(alternative[0][1]).casefold())
    return len(set(firsts)) == len(firsts)


def _regular_expression(pattern: str) -> str:
    try:
        re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression {pattern!r}: {exc}") from None
    shape = _backtracking(_re_parser.parse(pattern, re.IGNORECASE).data)
    if shape:
        raise ValueError(
            f"the regular expression {pattern!r} may take exponential time on some texts: a repeated group "
            f"holds {shape}. Python's re has no time limit; write the group without it"
        )
    return pattern


Pattern = Annotated[Text, AfterValidator(_regular_expression)]
"""A regular expression of ``checks.yaml``: valid, and without the shapes that backtrack for ever."""


class RuleConfig(Strict):
    kind: RuleKind = Field(description="How the rule finds its hits (see RuleKind).")
    severity: Severity
    title: Text
    message: Text
    reference: CitedFormat = Field(description="Where the requirement comes from: [[source id]] and place.")
    patterns: list[Pattern] = Field(
        default_factory=list,
        description="Regular expressions (case-insensitive) the rule looks for; see its docstring.",
    )
    unless: list[Pattern] = Field(
        default_factory=list, description="Regular expressions that cancel a hit of the rule."
    )
    situation: Slug | None = Field(
        None, description="For a rule of kind situation: the id of the situation (situaties.yaml) it is about."
    )

    @model_validator(mode="after")
    def _situation_for_its_kind(self) -> RuleConfig:
        if (self.kind is RuleKind.situation) != (self.situation is not None):
            raise ValueError("a rule of kind 'situation' names its situation, and only such a rule does")
        return self

    @field_validator("title", "message", "reference")
    @classmethod
    def _placeholders(cls, text: str) -> str:
        return _formats(text, "max_age_years", "meldcode_change_date")

    @cached_property
    def regexes(self) -> list[re.Pattern]:
        return [re.compile(p, re.IGNORECASE) for p in self.patterns]

    @cached_property
    def unless_regexes(self) -> list[re.Pattern]:
        return [re.compile(p, re.IGNORECASE) for p in self.unless]


def _formats(text: str, *names: str) -> str:
    """A text's ``{placeholders}`` are only these names: no format specs, no attributes."""
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        fields, error = None, f" ({exc})"
    if fields is None or any(name not in names or spec or conv for name, spec, conv in fields):
        allowed = ", ".join("{" + name + "}" for name in names)
        raise ValueError(f"bad placeholder in {text[:80]!r}{error if fields is None else ''}: use only {allowed}, "
                         "and write a literal brace as {{ or }}")
    return text


class CheckSettings(Strict):
    max_age_years: int = Field(ge=1, description="Versions older than this get a warning.")
    meldcode_change_date: Date = Field(
        description="1 January 2019: afwegingskader mandatory, step 5 two decisions."
    )


class ChecksConfig(Strict):
    """``protocols/checks.yaml``: the rules' kinds, severities, Dutch texts and settings."""

    schema_version: Literal[1]
    settings: CheckSettings
    places: dict[Key, Text] = Field(description="Dutch label per part of a finding's path.")
    rules: dict[Slug, RuleConfig]

    @field_validator("places")
    @classmethod
    def _place_placeholders(cls, places: dict[str, str]) -> dict[str, str]:
        for label in places.values():
            _formats(label, "number", "title")
        return places
