"""The command line: the folder it reads and what new-variant may write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import ROOT


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_check_reads_meldcode_protocols_like_mkdocs(protocols):
    """mkdocs.yml takes the folder from $MELDCODE_PROTOCOLS; so does `python -m generator`."""
    (protocols / "variants" / "levwn.yaml").unlink()
    result = run("check", env={"MELDCODE_PROTOCOLS": str(protocols)})
    assert f"{protocols}: 4 variant version(s) of 4 variant(s), all valid" in result.stdout, result.stderr
    assert "levwn" not in result.stdout


def test_new_variant_refuses_an_id_used_inside_another_file(protocols):
    """consent's only file is consent-2018.yaml: a new consent.yaml would become its version in force."""
    before = {p.name: p.read_bytes() for p in (protocols / "variants").iterdir()}
    for extra in ([], ["--force"]):
        result = run("--protocols", str(protocols), "new-variant", "consent", *extra)
        assert result.returncode == 1
        assert "variant id 'consent' is already used by" in result.stderr and "consent-2018.yaml" in result.stderr
    assert {p.name: p.read_bytes() for p in (protocols / "variants").iterdir()} == before


def test_force_overwrites_only_the_variants_own_file(protocols):
    variants = protocols / "variants"
    assert run("--protocols", str(protocols), "new-variant", "de-regenboog").returncode == 0
    own = variants / "de-regenboog.yaml"
    own.write_text(own.read_text(encoding="utf-8").replace("In te vullen: regio", "Utrecht"), encoding="utf-8")
    assert run("--protocols", str(protocols), "new-variant", "de-regenboog").returncode == 1
    assert run("--protocols", str(protocols), "new-variant", "de-regenboog", "--force").returncode == 0
    assert "Utrecht" not in own.read_text(encoding="utf-8")
    # A file named after the id that holds another variant is not its own file.
    shutil.copy(variants / "levwn.yaml", variants / "de-zon.yaml")
    levwn = (variants / "levwn.yaml").read_bytes()
    (variants / "levwn.yaml").unlink()
    result = run("--protocols", str(protocols), "new-variant", "de-zon", "--force")
    assert result.returncode == 1 and "holds another variant id" in result.stderr
    assert (variants / "de-zon.yaml").read_bytes() == levwn


def test_new_variant_refuses_when_an_id_cannot_be_read(protocols):
    (protocols / "variants" / "broken.yaml").write_text("id: [de-regenboog\n", encoding="utf-8")
    result = run("--protocols", str(protocols), "new-variant", "de-regenboog")
    assert result.returncode == 1 and "broken.yaml" in result.stderr
    assert not (protocols / "variants" / "de-regenboog.yaml").exists()


def test_check_and_render_refuse_a_bad_phone_with_file_and_line_and_make_nothing(protocols, tmp_path):
    """A number with its note glued on is a source error: no report, no pages."""
    file = protocols / "variants" / "prisma-almere-2021.yaml"
    text = file.read_text(encoding="utf-8")
    assert 'phone_as_written: "088-2000"' in text
    file.write_text(text.replace('phone_as_written: "088-2000"', 'phone_as_written: "088-2000 (ma t/m vr 8-17 uur)"'),
                    encoding="utf-8")
    line = next(n for n, row in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if "phone_as_written" in row)
    check = run("--protocols", str(protocols), "check")
    assert check.returncode == 1
    assert f"{file}:{line}: veilig_thuis.phone_as_written: " in check.stderr and "not a phone number" in check.stderr
    assert "Quality checks" not in check.stdout and "all valid" not in check.stdout
    out = tmp_path / "pages"
    render = run("--protocols", str(protocols), "render", str(out))
    assert render.returncode == 1 and f"{file}:{line}:" in render.stderr
    assert not out.exists() or not any(out.iterdir())


def test_render_makes_the_pages_of_the_build_with_its_page_sizes(tmp_path):
    """`render` takes compare_page_size and overview_page_size from mkdocs.yml's meldcode entry, as
    `mkdocs build` does: with 2 of each, the seeds' comparison and A-Z overview have several pages."""
    import datetime as dt

    from generator.checks import run_checks
    from generator.model.loader import load
    from generator.site.pages import render_pages

    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - meldcode:\n      compare_page_size: 2\n      overview_page_size: 2\n",
                      encoding="utf-8")
    out = tmp_path / "pages"
    result = run("render", str(out), "--config-file", str(config), env={"MELDCODE_BUILD_DATE": "2026-11-23"})
    assert result.returncode == 0, result.stderr
    day = dt.date(2026, 11, 23)
    handbook = load(ROOT / "protocols")
    expected = {page.path for page in render_pages(handbook, run_checks(handbook, day), day,
                                                   compare_page_size=2, overview_page_size=2)}
    written = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}
    assert written == expected
    assert expected != {page.path for page in render_pages(handbook, run_checks(handbook, day), day)}


def test_a_reader_that_leaves_early_gets_no_traceback(protocols, tmp_path):
    """`python -m generator import ... | head -1`: the pipe closes before the summary is written;
    the command stops quietly (exit 1), as a Unix tool does, with the draft written whole."""
    document = tmp_path / "protocol.txt"
    document.write_text("".join(f"Stap {n}: Stap nummer {n}\nWie: leerkracht\nDe leerkracht doet stap {n}.\n\n"
                                for n in range(1, 6)), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "generator", "--protocols", str(protocols), "import",
                                str(document), "--id", "pijp", "--school-type", "PO"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before the command writes a byte: its first write meets a closed pipe, as
    # after `head -1` has read its line (reading that line first would race the command's exit)
    stderr = process.stderr.read().decode()
    assert process.wait() == 1
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert (protocols / "variants" / "pijp.yaml").is_file()
