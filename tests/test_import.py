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

import datetime as dt
import difflib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import PROTOCOLS, ROOT
from generator.cli import main
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


EXTRA_SECTIONS = 3
"""A draft may have this many sections more than its hand-made variant. A transcriber makes a few
of a document's headings something else by what they mean, which no mark of the text shows: the
VO brochure's "Introductie" its ``intro``, its "Aanscherping van de meldcode", "Tips voor scholing"
and "Houd hier in alle situaties rekening mee" items of the section before them; three in all.
A flat import is far above it (the VO brochure had 29 sections for the hand-made 11)."""

NOT_TITLES = {
    ("levwn", "Kindermishandeling"): "the transcriber's name for the definition under 'Wat is kindermishandeling?'",
    **{("consent", term): "the transcriber's name for a definition ('Onder ‘...’ wordt verstaan: ...'), "
       "which the document gives no heading" for term in ("huiselijk geweld", "kindermishandeling", "medewerker",
                                                          "leerling")},
    ("consent", "Stappen in de meldcode / Stappen in de ondersteuningsroute"):
        "the header row of the scheme under '4. Stappenplan bij signalen ...', which the draft keeps as the "
        "section's title, the row as its first line",
    ("prisma-almere", "Bij twijfel"): "the transcriber's title for a paragraph under no heading, which the "
                                           "draft leaves unplaced for a person",
    ("vo-brochure", "De ondersteuningsroute van scholen"):
        "the header row of the scheme, which the text extraction puts below the scheme's rows, on one line with "
        "the other column's header",
}
"""Titles of a hand-made variant (by its id) that its seed does not have as a heading of their own: held only
where the document is a Word file or PDF made from the variant."""
SEED_ORDER = {"vo-brochure": ("De ondersteuningsroute van scholen",
                              "De meldcode in de ondersteuningsroute van de school")}
"""The hand-made VO brochure puts its scheme after the section that calls it 'het onderstaande
schema'; its seed has the scheme before that section: from the seed, it is held there."""


def _title_words(title: str) -> list[str]:
    """A title's words, its number aside ("1. Vermoeden wegen", "Vermoeden wegen")."""
    return _words(re.sub(r"^\s*\d+[.)]\s*", "", title))


def _same_title(hand: str, draft: str) -> bool:
    """The same words, or the draft's are the first half or more of the hand-made title's: a
    transcriber who joined a scheme's two cells ("Stap 1: ... — Observeren, signaleren en begeleiden")."""
    theirs, mine = _title_words(hand), _title_words(draft)
    return theirs == mine or (len(mine) >= 3 and 2 * len(mine) >= len(theirs) and theirs[:len(mine)] == mine)


def _titles(sections: list[dict]) -> list[str]:
    return [t for s in sections for t in (s["title"], *(i["title"] for i in s.get("items", [])))]


def hold_sections(draft: dict, hand: dict, seed: bool) -> list[str]:
    """What the draft's sections miss of the hand-made variant's: every title of a section and of
    an item is a section's or an item's title of the draft, in the same order, and the draft has at
    most ``EXTRA_SECTIONS`` sections more. From a seed, titles the seed has not (``NOT_TITLES``) aside."""
    sections = list(hand.get("sections", []))
    if seed and hand["id"] in SEED_ORDER:
        moved, before = SEED_ORDER[hand["id"]]
        section = next(s for s in sections if s["title"] == moved)
        sections.remove(section)
        sections.insert(next(i for i, s in enumerate(sections) if s["title"] == before), section)
    expected = [t for t in _titles(sections) if not (seed and (hand["id"], t) in NOT_TITLES)]
    found = _titles(draft.get("sections", []))
    problems, position = [], 0
    for title in expected:
        match = next((i for i in range(position, len(found)) if _same_title(title, found[i])), None)
        if match is None:
            problems.append(f"title {title!r} not after {found[position - 1]!r}" if position else f"title {title!r}")
            continue
        position = match + 1
    if len(draft.get("sections", [])) > len(hand.get("sections", [])) + EXTRA_SECTIONS:
        problems.append(f"{len(draft['sections'])} sections for the hand-made {len(hand.get('sections', []))}")
    return problems


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
    assert hold_sections(intake.data, hand, seed=True) == []
    placed = set(intake.placements)
    assert placed == set(range(len(intake.blocks))), "every block has a place"


@needs_seeds
def test_the_draft_of_a_seed_passes_check_but_for_what_a_person_decides(tmp_path, capsys):
    protocols = _protocols(tmp_path)
    (document,) = SEEDS.glob("000_*.txt")
    assert main(["--protocols", str(protocols), "import", str(document), "--id", "kaart", "--school-type", "PO"]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "steps: 5 of 5" in out

    def rules(variant_id: str) -> set[str]:
        main(["--protocols", str(protocols), "check", "--json", "--variant", variant_id])
        return {f["rule_id"] for v in json.loads(capsys.readouterr().out)["variants"] for f in v["findings"]}

    findings, hand = rules("kaart"), rules("flevoland-kwaliteitskaart")
    assert findings - hand <= {"melder-named", "unplaced", "situation-proposed"}, findings - hand


@needs_seeds
def test_a_seeds_title_page_gives_title_date_and_version_and_its_contents_are_layout(tmp_path):
    """Consent (004_*): a cover (PROTOCOL, the title, the organisation, the date, "Versie: ...") and a table of
    contents whose every entry repeats a heading: the facts come from the cover, the contents go as layout."""
    hand = _hand(HAND["004"])
    (document,) = SEEDS.glob("004_*.txt")
    intake = import_document(document, "c", _protocols(tmp_path), school_type="PO", write=False)
    data = intake.data
    assert data["valid_from"] == hand["valid_from"]
    assert data["organisation"]["name"] == hand["organisation"]["name"]
    for key in ("title", "date", "version"):
        assert _same(data["source"][key], str(hand["source"][key])), key
    assert data["sections"][0]["title"] == hand["sections"][0]["title"]
    assert intake.layout.repairs["contents"] == 19  # its 19 entries (l.54-98), three on one line of the layout
    contents = [b for b in intake.blocks if re.search(r"\.{4,}\s*\d+$", b.text)]
    assert contents and {intake.placements[b.index] for b in contents} == {"dropped"}


LINDE = """MELDCODE

BASISSCHOOL DE LINDE
(volgens het basismodel meldcode voor het primair onderwijs)



12 maart 2024
Stichting Linde
Versie 2.0

Inhoud
1. Inleiding ........................ 2
Stap 1: In kaart brengen van signalen ........................ 3
Stap 2: Collegiale consultatie ........................ 3
Stap 3: Gesprek met de ouders ........................ 4
Stap 4: Wegen ........................ 4
Stap 5: Beslissen ........................ 5
{entry} ........................ 6

1. Inleiding
Deze meldcode beschrijft wat medewerkers van De Linde doen bij signalen van
huiselijk geweld of kindermishandeling.

""" + "".join(f"""Stap {n}: {wat}
De leerkracht en de intern begeleider doen in deze stap wat het basismodel
vraagt en leggen dat vast in het dossier.

""" for n, wat in enumerate(("In kaart brengen van signalen", "Collegiale consultatie", "Gesprek met de ouders",
                             "Wegen", "Beslissen"), start=1)) + """Bijlage: Formulieren
Het formulier voor het vastleggen van signalen staat op het intranet van
de school. Veilig Thuis: 0800-2000.
"""


@pytest.mark.parametrize("entry, layout_only", [("Bijlage: Formulieren", True), ("Bijlage: Adressen", False)])
def test_a_table_of_contents_is_layout_only_where_every_entry_repeats_a_heading(entry, layout_only, tmp_path):
    document = tmp_path / "linde.txt"
    document.write_text(LINDE.format(entry=entry), encoding="utf-8")
    intake = import_document(document, "linde", _protocols(tmp_path), write=False, school_type="PO")
    data = intake.data
    assert data["source"]["title"] == ("MELDCODE BASISSCHOOL DE LINDE (volgens het basismodel meldcode voor het "
                                       "primair onderwijs)")
    assert data["source"]["date"] == "12 maart 2024" and data["valid_from"] == dt.date(2024, 3, 12)
    assert data["source"]["version"] == "2.0" and data["organisation"]["name"] == "Stichting Linde"
    assert [s["title"] for s in data["sections"]] == ["Inleiding", "Bijlage: Formulieren"]
    contents = [b for b in intake.blocks if b.text == "Inhoud" or "......" in b.text]
    assert len(contents) == 8
    if layout_only:
        assert {intake.placements[b.index] for b in contents} == {"dropped"}
        assert intake.layout.repairs["contents"] == 7
        assert "unplaced" not in data
    else:  # "Bijlage: Adressen" is no heading of the document: a person decides
        assert {intake.placements[b.index] for b in contents} == {"unplaced[0]"}
        assert intake.layout.repairs["contents"] == 0
        assert len(data["unplaced"]) == 1 and "Inhoud" in data["unplaced"][0] and "Adressen" in data["unplaced"][0]


WILG = """MELDCODE
BASISSCHOOL DE WILG
12 maart 2024
Versie 1.0

1. Inleiding
Deze meldcode beschrijft wat de medewerkers van De Wilg doen bij signalen van huiselijk geweld of
kindermishandeling, en wie daarbij wat doet.

Achtergrond
Sinds 2013 is de meldcode verplicht voor iedere school en iedere medewerker die met kinderen werkt.

Wat verandert er in 2019?
Vanaf 2019 weegt de school met een afwegingskader of een melding bij Veilig Thuis nodig is.

Geweld tussen leerlingen onderling
Dat valt niet onder deze meldcode; de directeur handelt het af met de ouders van beide kinderen.

2. Stappenplan bij signalen van huiselijk geweld en
kindermishandeling

Stappen in de meldcode Stappen in de ondersteuningsroute
Stap 1 In kaart brengen van
signalen
Observeren, signaleren en begeleiden.
Stap 2 Overleggen met een collega en/of
eventueel (anoniem)
Veilig Thuis
Collegiale consultatie.

Stap 1: In kaart brengen van signalen
Breng de signalen in kaart die u als leerkracht of andere betrokkene bij de leerling waarneemt, en leg
ze vast in het dossier van de leerling.
Noodsituaties
Bij acuut gevaar voor de leerling belt u direct de politie en daarna Veilig Thuis.

Stap 2: Collegiale consultatie
De intern begeleider overlegt met de directeur en raadpleegt zo nodig Veilig Thuis over de signalen.

Stap 3: Gesprek met de ouders
Bespreek de signalen met de ouders en laat ze reageren op wat u hebt gezien en gehoord van het kind.

Stap 4: Wegen
De intern begeleider weegt met het afwegingskader de aard en de ernst van het huiselijk geweld.

Stap 5: Beslissen
De directeur beslist of een melding bij Veilig Thuis noodzakelijk is en of hulp mogelijk is.

3. Tot slot
De meldcode wordt elk jaar in het team besproken en zo nodig bijgesteld door de directeur.
"""
"""A single-spaced .txt: a cover without empty lines, a numbered heading over two lines with
sub-headings under it, a scheme whose step headings run over a narrow column's lines, a
sub-heading inside a step, "u" who is "leerkracht of andere betrokkene", and a situation's words
in a sub-heading."""


def test_a_single_spaced_text_keeps_its_headings_and_their_sub_headings(tmp_path):
    document = tmp_path / "wilg.txt"
    document.write_text(WILG, encoding="utf-8")
    intake = import_document(document, "wilg", _protocols(tmp_path), write=False, school_type="PO")
    data = intake.data
    assert data["source"]["title"] == "MELDCODE BASISSCHOOL DE WILG"  # the date is no part of the title
    assert data["source"]["date"] == "12 maart 2024" and data["valid_from"] == dt.date(2024, 3, 12)
    assert [(s["title"], [i["title"] for i in s.get("items", [])]) for s in data["sections"]] == [
        ("Inleiding", ["Achtergrond", "Wat verandert er in 2019?", "Geweld tussen leerlingen onderling"]),
        ("Stappenplan bij signalen van huiselijk geweld en kindermishandeling",
         ["Stap 1 In kaart brengen van signalen", "Stap 2 Overleggen met een collega en/of eventueel (anoniem) Veilig Thuis"]),
        ("Tot slot", []),
    ]
    assert data["sections"][1]["body"] == "**Stappen in de meldcode Stappen in de ondersteuningsroute**\n"
    assert "\n\n**Noodsituaties**\n\nBij acuut gevaar" in data["steps"][0]["hoe"]  # the step's own sub-heading
    assert data["steps"][2]["wie"] == "leerkracht of andere betrokkene" and data["steps"][2]["wie_from_text"]
    # a title with a situation's words: the whole item is proposed
    assert data["situations"]["tussen-leerlingen-onderling"]["passages"] == [
        {"section": "Inleiding", "item": "Geweld tussen leerlingen onderling"}]
    assert "unplaced" not in data and set(intake.placements) == set(range(len(intake.blocks)))
    assert {w for text in _draft_texts(data) for w in _words(text)} <= _document_words(WILG)


# ---------------------------------------------------------------- Word and PDF made from the hand-made variants


@pytest.fixture(scope="module")
def made_docx(tmp_path_factory):
    """Per hand-made variant a .docx (python-docx), made once."""
    from bench.documents import make_docx

    folder = tmp_path_factory.mktemp("docx")
    for name in HAND.values():
        make_docx(_hand(name), folder / f"{name}.docx")
    return folder


@pytest.fixture(scope="module")
def made_pdf(tmp_path_factory, browser):
    """Per hand-made variant a .pdf, printed once by the session's Chromium (no launch of its own)."""
    from bench.documents import print_pdfs, variant_html

    folder = tmp_path_factory.mktemp("pdf")
    print_pdfs({folder / f"{name}.pdf": variant_html(_hand(name)) for name in HAND.values()}, browser=browser)
    return folder


@pytest.mark.parametrize("name", sorted(HAND.values()))
def test_a_word_file_imports_like_the_hand_made_variant(made_docx, name):
    hand = _hand(name)
    intake = import_document(made_docx / f"{name}.docx", "import", PROTOCOLS, school_type=hand["school_type"],
                             write=False)
    # Word shows a list's numbers, which are no text of its paragraphs.
    text = "\n".join(f"{line.list_mark or ''} {line.text}" for line in intake.document.lines)
    assert hold(intake.data, hand, text, one_place=False) == []
    assert hold_sections(intake.data, hand, seed=False) == []
    Variant.model_validate(yaml.safe_load(render(intake)))


@pytest.mark.xdist_group("import-pdf")
@pytest.mark.parametrize("name", sorted(HAND.values()))
def test_a_pdf_imports_like_the_hand_made_variant(made_pdf, name):
    hand = _hand(name)
    path = made_pdf / f"{name}.pdf"
    intake = _imported(path, hand["school_type"])
    assert hold(intake.data, hand, _pdf_text(path), one_place=False) == []
    assert hold_sections(intake.data, hand, seed=False) == []
    Variant.model_validate(yaml.safe_load(render(intake)))


_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>)\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.mark.xdist_group("import-pdf")
@pytest.mark.parametrize("name", sorted(HAND.values()))
def test_a_pdf_keeps_every_web_and_mail_address_as_written(made_pdf, name):
    """A hyphen at a line end inside an address (nvs-nvl.nl broken after "nvs-") is part of it:
    every address of the hand-made variant stands in the PDF's draft character for character,
    and a hyphen before "en" keeps its space ("meld- en aangifteplicht")."""
    hand = _hand(name)
    intake = _imported(made_pdf / f"{name}.pdf", hand["school_type"])
    draft = re.sub(r"\\(.)", r"\1", "\n".join(_draft_texts(intake.data)))
    draft = re.sub(r"\s+", " ", draft)
    shown = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", "\n".join(_draft_texts(hand)))
    expected = {a.rstrip(".,;:") for a in _ADDRESS.findall(shown)}  # as the page (and so the PDF) shows them
    missing = sorted(a for a in expected if a not in draft)
    assert missing == [], missing
    if name == "vo-brochure":
        assert "meld- en aangifteplicht" in draft


_IMPORTED: dict[Path, object] = {}


def _imported(path: Path, school_type: str):
    """The import of a PDF these tests made, once per module (several tests hold it)."""
    if path not in _IMPORTED:
        _IMPORTED[path] = import_document(path, "import", PROTOCOLS, school_type=school_type, write=False)
    return _IMPORTED[path]


def _pdf_text(path: Path) -> str:
    """The PDF's text as PDFium extracts it, without the running header and footer these tests
    print (``bench.documents``), so that a word hyphenated at a page's end is seen whole."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    return re.sub(r"\r?\n(?:Protocol van de school, kopregel|Pagina \d+ van \d+)(?=\r?\n)", "", text)


@pytest.mark.xdist_group("import-pdf")
def test_the_pdf_repairs_are_counted(made_pdf):
    intake = import_document(made_pdf / "consent-2018.pdf", "import", PROTOCOLS, school_type="PO", write=False)
    repairs = intake.layout.repairs
    pages = intake.document.pages
    assert pages > 3
    assert repairs["headers_footers"] >= pages and repairs["page_numbers"] >= pages  # one header, one footer a page
    assert repairs["dehyphenated"] > 10 and repairs["joined"] > 100 and repairs["bold"] > 5
    assert not any("Pagina" in b.text or "kopregel" in b.text for b in intake.blocks)
    assert "headers" in summary(intake) or "header" in summary(intake)


# ---------------------------------------------------------------- a PDF that holds the steps in a table


OTHER_COLUMNS = (("wat", "Wat doe je?"), ("stap", "Stap"), ("hoe", "Hoe"), ("wie", "Wie is verantwoordelijk"))
TABLE_PDFS = {
    **{name: (name, {}) for name in HAND.values()},
    # Other column order and header words, the header row repeated on every page, numbers without "Stap".
    "prisma-almere-2021-other-columns": ("prisma-almere-2021", {"columns": OTHER_COLUMNS, "repeat_header": True,
                                                                "numbers": "{n}"}),
    # Eleven pages, rows broken across pages, the header row repeated on each.
    "consent-2018-header-repeated": ("consent-2018", {"repeat_header": True}),
    # No rules: each cell on a background of its own, white between them.
    "levwn-shaded": ("levwn", {"ruled": False, "shaded": True}),
}
UNRULED = {
    # No rules and no backgrounds, the cells apart by white space only: the header row gives the
    # columns, the numbers the rows (D44); rows broken across pages, the header row not repeated.
    "flevoland-kwaliteitskaart-unruled": ("flevoland-kwaliteitskaart", {"ruled": False}),
    # The same with other columns in another order, headers wrapped in their cells and repeated on
    # every page, numbers without "Stap".
    "prisma-almere-2021-unruled-other-columns": ("prisma-almere-2021", {"ruled": False, "columns": OTHER_COLUMNS,
                                                                         "repeat_header": True, "numbers": "{n}"}),
}
"""PDFs of a "kwaliteitskaart": the steps as one table (Stap | Wat | Wie | Hoe), the sections after it:
name -> (hand-made variant, ``variant_table_html``'s options)."""
TABLE_PDFS.update(UNRULED)


def _two_columns_html() -> str:
    """A page of ordinary prose in two columns, as a newsletter sets it, and no step table: each
    column opens with a bold question in the body's print that starts as a step table's header
    cell does ("Wat ...", "Wie ..."), side by side; the left one's paragraphs are numbered 1, 2, 3."""
    import html

    paragraphs = [p for s in _hand("consent-2018")["sections"] for p in (s.get("body") or "").split("\n\n")
                  if len(p) > 150 and re.match(r"^[A-Z][^*\[\]#>|_]+$", p)][:6]
    left = "".join(f"<p>{n}. {html.escape(p)}</p>" for n, p in enumerate(paragraphs[:3], 1))
    right = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[3:])
    return ("<h1>Nieuwsbrief</h1><div style='display:flex;gap:28px'>"
            f"<div style='flex:1'><p><b>Wat doet de school?</b></p>{left}</div>"
            f"<div style='flex:1'><p><b>Wie doet wat, en hoe?</b></p>{right}</div></div>")


@pytest.fixture(scope="module")
def made_table_pdf(tmp_path_factory, browser):
    """Per entry of ``TABLE_PDFS`` a .pdf, printed once by the session's Chromium."""
    from bench.documents import print_pdfs, variant_table_html

    folder = tmp_path_factory.mktemp("table-pdf")
    print_pdfs({**{folder / f"{name}.pdf": variant_table_html(_hand(hand), **options)
                   for name, (hand, options) in TABLE_PDFS.items()},
                folder / "two-columns.pdf": _two_columns_html()}, browser=browser)
    return folder


@pytest.mark.xdist_group("import-pdf")
@pytest.mark.parametrize("name", sorted(TABLE_PDFS))
def test_a_pdf_table_imports_like_the_hand_made_variant(made_table_pdf, name):
    """The table is found from the page's geometry: its cells, one table over every page it runs on
    (a row broken across two pages stays one cell; a repeated header row is no step), no running
    header or footer in a cell; then held as every other document."""
    hand = _hand(TABLE_PDFS[name][0])
    path = made_table_pdf / f"{name}.pdf"
    intake = _imported(path, hand["school_type"])
    assert [s.form for s in intake.structure.steps] == ["table"] * 5
    assert {line.cell[0] for line in intake.document.lines if line.cell} == {0}, "one table"
    in_cells = [line.text for line in intake.document.lines if line.cell]
    assert not any("kopregel" in text or "Pagina" in text for text in in_cells)
    assert hold(intake.data, hand, _pdf_text(path), one_place=False) == []
    left = [b.text for b in intake.blocks if b.cell and not intake.placements[b.index].startswith(("steps", "table"))]
    assert left == [], "every cell is a step's or the header"
    assert set(intake.placements) == set(range(len(intake.blocks))), "every block has a place"
    Variant.model_validate(yaml.safe_load(render(intake)))


def _unruled_page(rows: list[tuple[float, list[tuple[float, str]]]]):
    """Lines of a page (``read.Line``) and their words (``unruled.Word``) for ``unruled.tables``:
    per line its top and its pieces (x, text), 10 points high (an em), 5 points a character and
    2.5 a space; every piece a line of its own, as PDFium gives cells that share no baseline."""
    from generator.intake.read import Line
    from generator.intake.unruled import Word

    lines, words = [], []
    for top, pieces in rows:
        for x, text in pieces:
            found, at = [], x
            for word in text.split(" "):
                found.append(Word(word, at, at + 5 * len(word)))
                at += 5 * len(word) + 2.5
            lines.append(Line(text, top=top, bottom=top + 10, x0=x, x1=at - 2.5, size=10.0, page_height=842.0))
            words.append(found)
    return lines, lambda i: (words[i], 10.0)


def test_a_table_without_rules_ends_at_a_line_in_its_number_column_and_refuses_centred_cells():
    """Cells apart by white space only: the header row gives the columns, the numbers the rows.
    A short line under the table at its left edge (in the number column) is no cell (it would
    go in the step's number, whose words no draft keeps); a table whose cells are centred in
    their rows (a number's top is no row's top) is not read at all (D44)."""
    from generator.intake.unruled import tables

    header = (100, [(70, "Stap"), (120, "Wat"), (200, "Wie"), (300, "Hoe")])
    rows = [header, (120, [(70, "1"), (120, "Signalen"), (200, "Leerkracht"), (300, "Noteer wat je ziet")]),
            (135, [(300, "en wat je hoort.")]), (160, [(70, "2"), (120, "Overleg"), (200, "IB'er")]),
            (160, [(300, "Bespreek de zorgen.")]), (200, [(70, "Zie ook:")]),
            (215, [(70, "de bijlage met de adressen van de hulpverlening in de regio.")])]
    lines, words = _unruled_page(rows)
    (table,), carry = tables(lines, words, 595.0, None)
    assert carry is None and table.top < 100 < 120 < 135 < 160 < table.bottom < 200
    assert [table.cell(x + 1, top + 5) for top, pieces in rows[:5] for x, _ in pieces] == [
        (0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3), (1, 3), (2, 0), (2, 1), (2, 2), (2, 3)]
    centred = [header, (120, [(120, "Signalen"), (200, "Leerkracht"), (300, "Noteer wat je ziet")]),
               (135, [(70, "1"), (300, "en wat je hoort.")]), (150, [(300, "en wat je ruikt.")]),
               (175, [(120, "Overleg"), (200, "IB'er"), (300, "Bespreek de zorgen")]),
               (190, [(70, "2"), (300, "met de IB'er.")]), (205, [(300, "Noteer het.")])]
    assert tables(*_unruled_page(centred), 595.0, None) == ([], None)


def test_a_bold_word_hyphenated_at_a_line_end_stays_one_bold_run():
    """The hyphen goes, and the bold of the word's two halves is one run (not "**veran**t**woordelijk**")."""
    from generator.intake.layout import layout
    from generator.intake.read import BOLD, Document, Line

    box = {"x0": 70.0, "size": 10.0, "bold": True, "page_height": 842.0}
    lines = [Line("Wie is veran\u2010", marks=((0, 13, BOLD),), top=100, bottom=110, x1=150, **box),
             Line("twoordelijk", marks=((0, 11, BOLD),), top=112, bottom=122, x1=120, **box)]
    (block,) = layout(Document(Path("kaart.pdf"), "pdf", lines)).blocks
    assert block.markdown() == "**Wie is verantwoordelijk**"


def _ruled_pdf(rows: list[list[str]], after: list[str], top: float, footnote: str = "") -> bytes:
    """A PDF as a word processor writes a table: per cell its lines, then its frame as a stroked
    rectangle (not Chromium's filled hairlines); a row that does not fit is closed at the page's
    end and goes on at the next page's top; a running header and a page number on every page; a
    footnote in small print at the first page's foot."""
    import textwrap

    columns = [60, 110, 220, 330, 540]
    pages: list[list[str]] = []
    ops: list[str] = [f"BT /F2 16 Tf 60 {top + 30:.0f} Td (KWALITEITSKAART MELDCODE) Tj ET"]
    y = top

    def text(x: float, y: float, line: str, bold: bool = False) -> None:
        ops.append(f"BT /{'F2' if bold else 'F1'} 10 Tf {x:.1f} {y:.1f} Td ({line}) Tj ET")

    def next_page() -> None:
        nonlocal ops, y
        if footnote and not pages:
            ops.append(f"BT /F1 7 Tf 60 95 Td ({footnote}) Tj ET")
        text(200, 815, "Basisschool De Linde, kwaliteitskaart meldcode")
        text(280, 25, f"Pagina {len(pages) + 1}")
        pages.append(ops)
        ops, y = [], 790.0

    for number, row in enumerate(rows):
        lines = [textwrap.wrap(cell, 22 if c < 3 else 40) for c, cell in enumerate(row)]
        while any(lines):
            room = int((y - 110) // 12)  # above the footnote and the page number
            part, lines = [cell[:room] for cell in lines], [cell[room:] for cell in lines]
            height = max(len(cell) for cell in part) * 12 + 8
            for c, cell in enumerate(part):
                for k, line in enumerate(cell):
                    text(columns[c] + 4, y - 14 - 12 * k, line, bold=number == 0)
                ops.append(f"0.5 w {columns[c]} {y - height:.1f} {columns[c + 1] - columns[c]} {height:.1f} re S")
            y -= height
            if any(lines):
                next_page()
    for k, line in enumerate(after):
        text(60, y - 30 - 14 * k, line, bold=k == 0)
    next_page()
    return _pdf_of_pages(pages)


def test_a_word_processors_pdf_table_with_a_row_closed_at_the_page_end(tmp_path):
    """Cells framed by stroked rectangles, step 3's row broken over two pages and closed by a rule
    at the first page's end, a footnote under it: its rest (an empty Stap cell) is still step 3, in order."""
    hoe = [f"De leerkracht doet wat stap {n} vraagt en legt dat vast in het dossier." for n in range(1, 6)]
    hoe[2] = " ".join(f"In gesprek {k} met de ouders legt de intern begeleider het verslag vast." for k in range(1, 15))
    wat = ["In kaart brengen van signalen", "Collegiale consultatie", "Gesprek met de ouders", "Wegen", "Beslissen"]
    wie = ["Leerkracht", "Leerkracht en intern begeleider", "Intern begeleider", "Intern begeleider en directeur",
           "Directeur"]
    rows = [["Stap", "Wat", "Wie", "Hoe"]] + [[f"Stap {n}", *cells] for n, cells in enumerate(zip(wat, wie, hoe, strict=True), 1)]
    document = tmp_path / "kaart.pdf"
    document.write_bytes(_ruled_pdf(rows, ["Tot slot", "Bel bij twijfel Veilig Thuis: 0800-2000."], top=420.0,
                                    footnote="\u00b9 Zie ook het afwegingskader van de school."))
    intake = import_document(document, "linde", PROTOCOLS, school_type="PO", write=False)
    assert intake.document.pages == 2
    data = intake.data
    assert [s.form for s in intake.structure.steps] == ["table"] * 5
    assert [s["wat"] for s in data["steps"]] == wat and [s["wie"] for s in data["steps"]] == wie
    assert [_words(s["hoe"]) for s in data["steps"]] == [_words(h) for h in hoe]
    assert "\n\n" not in data["steps"][2]["hoe"].strip(), "the sentence the page broke is one paragraph again"
    assert [s["title"] for s in data["sections"]] == ["Tot slot"]
    assert data["unplaced"] == ["¹ Zie ook het afwegingskader van de school.\n"]  # under no heading: a person decides
    assert data["veilig_thuis"]["phone_as_written"] == "0800-2000"


def _pdf_of_pages(pages: list[list[str]]) -> bytes:
    """An A4 PDF, a page per list of content-stream operators (Helvetica as /F1, its bold as /F2)."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    fonts = DictionaryObject({NameObject(name): DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject(base), NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
        for name, base in (("/F1", "/Helvetica"), ("/F2", "/Helvetica-Bold"))})
    for page_ops in pages:
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        stream = DecodedStreamObject()
        stream.set_data("\n".join(page_ops).encode("cp1252"))
        page.replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_page_pdf(ops: list[str]) -> bytes:
    """A one-page A4 PDF of these content-stream operators."""
    return _pdf_of_pages([ops])


def _circle(x: float, y: float, r: float) -> str:
    """A circle of four Bézier curves around (x, y), as a path (no paint operator)."""
    k = 0.5523 * r
    return (f"{x + r} {y} m {x + r} {y + k} {x + k} {y + r} {x} {y + r} c {x - k} {y + r} {x - r} {y + k} {x - r} {y} c "
            f"{x - r} {y - k} {x - k} {y - r} {x} {y - r} c {x + k} {y - r} {x + r} {y - k} {x + r} {y} c h")


def test_drawn_bullets_nested_in_a_cell_and_never_a_rule_or_a_dotted_line(tmp_path):
    """Bullets drawn as shapes at 10 pt: a filled disc, a hollow circle and a filled square (a list
    nested two deep), a disc in a table's cell; each line they stand before is a list item, with
    its text as it is. A dotted rule that ends just before a paragraph, a small square on a
    table's rule just before a cell's text, and a cell's background are no bullets."""
    ops: list[str] = []

    def text(x: float, y: float, words: str) -> None:
        ops.append(f"BT /F1 10 Tf {x} {y} Td ({words}) Tj ET")

    mid = 2.6  # Helvetica's x-height at 10 pt is 5.2: a bullet stands at its middle
    text(72, 760, "Een alinea voor de lijst:")
    ops.append(_circle(80, 745 + mid, 1.5) + " f")
    text(90, 745, "Eerste punt van de lijst")
    ops.append("0.5 w " + _circle(96, 730 + mid, 2) + " S")
    text(103, 730, "genest punt een")
    ops.append(f"110 {715 + mid - 1.5} 3 3 re f")
    text(118, 715, "diep genest punt")
    ops.append(_circle(80, 700 + mid, 1.5) + " f")
    text(90, 700, "Tweede punt dat doorloopt")
    text(90, 685, "op de volgende regel.")
    ops += [_circle(30 + 4 * k, 660 + mid, 0.8) + " f" for k in range(10)]  # a dotted rule up to x = 66.8
    text(70, 660, "Een regel na een stippellijn.")
    # A table: a shaded header row, cells framed by stroked rectangles; a square on the rule left of "Stap 1".
    ops.append("0.9 g 72 590 128 30 re f 200 590 200 30 re f 0 g")
    ops += [f"0.5 w {x} {y} {w} {h} re S" for x, y, w, h in ((72, 590, 128, 30), (200, 590, 200, 30),
                                                             (72, 540, 128, 50), (200, 540, 200, 50))]
    text(76, 600, "Wie")
    text(204, 600, "Wat")
    ops.append(f"71 {575 + mid - 1} 2 2 re f")
    text(76, 575, "Stap 1")
    for y, words in ((575, "Punt in cel"), (560, "Nog een punt in cel")):
        ops.append(_circle(210, y + mid, 1.5) + " f")
        text(218, y, words)
    document = tmp_path / "lijst.pdf"
    document.write_bytes(_one_page_pdf(ops))
    lines = reader.read(document).lines
    assert {line.text: line.list_mark for line in lines} == {
        "Een alinea voor de lijst:": None, "Eerste punt van de lijst": "•", "genest punt een": "◦",
        "diep genest punt": "▪", "Tweede punt dat doorloopt": "•", "op de volgende regel.": None,
        "Een regel na een stippellijn.": None, "Wie": None, "Wat": None, "Stap 1": None, "Punt in cel": "•",
        "Nog een punt in cel": "•"}
    assert {line.text: line.cell for line in lines if line.list_mark}["Nog een punt in cel"] == (0, 1, 1)
    from generator.intake.layout import layout

    laid = layout(reader.read(document))
    assert [b.markdown() for b in laid.blocks if b.kind == "item"] == [
        "- Eerste punt van de lijst", "- genest punt een", "- diep genest punt",
        "- Tweede punt dat doorloopt op de volgende regel.", "- Punt in cel", "- Nog een punt in cel"]
    assert laid.repairs["drawn_bullets"] == 6 and laid.repairs["bullets"] == 0


@pytest.mark.xdist_group("import-pdf")
def test_a_pdf_table_drawn_in_a_form_object_scaled(made_table_pdf, tmp_path):
    """Each page placed as a form XObject, scaled and moved (as an n-up or "print to PDF" tool
    does): the rules are found through the form's matrix."""
    import pypdfium2

    source = pypdfium2.PdfDocument(str(made_table_pdf / "flevoland-kwaliteitskaart.pdf"))
    placed = pypdfium2.PdfDocument.new()
    for number in range(len(source)):
        form = source.page_as_xobject(number, placed).as_pageobject()
        form.transform(pypdfium2.PdfMatrix().scale(0.9, 0.9).translate(20, 30))
        page = placed.new_page(*source[number].get_size())
        page.insert_obj(form)
        page.gen_content()
    path = tmp_path / "placed.pdf"
    placed.save(str(path))
    hand = _hand("flevoland-kwaliteitskaart")
    intake = import_document(path, "import", PROTOCOLS, school_type="PO", write=False)
    assert [s.form for s in intake.structure.steps] == ["table"] * 5
    assert hold(intake.data, hand, _pdf_text(path), one_place=False) == []


def list_tree(markdown: str) -> list[tuple[str, bool | None, list]]:
    """The lists of a Markdown text as markdown-it reads them, each item as (its own words as a
    reader sees them: a link's text, not its address, not the words of a list nested in it; in a
    numbered list; the items of the lists nested in it). An indented code block, which a list
    item indented too far becomes, stands among the top items as ("code: ...", None, [])."""
    from markdown_it import MarkdownIt

    root: list = []
    stack: list[list] = [root]  # the item lists open, the document's top first
    numbered: list[bool] = []  # per open list: numbered?
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            numbered.append(token.type == "ordered_list_open")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            numbered.pop()
        elif token.type == "list_item_open":
            stack[-1].append(("", numbered[-1], []))
            stack.append(stack[-1][-1][2])
        elif token.type == "list_item_close":
            stack.pop()
        elif token.type == "inline" and len(stack) > 1:
            words = " ".join(child.content for child in token.children or [] if child.type in ("text", "code_inline"))
            text, number, children = stack[-2][-1]
            stack[-2][-1] = ((text + " " + words).strip(), number, children)
        elif token.type == "code_block":
            root.append(("code: " + token.content.strip(), None, []))
    return root


def _bullet_items(markdown: str) -> list[str]:
    """Each item of the bullet lists of a Markdown text, nested ones too, in the document's order:
    its own words as the reader sees them (``list_tree``), run together, so that a word the PDF's
    text breaks in two at a line end (a web address at its hyphen) is still the same."""
    items: list[str] = []

    def walk(tree: list) -> None:
        for text, numbered, children in tree:
            if numbered is False:
                items.append(text)
            walk(children)

    walk(list_tree(markdown))
    return ["".join(_words(re.sub(r"(?<=\w)-(?=\w)", "", item))) for item in items]


def _listed_texts(data: dict) -> list[tuple[str, str]]:
    """(where, Markdown) of every text of a variant that may hold a list: each step's hoe; each
    section's body with its items' titles and bodies (a transcriber may have kept a bold line in
    the body that the draft makes an item, or the other way round), and each item's body."""
    out = [(f"step {s['number']}", s["hoe"]) for s in data["steps"]]
    for section in data.get("sections", []):
        items = section.get("items", [])
        out.append((section["title"], "\n\n".join([section.get("body") or ""] +
                                                  [f"{i['title']}\n\n{i['body']}" for i in items])))
        out += [(item["title"], item["body"]) for item in items]
    return out


@pytest.mark.xdist_group("import-pdf")
@pytest.mark.parametrize("made, name", [("made_pdf", n) for n in sorted(HAND.values())] +
                         [("made_table_pdf", n) for n in sorted(TABLE_PDFS)])
def test_a_pdfs_drawn_bullets_are_list_items(made, name, request):
    """Chromium draws a list's bullets as small filled circles, no character of the text (as do
    InDesign and some Word exports): where the hand-made variant has a bullet list, the draft has
    the same items as Markdown list items, each with its words in order, and the summary counts
    each as a layout repair. In the table PDFs the lists stand in the Hoe cells (ruled, or on a
    cell's background), whose rules and backgrounds are no bullets; no other shape is counted."""
    path = request.getfixturevalue(made) / f"{name}.pdf"
    hand = _hand(TABLE_PDFS[name][0] if made == "made_table_pdf" else name)
    intake = _imported(path, hand["school_type"])
    drafted = _listed_texts(intake.data)
    for where, markdown in _listed_texts(hand):
        items = _bullet_items(markdown)
        if not items:
            continue
        found = next((text for place, text in drafted if place == where or _same_title(where, place)), None)
        assert found is not None, f"{where}: not in the draft"
        listed = iter(_bullet_items(found))  # the hand-made list's items, in order (a glyph's "➔ Kik op ..." may stand between)
        assert all(item in listed for item in items), f"{where}: {items} not all list items of {found!r}"
    texts = [s["hoe"] for s in hand["steps"]] + [t for s in hand.get("sections", []) for t in (
        s.get("body") or "", *(i["body"] for i in s.get("items", [])))]
    expected = sum(len(_bullet_items(text)) for text in texts)
    assert expected, "the variant has a bullet list"
    assert intake.layout.repairs["drawn_bullets"] == expected
    assert f"{expected} bullets drawn as shapes made list items" in summary(intake)


@pytest.mark.xdist_group("import-pdf")
@pytest.mark.parametrize("name", sorted(UNRULED))
def test_a_pdf_table_without_rules_imports_like_the_hand_made_variant(made_table_pdf, name):
    """The page draws no rule and no background, so the table is read from its header row (D44);
    ``test_a_pdf_table_imports_like_the_hand_made_variant`` holds the rest of it."""
    import pypdfium2
    import pypdfium2.raw as raw

    from generator.intake import grid

    path = made_table_pdf / f"{name}.pdf"
    document = pypdfium2.PdfDocument(str(path))
    assert not any(any(grid.page_rules(page.raw, raw, page.get_height())) for page in document), "no rules"
    hand = _hand(UNRULED[name][0])
    intake = _imported(path, hand["school_type"])
    assert [s.form for s in intake.structure.steps] == ["table"] * 5
    assert hold(intake.data, hand, _pdf_text(path), one_place=False) == []


@pytest.mark.xdist_group("import-pdf")
def test_a_two_column_page_of_prose_is_no_table(made_table_pdf):
    """Text in two columns with white space between them is no table where no row names a step
    table's columns (three header words, clearly apart): no line gets a cell, and the lines stay
    as PDFium gives them, in its order (D44)."""
    import pypdfium2

    path = made_table_pdf / "two-columns.pdf"
    text = "\n".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(str(path)))
    as_given = [t.replace("\ufffe", "-").replace("\x02", "\u00ad") for t in re.findall(r"[^\r\n\ufffe]+\ufffe?", text)
                if t.strip(" \ufffe")]
    lines = reader.read(path).lines
    assert [line.cell for line in lines] == [None] * len(lines)
    assert [line.text for line in lines] == as_given
    texts = {line.text for line in lines}  # what a looser reader would take for a header row and numbered rows
    assert {"Wat doet de school?", "Wie doet wat, en hoe?"} <= texts
    assert any(t.startswith("1. ") for t in texts) and any(t.startswith("2. ") for t in texts)


# ---------------------------------------------------------------- bad files and ids


def _run(tmp_path, capsys, document: Path, *extra: str) -> tuple[int, str]:
    """``python -m generator import`` (in this process: no interpreter start per test): its exit
    status and what it printed to stderr; nothing may be written."""
    protocols = _protocols(tmp_path)
    before = sorted(p.name for p in (protocols / "variants").iterdir())
    status = main(["--protocols", str(protocols), "import", str(document), "--school-type", "PO", *extra])
    assert sorted(p.name for p in (protocols / "variants").iterdir()) == before, "nothing written"
    assert not (tmp_path / ".review").exists(), "nothing written"
    return status, capsys.readouterr().err


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
    "scan.pdf": (lambda: _pdf_bytes(), "no text layer, so it is a scan or a picture"),
    "encrypted.pdf": (lambda: _pdf_bytes(encrypt=True), "save a copy without the password"),
    "damaged.pdf": (lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "it may be damaged; export it again"),
    "lies.docx": (lambda: _pdf_bytes(), "the file is a PDF (by its first bytes): rename it to 'lies.pdf'"),
    "lies.pdf": (lambda: b"Stap 1: In kaart brengen\n", "the file is a text file (by its first bytes): rename it to 'lies.txt'"),
    "protected.docx": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "remove the password"),
    "damaged.docx": (lambda: b"PK\x03\x04" + b"\0" * 100, "the file is damaged (its ZIP structure cannot be read)"),
    "picture.png": (lambda: b"\x89PNG\r\n\x1a\n", "cannot import a '.png'"),
    "empty.txt": (lambda: b"", "the file is empty"),
}
"""Each bad file and what its message must say: the advice of its own guard, which no other guard's
message and no file name contains (tools: each guard disabled in turn makes its case fail)."""


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_is_refused_with_what_to_do(name, tmp_path, capsys):
    make, message = BAD[name]
    document = tmp_path / name
    document.write_bytes(make())
    status, stderr = _run(tmp_path, capsys, document, "--id", "nieuw")
    assert status == 1
    assert str(document) in stderr, stderr
    assert message in stderr.replace(str(document), "<file>"), stderr


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
def test_an_id_in_use_or_malformed_is_refused(variant_id, message, tmp_path, capsys):
    document = tmp_path / "protocol.txt"
    document.write_text("Stap 1: In kaart brengen\nTekst.\n", encoding="utf-8")
    status, stderr = _run(tmp_path, capsys, document, "--id", variant_id)
    assert status == 1 and message in stderr, stderr


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


def test_a_step_cell_with_more_than_its_number_keeps_its_words(tmp_path):
    """"Stap 1: In kaart brengen" in the step column beside a Wat column: the number makes the
    step, the words open its hoe (they were placed as "the number" and reached no draft)."""
    markdown = tmp_path / "protocol.md"
    markdown.write_text("# Meldcode De Eik\n\n| Stap | Wat | Wie | Hoe |\n| --- | --- | --- | --- |\n" + "".join(
        f"| Stap {n}: fase nummer {n} | Onderdeel {n} | leerkracht | De leerkracht doet stap {n}. |\n"
        for n in range(1, 6)), encoding="utf-8")
    intake = import_document(markdown, "eik", _protocols(tmp_path), write=False, school_type="PO")
    steps = intake.data["steps"]
    assert [s["wat"] for s in steps] == [f"Onderdeel {n}" for n in range(1, 6)]
    for n, step in enumerate(steps, start=1):
        assert f"fase nummer {n}" in step["hoe"] and f"De leerkracht doet stap {n}." in step["hoe"], step["hoe"]
