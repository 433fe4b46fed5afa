"""Reading a protocol's text: its fields, sentences, links and phone numbers.

Pure string work for the rules; every pattern here must run in time linear in
the length of a text, since a protocol field may be very long.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..model.sources import Contacts, Phone, Variant, phone_digits

Hit = tuple[str, str]
"""What a rule returns: (where, detail)."""


PATH_ORDER = (
    "valid_from", "herzien_voor", "source", "title", "intro", "steps", "wat", "wie", "hoe", "melding", "door",
    "ouders_informeren", "sections", "items", "body", "contacts", "name", "role",
    "organisation", "region", "phone", "email", "website", "veilig_thuis", "phone_as_written",
    "website_as_written", "note", "situations", "unplaced",
)
"""Every name a finding's ``where`` can contain, in the order of a protocol."""

PLACE_NAMES = frozenset(PATH_ORDER)
"""checks.yaml labels each of these."""

_SEGMENT = re.compile(r"([a-z0-9_][a-z0-9_-]*)(?:\[(\d+)\])?")


def path_segments(where: str) -> list[tuple[str, int | None]]:
    """A finding's path as (name, index) pairs: ``steps[4].hoe`` -> [("steps", 4), ("hoe", None)];
    a name may be an id (``situations.acuut-gevaar``)."""
    return [(name, int(index) if index else None) for name, index in _SEGMENT.findall(where)]


def text_fields(variant: Variant) -> list[Hit]:
    """All text of a variant that comes from its protocol, as (where, text), in order.

    A phone field is a number, not text (``phone_fields``); its note is text."""
    out: list[Hit] = []

    def add(where: str, value: str | None) -> None:
        if value:
            out.append((where, value))

    add("source.title", variant.source.title)
    add("intro", variant.intro)
    for i, step in enumerate(variant.steps):
        for name in ("wat", "wie", "hoe"):
            add(f"steps[{i}].{name}", getattr(step, name))
    add("melding.door", variant.melding.door)
    add("melding.ouders_informeren", variant.melding.ouders_informeren)
    for i, section in enumerate(variant.sections):
        add(f"sections[{i}].title", section.title)
        add(f"sections[{i}].body", section.body)
        for j, item in enumerate(section.items):
            add(f"sections[{i}].items[{j}].title", item.title)
            add(f"sections[{i}].items[{j}].body", item.body)
    for i, contact in enumerate(variant.contacts):
        for name in ("name", "role", "organisation"):
            add(f"contacts[{i}].{name}", getattr(contact, name))
        add(f"contacts[{i}].phone.note", contact.phone and contact.phone.note)
        for name in ("email", "website"):
            add(f"contacts[{i}].{name}", getattr(contact, name))
    written = variant.veilig_thuis.phone_as_written
    add("veilig_thuis.phone_as_written.note", written and written.note)
    add("veilig_thuis.website_as_written", variant.veilig_thuis.website_as_written)
    return out


def phone_fields(variant: Variant) -> list[tuple[str, Phone]]:
    """Every phone number of a variant, as (where, phone), in order."""
    phones = [(f"contacts[{i}].phone", c.phone) for i, c in enumerate(variant.contacts)]
    phones.append(("veilig_thuis.phone_as_written", variant.veilig_thuis.phone_as_written))
    return [(where, phone) for where, phone in phones if phone is not None]


def contact_phones(contacts: Contacts) -> list[tuple[str, Phone]]:
    """Every phone number of contacts.yaml, as (where, phone), in the file's order."""
    phones = [("emergency.phone", contacts.emergency.phone), ("national.phone", contacts.national.phone)]
    phones += [(f"veilig_thuis_regions.{key}.phone", region.phone)
               for key, region in contacts.veilig_thuis_regions.items()]
    return phones


def _plain(text: str) -> str:
    return " ".join(text.split())


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")


def sentences(text: str) -> list[str]:
    """Sentences, paragraphs and list items, white space collapsed."""
    return [s for s in (_plain(part) for part in _SENTENCE_END.split(text)) if s]


class _Delimited:
    """What ``opener([^closer]*)closer`` finds, in time linear in the text.

    That pattern backtracks: a text with many openers and no closer (a long run
    of "](") is read from every opener to its end. Here the first closer after
    an opener is looked up once and reused for every opener before it.
    """

    def __init__(self, opener: str, closer: str, flags: int = 0):
        self.opener = re.compile(opener, flags)
        self.closer = closer

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """(start, start of the inner text, end) of each match, left to right."""
        found: list[tuple[int, int, int]] = []
        pos, close = 0, -1
        while (match := self.opener.search(text, pos)) is not None:
            if close < match.end():
                close = text.find(self.closer, match.end())
                if close == -1:
                    break
            inner = match.start("inner") if "inner" in self.opener.groupindex else match.end()
            found.append((match.start(), inner, close + 1))
            pos = close + 1
        return found

    def sub(self, text: str, blank: bool) -> str:
        """The text with each match replaced by one space (or, if ``blank``, as many spaces)."""
        out, last = [], 0
        for start, _, end in self.spans(text):
            out += [text[last:start], " " * (end - start) if blank else " "]
            last = end
        return "".join(out) + text[last:]


_MD_LINK = _Delimited(r"\]\(", ")")
"""Markdown link targets: ](...)."""
_AUTOLINK = _Delimited(r"<(?P<inner>(?:https?|mailto):)", ">", re.IGNORECASE)
"""Autolinks: <https://...>, <mailto:...>."""
_BARE_URL = re.compile(r"(?<![\w/@.-])(?:https?://|www\.)[^\s<>\[\]()\"'“”‘’]*", re.IGNORECASE)
_TRAILING = ".,;:!?'\"»”’"
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$", re.IGNORECASE)
_EMAIL = re.compile(r"^[\w.+-]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$", re.IGNORECASE)
_DOMAIN = re.compile(
    r"(?<![\w@.-])(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?![\w-]*@)(?![\w-])", re.IGNORECASE
)
_LOCAL_PART_REVERSED = re.compile(r"[\w.+-]*")
_DOMAIN_PART = re.compile(r"[\w.-]*\w")


def emails_in_text(text: str) -> list[str]:
    """What ``[\\w.+-]+@[\\w.-]*\\w`` finds (anything shaped like an e-mail address), in
    linear time: that pattern reads a long word from each of its letters to its end.

    Each "@" is looked at once: its local part is the run of [\\w.+-] before it
    (not reaching back before the end of the previous match), its domain the
    longest [\\w.-]*\\w after it.
    """
    found: list[str] = []
    reversed_text = text[::-1]
    pos = 0
    at = text.find("@")
    while at != -1:
        local = _LOCAL_PART_REVERSED.match(reversed_text, len(text) - at).end() - (len(text) - at)
        start = max(at - local, pos)
        domain = _DOMAIN_PART.match(text, at + 1)
        if start < at and domain is not None:
            found.append(text[start:domain.end()])
            pos = domain.end()
        at = text.find("@", at + 1)
    return found


def links(text: str) -> list[str]:
    """Every web address or mail link in a text, as written, in order."""
    found: list[tuple[int, str]] = []
    masked = text
    for delimited in (_MD_LINK, _AUTOLINK):
        for _, inner, end in delimited.spans(masked):
            found.append((inner, masked[inner:end - 1].strip()))
        masked = delimited.sub(masked, blank=True)
    for match in _BARE_URL.finditer(masked):
        found.append((match.start(), match.group(0).rstrip(_TRAILING)))
    return [url for _, url in sorted(found)]


def link_is_well_formed(url: str) -> bool:
    if not url or any(ch.isspace() for ch in url):
        return False
    if url.lower().startswith("mailto:"):
        return bool(_EMAIL.match(url[len("mailto:"):]))
    if url.lower().startswith("www."):
        url = f"https://{url}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(_HOST.match(parts.hostname or ""))


def _without_links(text: str, *, domains: bool = True) -> str:
    """The text with web addresses (and bare domain names, unless ``domains`` is
    false, which keeps the domains of e-mail addresses) blanked out."""
    text = _AUTOLINK.sub(_MD_LINK.sub(text, blank=False), blank=False)
    for regex in (_BARE_URL,) + ((_DOMAIN,) if domains else ()):
        text = regex.sub(" ", text)
    return text


# Phone numbers in text: a 0 or +31 (and a space) followed by digits, spaces, hyphens and brackets.
_PHONE = re.compile(r"(?<![\w.,/:+\-])(?:\+31 ?|0)[\d(][\d \t\u00a0()\-\u2013]*\d")
_DATE_LIKE = re.compile(r"^\d{1,2}\s*[-\u2013]\s*\d{1,2}\s*[-\u2013]\s*\d{2,4}$")
MIN_PHONE_DIGITS = 6
_SERVICE = re.compile(r"^0(?:800|900|906|909)\d{4,7}$")
_TEN_DIGITS = re.compile(r"^0[1-9]\d{8}$")
EMERGENCY = "112"
"""The alarm number (contacts.yaml's ``emergency``)."""


def phone_numbers(text: str) -> list[str]:
    """Everything in a text that is written as a Dutch phone number, as written."""
    found = []
    for match in _PHONE.finditer(text):
        candidate = match.group(0).strip()
        digits = re.sub(r"\D", "", candidate)
        if len(digits) >= MIN_PHONE_DIGITS and not _DATE_LIKE.match(candidate):
            found.append(candidate)
    return found


def is_valid_dutch_phone(phone: str) -> bool:
    """Ten digits from 0, or a 0800/0900/0906/0909 number with 4 to 7 more digits, or 112.

    ``phone`` as written, in a phone field or in text: compared as a number
    (``phone_digits``: +31 and (0) understood)."""
    digits = phone_digits(phone)
    if _SERVICE.match(digits) or digits == EMERGENCY:
        return True
    return bool(_TEN_DIGITS.match(digits)) and not digits.startswith(("0800", "0900", "0906", "0909"))


