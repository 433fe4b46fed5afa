"""What changed, for whom, and until when a protocol holds: as data for the templates.

- ``change_list``: every version of every protocol, newest first, for the "Wijzigingen"
  pages (``wijzigingen/``, paged as the overviews) and the Atom feeds
  (``wijzigingen/feed.xml`` for the handbook, ``varianten/<id>/feed.xml`` per protocol).
- ``ChangeLog``: what a variant's own pages say about its changes (the "Lees opnieuw"
  period, the owner, a passed review date, and per role whether the steps that name the role
  differ from the version before).

No wording here: the templates say it in Dutch. A feed is a page like any other
(``Page`` with an ``.xml`` path, copied as it is), written by an XML serializer
(``xml.etree``, ``atom``) with its words from the macros of ``feed.j2``: the serializer
escapes every text, and the model refuses any character XML 1.0 cannot carry (D35).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from urllib.parse import urlsplit

from jinja2 import Environment

from ..checks.roles import RoleFinder
from ..model import urls
from ..model.handbook import Handbook
from ..model.sources import Role, Variant
from .diff import changed, reader_text, word_diff
from .overviews import OVERVIEW_PAGE_SIZE, paginate, sort_key
from .templating import Page

READ_AGAIN_MONTHS = 3
"""How long after ``valid_from`` a version marked ``lees_opnieuw`` says so on its page
(D33): a school term, and half of a six-monthly review cycle."""


TAG_AUTHORITY = "meldcode-handboek.invalid"
"""The tagging authority of the feeds' ids (RFC 4151) where ``site_url`` is not set: a name
under ``.invalid`` (RFC 2606) claims no domain. With ``site_url``, its host."""
TAG_DATE = "2026"
"""The date part of every tag: a fixed year, so that an id never changes with the build."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day where it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Change:
    """One version of one protocol, with the version before it (None: its first in the handbook)."""

    variant: Variant
    previous: Variant | None

    @property
    def start(self) -> dt.date | None:
        return self.variant.valid_from

    @property
    def version_path(self) -> str:
        """The version's stable page, from the docs root (a folder URL)."""
        return urls.dir_url(urls.version_page(self.variant.id, self.variant.version))

    @property
    def diff_path(self) -> str | None:
        return urls.dir_url(urls.version_diff_page(self.variant.id, self.variant.version)) if self.previous is not None else None

    @property
    def variant_path(self) -> str:
        return urls.dir_url(urls.variant_page(self.variant.id))


def change_list(handbook: Handbook, variant_ids: Collection[str] | None = None) -> list[Change]:
    """Every version (of ``variant_ids``, else all), newest ``valid_from`` first; undated last."""
    found = []
    for variant_id in handbook.variant_ids if variant_ids is None else variant_ids:
        previous = None
        for version in handbook.versions(variant_id):
            found.append(Change(version, previous))
            previous = version
    return sorted(found, key=lambda c: (c.start is None, -(c.start or dt.date.min).toordinal(),
                                        sort_key(c.variant.title), c.variant.id, c.variant.version))


def by_month(changes: list[Change]) -> list[tuple[dt.date | None, list[Change]]]:
    """The changes of a page grouped by the month they take effect (its first day; None: no date)."""
    return [(month, list(items)) for month, items in
            groupby(changes, key=lambda c: c.start.replace(day=1) if c.start else None)]


@dataclass(frozen=True)
class RoleChange:
    """The steps that name a role differ from the version before: when, and where the diff is."""

    date: dt.date | None
    previous: Variant
    steps: list[int]
    """The numbers of the steps that name the role (in either version), in order."""
    changed: list[int]
    """Those of them whose wat, wie or hoe differ."""
    diff_path: str
    """The diff of just those steps, relative to the variant's folder (a folder URL)."""


def step_diffs(old: Variant, new: Variant, numbers: Collection[int] | None = None) -> list[dict]:
    """Per step (of ``numbers``, else all): its number and the word diffs of wat, wie and hoe."""
    return [
        {
            "number": after.number,
            "wat": word_diff(before.wat, after.wat),
            "wie": word_diff(before.wie, after.wie),
            "hoe": word_diff(reader_text(before.hoe), reader_text(after.hoe)),
        }
        for before, after in zip(old.steps, new.steps, strict=True)
        if numbers is None or after.number in numbers
    ]


def _differs(diff: dict) -> bool:
    return any(changed(diff[field]) for field in ("wat", "wie", "hoe"))


class ChangeLog:
    """What a variant's own pages say about its changes; ``changes`` in every template."""

    def __init__(self, handbook: Handbook, today: dt.date, finder: RoleFinder | None):
        self.handbook, self.today, self.finder = handbook, today, finder

    @cached_property
    def _roles(self) -> dict[str, Role]:
        return {role.id: role for role in self.handbook.roles.roles} if self.handbook.roles else {}

    def read_again_until(self, variant: Variant) -> dt.date | None:
        """The last day the page asks to re-read a version marked ``lees_opnieuw``, while that lasts."""
        if not variant.lees_opnieuw or variant.valid_from is None or variant.valid_from > self.today:
            return None
        until = add_months(variant.valid_from, READ_AGAIN_MONTHS) - dt.timedelta(days=1)
        return until if self.today <= until else None

    def owner(self, variant: Variant) -> Role | None:
        return self._roles.get(variant.eigenaar) if variant.eigenaar else None

    def review_passed(self, variant: Variant) -> bool:
        return variant.herzien_voor is not None and variant.herzien_voor < self.today

    def previous(self, variant: Variant) -> Variant | None:
        versions = self.handbook.versions(variant.id)
        index = next(i for i, v in enumerate(versions) if v.key == variant.key)
        return versions[index - 1] if index else None

    def role_change(self, variant: Variant, role: Role) -> RoleChange | None:
        """Whether the steps that name ``role`` differ from the version before ``variant``."""
        previous = self.previous(variant)
        if previous is None or self.finder is None:
            return None
        numbers = [new.number for old, new in zip(previous.steps, variant.steps, strict=True)
                   if role.id in self.finder.named(old.wie) | self.finder.named(new.wie)]
        differing = [diff["number"] for diff in step_diffs(previous, variant, numbers) if _differs(diff)]
        if not differing:
            return None
        return RoleChange(variant.valid_from, previous, numbers, differing,
                          urls.dir_url(urls.within_variant(variant.id, urls.role_diff_page(variant.id, variant.version, role.id))))


def tag(authority: str, path: str) -> str:
    """A feed or entry id (RFC 4151): stable across builds, absolute as Atom requires."""
    return f"tag:{authority},{TAG_DATE}:{path}"


def timestamp(day: dt.date) -> str:
    """RFC 3339, as Atom's dates are: the start of the day, UTC."""
    return f"{day.isoformat()}T00:00:00Z"


@dataclass(frozen=True)
class Feed:
    """One Atom feed: its place, the changes it lists and how to write its links."""

    path: str
    """From the docs root: ``wijzigingen/feed.xml`` or ``varianten/<id>/feed.xml``."""
    changes: list[Change]
    today: dt.date
    site_url: str | None
    variant: Variant | None = None
    """The protocol of a variant's feed; None for the handbook's."""

    @property
    def page(self) -> str:
        """The page a feed reader opens for the feed: the protocol's versions, else "Wijzigingen"."""
        if self.variant is not None:
            return urls.dir_url(urls.versions_page(self.variant.id))
        return urls.dir_url(urls.paged(urls.CHANGES, 1))

    @property
    def authority(self) -> str:
        return (urlsplit(self.site_url).hostname if self.site_url else None) or TAG_AUTHORITY

    @property
    def id(self) -> str:
        return tag(self.authority, posixpath.dirname(self.path) + "/")

    def entry_id(self, change: Change) -> str:
        return tag(self.authority, change.version_path)

    def href(self, path: str) -> str:
        """A link to ``path`` (from the docs root): absolute under ``site_url``, else relative to
        the feed (a feed reader resolves it against the feed's own address)."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + path
        return posixpath.relpath(path, posixpath.dirname(self.path)) + ("/" if path.endswith("/") else "")

    @staticmethod
    def date(day: dt.date) -> str:
        return timestamp(day)

    @property
    def updated(self) -> str:
        """The newest entry's date; with none, the build date (never the clock)."""
        dates = [c.start for c in self.changes if c.start]
        return timestamp(max(dates) if dates else self.today)


ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def atom(feed: Feed, words) -> str:
    """``feed`` as an Atom document, written by ``xml.etree``: the texts (from ``words``, the
    macros of ``feed.j2``) are escaped by the serializer, never by a template."""
    root = ET.Element("feed", {"xmlns": ATOM, _XML_LANG: "nl"})

    def add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attributes)
        element.text = text
        return element

    add(root, "id", feed.id)
    add(root, "title", words.title(feed))
    add(root, "subtitle", words.subtitle(feed))
    add(root, "link", rel="alternate", type="text/html", href=feed.href(feed.page))
    add(root, "link", rel="self", type="application/atom+xml", href=feed.href(feed.path))
    add(root, "updated", feed.updated)
    add(add(root, "author"), "name", words.author())
    for change in feed.changes:
        entry = add(root, "entry")
        add(entry, "id", feed.entry_id(change))
        add(entry, "title", words.entry_title(change))
        add(entry, "updated", feed.date(change.start))
        add(entry, "link", rel="alternate", type="text/html", href=feed.href(change.version_path))
        if change.diff_path:
            add(entry, "link", rel="related", type="text/html", title=words.diff_title(), href=feed.href(change.diff_path))
        add(entry, "summary", words.summary(change), type="text")
    ET.indent(root, "  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def change_pages(
    env: Environment, handbook: Handbook, today: dt.date, common: dict, *, page_size: int = OVERVIEW_PAGE_SIZE,
    shard: tuple[int, int] = (0, 1), only: Collection[str] | None = None, site_url: str | None = None,
) -> Iterator[Page]:
    """``wijzigingen/`` (paged) and its feed in part 0; per variant of part ``shard`` its feed
    and the diffs of the steps of each role that changed (as ``pages.iter_pages``; so is ``only``)."""
    index, count = shard
    words = env.overlay(autoescape=False, finalize=None).get_template("feed.j2").module  # text: etree escapes
    if index == 0:
        changes = change_list(handbook)
        pages = paginate(urls.CHANGES, changes, page_size, lambda c: c.variant.title)
        template = env.get_template("changes.md.j2")
        for page in pages:
            yield Page(page.path, template.render(page=page, pages=pages, months=by_month(page.items),
                                                  feed=urls.FEED_NAME, **common))
        dated = [c for c in changes if c.start][:page_size]
        feed = Feed(urls.changes_feed(), dated, today, site_url)
        yield Page(feed.path, atom(feed, words))
    log: ChangeLog = common["changes"]
    role_template = env.get_template("role_diff.md.j2")
    for variant_id in handbook.variant_ids[index::count]:
        if only is not None and variant_id not in only:
            continue
        mine = [c for c in change_list(handbook, [variant_id]) if c.start]
        feed = Feed(urls.variant_feed(variant_id), mine, today, site_url, handbook.current(variant_id, today))
        yield Page(feed.path, atom(feed, words))
        yield from _role_diffs(role_template, log, handbook.current(variant_id, today), common)


def _role_diffs(template, log: ChangeLog, variant: Variant, common: dict) -> Iterator[Page]:
    """Per role the current version's page names whose steps changed: the diff of those steps."""
    if log.finder is None:
        return
    for role in log.finder.roles_of(variant):
        change = log.role_change(variant, role)
        if change is None:
            continue
        steps = step_diffs(change.previous, variant, change.steps)
        folder = urls.version_dir(variant.id, variant.version)
        yield Page(urls.role_diff_page(variant.id, variant.version, role.id), template.render(
            variant=variant, old=change.previous, role=role, role_change=change, steps=steps,
            old_href=urls.relative(urls.version_page(change.previous.id, change.previous.version), folder),
            role_href=urls.relative(urls.role_page(variant.id, role.id), folder),
            changed=changed, **common))

