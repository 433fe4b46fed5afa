"""The benchmarks' server (bench/compressed.py) answers like the nginx example of guides/hosting.md.

The tool benchmark's repeat visit is only as true as the server's caching: nginx sends
``Last-Modified`` and an ``ETag`` (``"<mtime hex>-<size hex>"`` of the file it sends, the
``.br``/``.gz`` copy under ``brotli_static``/``gzip_static``) and answers a matching
``If-None-Match`` (weak comparison) or an exactly equal ``If-Modified-Since`` with 304.
"""

from __future__ import annotations

import http.client
import os
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

from bench.compressed import serve_precompressed

MTIME = 1_700_000_000


@pytest.fixture
def server(tmp_path: Path):
    page = tmp_path / "page"
    page.mkdir()
    (page / "index.html").write_text("<p>" + "hallo " * 400 + "</p>\n")
    (page / "index.html.br").write_bytes(brotli.compress((page / "index.html").read_bytes()))
    for path in (page / "index.html", page / "index.html.br"):
        os.utime(path, (MTIME, MTIME))
    os.utime(page / "index.html.br", (MTIME + 1, MTIME + 1))  # its own time, as a copy made later has
    pyodide = tmp_path / "assets" / "pyodide" / "1.0"
    pyodide.mkdir(parents=True)
    (pyodide / "pyodide.mjs").write_text("export {};\n")
    httpd, base = serve_precompressed(tmp_path)
    yield tmp_path, urlsplit(base).port
    httpd.shutdown()


def get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={key.replace("_", "-"): value for key, value in headers.items()})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_validators_are_nginx_defaults_of_the_file_sent(server):
    root, port = server
    plain = get(port, "/page/", Accept_Encoding="identity")
    assert plain.status == 200
    assert plain.getheader("Last-Modified") == formatdate(MTIME, usegmt=True)
    assert plain.getheader("ETag") == f'"{MTIME:x}-{(root / "page/index.html").stat().st_size:x}"'
    packed = get(port, "/page/", Accept_Encoding="br")
    assert packed.getheader("Content-Encoding") == "br"
    # The copy's own time and size: another body, another validator.
    assert packed.getheader("Last-Modified") == formatdate(MTIME + 1, usegmt=True)
    assert packed.getheader("ETag") == f'"{MTIME + 1:x}-{(root / "page/index.html.br").stat().st_size:x}"'


def test_matching_etag_gets_304_without_a_body(server):
    _, port = server
    first = get(port, "/page/", Accept_Encoding="br")
    again = get(port, "/page/", Accept_Encoding="br", If_None_Match=first.getheader("ETag"))
    assert again.status == 304
    assert again.body == b""
    assert again.getheader("ETag") == first.getheader("ETag")
    assert again.getheader("Cache-Control") == "no-cache"
    # Weak comparison, a list, and "*", as nginx.
    for header in (f'W/{first.getheader("ETag")}', f'"0-0", {first.getheader("ETag")}', "*"):
        assert get(port, "/page/", Accept_Encoding="br", If_None_Match=header).status == 304, header


def test_other_etag_or_other_coding_gets_the_file(server):
    _, port = server
    packed = get(port, "/page/", Accept_Encoding="br")
    assert get(port, "/page/", Accept_Encoding="br", If_None_Match='"0-0"').status == 200
    # The br copy's ETag does not validate the plain file.
    plain = get(port, "/page/", Accept_Encoding="identity", If_None_Match=packed.getheader("ETag"))
    assert plain.status == 200 and plain.body.startswith(b"<p>")


def test_if_modified_since_must_equal_the_time(server):
    _, port = server
    sent = formatdate(MTIME, usegmt=True)
    assert get(port, "/page/", Accept_Encoding="identity", If_Modified_Since=sent).status == 304
    # nginx's default "if_modified_since exact": a later date is not enough.
    assert get(port, "/page/", Accept_Encoding="identity", If_Modified_Since=formatdate(MTIME + 60, usegmt=True)).status == 200
    assert get(port, "/page/", Accept_Encoding="identity", If_Modified_Since="not a date").status == 200
    # Both given: both must match.
    assert get(port, "/page/", Accept_Encoding="identity", If_Modified_Since=sent, If_None_Match='"0-0"').status == 200


def test_immutable_files_keep_their_cache_control_on_304(server):
    _, port = server
    first = get(port, "/assets/pyodide/1.0/pyodide.mjs")
    assert first.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    again = get(port, "/assets/pyodide/1.0/pyodide.mjs", If_None_Match=first.getheader("ETag"))
    assert again.status == 304
    assert again.getheader("Cache-Control") == "public, max-age=31536000, immutable"
