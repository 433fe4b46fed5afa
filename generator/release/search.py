"""The site's search index: Pagefind, run over the built HTML, as one index.

Pagefind (npm ``pagefind``, pinned in ``package-lock.json``; its binary ships
inside the registry package) writes ``pagefind/`` into the site: a small
entry file, metadata with one line per page, the word index split into chunks
by word, and one fragment per page. A search in the browser loads the entry,
the metadata, only the chunks for its words and the fragments of the results it
shows (see CONTRIBUTING, D26). Only pages marked ``data-pagefind-body`` are
indexed (``site_overrides/main.html``).

Pagefind's memory grows with the pages it holds (about 0.5 MB a page of ours
while it writes), too much for one run over thousands of variants. So the pages
are indexed in parts of ``shard_pages``, one process each, and the parts are
then merged here into one index, word by word (``merge_parts``), as Pagefind
would have written it: one index costs a reader the same few requests at any
size, where parts merged in the browser cost a few requests per part.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby
from pathlib import Path

import cbor2

LANGUAGE = "nl"
"""Every page is Dutch: one index, with Pagefind's Dutch stemming."""
GLOB = "**/index.html"
"""Pages only: not 404.html, which is served for any missing address."""


class SearchIndexError(Exception):
    pass


SHARD_PAGES = 500
"""Pages per Pagefind run. Pagefind holds about 0.5 MB per page of ours while it writes
(measured: 340 MB for 500 variant pages, 590 MB for 1,000), so one run over 7,000 variants
would need 3.6 GB; the parts are indexed a few at a time (``workers``) and merged."""
MARK = "data-pagefind-body"
SCRIPT = Path(__file__).with_name("pagefind_index.mjs")
PARTS = ".pagefind-parts"
"""Where the parts are written inside the site while it is indexed (removed after)."""

# Pagefind's files (version 1.6, pinned): gzip of this signature and CBOR.
SIGNATURE = b"pagefind_dcd"
CHUNK_SIZE = 20000
"""Pagefind's own chunk size: a chunk ends once its words have this many locations (+1 a page)."""


def pages_to_index(site: Path) -> list[str]:
    """Site-relative paths of the pages marked for the index, in a stable order."""
    found = []
    for page in sorted(site.glob(GLOB)):
        if page.parts[len(site.parts)] in ("pagefind", PARTS):
            continue
        if MARK.encode() in page.read_bytes():
            found.append(page.relative_to(site).as_posix())
    return found


def index_site(
    site: Path, node_modules: Path, pages: list[str] | None = None, shard_pages: int = SHARD_PAGES, workers: int = 1,
) -> None:
    """Write ``site/pagefind/``, one index of ``pages`` (site-relative; None: ``pages_to_index``,
    which reads every page; the plugin notes them as they are built), made in parts of at most
    ``shard_pages`` pages, ``workers`` at a time, and merged; a failing Pagefind fails the
    build with its own message."""
    library = node_modules / "pagefind" / "lib" / "index.js"
    if not library.is_file():
        raise SearchIndexError(
            f"{library} is missing; run 'npm ci' (make does this) to install the Pagefind pinned in package-lock.json"
        )
    if pages is None:
        pages = pages_to_index(site)
    shards = [pages[i : i + shard_pages] for i in range(0, len(pages), shard_pages)] or [[]]
    out = site / "pagefind"
    parts = site / PARTS
    shutil.rmtree(parts, ignore_errors=True)
    folders = [out] if len(shards) == 1 else [parts / str(n) for n in range(len(shards))]

    def index_shard(number: int) -> str | None:
        job = {"pagefind": str(library.resolve()), "site": str(site), "language": LANGUAGE, "pages": shards[number],
               "out": str(folders[number])}
        result = subprocess.run(["node", str(SCRIPT)], input=json.dumps(job), capture_output=True, text=True)
        if result.returncode != 0:
            return f"pagefind failed ({result.returncode}) on part {number}: {result.stderr or result.stdout}"
        return None

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            failures = [failure for failure in pool.map(index_shard, range(len(shards))) if failure]
        if failures:
            raise SearchIndexError("; ".join(failures))
        if len(folders) > 1:
            shutil.rmtree(out, ignore_errors=True)
            merge_parts(folders, out)
    finally:
        shutil.rmtree(parts, ignore_errors=True)
    if not (out / "pagefind.js").is_file():
        raise SearchIndexError("pagefind wrote no pagefind/pagefind.js")


# -- merging Pagefind indexes -------------------------------------------------------------------
#
# Pagefind 1.6 writes, per language (ours: "nl"):
#   pagefind-entry.json          {"version", "languages": {lang: {"hash", "wasm", "page_count"}}, ...}
#   pagefind.<hash>.pf_meta      [version, pages, chunks, filters, sorts, meta fields]
#                                pages: [[fragment hash, word count, ""], ...] by page number
#                                chunks: [[first word, last word, chunk hash], ...] (shortest prefixes)
#   index/<hash>.pf_index        [[word, pages, variants]...]: pages [[page number delta, locations,
#                                meta locations]...]; variants (the word with its diacritics)
#                                [[variant, pages]...]
#   fragment/<hash>.pf_fragment  one page's text, URL and anchors (kept as they are)
# A merged index lists the parts' pages one after another (part n's page numbers moved up by
# the pages before it) and each word's pages in that order, so the numbers stay ascending.


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind file of the pinned version")
    return cbor2.loads(data[len(SIGNATURE):])


def _write(folder: Path, prefix: str, digits: int, suffix: str, value) -> str:
    """Write ``value`` as Pagefind does, named by its content; returns the name's hash."""
    data = gzip.compress(SIGNATURE + cbor2.dumps(value), 6, mtime=0)
    name = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(data)
    return name


def _language(entry: dict) -> tuple[str, dict]:
    languages = entry["languages"]
    if len(languages) != 1:
        raise SearchIndexError(f"a Pagefind part has {len(languages)} languages; the merge expects one")
    return next(iter(languages.items()))


def _absolute(pages: list, offset: int) -> list:
    """A word's pages with page numbers counted from the merged index's first page."""
    number, out = 0, []
    for delta, *rest in pages:
        number += delta
        out.append([number + offset, *rest])
    return out


def _relative(pages: list) -> list:
    previous, out = 0, []
    for number, *rest in pages:
        out.append([number - previous, *rest])
        previous = number
    return out


def _fields(pages: list, fields: dict[int, int]) -> list:
    """Meta locations name their field by its place in the meta's list of fields (-1 - place):
    renumbered from a part's list to the merged one."""
    return [[number, locations, [-1 - fields[-1 - n] if n < 0 else n for n in meta]]
            for number, locations, meta in pages]


def _words(folder: Path, meta: list, offset: int, fields: dict[int, int]):
    """A part's words in order: (word, pages, {variant: pages}), page numbers made absolute."""
    for _first, _last, chunk in meta[2]:
        for word, pages, variants in _read(folder / "index" / f"{chunk}.pf_index")[0]:
            yield (word, _fields(_absolute(pages, offset), fields),
                   {v: _fields(_absolute(p, offset), fields) for v, p in variants})


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not number:
            return digits


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """Pagefind's chunk bounds: the shortest prefixes that still tell ``a`` and ``b`` apart."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


def merge_parts(folders: list[Path], out: Path) -> None:
    """Merge the Pagefind indexes in ``folders`` (pages in no two of them) into one, ``out``;
    the parts' fragments are moved (and renamed), not copied."""
    entries = [json.loads((f / "pagefind-entry.json").read_text(encoding="utf-8")) for f in folders]
    languages = [_language(entry) for entry in entries]
    language = languages[0][0]
    metas = [_read(f / f"pagefind.{index['hash']}.pf_meta") for f, (_, index) in zip(folders, languages, strict=True)]
    version = metas[0][0]
    for folder, entry, (lang, _), meta in zip(folders, entries, languages, metas, strict=True):
        if entry["version"] != version or meta[0] != version or lang != language:
            raise SearchIndexError(f"{folder}: Pagefind {entry['version']} ({lang}), not {version} ({language})")
        if meta[3] or meta[4]:
            raise SearchIndexError(f"{folder}: Pagefind filters or sorts, which the merge does not handle")
    shutil.copytree(folders[0], out, ignore=lambda d, names: [
        n for n in names if d == str(folders[0]) and (n in ("index", "fragment", "pagefind-entry.json")
                                                      or n.endswith(".pf_meta"))])
    for sub in ("index", "fragment"):
        (out / sub).mkdir()

    # Fragments are named by the build (a digest of every page's own) and the page number: in
    # the metadata, which every search loads, such names cost a byte or two a page once
    # compressed, Pagefind's own hashes about five (its metadata: 28 KiB at 7,000 pages instead
    # of some 55); a changed page still gives every fragment a new name, so no cache holds a
    # fragment of another build.
    build = hashlib.sha256(json.dumps([meta[1] for meta in metas]).encode()).hexdigest()[:7]
    pages, offsets = [], []
    for folder, meta in zip(folders, metas, strict=True):
        offsets.append(len(pages))
        for fragment, *rest in meta[1]:
            name = f"{language}_{build}_{_base36(len(pages))}"
            os.replace(folder / "fragment" / f"{fragment}.pf_fragment", out / "fragment" / f"{name}.pf_fragment")
            pages.append([name, *rest])

    chunks: list[list] = []
    current: list = []
    size = 0

    def flush():
        nonlocal current, size
        if current:
            chunks.append([current[0][0], current[-1][0], _write(out / "index", language, 7, ".pf_index", [current])])
        current, size = [], 0

    # Pagefind lists the meta fields in order of name
    fields = sorted({field for meta in metas for field in meta[5]})
    streams = [_words(f, meta, offset, {i: fields.index(name) for i, name in enumerate(meta[5])})
               for f, meta, offset in zip(folders, metas, offsets, strict=True)]
    # heapq.merge is stable: a word's pages come part by part, so their numbers ascend
    for word, same in groupby(heapq.merge(*streams, key=lambda w: w[0]), key=lambda w: w[0]):
        word_pages: list = []
        variants: dict[str, list] = {}
        for _, part_pages, part_variants in same:
            word_pages += part_pages
            for variant, variant_pages in part_variants.items():
                variants.setdefault(variant, []).extend(variant_pages)
        current.append([word, _relative(word_pages), [[v, _relative(p)] for v, p in variants.items()]])
        size += sum(len(p[1]) + 1 for p in word_pages) + sum(len(p[1]) + 1 for v in variants.values() for p in v)
        if size >= CHUNK_SIZE:
            flush()
    flush()
    for left, right in zip(chunks, chunks[1:], strict=False):
        left[1], right[0] = _prefixes(left[1], right[0])

    meta_hash = _write(out, f"pagefind.{language}", 10, ".pf_meta", [version, pages, chunks, [], [], fields])
    meta_hash = meta_hash.removeprefix("pagefind.")
    entry = dict(entries[0])
    entry["languages"] = {language: {**languages[0][1], "hash": meta_hash, "page_count": len(pages)}}
    (out / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":  # python -m generator.release.search SITE [WORKERS]
    index_site(Path(sys.argv[1]), Path("node_modules"), workers=int(sys.argv[2]) if len(sys.argv) > 2 else 1)
