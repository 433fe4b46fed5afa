"""The MkDocs adapter: the steps of ``generator.build.steps``, taken from MkDocs' events.

All the work is in ``generator.build`` (and below it ``loader``, ``checks``, ``site``,
``release``); this class reads the options (``build.options.BuildOptions``) and the build
date once, and hands the result to MkDocs. Sources are loaded and every page rendered in
``on_pre_build``, before MkDocs cleans the site directory, so a bad protocol
stops the build with nothing written.

The generated pages are rendered in one process per core (``site.writer``), held
back from MkDocs' own page loop and built by MkDocs' own steps in one process per
core too (``pages``, D28). Under ``mkdocs serve --dirty`` an
edit re-renders and rebuilds only what it changes (D29).

``mkdocs build`` is atomic: the site is built into a folder beside ``site_dir``
and swapped in by the last ``on_post_build``, only when the build had no error
and, in strict mode, no warning (MkDocs itself aborts on those only after
``on_post_build``). A failed build leaves the earlier site as it was. However a
build ends (an error, Ctrl-C, SIGTERM), its folders go: the pages' temporary
folder and the staging folder (``on_shutdown``, which MkDocs runs in a ``finally``).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
from dataclasses import replace
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from ...build import signals
from ...build import steps as build
from ...build.cache import BuildCache, Outline, Snapshot, fingerprint, manifest
from ...build.options import BuildOptions
from ...model.forking import WorkerLost
from ...release import search
from ...release.atomic import publish_changes, staging_beside, swap_in
from ...site import assets
from . import host
from .pages import (
    LIVERELOAD_HASH_SLOT,
    LastBuild,
    PageBuildError,
    QuietAboutHeldBack,
    allow_livereload_script,
    build_pages,
    digest,
    edited_variants,
    hold_back,
    rebuild_sitemap,
)

log = host.logger("plugins.meldcode")


def _dirty_build_is_ours(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave pages with stale navigation and links, which
    in strict mode stops every build of ``mkdocs serve --dirty``. Here the generated pages are
    made again whenever an edit can change them (``pages.LastBuild``), and the
    hand-written ones do not depend on the protocols, so that warning alone is let go."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


_DEFAULTS = BuildOptions()


class MeldcodeConfig(Config):
    """``build.options.BuildOptions`` in MkDocs' terms (what each means is said there)."""

    protocols = c.Dir(exists=True, default=str(_DEFAULTS.protocols))
    node_modules = c.Type(str, default=str(_DEFAULTS.node_modules))
    build_date = c.Optional(c.Type(str))
    compare_page_size = c.Type(int, default=_DEFAULTS.compare_page_size)
    overview_page_size = c.Type(int, default=_DEFAULTS.overview_page_size)
    workers = c.Type(int, default=_DEFAULTS.workers)
    search_index = c.Type(bool, default=_DEFAULTS.search_index)
    search_shard_pages = c.Type(int, default=_DEFAULTS.search_shard_pages)

    def options(self) -> BuildOptions:
        return BuildOptions(**{**self, "protocols": Path(self.protocols), "node_modules": Path(self.node_modules)})


class MeldcodePlugin(BasePlugin[MeldcodeConfig]):
    def __init__(self) -> None:
        self.pages: list[str] = []
        """Paths of the generated pages, below ``self.page_dir``."""
        self.page_dir: Path | None = None
        self.changed: set[str] | None = None
        """The generated pages to build (None: all); fewer after an edit under ``mkdocs serve --dirty``."""
        self.last: LastBuild | None = None
        """What the previous build of this ``mkdocs serve --dirty`` session made."""
        self.indexed: list[str] = []
        """The built pages marked for the search index (site-relative paths)."""
        self.to_build: list[File] = []
        self.held: list[File] = []
        """The generated pages: built by ``pages.build_pages``, not by MkDocs' own loop."""
        self.quiet: QuietAboutHeldBack | None = None
        self.files: Files | None = None
        self.nav = None
        self.env = None
        self.blocks: list[str] = []
        """The current page's stashed HTML blocks (on_page_markdown to on_page_content)."""
        self.abbreviations = build.Abbreviations()
        self.options = BuildOptions()
        self.runtime: assets.Runtime | None = None
        self.command = "build"
        self.dirty = False
        self.today = dt.date.today()
        self.site_dir: Path | None = None
        """Where the finished site goes (``site_dir`` before on_config), when building atomically."""
        self.staging: Path | None = None
        self.warnings: CountHandler | None = None
        self.sigterm = None
        """SIGTERM's handler before this build set its own (None: not set)."""
        self.cache: BuildCache | None = None
        """Set by ``engines.mkdocs.build`` (``--cache``): what this build keeps for the next (``build.cache``)."""
        self.before_swap = None
        """Set by ``engines.mkdocs.build``: called with the finished site before it is swapped in (the PDFs)."""
        self.key = ""
        self.snapshot: Snapshot | None = None
        """The last build's, when this one starts from it; None: a full build."""
        self.handbook = None
        self.report = None
        self.built: set[str] = set()
        """Every page MkDocs built in this build (site-relative)."""
        self.removed: set[str] = set()
        """Generated pages the last build made and this one does not (their paths, built)."""
        self.saved = False
        self.last_digests: dict[str, str] = {}

    def on_startup(self, *, command, dirty) -> None:
        self.command = command
        self.dirty = dirty
        if command == "serve" and dirty:
            host.logger("commands.build").addFilter(_dirty_build_is_ours)
        if command != "serve":
            self.sigterm = signals.install()

    def on_shutdown(self) -> None:
        """The last event, whatever ended the build: MkDocs calls no ``on_build_error`` for
        Ctrl-C (or SIGTERM, see ``build.signals``), so the folders are removed here too."""
        self._forget_last_build()
        self._quiet(None)
        self._remove_pages()
        self._stop_counting()
        self._discard()
        if self.cache is not None and not self.saved:
            self.cache.clear()  # whatever it held may be half new: the next build is full
        signals.restore(self.sigterm)
        self.sigterm = None

    def on_config(self, config):
        self.options = replace(self.config.options(), site_url=config.site_url or None)
        try:
            self.today = build.today(self.options)
        except build.BuildError as exc:
            raise PluginError(str(exc)) from None
        if self.command == "build" and not self.dirty:
            self.site_dir = Path(config.site_dir)
            if self.cache is not None:
                self.key = fingerprint(Path(config.config_file_path), self.options, self.today, host.PACKAGE)
                self.snapshot = self.cache.take(self.key, self.site_dir)
            self.staging = staging_beside(self.site_dir)
            config.site_dir = str(self.staging)
            if config.strict:
                self.warnings = CountHandler()
                self.warnings.setLevel(logging.WARNING)
                host.logger().addHandler(self.warnings)  # ProperDocs' warnings go to properdocs.*
        return config

    def on_pre_build(self, *, config) -> None:
        self.indexed = []
        self.built = set()
        try:
            handbook = build.load_sources(self.options)
            last = self.last if self.last is not None and self.last.report.today == self.today else None
            edited = edited_variants(last.handbook, handbook) if last is not None else None
            if self.snapshot is not None:
                last = LastBuild(handbook, self.snapshot.report, self.cache.pages, self.snapshot.digests)
                edited = self.snapshot.outline.edited(handbook)
            if edited is None and self.snapshot is not None:  # a shared source changed: a full build
                self.snapshot, last = None, None
                self.cache.clear()
            report = build.check(handbook, self.today, self.options, previous=last and last.report, edited=edited)
            # Each page goes to a temporary folder as it is rendered (in one process per
            # core) and MkDocs reads it from there: no list of every page in memory. A full
            # build that keeps a cache renders into the cache.
            folder = self.cache.new_pages if self.cache is not None and edited is None else None
            fresh, rendered = build.render(handbook, report, self.today, self.options, folder=folder, only=edited)
        except build.BuildError as exc:
            raise PluginError(str(exc)) from None
        try:
            signals.stop_if_terminated()
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        if edited is not None:  # `mkdocs serve --dirty` after an edit, or the cache's: what changed only
            before = set(last.digests)
            try:
                self.changed = last.take(fresh, rendered, edited)
            finally:
                shutil.rmtree(fresh, ignore_errors=True)
            last.handbook, last.report = handbook, report
            self.page_dir, self.pages = last.page_dir, sorted(last.digests)
            self.removed = {_built_path(config, path) for path in before - set(last.digests)}
        else:
            self._forget_last_build()
            self._remove_pages()
            self.changed = None
            self.page_dir, self.pages = fresh, sorted(rendered)
            if self.command == "serve" and self.dirty:
                self.last = LastBuild(handbook, report, fresh, {path: digest(fresh / path) for path in rendered})
        self.handbook, self.report = handbook, report
        self.abbreviations = build.Abbreviations(handbook)
        try:
            self.runtime = build.runtime(self.options)
        except build.BuildError as exc:
            raise PluginError(str(exc)) from None
        # The build date, what built the site, the tool pages' preloads and boot data for main.html;
        # under `mkdocs serve`, the CSP's slot for the hash of the live-reload script (filled in per
        # response).
        config.extra.update(build.template_extra(
            self.today, self.runtime, LIVERELOAD_HASH_SLOT if self.command == "serve" else "",
            built_with=host.built_with(config.theme.name)))

    def on_files(self, files: Files, *, config) -> Files:
        signals.stop_if_terminated()
        for path in self.pages:
            if files.get_file_from_path(path):
                self._remove_pages()
                raise PluginError(f"{path}: generated page would replace a hand-written file in docs/")
            file = File.generated(config, path, abs_src_path=str(self.page_dir / path))
            file.generated_by = "meldcode"
            files.append(file)
        self.files = files
        self.held = [file for file in files if file.generated_by == "meldcode" and file.is_documentation_page()]
        self.to_build = self.held if self.changed is None else [f for f in self.held if f.src_uri in self.changed]
        hold_back(self.held)
        self._quiet({file.src_uri for file in self.held})
        for src_uri, path in self.runtime.files:
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        if self.snapshot is not None:
            # A build from the cache writes only what changed (``_publish_changes``): the other
            # files are the site's already (the fingerprint covers docs/, the theme and the
            # runtime). MkDocs skips copying a file onto itself.
            for file in files:
                if file.abs_src_path and not file.is_documentation_page() and not (
                        file.generated_by == "meldcode" and file.src_uri in self.changed):
                    file.abs_dest_path = file.abs_src_path
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        """Stash the finished HTML blocks of a generated page (``templating.html_block``) before
        Python-Markdown, which would only parse them to leave them as they are."""
        markdown, self.blocks = build.HtmlBlocks.stash(markdown)
        return markdown

    def on_page_content(self, html, *, page, config, files):
        """Put the stashed HTML blocks back (their ids count as the page's anchors) and explain
        every abbreviation of begrippen.yaml where it occurs (see site/abbreviations.py)."""
        if self.blocks:
            blocks, self.blocks = self.blocks, []
            html = build.HtmlBlocks.restore(html, blocks)
            page.present_anchor_ids.update(build.HtmlBlocks.anchors(blocks))
        return self.abbreviations.explain(html)


    def on_post_page(self, output, *, page, config):
        """Note the pages Pagefind is to index (``site_overrides/main.html`` marks them), as they
        are written, here or in ``build_pages``' workers: no page is read again for it."""
        if search.MARK in output:
            self.indexed.append(page.file.dest_uri)
        self.built.add(page.file.dest_uri)
        return output

    def on_nav(self, nav, *, config, files):
        self.nav = nav
        return nav

    def on_env(self, env, *, config, files):
        self.env = env
        return env

    @event_priority(100)  # first: the generated pages, before anything reads the site
    def _build_generated(self, *, config) -> None:
        """Build the generated pages, in one process per core (``pages``)."""
        try:
            build_pages(config, self.files, self.nav, self.env, self.to_build,
                        workers=build.workers(self.options), indexed=self.indexed)
        except PageBuildError as exc:
            raise PluginError(str(exc)) from None
        except WorkerLost as exc:
            raise PluginError(f"meldcode: cannot build the generated pages: {exc}") from None
        signals.stop_if_terminated()
        if config.site_url:  # without it MkDocs' sitemap lists no page at all
            rebuild_sitemap(config, self.files, self.nav, self.env, self.held)
        self._quiet(None)

    @event_priority(-100)  # last, after every other plugin wrote its files
    def _index_and_swap(self, *, config) -> None:
        """Index the built site, then swap it in (``mkdocs build``).

        Pagefind (pinned in package-lock.json) indexes ``config.site_dir``, wherever this build
        writes (the staging folder, or the folder ``mkdocs serve`` serves), into pagefind/: small
        fragments, so that a search downloads only the parts for its words.
        """
        # The generated pages' Markdown is no longer read: removing 70,000 files takes half a
        # minute, so it happens while Pagefind indexes (a cache keeps it, and its digests).
        removing = self._remove_pages(meanwhile=True) if self.cache is None else self._digest_pages()
        failed = self.warnings is not None and self.warnings.get_counts()
        try:
            if self.snapshot is not None and not failed:
                self._index_from_snapshot(Path(config.site_dir))
            elif self.changed is not None:
                log.info("meldcode: %d changed page(s) built; the search index is still that of the first build",
                         len(self.to_build))
            elif not failed:
                # A dirty build leaves the pages it did not change unwritten, so none of them were
                # noted: then the pages on disk are read for the mark.
                build.index(Path(config.site_dir), self.options, None if self.dirty else sorted(self.indexed),
                            kept=self.cache and self.cache.search_parts)
        except build.BuildError as exc:
            raise PluginError(str(exc)) from None
        finally:
            removing.join()
        signals.stop_if_terminated()
        if self.staging is None:
            return
        self._stop_counting()
        if self.warnings is not None and self.warnings.get_counts():
            self._discard()  # MkDocs aborts right after this, in strict mode
            return
        if self.snapshot is not None:
            self._publish_changes(config)
            return
        if self.before_swap is not None:
            self.before_swap(self.staging)
            signals.stop_if_terminated()
        swap_in(self.staging, self.site_dir, remove_old_later=self.cache is not None)
        config.site_dir = str(self.site_dir)
        self.staging = None
        if self.cache is not None:
            self._save_cache(manifest(self.site_dir))

    def _publish_changes(self, config) -> None:
        """A build from the cache: the staging folder holds only what changed; that goes into
        the site (``publish_changes``), after the PDFs of the pages made again are printed."""
        if self.before_swap is not None:
            self.before_swap(self.staging, self.site_dir)
            signals.stop_if_terminated()
        changes = publish_changes(self.staging, self.site_dir, gone=self.removed)
        self._discard()
        config.site_dir = str(self.site_dir)
        files = dict(self.snapshot.files)
        for path, stat in changes.items():
            if stat is None:
                files.pop(path, None)
            else:
                files[path] = stat
        self._save_cache(files)

    def _index_from_snapshot(self, site: Path) -> None:
        """A build from the cache: ``site`` holds only the files made again (the rest stays in
        the last site, ``_publish_changes``); only the search index's parts holding a changed
        page are indexed again, their other pages read from the last site."""
        made = {file.dest_uri for file in self.to_build}
        built = self.built | made
        pages = sorted((set(self.snapshot.indexed) - built - self.removed) | set(self.indexed))
        self.indexed = pages
        build.index(site, self.options, pages, kept=self.cache.search_parts, changed=made, fallback=self.site_dir)
        log.info("meldcode: %d changed page(s) built from the cache of the last build", len(made))

    def _digest_pages(self) -> threading.Thread:
        """The digests of a full build's pages, for the cache, made while Pagefind indexes."""
        if self.snapshot is not None or self.page_dir is None:
            done = threading.Thread()  # a build from the cache: its digests are up to date
            done.start()
            return done

        def work():
            self.last_digests = {path: digest(self.page_dir / path) for path in self.pages}

        thread = threading.Thread(target=work)
        thread.start()
        return thread

    def _save_cache(self, files: dict[str, tuple[int, int]]) -> None:
        """Keep this build for the next; ``files``: the site's ``manifest`` as it is now."""
        if self.snapshot is not None:
            digests, pages = self.snapshot.digests, self.cache.pages
        else:
            digests, pages = self.last_digests, self.page_dir
        indexed = self.indexed if self.snapshot is not None else sorted(self.indexed)
        snapshot = Snapshot(self.key, "", self.report, Outline.of(self.handbook), digests, indexed)
        self.cache.save(snapshot, self.site_dir, pages, files)
        self.page_dir = None
        self.saved = True

    on_post_build = CombinedEvent(_build_generated, _index_and_swap)

    def on_build_error(self, *, error) -> None:
        if self.cache is not None:
            self.cache.clear()
        self._forget_last_build()  # what is on disk may be half new: the next build makes all
        self._quiet(None)
        self._remove_pages()
        self._stop_counting()
        self._discard()

    def _stop_counting(self) -> None:
        if self.warnings is not None:
            host.logger().removeHandler(self.warnings)

    def _discard(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def _quiet(self, uris: set[str] | None) -> None:
        """Silence MkDocs' INFO lines about links to the held-back pages (None: stop)."""
        loggers = [host.logger("structure.pages"), host.logger("structure.nav")]
        if self.quiet is not None:
            for logger in loggers:
                logger.removeFilter(self.quiet)
            self.quiet = None
        if uris:
            self.quiet = QuietAboutHeldBack(uris)
            for logger in loggers:
                logger.addFilter(self.quiet)

    def _forget_last_build(self) -> None:
        if self.last is not None:
            if self.page_dir == self.last.page_dir:
                self.page_dir = None
            shutil.rmtree(self.last.page_dir, ignore_errors=True)
            self.last = None

    def _remove_pages(self, meanwhile: bool = False) -> threading.Thread:
        """Remove this build's folder of generated pages (not the one a serve session keeps, nor
        the cache's: ``on_shutdown`` clears a cache that was not saved); ``meanwhile``: in a
        thread, which the caller joins."""
        folder = self.page_dir
        if folder is None or (self.last is not None and folder == self.last.page_dir) or (
                self.cache is not None and folder.parent == self.cache.folder):
            folder = None
        else:
            self.page_dir = None
        remover = threading.Thread(target=lambda: folder and shutil.rmtree(folder, ignore_errors=True))
        if meanwhile:
            remover.start()
        else:
            remover.run()
        return remover

    def on_serve(self, server, *, config, builder):
        server.watch(self.config.protocols)
        allow_livereload_script(server)
        return server


def _built_path(config, path: str) -> str:
    """Where MkDocs writes the generated page ``path`` (site-relative)."""
    return File(path, None, "", config.use_directory_urls).dest_uri
