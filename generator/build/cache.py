"""What a build leaves for the next one, so that an edited protocol is published in a minute (D34).

``python -m generator build --cache DIR`` (``make build``) keeps here, after every build that
succeeded: the loaded handbook and its check report, every generated page's Markdown with its
digest, the pages in the search index, the search index's parts and a list of the site's files
as written. The next build with the same cache uses it when nothing but variant files changed
since (the code, the templates, ``docs/``, ``mkdocs.yml``, the locks, the build date and the
shared sources are the same: ``fingerprint``) and the site is the one this cache describes
(``Snapshot.matches``). Then it renders the edited variants and the shared pages only, has MkDocs
build the pages whose Markdown changed, links every other file from the earlier site and indexes
only the search parts holding a changed page. The result is the site a full build makes, byte for
byte (``tests/test_incremental.py``).

The cache is taken apart when a build starts (``BuildCache.take``) and written again only by a
build that succeeded: a build that fails, or is stopped, leaves none, and the next build is full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import Report
from ..model import loader
from ..model.handbook import Handbook

STATE = "state.pickle"
PAGES = "pages"
"""The generated pages' Markdown, as the last build rendered it."""
NEW_PAGES = "pages.new"
"""A full build renders here; it becomes ``PAGES`` when the build succeeded."""
SEARCH_PARTS = "search-parts"
"""The search index's parts (``release.search.index_site``), reused while their pages are unchanged."""
FORMAT = 1
"""Raised whenever what a snapshot holds changes: an older cache is then not read."""

ROOT = Path(__file__).resolve().parent.parent
CODE = ("generator", "site_overrides", "docs")
"""Folders whose files decide every page: any change to one of them makes the next build full."""
LOCKS = ("requirements.lock", "package-lock.json", "pyproject.toml")


def fingerprint(config_file: Path, options: object, day: dt.date, engine: str = "mkdocs") -> str:
    """Everything a page depends on besides the protocols: equal fingerprints, equal pages
    for equal Markdown."""
    digest = hashlib.blake2b(digest_size=20)

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("format", str(FORMAT).encode())
    add("engine", engine.encode())
    add("day", day.isoformat().encode())
    add("options", repr(options).encode())
    add("config", Path(config_file).read_bytes())
    for name in LOCKS:
        path = ROOT / name
        add(name, path.read_bytes() if path.is_file() else b"")
    for folder in CODE:
        base = ROOT / folder
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                add(path.relative_to(ROOT).as_posix(), path.read_bytes())
    return digest.hexdigest()


def manifest(site: Path) -> dict[str, tuple[int, int]]:
    """Each file of ``site`` with its size and modification time: what tells a site this cache
    describes from one built or changed otherwise."""
    files = {}
    base = len(str(site)) + 1
    for folder, _dirs, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.lstat(path)
            files[path[base:]] = (stat.st_size, stat.st_mtime_ns)
    return files


@dataclass
class Snapshot:
    """One successful build, as the next one needs it."""

    key: str
    site: str
    """The real path of the site it built."""
    handbook: Handbook
    report: Report
    digests: dict[str, bytes]
    """Each generated page (path below ``PAGES``) and the digest of its Markdown."""
    indexed: list[str]
    """The pages in the search index (site-relative)."""
    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    """``manifest`` of the site as this build left it."""
    variant_files: dict = field(default_factory=dict)
    """``loader.remembered_files``: the next build reads only the variant files that changed."""

    def matches(self, key: str, site: Path) -> bool:
        real = os.path.realpath(site)
        return self.key == key and self.site == real and os.path.isdir(real) and manifest(Path(real)) == self.files


class BuildCache:
    """The folder of one site's cache (``make build``: ``.build-cache/``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @property
    def pages(self) -> Path:
        return self.folder / PAGES

    @property
    def new_pages(self) -> Path:
        return self.folder / NEW_PAGES

    @property
    def search_parts(self) -> Path:
        return self.folder / SEARCH_PARTS

    def take(self, key: str, site: Path) -> Snapshot | None:
        """The last build's snapshot when this build may start from it; None otherwise. Either
        way the cache no longer counts as written until ``save``: a build that fails leaves none."""
        state = self.folder / STATE
        snapshot = None
        try:
            with state.open("rb") as stream:
                snapshot = pickle.load(stream)  # noqa: S301 - our own file, written by save()
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            snapshot = None
        state.unlink(missing_ok=True)
        if not isinstance(snapshot, Snapshot) or not snapshot.matches(key, site) or not self.pages.is_dir():
            self.clear()
            return None
        loader.remember_files(snapshot.variant_files)
        return snapshot

    def clear(self) -> None:
        """Nothing of an earlier build: the next one is full."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)

    def save(self, snapshot: Snapshot, site: Path, pages: Path, files: dict[str, tuple[int, int]]) -> None:
        """Keep ``snapshot`` of the site now at ``site``, with the generated pages in ``pages``;
        ``files``: the site's ``manifest`` (a build from the cache knows what it changed)."""
        if pages != self.pages:
            shutil.rmtree(self.pages, ignore_errors=True)
            os.replace(pages, self.pages)
        snapshot.site = os.path.realpath(site)
        snapshot.variant_files = loader.remembered_files()
        snapshot.files = files
        written = self.folder / f"{STATE}.new"
        with written.open("wb") as stream:
            pickle.dump(snapshot, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written, self.folder / STATE)
