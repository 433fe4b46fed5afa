"""The Jinja2 environment of the site: its templates, its filters, the Page it makes.

All filters are registered here, in one place. Protocol text reaches HTML
only through these filters or Jinja's autoescape.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..dates import nl_date
from .diff import reader_text

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Page:
    """A page to publish: where it goes (relative to the docs root) and its Markdown."""

    path: str
    content: str


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
