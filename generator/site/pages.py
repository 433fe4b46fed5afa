"""Model in, pages out: the engine-neutral core of the generator.

``render_pages`` turns a loaded ``Handbook`` into Markdown pages (with HTML
blocks where a table or widget needs them). It knows nothing of MkDocs, so the
same pages can be written to disk for another engine (``python -m generator
render``). All wording lives in the templates and in ``protocols/``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..checks import render_check_pages, run_checks
from .compare import column
from .diff import changed, reader_text, word_diff
from ..loader import Handbook
from ..model import Kader, SchoolType, Variant, VeiligThuisRegion

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Page:
    """A page to publish: where it goes (relative to the docs root) and its Markdown."""

    path: str
    content: str


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
    def melding_phone(self) -> str:
        """The number an outcome tells staff to call: the region's, else the national one."""
        return self.region.phone if self.region else self.national.phone

    @property
    def melding_service(self) -> str:
        return self.region.name if self.region else self.national.name

    @property
    def wie_from_text(self) -> bool:
        return any(step.wie_from_text for step in self.variant.steps)

    def kader_json(self) -> Markup:
        return kader_json(self.handbook.kader)


def variant_url(variant_id: str) -> str:
    return f"varianten/{variant_id}/"


def version_slug(version: str) -> str:
    """A stable URL segment for a version label ("v1.0_301018" -> "v1-0-301018")."""
    return re.sub(r"[^a-z0-9]+", "-", version.lower()).strip("-") or "versie"


def kader_json(kader: Kader) -> Markup:
    """Only what the engine routes on; the wording stays in the page's HTML.

    Safe inside ``<script type="application/json">``: no ``<`` can close it.
    """
    text = json.dumps(
        {
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
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return Markup(text.replace("<", "\\u003c"))


# ---------------------------------------------------------------- Jinja2


def _markdown_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["linkify", "table"])
    return md


_MD = _markdown_renderer()


@functools.lru_cache(maxsize=16384)
def markdown(text: str | None) -> Markup:
    """Protocol Markdown to HTML; raw HTML in a source is shown as text, never run.

    Cached: a variant's texts appear on its page, on the stable page of its
    version and twice in the comparison (its static page and its fragment), and
    parsing is most of the build's time. The comparison comes after all variant
    pages, so the cache holds every text of 1,000 variants (a few MiB).
    """
    return Markup(_MD.render(text or ""))


def nl_date(value: dt.date | None) -> str:
    return format_date(value, format="long", locale="nl") if value else ""


def css_string(text: str) -> Markup:
    """A CSS string literal, safe inside a <style> element (no HTML escaping there)."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:()-" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


def upper_first(text: str) -> str:
    """Capital first letter, the rest as written (unlike Jinja's ``capitalize``)."""
    return text[:1].upper() + text[1:]


def tel_href(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return f"tel:{digits}"


def weblink(text: str) -> Markup:
    """A web address as the source writes it, made clickable where it is one."""
    href = text if text.startswith(("http://", "https://")) else None
    if href is None and text.startswith("www."):
        href = f"https://{text}"
    if href is None:
        return Markup.escape(text)
    return Markup('<a href="{}">{}</a>').format(href, text)


def environment() -> Environment:
    """All filters are registered here, in one place."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(
        markdown=markdown, nl_date=nl_date, tel_href=tel_href, weblink=weblink, reader_text=reader_text,
        upper_first=upper_first,
        css_string=css_string,
    )
    return env


# ---------------------------------------------------------------- pages


COMPARE_PAGE_SIZE = 10
"""Variants per static comparison page: a page never embeds them all."""


def render_pages(handbook: Handbook, *, today: dt.date | None = None) -> list[Page]:
    today = today or dt.date.today()
    env = environment()
    views = [VariantView(handbook.current(vid, today), handbook, today) for vid in handbook.variant_ids]
    by_type = {
        school_type: [v for v in views if v.variant.school_type == school_type]
        for school_type in SchoolType
    }
    report = run_checks(handbook, today)
    common = {
        "check_counts": {
            (vid, version): report.counts(report.findings_for(vid, version)) for vid, version in report.checked
        },
        "handbook": handbook,
        "kader": handbook.kader,
        "national": handbook.contacts.national,
        "today": today,
        "version_slug": version_slug,
    }
    pages = [
        Page("index.md", env.get_template("home.md.j2").render(views=views, by_type=by_type, **common)),
        Page("varianten/index.md", env.get_template("variants.md.j2").render(views=views, **common)),
        Page("afwegingskader.md", env.get_template("kader.md.j2").render(views=views, **common)),
    ]
    for view in views:
        pages += _variant_pages(env, view, common)
    pages += _compare_pages(env, views, common, report)
    pages += render_check_pages(handbook, env, today, report)
    return pages


def _variant_pages(env: Environment, view: VariantView, common: dict) -> list[Page]:
    base = view.url
    variant_template = env.get_template("variant.md.j2")
    pages = [
        Page(f"{base}index.md", variant_template.render(view=view, **common)),
        Page(f"{base}afwegingskader.md", env.get_template("tool.md.j2").render(view=view, **common)),
        Page(f"{base}versies/index.md", env.get_template("history.md.j2").render(view=view, **common)),
    ]
    previous = None
    for version, _, _ in view.history:
        slug = version_slug(version.version)
        version_view = VariantView(version, view.handbook, view.today, up="../../")
        pages.append(Page(f"{base}versies/{slug}/index.md", variant_template.render(view=version_view, **common)))
        if previous is not None:
            steps = [
                {
                    "number": new.number,
                    "wat": word_diff(old.wat, new.wat),
                    "wie": word_diff(old.wie, new.wie),
                    "hoe": word_diff(reader_text(old.hoe), reader_text(new.hoe)),
                }
                for old, new in zip(previous.steps, version.steps)
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


def _compare_pages(env: Environment, views: list[VariantView], common: dict, report) -> list[Page]:
    columns = [column(v.variant, v.handbook, v.url, report) for v in views]
    chunks = [columns[i : i + COMPARE_PAGE_SIZE] for i in range(0, len(columns), COMPARE_PAGE_SIZE)] or [[]]
    names = ["index.md"] + [f"pagina-{n}.md" for n in range(2, len(chunks) + 1)]
    template = env.get_template("compare.md.j2")
    pages = []
    for number, (chunk, name) in enumerate(zip(chunks, names), start=1):
        pages.append(
            Page(
                f"vergelijken/{name}",
                template.render(
                    views=views, columns=chunk, number=number, pages=names,
                    root="../" if number == 1 else "../../", **common,
                ),
            )
        )
    # Each protocol's column as the static pages render it, for the picker's script.
    comparison = env.get_template("partials/compare.html.j2").module.comparison
    basis = views[0].handbook.basismodel if views else None
    for item in columns:
        data = {"id": item.variant.id, "title": item.variant.title, "html": str(comparison([item], basis, ""))}
        pages.append(Page(f"vergelijken/varianten/{item.variant.id}.json", json.dumps(data, ensure_ascii=False)))
    return pages
