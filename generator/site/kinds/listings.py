"""The overview of all variants (``varianten/``) and its listing pages: by school type and
region, by board, by name (A-Z), paged (``generator.site.overviews``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import Environment

from ...model import urls
from ...model.sources import SchoolType
from ..overviews import Listing, ListPage, by_group, by_initial, paginate, sorted_by
from ..templating import Page
from ..views import VariantView
from .base import Context, PageKind


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
                f"{urls.LISTINGS}/{school_type.value.lower()}",
                [v for v in views if v.variant.school_type == school_type], size, _title, _region,
            )
            for school_type in SchoolType
        },
        boards=paginate(f"{urls.LISTINGS}/besturen", sorted_by(views, board, _title), size, board),
        letters=by_initial(f"{urls.LISTINGS}/a-z", views, size, _title),
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
            sections=sections, prefix=urls.up_to_root(page.path), **common,
        ))

    out = []
    for school_type, listings in ov.regions.items():
        for listing in listings:
            out += [render("regio", listing.label, school_type, listing.pages, p, False) for p in listing.pages]
    out += [render("bestuur", "", None, ov.boards, p, True) for p in ov.boards]
    for listing in ov.letters:
        out += [render("naam", listing.label, None, listing.pages, p, False) for p in listing.pages]
    return out


def pages(ctx: Context) -> Iterator[Page]:
    yield Page(urls.VARIANTS_INDEX, ctx.render("variants.md.j2", views=ctx.views))
    yield from _listing_pages(ctx.env, ctx.common["overview"], ctx.common)


KIND = PageKind("listings", ("variants.md.j2", "listing.md.j2"), "none", site=pages)
