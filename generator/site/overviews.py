"""Overviews that stay small: every variant reachable in two clicks, no page holding them all.

A handbook may hold thousands of variants. The overview (``varianten/``) and
the home page link to *listing pages* of at most ``page_size`` variants each,
grouped three ways: by school type and region, by board, and by name (A-Z).
The overview names every listing page with the first and last name on it
(as a phone book does), so a reader goes from the overview to the right page
and from there to the school: two clicks. The quality-check overview is
paged by name in the same way.

This module only groups and pages; the templates say it in Dutch.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Generic, TypeVar

from ..model import urls

T = TypeVar("T")

OVERVIEW_PAGE_SIZE = 100
"""Default variants per listing page (the plugin's ``overview_page_size``)."""


def sort_key(text: str) -> str:
    """Case- and accent-blind order ("Één" sorts with "E"), as a reader expects."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return plain.casefold().strip()


def slug(text: str) -> str:
    """A URL segment for a region or letter ("Fryslân" -> "fryslan")."""
    return re.sub(r"[^a-z0-9]+", "-", sort_key(text)).strip("-") or "overig"


def initial(text: str) -> str:
    """The letter a name is listed under in A-Z: A to Z, else "0-9" (digits, signs)."""
    first = sort_key(text)[:1].upper()
    return first if "A" <= first <= "Z" else "0-9"


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a listing: its items, where it is, and its range of names."""

    path: str
    """Markdown path relative to the docs root."""
    number: int
    items: list[T]
    first: str
    last: str

    @property
    def name(self) -> str:
        """File name inside its folder (``index.md``, ``pagina-2.md``)."""
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Listing(Generic[T]):
    """A group (a region of one school type, a letter, all boards) and its pages."""

    key: str
    label: str
    folder: str
    pages: list[ListPage[T]]

    @property
    def count(self) -> int:
        return sum(len(page.items) for page in self.pages)

    @property
    def path(self) -> str:
        return self.pages[0].path


def paginate(folder: str, items: Sequence[T], size: int, name: Callable[[T], str]) -> list[ListPage[T]]:
    """``items`` (already in reading order) in pages of at most ``size``; at least one page."""
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]
    return [
        ListPage(
            urls.paged(folder, number),
            number,
            chunk,
            name(chunk[0]) if chunk else "",
            name(chunk[-1]) if chunk else "",
        )
        for number, chunk in enumerate(chunks, start=1)
    ]


def by_initial(folder: str, items: Sequence[T], size: int, name: Callable[[T], str]) -> list[Listing[T]]:
    """A-Z: one listing per initial letter, paged; items sorted by name."""
    ordered = sorted(items, key=lambda item: (sort_key(name(item)), name(item)))
    listings = []
    for letter, group in groupby(ordered, key=lambda item: initial(name(item))):
        letter_folder = f"{folder}/{slug(letter)}"
        listings.append(Listing(letter, letter, letter_folder, paginate(letter_folder, list(group), size, name)))
    return listings


def by_group(
    folder: str, items: Sequence[T], size: int, name: Callable[[T], str], group: Callable[[T], str]
) -> list[Listing[T]]:
    """One listing per value of ``group`` (A-Z by that value), each paged; items sorted by name."""
    ordered = sorted(items, key=lambda item: (slug(group(item)), sort_key(name(item)), name(item)))
    listings = []
    for key, members in groupby(ordered, key=lambda item: slug(group(item))):
        members = list(members)
        group_folder = f"{folder}/{key}"
        listings.append(Listing(key, group(members[0]), group_folder, paginate(group_folder, members, size, name)))
    return listings


def sorted_by(items: Sequence[T], *keys: Callable[[T], str]) -> list[T]:
    return sorted(items, key=lambda item: tuple(sort_key(k(item)) for k in keys))
