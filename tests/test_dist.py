"""`make dist`: one deterministic archive of the built site, precompressed, relative links."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import brotli
import pytest

from conftest import ROOT, serve
from generator.release.dist import compressible, make_dist
from generator.release.linkcheck import check_site, parse_page

# One xdist worker builds this module's site and runs all its tests (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("dist")

TOP = "meldcode-handboek-site"
PYODIDE = "assets/pyodide/" + json.loads((ROOT / "node_modules/pyodide/package.json").read_text())["version"]
BIG = [f"{PYODIDE}/pyodide.asm.wasm", f"{PYODIDE}/pyodide.asm.mjs", "pagefind/pagefind.js"]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def dist(site_dir, tmp_path_factory):
    """Two runs of ``python -m generator.release.dist`` over the same site (in parallel), one unpacked."""
    before = snapshot(site_dir)
    env = {k: v for k, v in os.environ.items() if k not in ("MELDCODE_EDITION", "SOURCE_DATE_EPOCH")}
    outs = [tmp_path_factory.mktemp("dist"), tmp_path_factory.mktemp("dist")]
    # A low brotli level keeps the test fast; the release default (11) is measured by make bench.
    procs = [subprocess.Popen([sys.executable, "-m", "generator.release.dist", str(site_dir), str(out), "--brotli-quality", "4"],
                              cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for out in outs]
    results = [proc.communicate() + (proc.returncode,) for proc in procs]
    for _stdout, stderr, code in results:
        assert code == 0, stderr
    archives = [out / f"{TOP}.tar.gz" for out in outs]
    unpacked = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(archives[0]) as tar:
        names = tar.getnames()
        tar.extractall(unpacked, filter="data")
    return {"archives": archives, "names": names, "root": unpacked, "site": unpacked / TOP,
            "stdout": results[0][0], "before": before}


def test_one_top_folder_and_summary(dist):
    assert {name.split("/")[0] for name in dist["names"]} == {TOP}
    assert [p.name for p in dist["root"].iterdir()] == [TOP]
    assert (dist["site"] / "index.html").is_file()
    assert re.search(r"\d+ files, .*\d+ compressed", dist["stdout"]), dist["stdout"]


def test_archive_is_deterministic(dist):
    first, second = (hashlib.sha256(a.read_bytes()).hexdigest() for a in dist["archives"])
    assert first == second
    assert dist["names"] == sorted(dist["names"], key=lambda n: n.split("/"))
    with tarfile.open(dist["archives"][0]) as tar:
        members = tar.getmembers()
    assert len({m.mtime for m in members}) == 1
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}


def test_site_dir_is_not_touched(dist, site_dir):
    assert snapshot(site_dir) == dist["before"]
    assert not list(site_dir.rglob("*.br"))


def test_big_assets_and_variant_pages_are_precompressed(dist, site_dir):
    variant_pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.glob("varianten/*/index.html"))
    assert len(variant_pages) >= 5
    for rel in BIG + variant_pages:
        original = (site_dir / rel).read_bytes()
        assert (dist["site"] / rel).read_bytes() == original, rel
        gz = (dist["site"] / f"{rel}.gz").read_bytes()
        br = (dist["site"] / f"{rel}.br").read_bytes()
        assert gzip.decompress(gz) == original, rel
        assert brotli.decompress(br) == original, rel
        assert len(br) < len(original) and len(gz) < len(original), rel


def test_which_files_get_copies(dist):
    site = dist["site"]
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix not in (".gz", ".br")]
    for path in files:
        rel = path.relative_to(site).as_posix()
        wanted = compressible(path, path.read_bytes())
        has_br = path.with_name(path.name + ".br").exists()
        if wanted:
            assert has_br and path.with_name(path.name + ".gz").exists(), rel
        else:
            assert not has_br, rel
    for rel in ["assets/images/favicon.png"]:
        assert (site / rel).is_file()
        assert not (site / f"{rel}.gz").exists() and not (site / f"{rel}.br").exists(), rel
    # The slim standard library is a zip stored uncompressed: its copies are a fraction of it.
    (stdlib,) = site.glob(f"{PYODIDE}/python_stdlib-*.zip")
    assert len(stdlib.with_name(stdlib.name + ".br").read_bytes()) < stdlib.stat().st_size / 2
    pdfs = list(site.glob("varianten/*/versies/*/*.pdf"))
    assert pdfs and not any(p.with_name(p.name + ".gz").exists() for p in pdfs)


def test_links_are_relative(dist):
    offenders = set()
    for page in dist["site"].rglob("*.html"):
        if re.search(r'(href|src)="/', page.read_text(encoding="utf-8")):
            offenders.add(page.relative_to(dist["site"]).as_posix())
    # 404.html is served for any missing path at any depth, so mkdocs gives it
    # root-based links; every other page must work in a sub-folder.
    assert offenders <= {"404.html"}


def test_unpacked_site_passes_the_link_check(dist):
    result = check_site(dist["site"])
    assert result.problems == []


def _get(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_works_in_a_sub_folder(dist, site_dir):
    server, base = serve(dist["root"])
    try:
        page_url = f"{base}{TOP}/varianten/consent/afwegingskader/"
        status, ctype, body = _get(page_url)
        assert status == 200 and ctype.startswith("text/html")
        assert body == (site_dir / "varianten/consent/afwegingskader/index.html").read_bytes()
        page = parse_page(dist["site"] / "varianten/consent/afwegingskader/index.html")
        internal = [link.value for link in page.links
                    if link.what in ("link href", "script src", "a href") and not re.match(r"^[a-z]+:", link.value)]
        assert any("afwegingskader.js" in value for value in internal)
        for value in internal:
            url = urljoin(page_url, value)
            assert url.startswith(f"{base}{TOP}/"), value
            assert _get(url)[0] == 200, value
        status, ctype, body = _get(f"{base}{TOP}/varianten/consent/")
        assert status == 200 and ctype.startswith("text/html")
        status, ctype, body = _get(f"{base}{TOP}/{PYODIDE}/pyodide.asm.wasm")
        assert status == 200 and ctype == "application/wasm"
        assert body == (site_dir / f"{PYODIDE}/pyodide.asm.wasm").read_bytes()
    finally:
        server.shutdown()


def _tiny_site(folder: Path) -> Path:
    site = folder / "site"
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>x</title>" + "<p>handboek</p>" * 200, encoding="utf-8")
    (site / "small.css").write_text("p{}", encoding="utf-8")
    (site / "sub" / "data.json").write_text('{"a": "' + "b" * 3000 + '"}', encoding="utf-8")
    (site / "sub" / "lib.zip").write_bytes(b"PK" + b"\0" * 5000)
    with zipfile.ZipFile(site / "sub" / "deflated.zip", "w", zipfile.ZIP_DEFLATED) as deflated:
        deflated.writestr("a.py", "x = 1\n" * 2000)
    with zipfile.ZipFile(site / "sub" / "stored.zip", "w", zipfile.ZIP_STORED) as stored:
        stored.writestr("a.py", "x = 1\n" * 2000)
    (site / "sub" / "img.png").write_bytes(b"\x89PNG" + b"\0" * 5000)
    return site


def test_edition_names_the_archive_and_small_files_are_left_alone(tmp_path):
    site = _tiny_site(tmp_path)
    archive, stats = make_dist(site, tmp_path / "out", edition="2026.2 concept", mtime=1_700_000_000)
    assert archive.name == "meldcode-handboek-2026.2-concept.tar.gz"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        assert {m.mtime for m in tar.getmembers()} == {1_700_000_000}
    top = "meldcode-handboek-2026.2-concept"
    assert {f"{top}/index.html.gz", f"{top}/index.html.br", f"{top}/sub/data.json.gz", f"{top}/sub/data.json.br",
            f"{top}/sub/stored.zip.gz", f"{top}/sub/stored.zip.br"} <= names
    for left_alone in ["small.css", "sub/lib.zip", "sub/deflated.zip", "sub/img.png"]:
        assert f"{top}/{left_alone}" in names
        assert not {f"{top}/{left_alone}.gz", f"{top}/{left_alone}.br"} & names
    assert [rel for rel, *_ in stats.compressed] == ["index.html", "sub/data.json", "sub/stored.zip"]
    assert not list(site.rglob("*.gz"))


def test_refuses_to_write_into_the_site(tmp_path):
    site = _tiny_site(tmp_path)
    result = subprocess.run([sys.executable, "-m", "generator.release.dist", str(site), str(site / "dist")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "inside the site" in result.stderr
    assert not (site / "dist").exists()
