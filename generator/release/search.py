"""The site's search index: Pagefind, run over the built HTML, as one index.

Pagefind (npm ``pagefind``, pinned in ``package-lock.json``; its binary ships
inside the registry package) writes ``pagefind/`` into the site: a small
entry file, metadata with one line per page, the word index split into chunks
by word, and one fragment per page. A search in the browser loads the entry,
the metadata, only the chunks for its words and the fragments of the results it
shows (D26). Only pages marked ``data-pagefind-body`` are
indexed (``site_overrides/main.html``).

Pagefind's memory grows with the pages it holds (about 0.5 MB a page of ours
while it writes), too much for one run over thousands of variants. So the pages
are indexed in parts of ``shard_pages``, one process each, and the parts are
then merged here into one index, word by word (``merge_parts``), as Pagefind
would have written it: one index costs a reader the same few requests at any
size, where parts merged in the browser cost a few requests per part.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from pathlib import Path

import cbor2
from pydantic import TypeAdapter

from ..model import urls

LANGUAGE = "nl"
"""Every page is Dutch: one index, with Pagefind's Dutch stemming."""
GLOB = "**/index.html"
"""Pages only: not 404.html, which is served for any missing address."""


_NUMBER, _LOCATIONS = itemgetter(0), itemgetter(1)


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
    kept: Path | None = None, changed: frozenset[str] | set[str] = frozenset(), fallback: Path | None = None,
) -> None:
    """Write ``site/pagefind/``, one index of ``pages`` (site-relative; None: ``pages_to_index``,
    which reads every page; the plugin notes them as they are built), made in parts of at most
    ``shard_pages`` pages, ``workers`` at a time, and merged; a failing Pagefind fails the
    build with its own message.

    ``kept``: a folder where the parts stay for the next build (``build.cache``), each with the
    list of its pages: a part with the same pages, none of them in ``changed``, is not indexed
    again. The index is the same either way. ``fallback``: where a page not in ``site`` is read
    (a build from the cache writes only the pages that changed)."""
    library = node_modules / "pagefind" / "lib" / "index.js"
    if not library.is_file():
        raise SearchIndexError(
            f"{library} is missing; run 'npm ci' (make does this) to install the Pagefind pinned in package-lock.json"
        )
    if pages is None:
        pages = pages_to_index(site)
    shards = _shards(pages, shard_pages)
    out = site / "pagefind"
    parts = site / PARTS if kept is None else kept
    if kept is None:
        shutil.rmtree(parts, ignore_errors=True)
        folders = [out] if len(shards) == 1 else [parts / str(n) for n in range(len(shards))]
        todo = list(range(len(shards)))
    else:
        folders = [parts / str(n) for n in range(len(shards))]
        todo = [n for n in range(len(shards)) if not _reusable(folders[n], shards[n], changed)]
        for number in todo:
            shutil.rmtree(folders[number], ignore_errors=True)
            (folders[number].parent / f"{number}.json").unlink(missing_ok=True)
        for stale in parts.glob("*") if parts.is_dir() else ():
            number = stale.name.split(".")[0]
            if number.isdigit() and int(number) >= len(shards):
                if stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
                else:
                    stale.unlink()

    def index_shard(number: int) -> str | None:
        job = {"pagefind": str(library.resolve()), "site": str(site), "language": LANGUAGE, "pages": shards[number],
               "out": str(folders[number]), "fallback": str(fallback) if fallback else None}
        result = subprocess.run(["node", str(SCRIPT)], input=json.dumps(job), capture_output=True, text=True)
        if result.returncode != 0:
            return f"pagefind failed ({result.returncode}) on part {number}: {result.stderr or result.stdout}"
        if kept is not None:
            (parts / f"{number}.json").write_text(json.dumps(shards[number]), encoding="utf-8")
        return None

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            failures = [failure for failure in pool.map(index_shard, todo) if failure]
        if failures:
            raise SearchIndexError("; ".join(failures))
        if kept is not None and len(folders) == 1:
            shutil.rmtree(out, ignore_errors=True)
            shutil.copytree(folders[0], out)
        elif len(folders) > 1:
            shutil.rmtree(out, ignore_errors=True)
            merge_parts(folders, out, keep=kept is not None)
    finally:
        if kept is None:
            shutil.rmtree(parts, ignore_errors=True)
    if not (out / "pagefind.js").is_file():
        raise SearchIndexError("pagefind wrote no pagefind/pagefind.js")


def _shards(pages: list[str], shard_pages: int) -> list[list[str]]:
    """The parts: the pages of no single variant first (an edit of any variant can change one of
    them, so they are indexed again after every edit: a small part is quick), then each variant's
    pages, ``shard_pages`` at a time, in order (an edit of one changes one part)."""
    shared = [page for page in pages if urls.variant_of(page) is None]
    own = [page for page in pages if urls.variant_of(page) is not None]
    parts = [shared[i : i + shard_pages] for i in range(0, len(shared), shard_pages)]
    parts += [own[i : i + shard_pages] for i in range(0, len(own), shard_pages)]
    return parts or [[]]


def _reusable(folder: Path, pages: list[str], changed: frozenset[str] | set[str]) -> bool:
    """Whether a kept part is the index of exactly these pages, none of which changed."""
    listing = folder.parent / f"{folder.name}.json"
    try:
        same = json.loads(listing.read_text(encoding="utf-8")) == pages
    except (OSError, ValueError):
        return False
    return same and (folder / "pagefind-entry.json").is_file() and not changed.intersection(pages)


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


def _link(source: Path, target: Path) -> None:
    """A second name for ``source`` (a copy on another file system). Nothing writes into a
    Pagefind file after it is made: a kept part is removed whole before it is made again."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind file of the pinned version")
    return cbor2.loads(data[len(SIGNATURE):])


def _write(folder: Path, prefix: str, digits: int, suffix: str, value) -> str:
    """Write ``value`` as Pagefind does, named by its content; returns the name's hash."""
    return _write_encoded(folder, prefix, digits, suffix, cbor2.dumps(value))


def _write_encoded(folder: Path, prefix: str, digits: int, suffix: str, data: bytes) -> str:
    """``_write`` of a value already encoded as CBOR."""
    packed = gzip.compress(SIGNATURE + data, 6, mtime=0)
    name = f"{prefix}_{hashlib.sha256(packed).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(packed)
    return name


def _language(entry: dict) -> tuple[str, dict]:
    languages = entry["languages"]
    if len(languages) != 1:
        raise SearchIndexError(f"a Pagefind part has {len(languages)} languages; the merge expects one")
    return next(iter(languages.items()))


def _size(pages: list) -> int:
    """What a word's pages add to a chunk, as Pagefind counts it: each location, plus one a page."""
    return sum(map(len, map(_LOCATIONS, pages))) + len(pages)


def _fields(pages: list, fields: dict[int, int] | None) -> list:
    """Meta locations name their field by its place in the meta's list of fields (-1 - place):
    renumbered from a part's list to the merged one (None: the same list, nothing to do)."""
    if fields is None:
        return pages
    return [[number, locations, [-1 - fields[-1 - n] if n < 0 else n for n in meta]]
            for number, locations, meta in pages]


# A part's words, encoded once (``_encode_part``) and kept beside it (``WORDS``): a merge then
# writes each word's pages by joining the parts' bytes, changing only the first page number of
# each part. The bytes are exactly what ``cbor2.dumps`` makes of the decoded lists (definite
# lengths, shortest heads), so the index is the same either way; decoding and encoding every
# part again cost most of a build that changed one page (D34).
WORDS = "words.cbor"
_WORDS_FORMAT = 2
_Encoded = tuple[int, int, int, int, bytes, bytes, int]


@functools.cache
def _words_file() -> TypeAdapter:
    """The shape of a kept words file: (``key``, ``_encode_part``'s words)."""
    return TypeAdapter(tuple[tuple[int, str, list[str]],
                             dict[str, tuple[bytes, _Encoded | None, list[tuple[str, bytes, _Encoded | None]]]]])


class _EveryTag(Mapping):
    """CBOR's semantic tags (dates, decimals, regular expressions, sets, ...), each refused: a
    kept words file is plain data."""

    def __getitem__(self, tag):
        return _refuse_tag

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, tag) -> bool:
        return True


def _refuse_tag(*args):
    raise ValueError("a CBOR tag")


def _kept_words(path: Path, key: tuple) -> dict | None:
    """The words kept in ``path`` if it holds this part's (``key``), in the shape ``_encode_part``
    gives; None if it is missing, of another part or not exactly that: then they are encoded again."""
    try:
        data = cbor2.loads(path.read_bytes(), semantic_decoders=_EveryTag(), tag_hook=_refuse_tag)
        stored_key, words = _words_file().validate_python(data)
    except (OSError, ValueError, cbor2.CBORDecodeError):  # pydantic's ValidationError is a ValueError
        return None
    return words if stored_key == key else None


def _head(major: int, number: int) -> bytes:
    """A CBOR head: ``major`` type with ``number`` (a length, or an unsigned integer)."""
    if number < 24:
        return bytes((major << 5 | number,))
    if number < 0x100:
        return bytes((major << 5 | 24, number))
    if number < 0x10000:
        return bytes((major << 5 | 25,)) + number.to_bytes(2, "big")
    if number < 0x100000000:
        return bytes((major << 5 | 26,)) + number.to_bytes(4, "big")
    return bytes((major << 5 | 27,)) + number.to_bytes(8, "big")


def _array(length: int) -> bytes:
    return _head(4, length)


def _encode_pages(pages: list) -> tuple | None:
    """One word's pages in a part, for ``_join_encoded``: (pages, first number, last number, the
    first page's length and its entries after the number, encoded; the other pages, encoded;
    ``_size``). None: no page."""
    if not pages:
        return None
    first = pages[0]
    rest_of_first = cbor2.dumps(first[1:])[len(_array(len(first) - 1)):]
    others = cbor2.dumps(pages[1:])[len(_array(len(pages) - 1)):]
    return (len(pages), first[0], sum(map(_NUMBER, pages)), len(first), rest_of_first, others, _size(pages))


def _join_encoded(postings: list[tuple[int, tuple | None]]) -> tuple[bytes, int]:
    """One word's pages of several parts, in part order, as deltas from page 0 of the merged index:
    [(the part's offset, ``_encode_pages``)] -> (the CBOR array, ``_size``). Only the first page
    number of each part changes; every other byte is the part's own."""
    pieces: list[bytes] = []
    count = size = previous = 0
    for offset, encoded in postings:
        if encoded is None:
            continue
        pages, first, last, length, rest_of_first, others, pages_size = encoded
        pieces += (_array(length), _head(0, first + offset - previous), rest_of_first, others)
        count += pages
        size += pages_size
        previous = last + offset
    return _array(count) + b"".join(pieces), size


def _encode_part(folder: Path, meta: list, fields: dict[int, int] | None) -> dict:
    """A part's words: {word: (the word encoded, its ``_encode_pages``, [(variant, the variant
    encoded, its ``_encode_pages``)])}, in the part's order."""
    words = {}
    for _first, _last, chunk in meta[2]:
        for word, pages, variants in _read(folder / "index" / f"{chunk}.pf_index")[0]:
            words[word] = (cbor2.dumps(word), _encode_pages(_fields(pages, fields)),
                           [(v, cbor2.dumps(v), _encode_pages(_fields(p, fields))) for v, p in variants])
    return words


def _part_words(folder: Path, meta: list, fields: list[str], keep: bool) -> dict:
    """``_encode_part`` of ``folder``, from the file kept beside it when it is that of this part
    (its metadata's hash and the merged fields); ``keep``: written there for the next merge."""
    remap = None if meta[5] == fields else {i: fields.index(name) for i, name in enumerate(meta[5])}
    key = (_WORDS_FORMAT, hashlib.sha256(cbor2.dumps(meta)).hexdigest(), list(fields))
    kept = folder.parent / f"{folder.name}.{WORDS}"
    if keep and (words := _kept_words(kept, key)) is not None:
        return words
    words = _encode_part(folder, meta, remap)
    if keep:
        written = kept.with_name(kept.name + ".new")
        written.write_bytes(cbor2.dumps((key, words)))
        os.replace(written, kept)
    return words


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


def merge_parts(folders: list[Path], out: Path, keep: bool = False) -> None:
    """Merge the Pagefind indexes in ``folders`` (pages in no two of them) into one, ``out``;
    the parts' fragments are moved (and renamed), not copied; ``keep``: linked, the parts stay whole."""
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
            source, target = folder / "fragment" / f"{fragment}.pf_fragment", out / "fragment" / f"{name}.pf_fragment"
            if keep:
                _link(source, target)
            else:
                os.replace(source, target)
            pages.append([name, *rest])

    chunks: list[list] = []
    current: list[bytes] = []
    bounds: list[str] = []
    size = 0

    def flush():
        nonlocal current, bounds, size
        if current:
            data = _array(1) + _array(len(current)) + b"".join(current)
            chunks.append([bounds[0], bounds[-1], _write_encoded(out / "index", language, 7, ".pf_index", data)])
        current, bounds, size = [], [], 0

    # Pagefind lists the meta fields in order of name
    fields = sorted({field for meta in metas for field in meta[5]})
    parts = [_part_words(f, meta, fields, keep) for f, meta in zip(folders, metas, strict=True)]
    words = sorted({word for part in parts for word in part})
    for word in words:
        found = [(offset, part[word]) for offset, part in zip(offsets, parts, strict=True) if word in part]
        pages_bytes, word_size = _join_encoded([(offset, entry[1]) for offset, entry in found])
        variants: dict[str, tuple[bytes, list]] = {}
        for offset, (_, _, part_variants) in found:
            for variant, encoded_variant, encoded in part_variants:
                variants.setdefault(variant, (encoded_variant, []))[1].append((offset, encoded))
        pieces = [_array(3), found[0][1][0], pages_bytes, _array(len(variants))]
        for encoded_variant, postings in variants.values():
            variant_bytes, variant_size = _join_encoded(postings)
            pieces += (_array(2), encoded_variant, variant_bytes)
            word_size += variant_size
        current.append(b"".join(pieces))
        bounds.append(word)
        size += word_size
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
