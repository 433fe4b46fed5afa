"""What a build leaves for the next one, so that an edited protocol is published in a minute (D34).

``python -m generator build --cache DIR`` (``make build``) keeps here, after every build that
succeeded: its check report, an ``Outline`` of its handbook, the variant files the loader read
(``loader.remembered_files``: each file's SHA-256 and its validated variant), every generated
page's Markdown with its digest, the pages in the search index, the search index's parts and a
list of the site's files as written. The next build with the same cache uses it when nothing but
variant files changed since (the code, the templates, ``docs/``, ``mkdocs.yml``, the locks, the
build date and the shared sources are the same: ``fingerprint``, ``Outline``) and the site is the
one this cache describes (``Snapshot.matches``). Then it parses only the variant files whose
bytes changed, renders the edited variants and the shared pages only, has MkDocs build the pages
whose Markdown changed and indexes only the search parts holding a changed page. The result is
the site a full build makes, byte for byte (``tests/test_incremental.py``).

The state is JSON (``STATE``), written and read back by pydantic, which validates every value
again, the handbook's variants as the loader does: whoever can write this folder can change what
a build from it publishes, but runs no code in it (no pickle, D37). A state that is damaged,
cannot be read or is of another format makes a full build, with one line on stderr saying so.
The cache is taken apart when a build starts (``BuildCache.take``) and written again only by a
build that succeeded: a build that fails, or is stopped, leaves none, and the next build is full.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import TypeAdapter, ValidationError

from ..checks import Report
from ..model import loader
from ..model.handbook import SHARED_SOURCES, Handbook
from ..model.loader import RememberedFiles

STATE = "state.json"
OLD_STATES = ("state.pickle",)
"""The state files of earlier formats: a cache holding one is not read."""
PAGES = "pages"
"""The generated pages' Markdown, as the last build rendered it."""
NEW_PAGES = "pages.new"
"""A full build renders here; it becomes ``PAGES`` when the build succeeded."""
SEARCH_PARTS = "search-parts"
"""The search index's parts (``release.search.index_site``), reused while their pages are unchanged."""
FORMAT = 2
"""Raised whenever what a snapshot holds changes: an older cache is then not read."""

ROOT = Path(__file__).resolve().parent.parent
CODE = ("generator", "site_overrides", "docs")
"""Folders whose files decide every page: any change to one of them makes the next build full."""
LOCKS = ("requirements.lock", "package-lock.json", "pyproject.toml")


def fingerprint(config_file: Path, options: object, day: dt.date, engine: str) -> str:
    """Everything a page depends on besides the protocols: equal fingerprints, equal pages
    for equal Markdown. ``engine``: the package that renders (``mkdocs``, ``properdocs``), whose
    name every page carries (its generator tag, the "Over dit handboek" line)."""
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


def _digest(data: str) -> str:
    return hashlib.blake2b(data.encode(), digest_size=16).hexdigest()


@dataclass
class Outline:
    """What a build's handbook was, as far as the next build must know to find the edited
    variants (``pages.edited_variants`` compares two handbooks; the cache keeps only this)."""

    shared: dict[str, str]
    """Each shared source (``SHARED_SOURCES``) and the digest of its validated data (comments
    and layout do not count)."""
    variants: dict[str, str]
    """Each variant and the digest of its versions' validated data."""

    @classmethod
    def of(cls, handbook: Handbook) -> Outline:
        shared = {}
        for name in SHARED_SOURCES:
            source = getattr(handbook, name)
            shared[name] = "" if source is None else _digest(source.model_dump_json())
        variants = {vid: _digest("\0".join(v.model_dump_json() for v in handbook.versions(vid)))
                    for vid in handbook.variant_ids}
        return cls(shared, variants)

    def edited(self, handbook: Handbook) -> set[str] | None:
        """The variants of ``handbook`` whose versions differ from this outline's; None when
        anything else differs (a shared source, or which variants there are)."""
        now = Outline.of(handbook)
        if now.shared != self.shared or list(now.variants) != list(self.variants):
            return None
        return {vid for vid, digest in now.variants.items() if self.variants[vid] != digest}


@dataclass
class Snapshot:
    """One successful build, as the next one needs it."""

    key: str
    site: str
    """The real path of the site it built."""
    report: Report
    outline: Outline
    digests: dict[str, str]
    """Each generated page (path below ``PAGES``) and the digest of its Markdown."""
    indexed: list[str]
    """The pages in the search index (site-relative)."""
    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    """``manifest`` of the site as this build left it."""
    variant_files: RememberedFiles = field(default_factory=dict)
    """``loader.remembered_files``: the next build parses only the variant files that changed."""
    format: Literal[FORMAT] = FORMAT

    def matches(self, key: str, site: Path) -> bool:
        real = os.path.realpath(site)
        return self.key == key and self.site == real and os.path.isdir(real) and manifest(Path(real)) == self.files


@functools.cache
def _state() -> TypeAdapter:
    return TypeAdapter(Snapshot)


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
        if any((self.folder / old).exists() for old in OLD_STATES):
            self._say("is of an older format")
        else:
            try:
                snapshot = _state().validate_json(state.read_bytes())
            except FileNotFoundError:  # no build kept one (the first, or one that failed)
                pass
            except OSError as exc:
                self._say(f"cannot be read ({exc.strerror or exc})")
            except ValidationError as exc:
                self._say(_damage(exc))
        if snapshot is None or not snapshot.matches(key, site) or not self.pages.is_dir():
            self.clear()
            return None
        state.unlink()
        loader.remember_files(snapshot.variant_files)
        return snapshot

    def _say(self, what: str) -> None:
        print(f"meldcode: the build cache {self.folder} {what}; building the whole site", file=sys.stderr, flush=True)

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
        written.write_bytes(_state().dump_json(snapshot))
        os.replace(written, self.folder / STATE)


def _damage(exc: ValidationError) -> str:
    """One line on what is wrong with a state file."""
    errors = exc.errors(include_url=False, include_context=False, include_input=False)
    if any(error["loc"] == ("format",) for error in errors):
        return "is of another format"
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"is damaged ({len(errors)} error(s); {where + ': ' if where else ''}{first['msg']})"
