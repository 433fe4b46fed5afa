"""`mkdocs serve` alone produces the whole handbook and reloads it when a protocol changes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import PROTOCOLS, ROOT

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"mkdocs serve did not answer at {url}")


@pytest.mark.parametrize("flags", [[], ["--dirty"]], ids=["clean", "dirty"])
def test_editing_a_protocol_reloads_the_open_page(browser, tmp_path, flags):
    """``make serve`` passes --dirty: then only what the edit changes is made again (the
    edited variant's pages and the overviews), and the result must be the same."""
    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *flags, "-f", str(ROOT / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/varianten/levwn/"
        _wait_for(url)
        page = browser.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(url)
        assert page.locator("h1").inner_text() == "Meldcode stappenplan LEVWN"
        # The live-reload script runs by its hash; inline scripts in general stay blocked.
        csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src, csp
        assert "livereload-script" not in script_src, csp
        source = protocols / "variants" / "levwn.yaml"
        source.write_text(
            source.read_text(encoding="utf-8").replace("title: Meldcode stappenplan LEVWN", "title: Stappenplan LEVWN (bewerkt)", 1),
            encoding="utf-8",
        )
        # No reload by the test: the live-reload script in the page does it.
        page.locator("h1", has_text="Stappenplan LEVWN (bewerkt)").wait_for(timeout=120000)
        assert errors == []
        # The overviews and the comparison name it anew; another variant's page is still there.
        for shared in ("varianten/", "kwaliteitscheck/", "vergelijken/"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{shared}", timeout=10) as response:
                assert "Stappenplan LEVWN (bewerkt)" in response.read().decode("utf-8"), shared
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/varianten/consent/", timeout=10) as response:
            assert response.status == 200
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
