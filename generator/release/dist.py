"""One archive of the built site for any static web server (``make dist``).

``python -m generator.release.dist SITE_DIR OUT_DIR [--edition NAME] [--mtime EPOCH] [--no-brotli]``
copies the built site to a temporary folder, adds precompressed copies next to
every file over 1 KiB with a compressible type or a zip stored uncompressed (``X.gz`` with the standard
library's gzip, ``X.br`` with the ``Brotli`` package) and writes
``OUT_DIR/meldcode-handboek-<edition>.tar.gz`` with the site under one top
folder of the same name. SITE_DIR itself is never written to.

The compressed copies are what nginx's ``gzip_static`` / ``brotli_static``
serve (README, "Hosting"); a copy is kept only when it is smaller than
the file. The site's links are relative, so the unpacked folder works at any
path of any static server, and ``python -m http.server`` in it is enough
offline.

The archive is deterministic: entries sorted, owner 0/0, fixed modes and one
fixed mtime for every entry, no name or time in the gzip header, so two runs
over the same site give the same bytes. The mtime is ``--mtime``, else
``$SOURCE_DATE_EPOCH``, else the newest modification time in SITE_DIR: it
changes with each build, so servers that derive ETag / Last-Modified from it
(nginx does) do not let browsers keep a changed file of the same size.

The edition is ``--edition``, else ``$MELDCODE_EDITION`` (what ``make publish``
builds with), else ``site``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import re
import shutil
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

NAME = "meldcode-handboek"
MIN_SIZE = 1024  # compress files larger than this many bytes
# Text and WebAssembly; already-compressed types (.png, .gz, .br, .pdf, deflated .zip) are left alone.
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".txt", ".py"}
BROTLI_QUALITY = 11  # the slowest and smallest; done once per release


@dataclass
class Stats:
    files: int = 0
    site_bytes: int = 0
    compressed: list[tuple[str, int, int | None, int | None]] = field(default_factory=list)  # path, size, gz, br

    @property
    def gz_bytes(self) -> int:
        return sum(gz or 0 for _, _, gz, _ in self.compressed)

    @property
    def br_bytes(self) -> int:
        return sum(br or 0 for _, _, _, br in self.compressed)


def compressible(path: Path, data: bytes) -> bool:
    """Worth a .gz/.br copy: text, WebAssembly, and zips stored uncompressed.

    The slim Python standard library (``generator.site.stdlib``) is such a zip: its
    members are stored so that the server's brotli and gzip compress it whole.
    """
    if len(data) <= MIN_SIZE:
        return False
    suffix = path.suffix.lower()
    return suffix in COMPRESSIBLE or (suffix == ".zip" and _stored_zip(data))


def _stored_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        return False
    return bool(members) and all(m.compress_type == zipfile.ZIP_STORED for m in members)


def _brotli():
    try:
        import brotli
    except ImportError:
        return None
    return brotli


def precompress(root: Path, use_brotli: bool = True, quality: int = BROTLI_QUALITY) -> Stats:
    """Add ``X.gz`` (and ``X.br``) next to each compressible file of ``root``, in place.

    Only for a copy of the site: ``main`` never passes SITE_DIR itself.
    An ``X.gz`` already there (mkdocs writes ``sitemap.xml.gz``) is kept if it
    decompresses to ``X`` and replaced otherwise.
    """
    brotli = _brotli() if use_brotli else None
    if use_brotli and brotli is None:
        raise RuntimeError("the Brotli package is missing: .venv/bin/pip install Brotli (or pass --no-brotli)")
    stats = Stats()
    files = sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        data = path.read_bytes()
        stats.files += 1
        stats.site_bytes += len(data)
        if not compressible(path, data):
            continue
        gz_size = br_size = None
        gz_path = path.with_name(path.name + ".gz")
        existing = _read_gzip(gz_path)
        if existing == data:
            gz_size = gz_path.stat().st_size
        else:
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            if len(packed) < len(data):
                gz_path.write_bytes(packed)
                gz_size = len(packed)
            elif gz_path.exists():
                gz_path.unlink()
        if brotli is not None:
            packed = brotli.compress(data, quality=quality)
            if len(packed) < len(data):
                path.with_name(path.name + ".br").write_bytes(packed)
                br_size = len(packed)
        if gz_size is not None or br_size is not None:
            stats.compressed.append((path.relative_to(root).as_posix(), len(data), gz_size, br_size))
    return stats


def _read_gzip(path: Path) -> bytes | None:
    if not path.is_file():
        return None
    try:
        return gzip.decompress(path.read_bytes())
    except (OSError, EOFError):
        return None


def safe_edition(edition: str | None) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", (edition or "").strip()).strip(".-")
    return name or "site"


def newest_mtime(root: Path) -> int:
    return max((int(p.stat().st_mtime) for p in root.rglob("*")), default=0)


def write_archive(root: Path, archive: Path, top: str, mtime: int) -> None:
    """A deterministic ``.tar.gz`` of ``root`` under the folder ``top``."""
    entries = sorted(root.rglob("*"), key=lambda p: p.relative_to(root).parts)

    def info(name: str, is_dir: bool, size: int = 0) -> tarfile.TarInfo:
        item = tarfile.TarInfo(name)
        item.type = tarfile.DIRTYPE if is_dir else tarfile.REGTYPE
        item.mode = 0o755 if is_dir else 0o644
        item.size = size
        item.mtime = mtime
        item.uid = item.gid = 0
        item.uname = item.gname = ""
        return item

    partial = archive.with_name(archive.name + ".partial")
    with (
        open(partial, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=mtime) as packed,
        tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        tar.addfile(info(top, True))
        for path in entries:
            name = f"{top}/{path.relative_to(root).as_posix()}"
            if path.is_dir():
                tar.addfile(info(name, True))
            else:
                data = path.read_bytes()
                tar.addfile(info(name, False, len(data)), io.BytesIO(data))
    os.replace(partial, archive)


def make_dist(site: Path, out_dir: Path, edition: str | None = None, mtime: int | None = None,
              use_brotli: bool = True, brotli_quality: int = BROTLI_QUALITY) -> tuple[Path, Stats]:
    site, out_dir = site.resolve(), out_dir.resolve()
    if not (site / "index.html").is_file():
        raise ValueError(f"{site}: not a built site (no index.html); run make build first")
    if out_dir == site or site in out_dir.parents:
        raise ValueError(f"{out_dir}: the archive must not be written inside the site")
    top = f"{NAME}-{safe_edition(edition)}"
    if mtime is None:
        mtime = newest_mtime(site)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="meldcode-dist-") as tmp:
        copy = Path(tmp) / top
        shutil.copytree(site, copy)
        stats = precompress(copy, use_brotli=use_brotli, quality=brotli_quality)
        archive = out_dir / f"{top}.tar.gz"
        write_archive(copy, archive, top, mtime)
    return archive, stats


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.2f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.release.dist", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (make build writes site/)")
    parser.add_argument("out", type=Path, help="folder for the archive")
    parser.add_argument("--edition", default=os.environ.get("MELDCODE_EDITION"),
                        help="names the archive and its top folder (default: $MELDCODE_EDITION, else 'site')")
    default_mtime = os.environ.get("SOURCE_DATE_EPOCH")
    parser.add_argument("--mtime", type=int, default=int(default_mtime) if default_mtime else None,
                        help="mtime of every entry (default: $SOURCE_DATE_EPOCH, else the site's newest file)")
    parser.add_argument("--no-brotli", action="store_true", help="write only .gz copies")
    parser.add_argument("--brotli-quality", type=int, choices=range(12), default=BROTLI_QUALITY, metavar="0-11",
                        help=f"brotli level (default {BROTLI_QUALITY}: smallest, about 40 s on Pyodide's .wasm)")
    args = parser.parse_args(argv)
    try:
        archive, stats = make_dist(args.site, args.out, args.edition, args.mtime, use_brotli=not args.no_brotli,
                                   brotli_quality=args.brotli_quality)
    except (ValueError, RuntimeError, OSError) as exc:
        print(f"dist: {exc}", file=sys.stderr)
        return 2
    before = sum(size for _, size, _, _ in stats.compressed)
    print(f"{stats.files} files, {_size(stats.site_bytes)}; {len(stats.compressed)} compressed"
          f" ({_size(before)} -> gzip {_size(stats.gz_bytes)}, brotli {_size(stats.br_bytes)})")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    print(f"{archive} {_size(archive.stat().st_size)} sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
