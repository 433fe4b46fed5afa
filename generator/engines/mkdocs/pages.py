"""MkDocs' own page pipeline for the generated pages, in one forked process per core.

MkDocs builds its pages one after another in one process: Markdown, plugin
events, the theme's template, the file. At 7,000 variants that is 70,000 pages
on one core (a profile of 1,000 variants: 60 % of the build). The plugin marks
every generated page *excluded* for MkDocs' own loops, so MkDocs neither reads
nor writes them while links to them still resolve; then ``build_pages`` runs
the very same two steps MkDocs runs per page (``_populate_page`` and
``_build_page``) on those pages, in forked workers that share the loaded
configuration, files, navigation and theme without copying them. Warnings and
errors of a worker are logged again in the build's own process, so strict mode
and the atomic build still see every one of them.

This module is the one place that uses MkDocs' private API (``PRIVATE_API``): the two
steps and ``_build_theme_template`` of ``mkdocs.commands.build`` (1.6), and the live-reload
server's ``_inject_js_into_html`` (``allow_livereload_script``, D10). MkDocs is pinned in
``requirements.lock``; ``tests/test_mkdocs_private_api.py`` fails when any of them is gone or
takes other parameters, before a build would fail in a less obvious way.
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ...checks import Report
from ...model import handbook, urls
from ...model.forking import fork_map
from ...model.handbook import Handbook
from . import host

log = host.logger("plugins.meldcode")

PRIVATE_API = {
    _populate_page: ("page", "config", "files", "dirty"),
    _build_page: ("page", "config", "doc_files", "nav", "env", "dirty", "excluded"),
    _build_theme_template: ("template_name", "env", "files", "config", "nav"),
    LiveReloadServer._inject_js_into_html: ("self", "content", "epoch"),
}
"""Every private function of MkDocs this module calls, with the parameters it expects."""


def private_api_changes() -> list[str]:
    """How MkDocs' private functions differ from ``PRIVATE_API`` (empty: as expected)."""
    changes = []
    for function, expected in PRIVATE_API.items():
        found = tuple(inspect.signature(function).parameters)
        if found != expected:
            changes.append(f"{function.__qualname__}{found}: expected {expected}")
    return changes


def hold_back(files: Sequence[File]) -> None:
    """Keep MkDocs' own loops off these pages (``build_pages`` builds them)."""
    for file in files:
        file.inclusion = InclusionLevel.EXCLUDED


class _Collect(logging.Handler):
    """A worker's warnings and errors, to be logged again by the build's own process."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def _build_shard(job: tuple, shard: tuple[int, int]) -> tuple[list[tuple[int, str]], str | None, list[str]]:
    config, files, nav, env, uris, indexed = job
    index, count = shard
    collect = _Collect()
    host.logger().addHandler(collect)
    # In this process the generated pages are ordinary pages again: a link from one to another
    # is checked as MkDocs checks any link (a missing page is a warning, strict mode fails).
    mine = [files.get_file_from_path(uri) for uri in uris]
    for file in mine:
        file.inclusion = InclusionLevel.INCLUDED
    doc_files = files.documentation_pages()
    built = []
    before = len(indexed)
    try:
        for file in mine[index::count]:
            page = file.page if file.page is not None else Page(None, file, config)
            _populate_page(page, config, files)
            _build_page(page, config, doc_files, nav, env)
            page.content = None  # written: MkDocs would keep every page's Markdown and HTML
            page.markdown = None  # until the end, hundreds of megabytes at thousands of variants
            built.append(page)
        for page in built:
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    except Exception as exc:  # MkDocs logged it with the page; the build's process stops
        return collect.records, f"{type(exc).__name__}: {exc}", []
    finally:
        host.logger().removeHandler(collect)
    return collect.records, None, indexed[before:]


class PageBuildError(Exception):
    """A generated page could not be built; the message says which and why."""


def build_pages(config, files: Files, nav, env, held: Sequence[File], *, workers: int, indexed: list[str]) -> None:
    """Build the held-back pages as MkDocs would have, ``workers`` processes at a time.

    ``indexed``: the list to which the plugin's ``on_post_page`` adds the pages to index for
    search; what a forked worker adds to its copy is added to it here."""
    count = max(1, workers)
    job = (config, files, nav, env, [file.src_uri for file in held], indexed)
    results = fork_map(_build_shard, job, [(index, count) for index in range(count)], count)
    errors = []
    for records, error, added in results:
        for level, message in records:
            log.log(level, message)
        if error:
            errors.append(error)
        if count > 1:  # built in forked workers (one process: on_post_page added them itself)
            indexed += added
    if errors:
        raise PageBuildError("; ".join(errors))


def rebuild_sitemap(config, files: Files, nav, env, held: Sequence[File]) -> None:
    """Write sitemap.xml again with the generated pages in it (MkDocs wrote it without them)."""
    for file in held:
        file.inclusion = InclusionLevel.INCLUDED
        if file.page is None:
            Page(None, file, config)
    _build_theme_template("sitemap.xml", env, files, config, nav)


LIVERELOAD_HASH_SLOT = "'sha256-livereload-script'"
"""Under `mkdocs serve`, the CSP's place for the hash of MkDocs' live-reload script."""


def allow_livereload_script(server: LiveReloadServer) -> None:
    """Wrap ``server``'s injection of its inline live-reload script so that this exact script's
    hash is put into the page's CSP: the one inline script a served page may run (D10)."""
    original = server._inject_js_into_html
    server._inject_js_into_html = lambda content, epoch: with_livereload_hash(original, content, epoch)


def with_livereload_hash(original, content: bytes, epoch: int) -> bytes:
    """MkDocs writes ``<script>...</script>`` before ``</body>``, with a counter and a time stamp
    in it, so the hash is taken per response."""
    injected = original(content, epoch)
    before = content.rfind(b"</body>")
    before = len(content) if before == -1 else before
    script = injected[before : len(injected) - (len(content) - before)]
    if not (script.startswith(b"<script>") and script.endswith(b"</script>")):
        return injected  # MkDocs changed its injection: the script stays blocked
    digest = base64.b64encode(hashlib.sha256(script[len(b"<script>") : -len(b"</script>")]).digest())
    return injected.replace(LIVERELOAD_HASH_SLOT.encode(), b"'sha256-" + digest + b"'", 1)


class QuietAboutHeldBack(logging.Filter):
    """MkDocs says at INFO level that a link or a nav entry points to an excluded page; the
    generated pages are only held back for ``build_pages``, so for them that is not news."""

    def __init__(self, uris: set[str]) -> None:
        super().__init__()
        self.uris = uris

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        message = record.getMessage()
        if "excluded from the built site" not in message:
            return True
        return not any(quoted in self.uris for quoted in message.split("'")[1::2])


# ---------------------------------------------------------------- mkdocs serve --dirty


SHARED_SOURCES = handbook.SHARED_SOURCES
"""The sources every page may show: an edit of one of them rebuilds everything (derived
from the one table of sources, ``handbook.SOURCE_FILES``)."""


def edited_variants(old: Handbook, new: Handbook) -> set[str] | None:
    """The variants whose versions differ between two loads; None when anything else differs
    (a shared source, or which variants there are), so that everything must be rendered."""
    if old.variant_ids != new.variant_ids or any(getattr(old, name) != getattr(new, name) for name in SHARED_SOURCES):
        return None
    return {vid for vid in new.variant_ids if old.versions(vid) != new.versions(vid)}


def digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


@dataclass
class LastBuild:
    """What the previous build of one ``mkdocs serve --dirty`` session made.

    The next build (after an edit) re-checks and re-renders only the edited variants' pages
    and the pages shared by all (overviews), and has MkDocs build only the pages whose source
    changed; the others are on disk from before. Pagefind is not run again (its index stays
    that of the first build until the server restarts).
    """

    handbook: Handbook
    report: Report
    page_dir: Path
    """Every generated page's Markdown, kept for the whole session."""
    digests: dict[str, str] = field(default_factory=dict)

    def take(self, fresh: Path, rendered: list[str], edited: set[str]) -> set[str]:
        """Move the pages rendered in ``fresh`` in; return those whose text changed."""
        changed = set()
        for path in rendered:
            new = digest(fresh / path)
            if self.digests.get(path) != new:
                target = self.page_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(fresh / path, target)
                self.digests[path] = new
                changed.add(path)
        # A page of an edited variant that was not made again is gone (a role no longer named),
        # and so is a shared page (all are made again: an overview of a region no school names);
        # the comparison's pages are made again where they show an edited variant.
        kept = set(rendered)
        for path in [p for p in self.digests if p not in kept and _gone(p, edited)]:
            del self.digests[path]
            (self.page_dir / path).unlink(missing_ok=True)
        return changed


def _gone(path: str, edited: set[str]) -> bool:
    """Whether a page the last build made and this one did not make again is gone."""
    owner = urls.variant_of(path)
    return owner in edited if owner is not None else not urls.in_comparison(path)
