"""One build for every entry point: sources in, pages and runtime files out, handed to an engine.

The steps every build takes, whichever engine turns Markdown into HTML (guides/engines.md):

1. ``BuildOptions.today`` checks the options once and fixes the build date;
2. ``load_sources`` and ``check`` make the validated handbook and its report;
3. ``render`` writes every generated page (every option: page sizes, date) to a folder, in one
   process per core; ``runtime`` names the runtime files (Pyodide, the slim standard library,
   diff-match-patch) and ``template_extra`` what ``site_overrides/main.html`` needs of them;
4. the engine builds the HTML; around it, ``HtmlBlocks`` keeps finished HTML blocks out of
   Python-Markdown and ``Abbreviations`` explains ``begrippen.yaml``'s abbreviations in a
   page's HTML;
5. ``index`` runs Pagefind over the built site (the pages carrying ``search.MARK``) and the
   build is swapped in whole (``release.atomic``).

Three engines: MkDocs, through the ``meldcode`` plugin (``engines.mkdocs.plugin``, which calls these
steps from MkDocs' events); ProperDocs, the same plugin on MkDocs' API continued under another
name (``engines.properdocs``); and Zensical (``engines.zensical``, which runs no plugin and gets a
prepared docs folder and a derived config). ``generator.engines.build`` chooses the engine by
name: ``python -m generator build``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path

from ..checks import Report, rechecked, run_checks
from ..model.dates import nl_date
from ..model.forking import WorkerLost, default_workers
from ..model.loader import Handbook, SourceError, load
from ..release import search
from ..site import assets
from ..site.abbreviations import explain, glossary_regex
from ..site.templating import HTML_BEGIN, HTML_END
from ..site.writer import write_pages
from .options import BuildOptions, OptionError


class BuildError(Exception):
    """The build cannot go on; the message says why (a source's file and line, an option)."""


def today(options: BuildOptions) -> dt.date:
    try:
        return options.today()
    except OptionError as exc:
        raise BuildError(str(exc)) from None


def workers(options: BuildOptions) -> int:
    return options.workers or default_workers()


def load_sources(options: BuildOptions) -> Handbook:
    try:
        return load(options.protocols)
    except SourceError as exc:
        raise BuildError(str(exc)) from None


def check(handbook: Handbook, day: dt.date, options: BuildOptions, *,
          previous: Report | None = None, edited: set[str] | None = None) -> Report:
    """The report of every check; with ``previous`` and ``edited``, only the edited variants are
    checked again (``mkdocs serve --dirty``)."""
    try:
        if previous is None or edited is None:
            return run_checks(handbook, day, workers=workers(options))
        return rechecked(previous, handbook, edited, workers=workers(options))
    except SourceError as exc:
        raise BuildError(str(exc)) from None
    except WorkerLost as exc:
        raise BuildError(f"meldcode: cannot check the sources: {exc}") from None


def render(handbook: Handbook, report: Report, day: dt.date, options: BuildOptions, *,
           folder: Path | None = None, only: set[str] | None = None) -> tuple[Path, list[str]]:
    """Write every generated page (only those of ``only``'s variants and the shared ones, when
    given) below ``folder`` (default: a new temporary folder); return the folder and the pages.
    Nothing is left behind when it fails, Ctrl-C included."""
    fresh = folder is None
    folder = Path(tempfile.mkdtemp(prefix="meldcode-pages-")) if folder is None else folder
    try:
        rendered = write_pages(folder, handbook, report, day, workers=workers(options), only=only,
                               **options.page_options())
    except BaseException as exc:
        if fresh:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):  # a full disk, say
            raise BuildError(f"meldcode: cannot write the generated pages: {exc}") from None
        if isinstance(exc, SourceError):
            raise BuildError(str(exc)) from None
        if isinstance(exc, WorkerLost):
            raise BuildError(f"meldcode: cannot write the generated pages: {exc}") from None
        raise
    return folder, rendered


def runtime(options: BuildOptions) -> assets.Runtime:
    try:
        return assets.runtime(Path(options.node_modules))
    except assets.AssetError as exc:
        raise BuildError(str(exc)) from None


def template_extra(day: dt.date, files: assets.Runtime, livereload_hash_slot: str = "", *,
                   built_with: dict[str, str]) -> dict[str, object]:
    """What the templates (``site_overrides/``) read from the config's ``extra``: the build date,
    what built the site (``built_with``: ``engine``, the engine with its version, and ``theme``,
    the theme's distribution with its version or ``""``; the "Over dit handboek" page names them),
    the tool page's preloads and boot data, and under ``mkdocs serve`` the CSP's slot for the hash
    of the live-reload script (D10)."""
    return {
        "build_date": nl_date(day),
        "built_with": dict(built_with),
        "livereload_hash_slot": livereload_hash_slot,
        "afwegingskader_preload": list(files.preload),
        "afwegingskader_boot": files.boot_json(),
    }


# ---------------------------------------------------------------- around the engine


_BLOCK = re.compile(re.escape(HTML_BEGIN) + r"\n(.*?)\n" + re.escape(HTML_END), re.DOTALL)
_PLACEHOLDER = re.compile(r"<!--meldcode-block-(\d+)-->")
_ANCHOR = re.compile(r"<[a-zA-Z][^>]*?\sid=\"([^\"]+)\"")


class HtmlBlocks:
    """The finished HTML blocks of a generated page (``templating.html_block``), kept out of the
    engine's Markdown: Python-Markdown would only parse them to leave them as they are."""

    @staticmethod
    def stash(markdown: str) -> tuple[str, list[str]]:
        """``markdown`` with each block replaced by a placeholder comment, and the blocks."""
        blocks: list[str] = []

        def keep(match: re.Match) -> str:
            blocks.append(match.group(1))
            return f"\n\n<!--meldcode-block-{len(blocks) - 1}-->\n\n"

        return _BLOCK.sub(keep, markdown), blocks

    @staticmethod
    def restore(html: str, blocks: list[str]) -> str:
        """``html`` with the placeholders replaced by their blocks again."""
        return _PLACEHOLDER.sub(lambda match: blocks[int(match.group(1))], html) if blocks else html

    @staticmethod
    def anchors(blocks: list[str]) -> set[str]:
        """The ids in the blocks: anchors of the page, as far as link checks go."""
        return {anchor for block in blocks for anchor in _ANCHOR.findall(block)}


class Abbreviations:
    """``begrippen.yaml``'s abbreviations, explained in a page's HTML (``site.abbreviations``)."""

    def __init__(self, handbook: Handbook | None = None) -> None:
        self.glossary = handbook.begrippen.glossary if handbook is not None and handbook.begrippen else {}
        self.regex = glossary_regex(self.glossary)

    def explain(self, html: str) -> str:
        return explain(html, self.glossary, self.regex)


def index(site: Path, options: BuildOptions, pages: list[str] | None, *, kept: Path | None = None,
          changed: set[str] = frozenset(), fallback: Path | None = None) -> None:
    """Pagefind over the built site (``pages``: those marked for search; None: read them all);
    ``kept``, ``changed``: the cache's parts, and the pages that changed since it was made;
    ``fallback``: where the pages not in ``site`` are (the last site, for a build from the cache)."""
    if not options.search_index:
        return
    try:
        search.index_site(site, Path(options.node_modules), pages, shard_pages=options.search_shard_pages,
                          workers=workers(options), kept=kept, changed=changed, fallback=fallback)
    except search.SearchIndexError as exc:
        raise BuildError(str(exc)) from None


# ---------------------------------------------------------------- python -m generator build


def print_pdfs(site: Path, fallback: Path | None = None) -> None:
    from ..release import pdf

    try:
        pdf.make_pdfs(site, fallback)
    except pdf.PdfError as exc:
        raise BuildError(str(exc)) from None
