"""The review of an import in one screen (``python -m generator review ID``; D42).

One self-contained HTML page, written to ``.review/`` beside ``protocols/`` (never into the
site): the check's findings for the variant on top, each linked to the blocks it names; on the
left the school's document, block by block, each coloured and labelled by where the import put
it (a step's wat, wie or hoe, a section, the title page, unplaced, dropped as layout), with the
situations it is proposed for and the contacts it holds; on the right the variant's page as
the generator renders it (``site.kinds.variant``), its Markdown made HTML by Python-Markdown
with the extensions of ``mkdocs.yml``, as MkDocs does, without the theme.

The blocks come from the import's record (``record.py``); the page and the findings from the
sources as they are now, so that the review, made again, shows each edit of the draft. All
text is escaped by the site's Jinja environment; the page loads nothing (its
Content-Security-Policy allows no request and no script).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..build.options import read_config
from ..build.steps import Abbreviations, HtmlBlocks
from ..checks import Report
from ..model import urls
from ..model.handbook import Handbook
from ..model.sources import Variant
from ..site.checkpages import describe_where
from ..site.kinds import variant as variant_kind
from ..site.pages import context
from ..site.templating import environment

TEMPLATE = "review.html.j2"
CATEGORIES = ("source", "wat", "wie", "hoe", "section", "unplaced", "layout")
"""Where a block can go, in the order the legend lists them (the template words each)."""

_STEP = re.compile(r"^steps\[(\d+)\]\.(wat|wie|hoe|number)$")
_SECTION = re.compile(r"^sections\[(\d+)\](?:\.items\[\d+\])?\.(title|body)$")
_UNPLACED = re.compile(r"^unplaced(?:\[(\d+)\])?$")
_FRONT_MATTER = re.compile(r"^(?:source\.(title|date|version)|organisation\.(name))$")
_WHERE_TO_PLACE = {"title": "source.title", "valid_from": "source.date", "version": "source.version",
                   "organisation": "organisation.name"}
"""A finding's path where the variant's field is not the draft's place of the block."""


@dataclass
class BlockView:
    """A block of the document as the review shows it."""

    index: int
    page: int
    kind: str
    mark: str | None
    text: str
    place: str
    category: str
    """One of ``CATEGORIES``."""
    number: int | None = None
    """The step's, section's or unplaced group's number, from 1."""
    part: str | None = None
    """wat, wie, hoe or number of a step; title or body of a section; title, date, version or
    name of the title page; contents or header of a layout block."""
    situations: list[tuple[str, str]] = field(default_factory=list)
    """(id, name) of the situations it is proposed for."""
    contacts: list[dict] = field(default_factory=list)
    depth: int = 0
    """A list item's depth in nested lists (0 also in a record made before depths were kept)."""

    @property
    def anchor(self) -> str:
        return f"blok-{self.index + 1}"


@dataclass
class FindingView:
    severity: str
    rule_id: str
    title: str
    message: str
    where: str
    """The place in the reader's words (checks.yaml's labels)."""
    detail: str
    blocks: list[BlockView]


def place(path: str) -> tuple[str, int | None, str | None]:
    """(category, number, part) of a block's place in the draft."""
    if match := _STEP.match(path):
        part = match.group(2)
        return ("wat" if part == "number" else part), int(match.group(1)) + 1, part
    if match := _SECTION.match(path):
        return "section", int(match.group(1)) + 1, match.group(2)
    if match := _UNPLACED.match(path):
        return "unplaced", int(match.group(1)) + 1 if match.group(1) else None, None
    if match := _FRONT_MATTER.match(path):
        return "source", None, match.group(1) or match.group(2)
    if path == "dropped":
        return "layout", None, "contents"
    if path == "table header":
        return "layout", None, "header"
    return "unplaced", None, None


def block_views(record: dict, names: dict[str, str]) -> list[BlockView]:
    """The record's blocks with their category; ``names``: situation id -> its name."""
    views = []
    for block in record["blocks"]:
        category, number, part = place(str(block.get("place", "")))
        views.append(BlockView(
            int(block["index"]), int(block.get("page") or 1), str(block.get("kind", "paragraph")), block.get("mark"),
            str(block.get("text", "")), str(block.get("place", "")), category, number, part,
            [(s, names.get(s, s)) for s in block.get("situations", [])], list(block.get("contacts", [])),
            int(block.get("depth") or 0),
        ))
    return views


def _flat(text: str) -> str:
    return " ".join(text.replace("…", " ").split()).lower()


def linked_blocks(where: str, detail: str, blocks: list[BlockView]) -> list[BlockView]:
    """The blocks a finding names: those the import put at its path (a step, a section, an
    unplaced group, the title page, a contact, a proposed situation), narrowed to those that
    hold its detail where some do; else the blocks that hold its detail."""
    head = re.split(r"[.\[]", where, maxsplit=1)[0]
    target = _WHERE_TO_PLACE.get(where, where)
    if where == "situations":
        found = [b for b in blocks if any(s == detail for s, _ in b.situations)]
        detail = ""
    elif head in ("veilig_thuis", "contacts"):
        found = [b for b in blocks if any(c.get("field", "").startswith(where) for c in b.contacts)]
    else:
        found = [b for b in blocks if b.place == target or b.place.startswith((target + ".", target + "["))]
    quote = _flat(detail)
    if quote:
        holding = [b for b in found if quote in _flat(b.text)]
        if holding or not found:
            found = holding or [b for b in blocks if quote in _flat(b.text)]
    return found


def finding_views(report: Report, variant: Variant, blocks: list[BlockView]) -> list[FindingView]:
    return [
        FindingView(f.severity.value, f.rule_id, report.title(f.rule_id), report.message(f.rule_id),
                    describe_where(f.where, variant, report.places), f.detail,
                    linked_blocks(f.where, f.detail, blocks))
        for f in report.findings_for(variant.id, variant.version)
    ]


def page_markdown(handbook: Handbook, report: Report, today: dt.date, variant: Variant) -> str:
    """The variant version's page as the generator renders it (its main page if it is the
    version a reader sees, else its version page)."""
    ctx = context(handbook, report, today)
    view = next(v for v in ctx.views if v.variant.id == variant.id)
    wanted = urls.variant_page(variant.id) if view.variant.key == variant.key \
        else urls.version_page(variant.id, variant.version)
    return next(page.content for page in variant_kind.pages(ctx, view) if page.path == wanted)


def page_html(markdown_text: str, config_file: Path, handbook: Handbook) -> str:
    """A page's Markdown as HTML, as MkDocs makes it (without the theme): its HTML blocks kept
    aside, Python-Markdown with ``mkdocs.yml``'s extensions, the abbreviations explained; its
    headings two levels down, under the review's own."""
    import markdown

    extensions, configs = [], {}
    for entry in read_config(config_file).get("markdown_extensions") or []:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        extensions.append(name)
        if options:
            configs[name] = options
    body = re.sub(r"\A---\n.*?\n---\n", "", markdown_text, count=1, flags=re.DOTALL)
    stashed, blocks = HtmlBlocks.stash(body)
    html = markdown.markdown(stashed, extensions=extensions, extension_configs=configs)
    html = Abbreviations(handbook).explain(HtmlBlocks.restore(html, blocks))
    return re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}", html)


def render_review(handbook: Handbook, report: Report, today: dt.date, record: dict, variant: Variant,
                  config_file: Path, *, draft: str) -> str:
    """The review page of ``variant`` (a version of the handbook) from its import ``record``;
    ``draft``: the draft's path as the person knows it."""
    names = {s.id: s.name for s in handbook.situations.situations} if handbook.situations else {}
    blocks = block_views(record, names)
    findings = finding_views(report, variant, blocks)
    counts = report.counts(report.findings_for(variant.id, variant.version))
    pages = sorted({b.page for b in blocks})
    return environment().get_template(TEMPLATE).render(
        variant=variant, record=record, draft=draft, blocks=blocks, findings=findings, counts=counts,
        categories=CATEGORIES, paged=len(pages) > 1,
        page=Markup(page_html(page_markdown(handbook, report, today, variant), config_file, handbook)),
        repairs=record.get("repairs", {}), dropped=len(record.get("dropped", [])),
        unplaced_count=sum(1 for b in blocks if b.category == "unplaced"),
    )
