"""The offline link check: the real site passes; a broken one fails with each problem named."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from generator.release.linkcheck import check_site, external_verdict, parse_page


def run(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.release.linkcheck", str(site), *args],
                          cwd=ROOT, capture_output=True, text=True)


def test_built_site_passes_without_ignores(site_dir, tmp_path):
    report = tmp_path / "links.json"
    result = run(site_dir, "--report", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["problems"] == [] and data["internal_links_ignored"] == 0
    assert data["pages"] >= 20 and data["internal_links_checked"] > 500
    external = {entry["link"]: entry for entry in data["external"]}
    assert external and all(entry["well_formed"] and entry["pages"] for entry in external.values())
    # the protocols' own addresses are listed, not fetched
    assert "http://www.amk-nederland.nl" in external


def test_removing_a_pdf_or_the_search_worker_breaks_the_real_site(site_dir, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    pdf = sorted(copy.glob("varianten/*/versies/*/*.pdf"))[0]
    worker = sorted(copy.glob("assets/javascripts/workers/search.*.min.js"))[0]
    linking = [rel for rel in (p.relative_to(copy).as_posix() for p in copy.rglob("*.html"))
               if any(link.value.endswith(pdf.name) for link in parse_page(copy / rel).links)]
    assert linking, "no page links the PDF"
    pdf.unlink()
    worker.unlink()
    problems = check_site(copy).problems
    pdf_rel = pdf.relative_to(copy).as_posix()
    for rel in linking:
        assert any(p.startswith(f"{rel}: ") and f"target {pdf_rel} does not exist" in p for p in problems), rel
    worker_rel = worker.relative_to(copy).as_posix()
    assert any(p.startswith("index.html: ") and f"target {worker_rel} does not exist" in p for p in problems)


def _page(site: Path, rel: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>", encoding="utf-8")


def good_site(folder: Path) -> Path:
    site = folder / "site"
    _page(site, "index.html",
          '<a href="over/">over</a> <a href="over/#wie">wie</a> <a href="#top">top</a>'
          ' <a href="mailto:a@b.nl">m</a> <a href="tel:0800">t</a> <img src="data:image/png;base64,AA==">'
          ' <a href="https://www.meldcode.nl/x?y=1">ext</a> <a href="/over/index.html#doel">root</a>')
    _page(site, "over/index.html", '<h2 id="wie">Wie</h2><a name="doel"></a><a href="../">home</a>')
    return site


def test_hand_made_good_site_passes(tmp_path):
    result = run(good_site(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "0 problem(s)" in result.stdout


def test_hand_made_broken_site_names_each_problem(tmp_path):
    site = good_site(tmp_path)
    _page(site, "kapot/index.html",
          '<a href="../bestaat-niet/">weg</a>'
          ' <a href="../over/#geen-anker">anker</a>'
          ' <a href="https://veiligthuis/">geen punt</a>'
          ' <a href="www.veiligthuis.nl">zonder schema</a>'
          ' <script src="../js/weg.js"></script>')
    report = tmp_path / "report.txt"
    result = run(site, "--report", str(report))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    expected = [
        "kapot/index.html: ../bestaat-niet/: target bestaat-niet does not exist",
        "kapot/index.html: ../over/#geen-anker: no id or name 'geen-anker' in over/index.html",
        "kapot/index.html: https://veiligthuis/: malformed external link: host 'veiligthuis' has no dot",
        "kapot/index.html: ../js/weg.js: target js/weg.js does not exist",
    ]
    for line in expected:
        assert line in lines, result.stdout
    assert any(line.startswith("kapot/index.html: www.veiligthuis.nl: target") and "without http" in line
               for line in lines), result.stdout
    assert "5 problem(s)" in result.stdout
    text = report.read_text(encoding="utf-8")
    assert "https://veiligthuis/  [MALFORMED" in text and "https://www.meldcode.nl/x?y=1  [ok]" in text


def test_theme_search_worker_is_checked(tmp_path):
    site = good_site(tmp_path)
    config = '{"base": ".", "search": "assets/javascripts/workers/search.min.js"}'
    _page(site, "index.html", f'<script id="__config" type="application/json">{config}</script>')
    problems = check_site(site).problems
    worker = "assets/javascripts/workers/search.min.js"
    assert f"index.html: {worker}: target {worker} does not exist" in problems


def test_pagefind_files_of_the_search_page_are_checked(site_dir, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    assert check_site(copy).problems == []
    wasm = sorted(copy.glob("pagefind/wasm.nl.pagefind"))[0]
    wasm.unlink()
    problems = check_site(copy).problems
    assert problems == ["zoeken/index.html: ../pagefind/wasm.nl.pagefind: target pagefind/wasm.nl.pagefind does not exist"]


def test_external_verdicts():
    assert external_verdict("https://www.veiligthuis.nl/contact") == (True, "")
    for bad in ["http://localhost/", "https:/www.x.nl", "ftp://x.nl", "https://www.x .nl", "https://x.nl:poort/"]:
        assert not external_verdict(bad)[0], bad
