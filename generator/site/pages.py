"""Model in, pages out: the engine-neutral core of the generator.

``render_pages`` turns a loaded ``Handbook`` into Markdown pages (with HTML
blocks where a table or widget needs them). It knows nothing of MkDocs, so the
same pages can be written to disk for another engine (``python -m generator
render``). All wording lives in the templates and in ``protocols/``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cached_property

from jinja2 import Environment
from markupsafe import Markup

from ..afwegingskader import engine
from ..checks import Report
from ..checks.roles import RoleFinder, RoleStep
from ..loader import Handbook
from ..model import Kader, Phone, Role, SchoolType, Variant, VeiligThuisRegion, version_slug
from .checkpages import render_check_pages
from .compare import column
from .diff import changed, reader_text, word_diff
from .overviews import LISTINGS, OVERVIEW_PAGE_SIZE, Listing, ListPage, by_group, by_initial, paginate, sorted_by
from .situations import consult_step, situation_views
from .templating import Page, environment, script_json


@dataclass(frozen=True)
class VariantView:
    """A variant version with what its pages need resolved: contacts, links, other versions."""

    variant: Variant
    handbook: Handbook
    today: dt.date
    up: str = ""
    """Relative path from this page's folder to the variant's main folder."""

    @property
    def url(self) -> str:
        return variant_url(self.variant.id)

    @cached_property
    def current(self) -> Variant:
        return self.handbook.current(self.variant.id, self.today)

    @property
    def is_current(self) -> bool:
        return self.variant.key == self.current.key

    @cached_property
    def history(self) -> list[tuple[Variant, dt.date | None, dt.date | None]]:
        return self.handbook.history(self.variant.id)

    @cached_property
    def region(self) -> VeiligThuisRegion | None:
        key = self.variant.veilig_thuis.region
        return self.handbook.contacts.veilig_thuis_regions[key] if key else None

    @property
    def national(self):
        return self.handbook.contacts.national

    @property
    def melding_phone(self) -> Phone:
        """The number an outcome tells staff to call: the region's, else the national one."""
        return self.region.phone if self.region else self.national.phone

    @property
    def melding_service(self) -> str:
        return self.region.name if self.region else self.national.name

    @property
    def melding_is_national_number(self) -> bool:
        """Whether the number to call is the national one, whose hours the contacts state."""
        return self.melding_phone.digits == self.national.phone.digits

    @property
    def emergency(self):
        return self.handbook.contacts.emergency

    @property
    def wie_from_text(self) -> bool:
        return any(step.wie_from_text for step in self.variant.steps)

    def kader_json(self) -> Markup:
        return kader_json(self.handbook.kader)

    def table_json(self) -> Markup:
        return table_json(self.handbook.kader)


def variant_url(variant_id: str) -> str:
    return f"varianten/{variant_id}/"


def role_slug(role: Role) -> str:
    """The folder of a role's page inside its variant's folder."""
    return f"wat-doe-ik-als-{role.id}"


@dataclass(frozen=True)
class RoleView:
    """One role in one variant: the steps whose wie names it, in the protocol's own words."""

    role: Role
    slug: str
    steps: list[RoleStep]


def kader_data(kader: Kader) -> dict:
    """Only what the engine routes on; the wording stays in the page's HTML."""
    return {
        "start": kader.start,
        "questions": [
            {
                "id": q.id,
                "number": q.number,
                "answers": [{"label": a.label, "next": a.next} for a in q.answers],
            }
            for q in kader.questions
        ],
        "outcomes": [{"id": o.id, "kind": o.kind.value} for o in kader.outcomes],
    }


def kader_json(kader: Kader) -> Markup:
    """The kader as the worker's engine reads it."""
    return _script_json(kader_data(kader))


def table_json(kader: Kader) -> Markup:
    """Every walk state and where each command leads from it, computed by the engine at build time.

    The browser only looks up in this table, from first paint, before Pyodide runs; the
    engine in the worker then replays the commands and must land where the page went.
    """
    return _script_json(engine.table(kader_data(kader)))


def _script_json(data) -> Markup:
    return script_json(data, separators=(",", ":"))


# ---------------------------------------------------------------- pages


COMPARE_PAGE_SIZE = 5
"""Default variants per static comparison page (the plugin's ``compare_page_size``)."""


@dataclass(frozen=True)
class Overview:
    """The listing pages of all variants: by school type and region, by board, by name."""

    regions: dict[SchoolType, list[Listing[VariantView]]]
    boards: list[ListPage[VariantView]]
    letters: list[Listing[VariantView]]
    all_fit: bool
    """All variants fit on one page: the overview lists them itself."""


def _title(view: VariantView) -> str:
    return view.variant.title


def _region(view: VariantView) -> str:
    return view.variant.region


def board(view: VariantView) -> str:
    """The board a school belongs to, else the organisation the protocol names, else ""."""
    organisation = view.variant.organisation
    return organisation.board or organisation.name or ""


def overview(views: list[VariantView], size: int) -> Overview:
    return Overview(
        regions={
            school_type: by_group(
                f"{LISTINGS}/{school_type.value.lower()}",
                [v for v in views if v.variant.school_type == school_type], size, _title, _region,
            )
            for school_type in SchoolType
        },
        boards=paginate(f"{LISTINGS}/besturen", sorted_by(views, board, _title), size, board),
        letters=by_initial(f"{LISTINGS}/a-z", views, size, _title),
        all_fit=len(views) <= size,
    )


def _listing_pages(env: Environment, ov: Overview, common: dict) -> list[Page]:
    template = env.get_template("listing.md.j2")

    def render(kind: str, label: str, school_type, pages: list[ListPage], page: ListPage, by_board: bool) -> Page:
        if by_board:
            sections = [(b, [v for v in page.items if board(v) == b]) for b in dict.fromkeys(board(v) for v in page.items)]
        else:
            sections = [("", page.items)]
        return Page(page.path, template.render(
            kind=kind, listing_label=label, school_type=school_type, page=page, pages=pages,
            sections=sections, prefix="../" * page.path.count("/"), **common,
        ))

    out = []
    for school_type, listings in ov.regions.items():
        for listing in listings:
            out += [render("regio", listing.label, school_type, listing.pages, p, False) for p in listing.pages]
    out += [render("bestuur", "", None, ov.boards, p, True) for p in ov.boards]
    for listing in ov.letters:
        out += [render("naam", listing.label, None, listing.pages, p, False) for p in listing.pages]
    return out


def render_pages(
    handbook: Handbook, report: Report, today: dt.date, *, compare_page_size: int = COMPARE_PAGE_SIZE,
    overview_page_size: int = OVERVIEW_PAGE_SIZE,
) -> list[Page]:
    """Every generated page; a function of its inputs only (no clock, no disk)."""
    return list(iter_pages(handbook, report, today, compare_page_size=compare_page_size,
                           overview_page_size=overview_page_size))


def iter_pages(
    handbook: Handbook, report: Report, today: dt.date, *, compare_page_size: int = COMPARE_PAGE_SIZE,
    overview_page_size: int = OVERVIEW_PAGE_SIZE, shard: tuple[int, int] = (0, 1),
    only: Collection[str] | None = None,
) -> Iterator[Page]:
    """The pages one at a time, so a caller can write each and keep none.

    ``shard=(i, n)``: only the i-th of n parts (every n-th comparison page with the pages of
    its variants, and the shared pages in part 0), so that n processes can share the work; the n parts together
    are exactly ``render_pages``. ``only``: of the pages of single variants (their own pages,
    comparison pages, check pages), only those that show one of these variants; the shared
    pages always (``mkdocs serve`` re-renders what an edit can change).
    """
    index, count = shard
    env = environment()
    views = [VariantView(handbook.current(vid, today), handbook, today) for vid in handbook.variant_ids]
    by_type = {
        school_type: [v for v in views if v.variant.school_type == school_type]
        for school_type in SchoolType
    }
    ov = overview(views, overview_page_size)
    common = {
        "check_counts": {
            (vid, version): report.counts(report.findings_for(vid, version)) for vid, version in report.checked
        },
        "handbook": handbook,
        "kader": handbook.kader,
        "national": handbook.contacts.national,
        "overview": ov,
        "today": today,
        "version_slug": version_slug,
    }
    finder = RoleFinder(handbook.roles) if handbook.roles else None
    if index == 0:
        yield Page("index.md", env.get_template("home.md.j2").render(views=views, by_type=by_type, **common))
        yield Page("varianten/index.md", env.get_template("variants.md.j2").render(views=views, **common))
        yield Page("afwegingskader.md", env.get_template("kader.md.j2").render(views=views, **common))
        yield from _listing_pages(env, ov, common)
        if handbook.begrippen:
            yield Page("begrippen.md", env.get_template("begrippen.md.j2").render(
                begrippen=handbook.begrippen, **common))
    # A part is every n-th page of the comparison with its variants' own pages just before it:
    # each text is rendered while it is still in ``templating.markdown``'s cache.
    comparison = Comparison(env, views, common, report, compare_page_size)
    for number, chunk in enumerate(comparison.chunks, start=1):
        if (number - 1) % count != index:
            continue
        for view in chunk:
            if only is None or view.variant.id in only:
                yield from _variant_pages(env, view, common, finder)
        if only is None or any(view.variant.id in only for view in chunk):
            yield from comparison.pages(number)
    yield from render_check_pages(handbook, env, report, overview_page_size, shard, only)


def role_views(variant: Variant, finder: RoleFinder | None) -> list[RoleView]:
    """Every role the variant's wie texts name, in the order of roles.yaml."""
    if finder is None:
        return []
    return [RoleView(role, role_slug(role), finder.steps_for(variant, role.id)) for role in finder.roles_of(variant)]


def _variant_pages(env: Environment, view: VariantView, common: dict, finder: RoleFinder | None = None) -> list[Page]:
    base = view.url
    variant_template = env.get_template("variant.md.j2")
    roles = role_views(view.variant, finder)
    situations = situation_views(view.variant, view.handbook)
    role_template = env.get_template("role.md.j2")
    pages = [
        Page(f"{base}index.md", variant_template.render(view=view, roles=roles, situations=situations, **common)),
        Page(f"{base}afwegingskader.md",
             env.get_template("tool.md.j2").render(view=view, situations=situations, **common)),
        Page(f"{base}versies/index.md", env.get_template("history.md.j2").render(view=view, **common)),
    ]
    for role in roles:
        pages.append(Page(f"{base}{role.slug}.md",
                          role_template.render(view=view, role=role, situations=situations, **common)))
    situation_template = env.get_template("situation.md.j2")
    consult = consult_step(view.variant, view.handbook)
    for situation in situations:
        pages.append(Page(f"{base}{situation.slug}.md", situation_template.render(
            view=view, situation=situation, situations=situations, consult=consult, **common)))
    previous = None
    for version, _, _ in view.history:
        slug = version_slug(version.version)
        version_view = VariantView(version, view.handbook, view.today, up="../../")
        pages.append(Page(f"{base}versies/{slug}/index.md",
                          variant_template.render(view=version_view, roles=[], situations=[], **common)))
        if previous is not None:
            steps = [
                {
                    "number": new.number,
                    "wat": word_diff(old.wat, new.wat),
                    "wie": word_diff(old.wie, new.wie),
                    "hoe": word_diff(reader_text(old.hoe), reader_text(new.hoe)),
                }
                for old, new in zip(previous.steps, version.steps, strict=True)
            ]
            pages.append(
                Page(
                    f"{base}versies/{slug}/verschil.md",
                    env.get_template("version_diff.md.j2").render(
                        view=version_view, old=previous, new=version, steps=steps, changed=changed, **common
                    ),
                )
            )
        previous = version
    return pages


def page_window(number: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows on page ``number`` of ``count``: the first, the last and
    ``around`` on either side; None where numbers are left out. A pager listing all pages
    would grow every page with the number of variants."""
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    window: list[int | None] = []
    for page in shown:
        if window and page - window[-1] > 1:
            window.append(None)
        window.append(page)
    return window


class Comparison:
    """The comparison in pages of ``size`` variants (``vergelijken/``), and per variant the
    fragment its picker loads."""

    def __init__(self, env: Environment, views: list[VariantView], common: dict, report: Report, size: int):
        self.env, self.views, self.common, self.report = env, views, common, report
        self.chunks = [views[i : i + size] for i in range(0, len(views), size)] or [[]]
        self.names = ["index.md"] + [f"pagina-{n}.md" for n in range(2, len(self.chunks) + 1)]
        self.template = env.get_template("compare.md.j2")
        self.comparison = env.get_template("partials/compare.html.j2").module.comparison
        self.basis = views[0].handbook.basismodel if views else None
        situations = views[0].handbook.situations if views else None
        self.situations = situations.situations if situations else []

    def pages(self, number: int) -> list[Page]:
        """Page ``number`` (from 1), then the fragments of its variants."""
        views, chunk, names = self.views, self.chunks[number - 1], self.names
        columns = [column(v.variant, v.handbook, v.url, self.report,
                          situation_views(v.variant, v.handbook)) for v in chunk]
        pages = [
            Page(
                f"vergelijken/{names[number - 1]}",
                self.template.render(
                    views=views, columns=columns, number=number, pages=names, window=page_window(number, len(names)),
                    picker=views if self.common["overview"].all_fit else chunk, situations=self.situations,
                    root="../" if number == 1 else "../../", **self.common,
                ),
            )
        ]
        # The columns as the static page renders them, for the picker's script (their texts are
        # still in the caches).
        for item in columns:
            data = {"id": item.variant.id, "title": item.variant.title,
                    "html": str(self.comparison([item], self.basis, "", self.situations))}
            pages.append(Page(f"vergelijken/varianten/{item.variant.id}.json", json.dumps(data, ensure_ascii=False)))
        return pages
