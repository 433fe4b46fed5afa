"""An id names one school's protocol: no other file can take it over, and every id and version
fits the pages and files made from it, so that `check` and the build agree."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, line_of
from generator import cli
from generator.checks import run_checks
from generator.model.loader import SourceError, load
from generator.release.pdf import pdf_path
from generator.site.writer import write_pages

PRISMA = "prisma-almere-2021.yaml"


def _edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, f"test set-up: {old!r} not in {path.name}"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _new_version(protocols: Path, name: str, *pairs: tuple[str, str]) -> Path:
    """A later version of Prisma's protocol (2025), edited by ``pairs``."""
    file = protocols / "variants" / name
    file.write_text((protocols / "variants" / PRISMA).read_text(encoding="utf-8"), encoding="utf-8")
    _edit(file, ('version: "september-2021"', 'version: "2025"'), ("valid_from: 2021-09-01", "valid_from: 2025-01-01"),
          *pairs)
    return file


ANDERE_SCHOOL = (
    ("title: Meldcode stappenplan Prisma (september 2021)", "title: Meldcode De Andere School"),
    ("  name: Prisma (Almere)", "  name: De Andere School"),
)


def test_another_school_under_a_used_id_is_refused_naming_both_files(protocols):
    """The case of the issue: De Andere School's file says `id: prisma-almere` and a later date."""
    file = _new_version(protocols, "de-andere-school.yaml", *ANDERE_SCHOOL)
    with pytest.raises(SourceError) as info:
        load(protocols)
    prisma = protocols / "variants" / PRISMA
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.path) == (file, line_of(file, "name: De Andere School"), "organisation.name")
    assert str(prisma) in problem.message and "'Prisma (Almere)'" in problem.message
    assert "'De Andere School'" in problem.message and "continues: prisma-almere" in problem.message


def test_a_new_title_without_an_organisation_is_refused(protocols):
    """Where neither version names an organisation, the title is what names the protocol."""
    levwn = protocols / "variants" / "levwn.yaml"
    file = protocols / "variants" / "levwn-2025.yaml"
    file.write_text(levwn.read_text(encoding="utf-8"), encoding="utf-8")
    for path in (levwn, file):
        _edit(path, ("  name: LEVWN", "  name: null"), ("valid_from: null", "valid_from: 2020-01-01"))
    _edit(file, ('version: "1"', 'version: "2"'), ("valid_from: 2020-01-01", "valid_from: 2025-01-01"),
          ("title: Meldcode stappenplan LEVWN", "title: Meldcode De Zon"))
    with pytest.raises(SourceError) as info:
        load(protocols)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.path) == (file, line_of(file, "title: Meldcode De Zon"), "title")
    assert str(levwn) in problem.message


def test_continues_accepts_a_renamed_school(protocols):
    file = _new_version(protocols, "prisma-2025.yaml", *ANDERE_SCHOOL,
                        ("valid_from: 2025-01-01", "valid_from: 2025-01-01\ncontinues: prisma-almere"))
    handbook = load(protocols)
    versions = handbook.versions("prisma-almere")
    assert [v.version for v in versions] == ["september-2021", "2025"]
    assert versions[-1].continues == "prisma-almere" and handbook.source_files[versions[-1].key] == file


def test_a_new_title_of_the_same_organisation_needs_no_continues(protocols):
    """Prisma's title names its month: a new version's new title alone is not another school."""
    _new_version(protocols, "prisma-2025.yaml",
                 ("title: Meldcode stappenplan Prisma (september 2021)", "title: Meldcode stappenplan Prisma (2025)"),
                 ("  name: Prisma (Almere)", "  name: prisma  (almere)"))
    assert len(load(protocols).versions("prisma-almere")) == 2


def test_continues_must_name_the_files_own_id(protocols):
    file = _new_version(protocols, "prisma-2025.yaml", *ANDERE_SCHOOL,
                        ("valid_from: 2025-01-01", "valid_from: 2025-01-01\ncontinues: levwn"))
    with pytest.raises(SourceError) as info:
        load(protocols)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.path) == (file, line_of(file, "continues: levwn"), "continues")
    assert "prisma-almere" in problem.message


@pytest.mark.parametrize("key, old, value, limit", [
    ("id", "id: prisma-almere", "a" * 65, 64),
    ("version", 'version: "september-2021"', "v" * 65, 64),
    ("region", "region: Flevoland", "r" * 49, 48),
])
def test_an_over_long_id_version_or_region_is_refused_with_its_line(protocols, key, old, value, limit):
    """Each names a folder or file of the site: 300 characters passed check, then broke the build."""
    file = protocols / "variants" / PRISMA
    _edit(file, (old, f"{key}: {value}"))
    with pytest.raises(SourceError) as info:
        load(protocols)
    assert [str(p) for p in info.value.problems] == [
        f"{file}:{line_of(file, value)}: {key}: '{key}' is longer than {limit} characters"
    ]


def test_the_longest_id_version_and_region_make_pages_and_pdf_names_that_fit(protocols, tmp_path):
    """64 characters of id and version (a version of 'İ' even doubles in its slug) and a region
    of 48 '㎯' (each 'rads2' in its slug): every path segment of the pages, and the PDF's name,
    stays under the 255 bytes a file name may have."""
    file = protocols / "variants" / PRISMA
    _edit(file, ("id: prisma-almere", "id: " + "a" * 64), ('version: "september-2021"', 'version: "' + "İ" * 64 + '"'),
          ("region: Flevoland", "region: " + "㎯" * 48))
    handbook = load(protocols)
    today = dt.date(2025, 1, 1)
    pages = write_pages(tmp_path / "pages", handbook, run_checks(handbook, today), today)
    version_page = next(p for p in pages if p.startswith("varianten/" + "a" * 64 + "/versies/i-"))
    pdf = pdf_path(tmp_path / "site" / Path(version_page).parent / "index.html")
    segments = {part for path in pages + [str(pdf)] for part in Path(path).parts}
    assert max(len(part.encode()) for part in segments) < 255
    assert len(pdf.name) < 200 and "rads2" * 48 in segments


def test_check_names_file_and_line_of_each_problem_and_fails(protocols):
    """The command line: an over-long id, an over-long version and a reused id, all in one run."""
    variants = protocols / "variants"
    _edit(variants / "levwn.yaml", ("id: levwn", "id: " + "l" * 70))
    _edit(variants / "consent-2018.yaml", ('version: "v1.0_301018"', 'version: "' + "1" * 70 + '"'))
    reused = _new_version(protocols, "de-andere-school.yaml", *ANDERE_SCHOOL)
    result = subprocess.run([sys.executable, "-m", "generator", "--protocols", str(protocols), "check"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{variants / 'levwn.yaml'}:{line_of(variants / 'levwn.yaml', 'l' * 70)}: id: " in result.stderr
    assert f"{variants / 'consent-2018.yaml'}:{line_of(variants / 'consent-2018.yaml', '1' * 70)}: version: " \
        in result.stderr
    assert f"{reused}:{line_of(reused, 'name: De Andere School')}: organisation.name: " in result.stderr
    assert "all valid" not in result.stdout


def test_new_variant_refuses_an_over_long_id(protocols, capsys):
    assert cli.main(["--protocols", str(protocols), "new-variant", "d" * 65]) == 2
    assert "at most 64 characters" in capsys.readouterr().err
    assert not (protocols / "variants" / ("d" * 65 + ".yaml")).exists()
