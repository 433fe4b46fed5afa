"""`python -m generator import`: a school's document -> a draft variant (issue 32, item 1).

Each seed is imported from its .txt in ``../shared/seeds`` (beside the repository), and each
hand-made variant from a Word file and a PDF made from it here (``bench/documents.py``: python-
docx; Chromium's print with a running header and footer, justified, hyphenated). Every draft is
held against the hand-made variant: five steps, every *wat*, the *wie* of at least 4 of 5 steps
where the document has a wie (where the hand-made variant took its wie from the text, the draft
must say so too), *hoe* word-sequence similarity at least 0.95 on average and 0.85 for every
step, every phone, and no word that the document lacks. Bad files are refused, with nothing
written.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator.intake import read as reader
from generator.intake.draft import import_document, render, summary
from generator.intake.read import IntakeError
from generator.model.sources import Phone, Variant

SEEDS = Path(os.environ.get("MELDCODE_SEEDS", ROOT.parent / "shared" / "seeds"))
"""The seed documents: shared/ beside the repository (as CI has it), or $MELDCODE_SEEDS."""
HAND = {
    "000": "flevoland-kwaliteitskaart",
    "001": "vo-brochure",
    "002": "levwn",
    "003": "prisma-almere-2021",
    "004": "consent-2018",
}
"""Which seed each hand-made variant was transcribed from (its ``source.document``)."""

ONE_PLACE = {("vo-brochure", 3), ("vo-brochure", 4), ("vo-brochure", 5)}
"""Hand-made steps that gather text from two places of their seed: the VO brochure opens steps 3,
4 and 5 with a quote from its scheme (``> ...``) before the step's explanation. From the seed,
these are held to the explanation, the one place the document has them together."""


def _words(text: str) -> list[str]:
    r"""The words of a text, a Markdown escape (``\_``) not counted."""
    return re.findall(r"\w+", re.sub(r"\\(.)", r"\1", text).lower())


def _same(a: str | None, b: str | None) -> bool:
    """The same words, a hyphen at a line end (School-maatschappelijk) not counted."""
    def norm(text):
        return _words(re.sub(r"(?<=\w)-(?=\w)", "", text or ""))
    return norm(a) == norm(b)


def _hand(name: str) -> dict:
    return yaml.safe_load((ROOT / "protocols" / "variants" / f"{name}.yaml").read_text(encoding="utf-8"))


def _without_quotes(markdown: str) -> str:
    return "\n".join(line for line in markdown.splitlines() if not line.lstrip().startswith(">"))


def _document_words(text: str) -> set[str]:
    """The document's words, and a word hyphenated at a line end joined (with and without its hyphen)."""
    found = set(_words(text))
    for left, right in re.findall(r"(\w+)[-\u2010\u00ad]\s*\n\s*(\w+)", text):
        found.add((left + right).lower())
    return found


def _draft_texts(data: dict) -> list[str]:
    """Every text of a draft that comes from the document."""
    out = [data["title"], data["organisation"].get("name") or ""]
    out += [str(v) for k, v in data["source"].items() if k != "document" and v]
    for step in data["steps"]:
        out += [step["wat"], step["wie"], step["hoe"]]
    for section in data.get("sections", []):
        out += [section["title"], section.get("body") or ""]
        out += [t for item in section.get("items", []) for t in (item["title"], item["body"])]
    out += [str(v) for c in data.get("contacts", []) for v in c.values()]
    out += [v for v in data["melding"].values() if isinstance(v, str)]
    out += data.get("unplaced", [])
    vt = data["veilig_thuis"]
    out += [str(vt["website_as_written"] or ""), str(vt["phone_as_written"] or "")]
    return out


def _phones(data: dict) -> set[str]:
    phones = [data["veilig_thuis"].get("phone_as_written")] + [c.get("phone") for c in data.get("contacts", [])]
    return {Phone.model_validate(p).digits for p in phones if p}


def hold(draft: dict, hand: dict, document_text: str, one_place: bool) -> list[str]:
    """What the draft misses of the hand-made variant (empty: it passes)."""
    problems = []
    if [s["number"] for s in draft["steps"]] != [1, 2, 3, 4, 5]:
        return [f"steps {[s['number'] for s in draft['steps']]}"]
    wie_matches, wie_column = 0, 0
    ratios = []
    for mine, theirs in zip(draft["steps"], hand["steps"], strict=True):
        if not _same(mine["wat"], theirs["wat"]):
            problems.append(f"step {theirs['number']} wat {mine['wat']!r} != {theirs['wat']!r}")
        if theirs.get("wie_from_text"):
            if not mine.get("wie_from_text"):
                problems.append(f"step {theirs['number']}: wie {mine['wie']!r} not marked as taken from the text")
        else:
            wie_column += 1
            wie_matches += _same(mine["wie"], theirs["wie"])
        expected = theirs["hoe"]
        if one_place and (hand["id"], theirs["number"]) in ONE_PLACE:
            expected = _without_quotes(expected)
        ratios.append(difflib.SequenceMatcher(None, _words(expected), _words(mine["hoe"]), autojunk=False).ratio())
    if wie_column and wie_matches < min(4, wie_column):
        problems.append(f"wie: {wie_matches} of {wie_column}")
    if min(ratios) < 0.85 or sum(ratios) / 5 < 0.95:
        problems.append(f"hoe similarity {[round(r, 3) for r in ratios]}")
    if not _phones(hand) <= _phones(draft):
        problems.append(f"phones {_phones(hand) - _phones(draft)} missing")
    known = _document_words(document_text)
    invented = sorted({w for text in _draft_texts(draft) for w in _words(text)} - known)
    if invented:
        problems.append(f"words the document lacks: {invented[:10]}")
    return problems


def _protocols(tmp_path: Path) -> Path:
    target = tmp_path / "protocols"
    shutil.copytree(ROOT / "protocols", target)
    return target


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed documents are not at {SEEDS} "
                                 "(shared/ beside the repository)")


# ---------------------------------------------------------------- the seeds, from their .txt


@needs_seeds
@pytest.mark.parametrize("seed", sorted(HAND))
def test_a_seed_imports_like_its_hand_made_variant(seed, tmp_path):
    protocols = _protocols(tmp_path)
    hand = _hand(HAND[seed])
    (document,) = SEEDS.glob(f"{seed}_*.txt")
    intake = import_document(document, f"import-{seed}", protocols, school_type=hand["school_type"])
    assert intake.target.is_file()
    loaded = Variant.model_validate(yaml.safe_load(intake.target.read_text(encoding="utf-8")))
    assert loaded.id == f"import-{seed}"
    assert hold(intake.data, hand, document.read_text(encoding="utf-8"), one_place=True) == []
    placed = set(intake.placements)
    assert placed == set(range(len(intake.blocks))), "every block has a place"


@needs_seeds
def test_the_draft_of_a_seed_passes_check_but_for_what_a_person_decides(tmp_path):
    protocols = _protocols(tmp_path)
    (document,) = SEEDS.glob("000_*.txt")
    result = subprocess.run([sys.executable, "-m", "generator", "--protocols", str(protocols), "import", str(document),
                             "--id", "kaart", "--school-type", "PO"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "steps: 5 of 5" in result.stdout
    check = subprocess.run([sys.executable, "-m", "generator", "--protocols", str(protocols), "check", "--json",
                            "--variant", "kaart"], capture_output=True, text=True, cwd=ROOT)
    import json

    findings = {f["rule_id"] for v in json.loads(check.stdout)["variants"] for f in v["findings"]}
    same_as_hand = subprocess.run([sys.executable, "-m", "generator", "--protocols", str(protocols), "check", "--json",
                                   "--variant", "flevoland-kwaliteitskaart"], capture_output=True, text=True, cwd=ROOT)
    hand = {f["rule_id"] for v in json.loads(same_as_hand.stdout)["variants"] for f in v["findings"]}
    assert findings - hand <= {"melder-named", "unplaced", "situation-proposed"}, findings - hand


# ---------------------------------------------------------------- Word and PDF made from the hand-made variants


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Per hand-made variant a .docx and a .pdf, made once (one Chromium for all PDFs)."""
    from bench.documents import make_docx, print_pdfs, variant_html

    folder = tmp_path_factory.mktemp("documents")
    bodies = {}
    for name in HAND.values():
        make_docx(_hand(name), folder / f"{name}.docx")
        bodies[folder / f"{name}.pdf"] = variant_html(_hand(name))
    print_pdfs(bodies)
    return folder


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("name", sorted(HAND.values()))
def test_a_word_file_and_a_pdf_import_like_the_hand_made_variant(made, name, kind, tmp_path):
    protocols = _protocols(tmp_path)
    hand = _hand(name)
    path = made / f"{name}.{kind}"
    intake = import_document(path, "import", protocols, school_type=hand["school_type"], write=False)
    # Word shows a list's numbers, which are no text of its paragraphs.
    text = "\n".join(f"{line.list_mark or ''} {line.text}" for line in intake.document.lines) if kind == "docx" \
        else _pdf_text(path)
    assert hold(intake.data, hand, text, one_place=False) == []
    Variant.model_validate(yaml.safe_load(render(intake)))


def _pdf_text(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_the_pdf_repairs_are_counted(made, tmp_path):
    intake = import_document(made / "consent-2018.pdf", "import", _protocols(tmp_path), school_type="PO", write=False)
    repairs = intake.layout.repairs
    pages = intake.document.pages
    assert pages > 3
    assert repairs["headers_footers"] >= pages and repairs["page_numbers"] >= pages  # one header, one footer a page
    assert repairs["dehyphenated"] > 10 and repairs["joined"] > 100 and repairs["bold"] > 5
    assert not any("Pagina" in b.text or "kopregel" in b.text for b in intake.blocks)
    assert "headers" in summary(intake) or "header" in summary(intake)


# ---------------------------------------------------------------- bad files and ids


def _run(tmp_path, document: Path, *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    protocols = _protocols(tmp_path)
    before = sorted(p.name for p in (protocols / "variants").iterdir())
    result = subprocess.run([sys.executable, "-m", "generator", "--protocols", str(protocols), "import", str(document),
                             "--school-type", "PO", *extra], capture_output=True, text=True, cwd=ROOT)
    assert sorted(p.name for p in (protocols / "variants").iterdir()) == before, "nothing written"
    return result, protocols


def _pdf_bytes(encrypt: bool = False) -> bytes:
    import io

    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if encrypt:
        writer.encrypt("geheim")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD = {
    "scan.pdf": (lambda: _pdf_bytes(), "no text layer"),
    "encrypted.pdf": (lambda: _pdf_bytes(encrypt=True), "password"),
    "damaged.pdf": (lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "damaged"),
    "lies.docx": (lambda: _pdf_bytes(), "the file is a PDF"),
    "lies.pdf": (lambda: b"Stap 1: In kaart brengen\n", "the file is a text file"),
    "protected.docx": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
    "damaged.docx": (lambda: b"PK\x03\x04" + b"\0" * 100, "damaged"),
    "picture.png": (lambda: b"\x89PNG\r\n\x1a\n", "cannot import a '.png'"),
    "empty.txt": (lambda: b"", "empty"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_is_refused_with_what_to_do(name, tmp_path):
    make, message = BAD[name]
    document = tmp_path / name
    document.write_bytes(make())
    result, _ = _run(tmp_path, document, "--id", "nieuw")
    assert result.returncode == 1
    assert message in result.stderr and str(document) in result.stderr, result.stderr


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_BYTES", 1000)
    document = tmp_path / "groot.txt"
    document.write_text("Stap 1: In kaart brengen van signalen\n" * 100)
    with pytest.raises(IntakeError, match="over the limit"):
        import_document(document, "nieuw", _protocols(tmp_path), school_type="PO")
    assert not (tmp_path / "protocols" / "variants" / "nieuw.yaml").exists()


@pytest.mark.parametrize("variant_id, message", [
    ("levwn", "already used by"),           # protocols/variants/levwn.yaml
    ("consent", "already used by"),         # the id inside consent-2018.yaml
    ("Niet Goed", "is not an id"),
])
def test_an_id_in_use_or_malformed_is_refused(variant_id, message, tmp_path):
    document = tmp_path / "protocol.txt"
    document.write_text("Stap 1: In kaart brengen\nTekst.\n", encoding="utf-8")
    result, _ = _run(tmp_path, document, "--id", variant_id)
    assert result.returncode == 1 and message in result.stderr, result.stderr


def test_a_new_version_of_an_id_in_use_is_a_file_of_its_own(tmp_path):
    (document,) = SEEDS.glob("003_*.txt") if SEEDS.is_dir() else (None,)
    if document is None:
        pytest.skip(f"the seed documents are not at {SEEDS}")
    protocols = _protocols(tmp_path)
    intake = import_document(document, "prisma-almere", protocols, version="2022")
    assert intake.target.name == "prisma-almere-2022.yaml"
    assert intake.data["region"] == "Flevoland" and intake.data["school_type"] == "PO"
    with pytest.raises(IntakeError, match="already version"):
        import_document(document, "prisma-almere", protocols, version="september-2021")


def test_a_markdown_and_an_odt_document(tmp_path):
    markdown = tmp_path / "protocol.md"
    markdown.write_text("# Meldcode De Regenboog\n\n" + "".join(
        f"## Stap {n}: Stap nummer {n}\n\n**Wie:** leerkracht\n\nDe leerkracht doet stap {n}.\n\n- een punt\n- nog een\n\n"
        for n in range(1, 6)) + "## Tot slot\n\nBel Veilig Thuis: 0800-2000.\n", encoding="utf-8")
    intake = import_document(markdown, "regenboog", _protocols(tmp_path), write=False, school_type="PO")
    assert [s["wie"] for s in intake.data["steps"]] == ["leerkracht"] * 5
    assert intake.data["steps"][0]["hoe"] == "De leerkracht doet stap 1.\n\n- een punt\n- nog een\n"
    assert intake.data["sections"][0]["title"] == "Tot slot"
    assert intake.data["veilig_thuis"]["phone_as_written"] == "0800-2000"
