"""A build from the cache holds only the files it made again; its PDFs are printed from it with
the last site's files where it has none (``release.loopback.serve(fallback=)``)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from generator.release.loopback import serve


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.fixture
def sites(tmp_path):
    new, last = tmp_path / "new", tmp_path / "last"
    (new / "varianten" / "a").mkdir(parents=True)
    (new / "varianten" / "a" / "index.html").write_text("new page", encoding="utf-8")
    (last / "varianten" / "a").mkdir(parents=True)
    (last / "varianten" / "a" / "index.html").write_text("old page", encoding="utf-8")
    (last / "assets").mkdir()
    (last / "assets" / "style.css").write_text("body {}", encoding="utf-8")
    return new, last


def test_the_new_file_wins_and_the_last_site_fills_in(sites):
    new, last = sites
    server, base = serve(new, fallback=last)
    try:
        assert fetch(base + "varianten/a/") == (200, b"new page")
        assert fetch(base + "assets/style.css") == (200, b"body {}")
        assert fetch(base + "assets/missing.css")[0] == 404
        assert fetch(base + "../last/assets/style.css")[0] in (400, 404)
    finally:
        server.shutdown()


def test_without_a_fallback_only_the_folder_is_served(sites):
    new, last = sites
    server, base = serve(new)
    try:
        assert fetch(base + "varianten/a/") == (200, b"new page")
        assert fetch(base + "assets/style.css")[0] == 404
    finally:
        server.shutdown()
