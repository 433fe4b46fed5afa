r"""The Jinja2 environment of the site: its templates, its filters, the Page it makes.

All filters are registered here, in one place. Protocol text is untrusted: it
reaches a page only through these filters or ``escape_text``, which every
``{{ value }}`` passes through (the environment's ``finalize``).

A page is Markdown with HTML blocks, read by MkDocs' Python-Markdown (with
``attr_list`` and ``md_in_html``). HTML escaping alone does not make text inert
there: ``[k](javascript:...)``, ``{ onclick=... }``, ``|`` in a table or ``\``
at the end of a line are Markdown, not HTML. So ``escape_text`` writes those
characters, and line breaks, as numeric character references: Python-Markdown
passes a reference through untouched, and the browser shows the character, in
Markdown and in HTML blocks alike. Text can then never start or end a Markdown
construct, wherever a template puts it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_eval_context, select_autoescape
from jinja2.nodes import EvalContext
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from ..model.dates import nl_date, nl_month
from ..model.passages import Passage, block_tokens, markdown_parser
from ..model.sources import Phone
from .diff import reader_text

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Page:
    """A page to publish: where it goes (relative to the docs root) and its Markdown."""

    path: str
    content: str


_TEXT_ESCAPES = {
    **{ord(ch): f"&#{ord(ch)};" for ch in "\\`*_{}[]#|\n\r"},
    ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&#34;", ord("'"): "&#39;",
}
"""HTML's five, and what Python-Markdown (with attr_list and tables) reads as markup."""
_LINE_START = re.compile(r"^(?:[-+=:~!]|\d+[.)])")
"""What starts a list, a rule or a heading underline when a value begins a line."""


def escape_text(value: Any) -> Markup:
    """Plain text as inert HTML and inert Markdown (see the module's docstring)."""
    if hasattr(value, "__html__"):
        return Markup(value)
    text = str(value)
    start = _LINE_START.match(text)
    if start is None:
        return Markup(text.translate(_TEXT_ESCAPES))
    mark = start.end() - 1
    return Markup(text[:mark] + f"&#{ord(text[mark])};" + text[mark + 1 :].translate(_TEXT_ESCAPES))


@pass_eval_context
def _finalize(eval_ctx: EvalContext, value: Any) -> Any:
    """Every ``{{ value }}`` of an autoescaped template is text unless it is Markup."""
    return escape_text(value) if eval_ctx.autoescape and value is not None else value


@pass_eval_context
def join(eval_ctx: EvalContext, items: Any, separator: str = "") -> Any:
    """Jinja's ``join``, escaping its items as ``escape_text`` does (not only as HTML)."""
    if not eval_ctx.autoescape:
        return str(separator).join(map(str, items))
    return escape_text(separator).join(escape_text(item) for item in items)


@functools.cache
def _scalar_yaml():
    """One dumper for every page's title: making it took half of ``front_matter``'s time."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_style = '"'
    yaml.width = 1 << 30
    return yaml


def front_matter(value: Any) -> Markup:
    """A page title as a YAML string for the front matter.

    MkDocs and mkdocs-material treat a page title as HTML (they print it
    unescaped in ``<title>``, the header and the search index, as they do titles
    taken from a heading), so the text is HTML-escaped first; then it is written
    as a double-quoted YAML scalar by the YAML library, so nothing in it can end
    the string or the front matter.
    """
    from io import StringIO

    html = str(escape(value)).replace("\n", " ").replace("\r", " ")
    out = StringIO()
    _scalar_yaml().dump(html, out)
    scalar = out.getvalue().strip()
    if scalar.endswith("\n..."):
        scalar = scalar[: -len("\n...")].strip()
    return Markup(scalar)


SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def safe_link(url: str) -> bool:
    """Protocol Markdown may link to http(s), mailto and tel, and within the site
    (a relative or root-relative URL); nothing else becomes a link."""
    scheme = _SCHEME.match(url)
    if scheme:
        return scheme.group(1).lower() in SAFE_SCHEMES
    return not url.startswith(("//", "\\", "/\\"))


def _text_rule(renderer, tokens, idx, options, env) -> str:
    return str(escape_text(tokens[idx].content))


def _link_open_rule(renderer, tokens, idx, options, env) -> str:
    """A link without its title: a title is text only a mouse shows, and a theme may read it as HTML."""
    tokens[idx].attrs.pop("title", None)
    return renderer.renderToken(tokens, idx, options, env)


def _tel_links_dial_what_they_show(state) -> None:
    """A ``tel:`` link in protocol Markdown stays a link only where its text is a phone number
    that dials exactly what the link dials (then the link dials it as the model does); any other
    ``[text](tel:...)`` is its text alone: a reader must see the number a link calls."""
    for block in state.tokens:
        children = block.children or []
        keep = []
        index = 0
        while index < len(children):
            token = children[index]
            href = token.attrGet("href") if token.type == "link_open" else None
            if not (href and str(href).lower().startswith("tel:")):
                keep.append(token)
                index += 1
                continue
            close = next(i for i in range(index + 1, len(children)) if children[i].type == "link_close"
                         and children[i].level == token.level)
            inner = children[index + 1:close]
            shown = "".join(t.content for t in inner if t.type in ("text", "code_inline"))
            dials = _dial(shown)
            if dials is not None and dials == re.sub(r"[^0-9+]", "", str(href)[4:]):
                token.attrSet("href", f"tel:{dials}")
                token.attrSet("dir", "ltr")  # drawn in the order it is dialled (D35)
                keep += children[index:close + 1]
            else:
                keep += inner
            index = close + 1
        if block.children is not None:
            block.children = keep


_GROUPS = r"(?:[ \u00a0]+(?:[-\u2013][ \u00a0]*)?|[-\u2013][ \u00a0]*)"
_NUMBER_IN_TEXT = re.compile(rf"(?<![\w.,/:+\-])(?:\+[0-9]{{1,3}}(?:[ \u00a0]?\(0\))?{_GROUPS}?)?[0-9]+(?:{_GROUPS}[0-9]+)*")
"""A number in groups, as a phone field may hold one (``sources.PHONE_PATTERN``) and with
no-break spaces and en dashes too: digits with single spaces or hyphens between the groups,
perhaps a leading + and country code with "(0)". Linear: a separator is read only before
digits, and each way to read one starts with another character."""
_DATE_LIKE = re.compile(r"^[0-9]{1,2}\s*[-\u2013]\s*[0-9]{1,2}\s*[-\u2013]\s*[0-9]{2,4}$")
MIN_ISOLATED_DIGITS = 6
"""A run of at least this many digits (and not a date) is a number a reader may dial or copy."""


def _isolated(content: str) -> list[Token]:
    """``content`` as text tokens, with each number of ``_NUMBER_IN_TEXT`` in ``<bdi dir="ltr">``."""
    tokens, start = [], 0
    for found in _NUMBER_IN_TEXT.finditer(content):
        number = found.group()
        if sum(ch.isdigit() for ch in number) < MIN_ISOLATED_DIGITS or _DATE_LIKE.match(number):
            continue
        tokens += [_text_token(content[start:found.start()]), _html_token('<bdi dir="ltr">'),
                   _text_token(number), _html_token("</bdi>")]
        start = found.end()
    return [*tokens, _text_token(content[start:])] if tokens else []


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _html_token(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token


def _numbers_drawn_as_dialled(state) -> None:
    """Each number in protocol text outside a link is isolated from the text around it, left
    to right: right-to-left letters before "088 222 05 00" would draw its groups in reverse
    order, and a reader would dial or copy them so (D35). A ``tel:`` link is isolated by its
    ``dir``; the text of other links is left as it is."""
    for block in state.tokens:
        if not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            depth += (token.type == "link_open") - (token.type == "link_close")
            split = _isolated(token.content) if token.type == "text" and not depth else []
            children += split or [token]
        block.children = children


def _dial(text: str) -> str | None:
    """What ``text`` dials if it is a phone number as a source may write one, else None."""
    try:
        return Phone(number=text).dial
    except ValueError:
        return None


def _markdown_renderer() -> MarkdownIt:
    md = markdown_parser()  # the parser the model finds a passage's blocks with
    md.validateLink = safe_link
    # Text in the output is escaped like plain text, so that even in a Markdown
    # part of a page no "[...](...)" or "{ ... }" from a protocol becomes markup.
    md.add_render_rule("text", _text_rule)
    md.add_render_rule("link_open", _link_open_rule)
    md.core.ruler.push("tel_links", _tel_links_dial_what_they_show)
    md.core.ruler.push("numbers", _numbers_drawn_as_dialled)
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


@functools.lru_cache(maxsize=64)
def _tokens(text: str) -> list:
    """A text's tokens, for its passages (a situation page may quote several blocks of one text)."""
    return _MD.parse(text)


def passage_html(passage: Passage) -> Markup:
    """A situation passage as the protocol page shows its place: the tokens of its block in the
    parse of the whole text (``passages.block_tokens``), rendered as ``markdown`` renders them
    there, so that no block renders differently from its place (a list item loose or tight,
    numbered as in its list, a reference link with its definition)."""
    if passage.block is None:
        return markdown(passage.source)
    return Markup(_MD.renderer.render(block_tokens(_tokens(passage.source), passage.block), _MD.options, {}))


def css_escape(text: str) -> Markup:
    """Text for inside a double-quoted CSS string: letters, digits and `` .,:()-`` as they are,
    every other character as a CSS escape. It can end neither the string nor a ``<style>``,
    and HTML and YAML escaping (the front matter) leave it as it is."""
    if isinstance(text, Markup):  # built with ~ from escaped parts
        text = text.unescape()
    return Markup("".join(ch if ch.isalnum() or ch in " .,:()-" else f"\\{ord(ch):x} " for ch in text))


def upper_first(text: str) -> str:
    """Capital first letter, the rest as written (unlike Jinja's ``capitalize``)."""
    return text[:1].upper() + text[1:]


def tel_href(phone: Phone) -> str:
    """The link that dials a phone number: exactly the digits it shows (``Phone.dial``)."""
    return f"tel:{phone.dial}"


def weblink(text: str) -> Markup:
    """A web address as the source writes it, made clickable where it is one."""
    href = text if text.startswith(("http://", "https://")) else None
    if href is None and text.startswith("www."):
        href = f"https://{text}"
    if href is None:
        return escape_text(text)
    return Markup('<a href="{}">{}</a>').format(escape_text(href), escape_text(text))


_MAIL_ADDRESS = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


def maillink(text: str) -> Markup:
    """An e-mail address as the source writes it, a mailto link only if it is one."""
    if not _MAIL_ADDRESS.match(text):
        return escape_text(text)
    return Markup('<a href="mailto:{}">{}</a>').format(escape_text(text), escape_text(text))


def script_json(data, **dumps_options) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``<`` can close it."""
    return Markup(json.dumps(data, ensure_ascii=False, **dumps_options).replace("<", "\\u003c"))


HTML_BEGIN = "<!--meldcode:html-->"
HTML_END = "<!--/meldcode:html-->"
"""Around an HTML block that needs no Markdown (``html_block``). Protocol text cannot hold
them: every ``<`` of it is escaped."""


def html_block(html: Any) -> Markup:
    """A block of finished HTML, marked so a Markdown engine may pass it by as a whole.

    Python-Markdown would parse such a block only to leave it as it is, and at thousands of
    pages that parse was most of the build (the MkDocs adapter stashes marked blocks before
    Markdown and puts them back after). Without the adapter the marks are HTML comments.
    """
    return Markup(f"\n{HTML_BEGIN}\n") + Markup(html).strip() + Markup(f"\n{HTML_END}\n")


def environment() -> Environment:
    """All filters are registered here, in one place."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters.update(
        markdown=markdown, passage_html=passage_html, nl_date=nl_date, nl_month=nl_month, tel_href=tel_href,
        weblink=weblink, reader_text=reader_text, upper_first=upper_first,
        css_escape=css_escape, front_matter=front_matter, join=join, maillink=maillink, html_block=html_block,
    )
    return env
