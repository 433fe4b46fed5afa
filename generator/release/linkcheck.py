"""Link check over the built site, offline.

``python -m generator.release.linkcheck SITE_DIR [--report FILE] [--ignore-pattern REGEX ...]``
parses every ``.html`` file of the built site with the standard library's
``html.parser`` and checks:

- every internal ``href``/``src``/``srcset`` (relative or root-relative): the
  target file exists inside the site (a directory URL means its
  ``index.html``), and a ``#fragment`` names an ``id`` (or an ``<a name>``) in
  the target page;
- mkdocs-material's own assets named in each page's ``__config`` block: the
  site base and the search worker;
- on a page that loads the search (``assets/zoeken/zoeken.js``), the Pagefind
  files that script loads: ``pagefind/pagefind.js``, its worker, its entry
  file and, per language the entry names, its metadata and WebAssembly;
- external links (``http:``, ``https:`` and scheme-relative ``//host/...``)
  are not fetched (there is no network); they are listed in the report with
  the pages they appear on and whether they are well formed (scheme http or
  https and a host name with a dot).

``mailto:``, ``tel:``, ``data:``, ``javascript:``, ``blob:`` and ``about:``
links are ignored. ``--ignore-pattern`` (repeatable) skips internal links whose
raw value or site-relative target path matches the regular expression
(``re.search``), e.g. PDFs that a later build step adds.

Every problem is printed as ``page: link: what is wrong``; the exit status is 1
when there is any broken internal link or anchor or any malformed external
link, else 0. The report is JSON when FILE ends in ``.json``, else text.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

IGNORED_SCHEMES = {"mailto", "tel", "data", "javascript", "blob", "about"}
EXTERNAL_SCHEMES = {"http", "https"}
# Attributes that hold one URL, per element.
URL_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "base": ("href",),
    "script": ("src",),
    "img": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "source": ("src",),
    "track": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "input": ("src",),
    "form": ("action",),
    "object": ("data",),
}
SRCSET_ELEMENTS = {"img", "source"}


@dataclass
class Link:
    value: str
    line: int
    what: str  # e.g. "a href"


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    config: dict | None = None


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_config = False
        self._config_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"])
        line = self.getpos()[0]
        for attr in URL_ATTRIBUTES.get(tag, ()):
            value = values.get(attr)
            if value is not None:
                self.page.links.append(Link(value.strip(), line, f"{tag} {attr}"))
        if tag in SRCSET_ELEMENTS and values.get("srcset"):
            for candidate in values["srcset"].split(","):
                url = candidate.strip().split(" ")[0]
                if url:
                    self.page.links.append(Link(url, line, f"{tag} srcset"))
        if tag == "script" and values.get("id") == "__config":
            self._in_config = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_config = False

    def handle_endtag(self, tag):
        if tag == "script" and self._in_config:
            self._in_config = False
            try:
                self.page.config = json.loads("".join(self._config_text))
            except ValueError:
                self.page.config = {"__invalid__": True}

    def handle_data(self, data):
        if self._in_config:
            self._config_text.append(data)


@dataclass
class Result:
    problems: list[str]
    external: dict[str, dict]  # link -> {"pages": [...], "well_formed": bool, "why": str}
    pages: int
    internal_checked: int
    ignored: int

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_page(path: Path) -> Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


def external_verdict(url: str) -> tuple[bool, str]:
    """Well formed = scheme http(s), a host name with a dot, no spaces."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return False, f"cannot be parsed ({exc})"
    if parts.scheme.lower() not in EXTERNAL_SCHEMES:
        return False, "no http(s) scheme" if not parts.scheme else f"scheme {parts.scheme!r} is not http(s)"
    if not host:
        return False, "no host"
    if "." not in host.strip("."):
        return False, f"host {host!r} has no dot"
    if any(ch.isspace() for ch in url) or not re.fullmatch(r"[\w.-]+", host) or "_" in host:
        return False, f"host {host!r} or address contains invalid characters"
    return True, ""


def _resolve(site: Path, page_rel: str, path: str) -> tuple[str | None, str]:
    """Site-relative target of ``path`` on page ``page_rel``; (None, why) if outside the site."""
    path = unquote(path)
    joined = path if path.startswith("/") else posixpath.join("/" + posixpath.dirname(page_rel), path)
    normal = posixpath.normpath(joined)
    # normpath keeps a leading "//"; and ".." above the root must be caught before normpath eats it.
    depth = 0
    for part in joined.split("/"):
        if part in ("", "."):
            continue
        depth = depth - 1 if part == ".." else depth + 1
        if depth < 0:
            return None, "points outside the site"
    rel = normal.lstrip("/")
    return rel, ""


def _target_file(site: Path, rel: str, trailing_slash: bool) -> Path | None:
    candidate = site / rel if rel not in ("", ".") else site
    if candidate.is_dir():
        index = candidate / "index.html"
        return index if index.is_file() else None
    if trailing_slash:
        return None
    return candidate if candidate.is_file() else None


def check_site(site: Path, ignore: list[str] | None = None) -> Result:
    site = site.resolve()
    patterns = [re.compile(p) for p in (ignore or [])]
    html_files = sorted(site.rglob("*.html"))
    pages = {p.relative_to(site).as_posix(): parse_page(p) for p in html_files}
    ids_cache: dict[Path, set[str]] = {site / rel: page.ids for rel, page in pages.items()}

    def ids_of(target: Path) -> set[str]:
        if target not in ids_cache:
            ids_cache[target] = parse_page(target).ids
        return ids_cache[target]

    problems: list[str] = []
    external: dict[str, dict] = {}
    checked = ignored = 0
    search = search_files(site)

    def internal(page_rel: str, value: str, check_fragment: bool = True) -> None:
        nonlocal checked, ignored
        parts = urlsplit(value)
        if parts.path:
            rel, why = _resolve(site, page_rel, parts.path)
        else:
            rel, why = page_rel, ""
        if any(p.search(value) or (rel is not None and p.search(rel)) for p in patterns):
            ignored += 1
            return
        checked += 1
        if rel is None:
            problems.append(f"{page_rel}: {value}: {why}")
            return
        target = _target_file(site, rel, parts.path.endswith("/")) if parts.path else site / page_rel
        if target is None:
            hint = ""
            if re.match(r"^(www\.|[a-z0-9-]+\.(nl|com|org|net|eu|be)(/|$))", parts.path, re.I):
                hint = " (an external address without http:// or https://?)"
            problems.append(f"{page_rel}: {value}: target {rel or '/'} does not exist{hint}")
            return
        fragment = unquote(parts.fragment)
        if (check_fragment and fragment and fragment.lower() != "top" and target.suffix == ".html"
                and fragment not in ids_of(target)):
                where = target.relative_to(site).as_posix()
                problems.append(f"{page_rel}: {value}: no id or name {fragment!r} in {where}")

    for page_rel, page in pages.items():
        for link in page.links:
            value = link.value
            if not value or value == "#":
                continue
            scheme = urlsplit(value).scheme.lower() if ":" in value else ""
            if scheme in IGNORED_SCHEMES:
                continue
            if value.startswith("//") or scheme:
                entry = external.setdefault(value, {"pages": [], "well_formed": True, "why": ""})
                if page_rel not in entry["pages"]:
                    entry["pages"].append(page_rel)
                good, why = external_verdict(value)
                if not good and entry["well_formed"]:
                    entry["well_formed"], entry["why"] = False, why
                if not good:
                    problems.append(f"{page_rel}: {value}: malformed external link: {why}")
                continue
            internal(page_rel, value)
        if page.config is not None:
            _check_theme_config(page_rel, page.config, internal, problems)
        if any(link.value.endswith(SEARCH_SCRIPT) for link in page.links):
            here = posixpath.dirname(page_rel)
            for name in search:
                internal(page_rel, posixpath.relpath(name, here or "."), check_fragment=False)

    return Result(problems, dict(sorted(external.items())), len(pages), checked, ignored)


def _check_theme_config(page_rel: str, config: dict, internal, problems: list[str]) -> None:
    """mkdocs-material's ``__config``: the site base and the search worker it names."""
    if config.get("__invalid__"):
        problems.append(f"{page_rel}: __config: not valid JSON")
        return
    base = config.get("base")
    if isinstance(base, str):
        internal(page_rel, base.rstrip("/") + "/", check_fragment=False)
    if isinstance(config.get("search"), str):
        internal(page_rel, config["search"], check_fragment=False)


SEARCH_SCRIPT = "assets/zoeken/zoeken.js"
"""The search page's script; it loads Pagefind from ``pagefind/``."""


def search_files(site: Path) -> list[str]:
    """The files the search page loads from Pagefind's bundle (site-relative)."""
    files = ["pagefind/pagefind.js", "pagefind/pagefind-entry.json"]
    try:
        entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return files
    for language in (entry.get("languages") or {}).values():
        files.append(f"pagefind/pagefind.{language.get('hash')}.pf_meta")
        files.append(f"pagefind/wasm.{language.get('wasm')}.pagefind")
    return files


def write_report(result: Result, path: Path) -> None:
    if path.suffix == ".json":
        data = {
            "pages": result.pages,
            "internal_links_checked": result.internal_checked,
            "internal_links_ignored": result.ignored,
            "problems": result.problems,
            "external": [{"link": link, **info} for link, info in result.external.items()],
        }
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    lines = [
        f"pages: {result.pages}",
        f"internal links checked: {result.internal_checked} (ignored: {result.ignored})",
        f"problems: {len(result.problems)}",
        *(f"  {problem}" for problem in result.problems),
        f"external links (not fetched): {len(result.external)}",
    ]
    for link, info in result.external.items():
        verdict = "ok" if info["well_formed"] else f"MALFORMED: {info['why']}"
        lines.append(f"  {link}  [{verdict}]")
        lines += [f"      {page}" for page in info["pages"]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.release.linkcheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (make build writes site/)")
    parser.add_argument("--report", type=Path, help="write the report here (.json for JSON, else text)")
    parser.add_argument("--ignore-pattern", action="append", default=[], metavar="REGEX",
                        help="skip internal links whose value or site-relative target matches (repeatable)")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(f"{args.site}: not a folder", file=sys.stderr)
        return 2
    result = check_site(args.site, args.ignore_pattern)
    for problem in result.problems:
        print(problem)
    if args.report:
        write_report(result, args.report)
    malformed = sum(1 for info in result.external.values() if not info["well_formed"])
    print(f"{result.pages} pages, {result.internal_checked} internal links checked"
          f" ({result.ignored} ignored), {len(result.external)} external links ({malformed} malformed),"
          f" {len(result.problems)} problem(s)")
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
