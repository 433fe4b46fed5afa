"""The site's "Kwaliteitscheck" pages, from a check report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from ..checks import Report, Severity
from ..checks.text import path_segments
from ..model import urls
from ..model.handbook import Handbook
from ..model.sources import Variant
from .overviews import OVERVIEW_PAGE_SIZE, by_initial
from .templating import Page


def describe_where(where: str, variant: Variant, places: dict[str, str], names: dict[str, str] | None = None) -> str:
    """A finding's path in the reader's words, from the labels in checks.yaml.

    ``steps[4].hoe`` becomes "Stap 5 › hoe"; ``sections[0].body`` becomes
    'Onderdeel “Bij twijfel” › tekst'; a situation's id (``situations.acuut-gevaar``) is
    named as ``names`` (situaties.yaml) names it: "Waar gaat uw zorg over? › Acuut gevaar".
    """
    parts: list[str] = []
    node: Any = variant
    for name, index in path_segments(where):
        node = getattr(node, name, None) if node is not None else None
        label = places.get(name) or (names or {}).get(name, name)
        if index is not None:
            node = node[index] if isinstance(node, list) and index < len(node) else None
            title = getattr(node, "title", None) or getattr(node, "name", None) or getattr(node, "wat", None) or ""
            label = label.format(number=index + 1, title=title)
        parts.append(label)
    return " › ".join(parts)


@dataclass(frozen=True)
class FindingView:
    """One finding as the site shows it: the place in the reader's words, the text."""

    where: str
    place: str
    detail: str


@dataclass(frozen=True)
class RuleFindings:
    """The findings of one rule in one version, with the rule's Dutch texts."""

    rule_id: str
    severity: str
    title: str
    message: str
    reference: str
    items: list[FindingView]


@dataclass(frozen=True)
class VersionCheck:
    """One checked version of a variant, its findings grouped by severity, then rule."""

    variant: Variant
    counts: dict[str, int]
    groups: list[tuple[str, list[RuleFindings]]]


@dataclass(frozen=True)
class VariantCheck:
    variant: Variant
    """The version a reader sees (in force today, else the newest)."""
    versions: list[VersionCheck]
    counts: dict[str, int]

    @property
    def url(self) -> str:
        return urls.check_page(self.variant.id)


def _version_check(variant: Variant, report: Report, names: dict[str, str]) -> VersionCheck:
    found = report.findings_for(variant.id, variant.version)
    groups = []
    for severity in Severity:
        rules = []
        for rule_id in sorted({f.rule_id for f in found if f.severity is severity}):
            items = [FindingView(f.where, describe_where(f.where, variant, report.places, names), f.detail)
                     for f in found if f.rule_id == rule_id]
            rules.append(RuleFindings(rule_id, severity.value, report.title(rule_id),
                                      report.message(rule_id), report.reference(rule_id), items))
        if rules:
            groups.append((severity.value, rules))
    return VersionCheck(variant, report.counts(found), groups)


def check_views(handbook: Handbook, report: Report, today: dt.date) -> list[VariantCheck]:
    """Per checked variant: its current version and the findings of each checked version."""
    views = []
    names = {s.id: s.name for s in handbook.situations.situations} if handbook.situations else {}
    for variant_id in sorted({vid for vid, _ in report.checked}):
        versions = [_version_check(v, report, names) for v in handbook.versions(variant_id)
                    if report.was_checked(v.id, v.version)]
        views.append(VariantCheck(handbook.current(variant_id, today), versions,
                                  report.counts(report.findings_for(variant_id))))
    return views


def contact_views(report: Report) -> list[RuleFindings]:
    """What the rules found in contacts.yaml, by rule, most severe first."""
    rule_ids = sorted({f.rule_id for f in report.contact_findings}, key=lambda r: (report.rules[r].severity.rank, r))
    return [RuleFindings(r, report.rules[r].severity.value, report.title(r), report.message(r), report.reference(r),
                         [FindingView(f.where, f.where, f.detail) for f in report.contact_findings if f.rule_id == r])
            for r in rule_ids]


def rule_views(report: Report) -> list[RuleFindings]:
    """Every rule that was run, most severe first, without findings (for the overview)."""
    order = sorted(report.rules, key=lambda r: (report.rules[r].severity.rank, r))
    return [RuleFindings(r, report.rules[r].severity.value, report.title(r), report.message(r),
                         report.reference(r), []) for r in order]


def render_check_pages(
    handbook: Handbook, env: Environment, report: Report, page_size: int = OVERVIEW_PAGE_SIZE,
    shard: tuple[int, int] = (0, 1), only: Collection[str] | None = None,
) -> list[Page]:
    """``kwaliteitscheck/index.md`` (paged A-Z beyond ``page_size`` variants) and
    ``varianten/<id>/kwaliteitscheck.md``, with every rule. ``shard=(i, n)``: the overview in
    part 0, and the pages of every n-th variant (as ``pages.iter_pages``; so is ``only``)."""
    views = check_views(handbook, report, report.today)
    common = {"report": report, "today": report.today, "settings": report.settings}
    variant_page = env.get_template("checks_variant.md.j2")
    index, count = shard
    own = [Page(check.url, variant_page.render(check=check, **common)) for check in views[index::count]
           if only is None or check.variant.id in only]
    if index != 0:
        return own
    letters = by_initial(urls.CHECKS_LETTERS, views, page_size, lambda check: check.variant.title)
    overview = env.get_template("checks_overview.md.j2").render(
        checks=views, totals=report.counts(), rules=rule_views(report), contacts=contact_views(report),
        all_fit=len(views) <= page_size,
        letters=letters, **common,
    )
    pages = [Page(urls.CHECKS_INDEX, overview)]
    if len(views) > page_size:
        listing_page = env.get_template("checks_listing.md.j2")
        for listing in letters:
            pages += [
                Page(page.path, listing_page.render(listing=listing, page=page, prefix=urls.up_to_root(page.path), **common))
                for page in listing.pages
            ]
    return pages + own

