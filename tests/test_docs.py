"""The documents a newcomer reads: short enough to read, and every link between them resolves.

Fast: reads the Markdown files with markdown-it (the library the site uses), builds nothing.
Links are checked as GitHub renders them: a relative link names an existing file, and a
``#fragment`` names a heading of that file by GitHub's slug (lowercase, spaces to ``-``,
punctuation dropped except ``-`` and ``_``, ``-1``, ``-2`` after a repeated heading).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
DECISIONS = ROOT / "decisions"
GUIDES = ROOT / "guides"
LIMITS = {"CONTRIBUTING.md": 300, "README.md": 400}
"""The most lines each may have (issue 35): a newcomer reads it whole; details are linked."""
SECTIONS = ("Context", "Decision", "Considered")
"""The sections of every decision file, in this order."""


def documents() -> list[Path]:
    found = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "BENCHMARKS.md"]
    found += sorted(DECISIONS.glob("*.md")) + sorted(GUIDES.glob("*.md"))
    return found


def decision_files() -> list[Path]:
    return sorted(DECISIONS.glob("D*.md"))


@cache
def tokens(path: Path) -> list:
    return MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))


def _flat(tokens_):
    for token in tokens_:
        yield token
        yield from _flat(token.children or ())


def links(path: Path) -> list[str]:
    """Every link and image target of ``path``, as written (code blocks hold none)."""
    targets = []
    for token in _flat(tokens(path)):
        if token.type == "link_open":
            targets.append(token.attrGet("href"))
        elif token.type == "image":
            targets.append(token.attrGet("src"))
    return targets


def slug(text: str) -> str:
    """GitHub's anchor for a heading's text (github-slugger)."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    """The ``#fragment`` of every heading of ``path``, as GitHub makes them."""
    seen: dict[str, int] = {}
    result = set()
    items = tokens(path)
    for token, inline in zip(items, items[1:], strict=False):
        if token.type != "heading_open":
            continue
        text = "".join(child.content for child in inline.children
                       if child.type in ("text", "code_inline"))
        base = slug(text)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return frozenset(result)


def test_slug_follows_github():
    assert slug("How the generator relates to MkDocs (and Zensical)") == (
        "how-the-generator-relates-to-mkdocs-and-zensical")
    assert slug("`make serve` (D29)".replace("`", "")) == "make-serve-d29"
    assert slug("Quality checks (\"Kwaliteitscheck\")") == "quality-checks-kwaliteitscheck"
    assert slug("D05: The engine is stateless, JSON in_out") == "d05-the-engine-is-stateless-json-in_out"


def broken_links(path: Path) -> list[str]:
    """The relative links of ``path`` that name no file, or no heading of the file they name."""
    broken = []
    for target in links(path):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith("/"):
            continue  # another site, mail, phone: not ours to check offline
        file = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif parts.fragment and file.suffix == ".md" and parts.fragment not in anchors(file):
            broken.append(f"{target}: no heading #{parts.fragment} in {file.name}")
    return broken


def test_a_broken_link_is_found(tmp_path):
    (tmp_path / "guide.md").write_text("# A guide\n\n## What `make serve` does (D29)\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n## Same page\n\n"
        "[ok](guide.md#what-make-serve-does-d29) [ok](#same-page) [ok](https://example.org/x#y)\n"
        "[bad](guide.md#what-make-serve-does) [bad](missing.md) [bad](#nowhere)\n\n"
        "```\n[code](not-a-link.md)\n```\n", encoding="utf-8")
    assert broken_links(page) == [
        "guide.md#what-make-serve-does: no heading #what-make-serve-does in guide.md",
        "missing.md: no such file",
        "#nowhere: no heading #nowhere in page.md",
    ]


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path):
    broken = broken_links(path)
    assert not broken, f"{path.relative_to(ROOT)}:\n" + "\n".join(broken)


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_short_enough_to_read(name):
    lines = len((ROOT / name).read_text(encoding="utf-8").splitlines())
    assert lines <= LIMITS[name], f"{name} has {lines} lines; at most {LIMITS[name]} (move details to guides/)"


def test_every_decision_is_in_the_index():
    assert decision_files(), "no decisions/D*.md"
    listed = {(DECISIONS / urlsplit(t).path).resolve() for t in links(DECISIONS / "README.md")}
    missing = [p.name for p in decision_files() if p.resolve() not in listed]
    assert not missing, f"decisions/README.md does not link {missing}"


def test_contributing_links_the_decisions():
    assert "decisions/README.md" in links(ROOT / "CONTRIBUTING.md")


@pytest.mark.parametrize("path", decision_files(), ids=lambda p: p.name)
def test_a_decision_has_its_title_and_sections(path):
    number = re.fullmatch(r"(D\d\d)-[a-z0-9-]+\.md", path.name)
    assert number, f"{path.name}: name it DNN-<slug>.md (two-digit number, lowercase slug)"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert re.fullmatch(rf"# {number[1]}: \S.*", first), f"{path.name}: first line {first!r}, not '# {number[1]}: <title>'"
    items = tokens(path)
    headings = [inline.content for token, inline in zip(items, items[1:], strict=False)
                if token.type == "heading_open" and token.tag == "h2"]
    assert headings == list(SECTIONS), f"{path.name}: sections {headings}, not {list(SECTIONS)}"
