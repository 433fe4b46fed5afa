"""Bytes over the wire for the afwegingskader page, with and without precompressed files.

``report_compressed(site_dir)`` serves the site with a small local server that
behaves like nginx's ``gzip_static`` / ``brotli_static`` (guides/hosting.md):
for a request of ``X`` it sends ``X.br`` or ``X.gz`` when the client's
``Accept-Encoding`` allows it and that file exists, with ``Content-Encoding``
and X's own Content-Type, and guides/hosting.md's ``Cache-Control`` (a year for
Pyodide's versioned folder and the theme's hashed files, else revalidate). Like
nginx's defaults (``etag on``, ``if_modified_since exact``) it sends
``Last-Modified`` and an ``ETag`` of the file it sends and answers 304 to a
matching ``If-None-Match`` and an equal ``If-Modified-Since``, so a browser's
repeat visit revalidates as it would there. It fetches the widget page and everything it loads
once with ``Accept-Encoding: br, gzip`` and once with ``identity`` and prints
the body bytes of each (headers not counted). A site without ``.br`` copies
(a plain ``make build``) is first copied and precompressed as ``make dist``
does. Run alone with ``python -m bench.compressed SITE_DIR``.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import sys
import tempfile
import urllib.request
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli

from generator.release.dist import precompress
from generator.release.linkcheck import parse_page
from generator.release.loopback import QuietHandler, serve

PAGE = "varianten/consent/afwegingskader/"
# What the page's module script loads besides what the HTML names (Pyodide's
# files and the standard library are preloaded from the page's head).
LOADED_BY_SCRIPT = [
    "assets/afwegingskader/worker.js",
    "assets/afwegingskader/boot.mjs",
]
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
# As the nginx example (guides/hosting.md): a year for what is named by version or content.
IMMUTABLE = re.compile(r"^/assets/pyodide/|\.[0-9a-f]{8}\.min\.(css|js)$")


def accepted_encodings(header: str) -> set[str]:
    """Codings the client accepts (q > 0), from an Accept-Encoding header."""
    accepted, refused, star = set(), set(), False
    for item in header.split(","):
        name, *params = [part.strip() for part in item.split(";")]
        if not name:
            continue
        q = 1.0
        for param in params:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        name = name.lower()
        if name == "*":
            star = q > 0
        elif q > 0:
            accepted.add(name)
        else:
            refused.add(name)
    if star:
        accepted |= {coding for coding, _ in ENCODINGS} - refused
    return accepted


def etag(stat: os.stat_result) -> str:
    """nginx's strong ETag: the sent file's modification time and size in hex."""
    return f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'


def not_modified(headers, tag: str, mtime: int) -> bool:
    """nginx's not_modified filter: every validator given must match (``if_modified_since exact``;
    ``If-None-Match`` compared weakly, ``*`` matches)."""
    since, match = headers.get("If-Modified-Since"), headers.get("If-None-Match")
    if since is None and match is None:
        return False
    if since is not None:
        try:
            if int(parsedate_to_datetime(since).timestamp()) != mtime:
                return False
        except (TypeError, ValueError):
            return False
    if match is not None:
        tags = [item.strip().removeprefix("W/") for item in match.split(",")]
        if "*" not in tags and tag not in tags:
            return False
    return True


class PrecompressedHandler(QuietHandler):
    """http.server plus nginx's gzip_static/brotli_static behaviour, validators and guides/hosting.md's Cache-Control."""

    codings = ENCODINGS

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to the folder URL
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()  # 404
        chosen, coding = path, None
        accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
        for name, suffix in self.codings:
            if name in accepted and os.path.isfile(path + suffix):
                chosen, coding = path + suffix, name
                break
        handle = open(chosen, "rb")  # noqa: SIM115 - returned to copyfile, as http.server's send_head does
        stat = os.fstat(handle.fileno())
        tag, mtime = etag(stat), int(stat.st_mtime)
        unchanged = not_modified(self.headers, tag, mtime)
        self.send_response(304 if unchanged else 200)
        if not unchanged:
            self.send_header("Content-Type", self.guess_type(path))
        if coding:
            self.send_header("Content-Encoding", coding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", formatdate(mtime, usegmt=True))
        self.send_header("ETag", tag)
        cache = "public, max-age=31536000, immutable" if IMMUTABLE.search(urlsplit(self.path).path) else "no-cache"
        self.send_header("Cache-Control", cache)
        if unchanged:
            self.end_headers()
            handle.close()
            return None
        self.send_header("Content-Length", str(stat.st_size))
        self.end_headers()
        return handle


class GzipOnlyHandler(PrecompressedHandler):
    """nginx without the ngx_brotli module: gzip_static only."""

    codings = (("gzip", ".gz"),)


def serve_precompressed(directory: Path, gzip_only: bool = False):
    return serve(directory, GzipOnlyHandler if gzip_only else PrecompressedHandler)


@contextlib.contextmanager
def serving(directory: Path, gzip_only: bool = False):
    """``serve_precompressed`` for the length of a ``with`` block; yields the base URL."""
    server, base = serve_precompressed(directory, gzip_only)
    try:
        yield base
    finally:
        server.shutdown()


def widget_files(site: Path) -> list[str]:
    """Site-relative paths the widget page loads: from its HTML, the theme's config, its scripts."""
    page = parse_page(site / PAGE / "index.html")
    base = "http://site/"
    page_url = base + PAGE
    found = [PAGE]
    values = [link.value for link in page.links if link.what in ("link href", "script src", "img src")]
    config = page.config or {}
    if isinstance(config.get("search"), str):
        values.append(config["search"])
    for value in values:
        url = urljoin(page_url, value)
        if url.startswith(base):
            found.append(urlsplit(url).path.lstrip("/"))
    found += LOADED_BY_SCRIPT
    return list(dict.fromkeys(found))


def fetch(url: str, accept: str) -> tuple[bytes, str | None]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read(), response.headers.get("Content-Encoding")


def decode(body: bytes, coding: str | None) -> bytes:
    if coding == "br":
        return brotli.decompress(body)
    if coding == "gzip":
        return gzip.decompress(body)
    return body


def _kib(n: int) -> str:
    return f"{n / 1024:11.1f} KiB"


def report_compressed(site_dir: Path) -> None:
    site_dir = Path(site_dir)
    print(f"== bytes over the wire: {PAGE} and what it loads (bodies only; gzip_static/brotli_static-like server)")
    with tempfile.TemporaryDirectory(prefix="meldcode-bench-") as tmp:
        site = site_dir
        if not any(site_dir.glob("assets/pyodide/**/pyodide.asm.wasm.br")):
            site = Path(tmp) / "site"
            shutil.copytree(site_dir, site)
            precompress(site)
        with serving(site) as base:
            accepts = ("identity", "gzip", "br, gzip")  # gzip alone: nginx without the ngx_brotli module
            totals = dict.fromkeys(accepts, 0)
            print(f"{'file':56}" + "".join(f"{accept:>15}" for accept in accepts) + "  coding")
            for rel in widget_files(site):
                sizes, codings = [], []
                for accept in accepts:
                    body, coding = fetch(base + rel, accept)
                    if accept == "identity":
                        plain = body
                    elif decode(body, coding) != plain:
                        raise SystemExit(f"{rel}: the {coding} copy does not decode to the file")
                    totals[accept] += len(body)
                    sizes.append(len(body))
                    codings.append(coding)
                print(f"{rel:56}" + "".join(_kib(size) for size in sizes) + f"  {codings[-1] or '-'}")
    print(f"{'total':56}" + "".join(_kib(total) for total in totals.values()))
    print(f"{'total (MiB)':56}" + "".join(f"{total / 1024 / 1024:11.2f} MiB" for total in totals.values()))
    for accept in accepts[1:]:
        print(f"Accept-Encoding: {accept}: {1 - totals[accept] / totals['identity']:.0%} fewer bytes than identity")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m bench.compressed SITE_DIR")
    report_compressed(Path(sys.argv[1]))
