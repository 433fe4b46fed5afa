"""The import keeps a list nested where the document nests it: Word (a paragraph's list level,
``w:ilvl``, or a built-in list style of a deeper level), ODT (a list inside a list item), Markdown (an indented list) and a PDF (an item
that starts further right than the one before it). Its words stay as they are; only the
indentation of the draft's Markdown shows the nesting. A .txt list stays flat: its spaces are
too often the converter's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import PROTOCOLS, ROOT
from generator.cli import main
from generator.intake.draft import import_document
from test_import import list_tree
from test_review import Page

STEPS = [("Stap 1: Signalen in kaart brengen", "De leerkracht brengt de signalen in kaart."),
         ("Stap 2: Collegiale consultatie", "De intern begeleider raadpleegt Veilig Thuis."),
         ("Stap 3: Gesprek met de ouders", "De leerkracht voert het gesprek."),
         ("Stap 4: Wegen", "De aandachtsfunctionaris weegt."),
         ("Stap 5: Beslissen", "De directie beslist.")]
NESTED = [(0, "Observeer de leerling"), (1, "schrijf op wat u ziet"), (1, "schrijf op wat u hoort"),
          (2, "letterlijk, met de datum"), (0, "Bespreek het met de intern begeleider")]
"""Step 1's list: (depth, text); the outer list numbered, the lists inside it bullets."""
AFTER = "Daarna volgt stap 2."
ALONE = "een punt op het derde niveau zonder punt erboven"
"""Step 2 (Word only): an item at list level 3 right after a paragraph, no item above it."""
SKIPPED = [(0, "een punt"), (2, "een punt twee niveaus dieper")]
"""Step 3 (Word only): an item two levels below the item before it."""


def _expected() -> list:
    root: list = []
    parents = {0: root}
    for depth, text in NESTED:
        item = (text, depth == 0, [])
        parents[depth].append(item)
        parents[depth + 1] = item[2]
    return root


def _write_md(path: Path) -> None:
    lines = ["# Meldcode De Testschool", ""]
    for n, (title, text) in enumerate(STEPS):
        lines += [f"## {title}", "", text, ""]
        if n == 0:
            counters: dict[int, int] = {}
            for depth, item in NESTED:
                counters[depth] = counters.get(depth, 0) + 1
                mark = f"{counters[depth]}." if depth == 0 else "-"
                lines.append("    " * depth + f"{mark} {item}")
            lines += ["", AFTER, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _write_docx(path: Path) -> None:
    """Word's own way: one list definition with a level per depth (decimal, then bullets), and
    each paragraph's ``w:numPr`` naming the list and its level."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for level, (fmt, text) in enumerate([("decimal", "%1."), ("bullet", "o"), ("bullet", "▪")]):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
    numbering.insert(0, abstract)  # the abstract definitions come before the lists that use them
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)

    def item(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", str(level)), ("w:numId", "90")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            num_pr.append(child)
        paragraph._p.get_or_add_pPr().append(num_pr)

    _word_steps(document, item, {1: [(2, ALONE)], 2: SKIPPED})
    document.save(str(path))


def _word_steps(document, item, more: dict[int, list[tuple[int, str]]]) -> None:
    """The title and the steps, step 1 with ``NESTED`` and the steps of ``more`` with their
    items, each item written by ``item(text, depth)``."""
    document.add_heading("Meldcode De Testschool", 1)
    for n, (title, text) in enumerate(STEPS):
        document.add_heading(title, 2)
        document.add_paragraph(text)
        if n == 0:
            for depth, text_ in NESTED:
                item(text_, depth)
            document.add_paragraph(AFTER)
        for depth, text_ in more.get(n, []):
            item(text_, depth)


def _write_docx_styles(path: Path) -> None:
    """The other way Word nests: the built-in styles "List Number", "List Bullet 2", "List
    Bullet 3", each with a list of its own at level 0."""
    import docx

    document = docx.Document()
    _word_steps(document, lambda text, depth: document.add_paragraph(
        text, style="List Number" if depth == 0 else f"List Bullet {depth + 1}"), {})
    document.save(str(path))


def _write_odt(path: Path) -> None:
    """LibreOffice's way: a list style with a numbered first level and bulleted deeper ones;
    a list inside a list item for each level deeper."""
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, ListLevelStyleBullet, ListLevelStyleNumber, ListStyle, P

    document = OpenDocumentText()
    style = ListStyle(name="Lijst")
    style.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix="."))
    style.addElement(ListLevelStyleBullet(level=2, bulletchar="•"))
    style.addElement(ListLevelStyleBullet(level=3, bulletchar="▪"))
    document.automaticstyles.addElement(style)
    document.text.addElement(H(outlinelevel=1, text="Meldcode De Testschool"))
    for n, (title, text) in enumerate(STEPS):
        document.text.addElement(H(outlinelevel=2, text=title))
        document.text.addElement(P(text=text))
        if n == 0:
            outer = List(stylename=style)
            lists = {0: outer}
            for depth, text_ in NESTED:
                entry = ListItem()
                entry.addElement(P(text=text_))
                lists[depth].addElement(entry)
                inner = List()
                entry.addElement(inner)
                lists[depth + 1] = inner
            document.text.addElement(outer)
            document.text.addElement(P(text=AFTER))
    document.save(str(path))


def _html() -> str:
    """The same document as HTML, for Chromium to print: it draws the bullets as shapes (a disc,
    a circle, a square by level) and writes the numbers as text."""
    from html import escape

    out = ["<h1>Meldcode De Testschool</h1>"]
    for n, (title, text) in enumerate(STEPS):
        out += [f"<h2>{escape(title)}</h2>", f"<p>{escape(text)}</p>"]
        if n == 0:
            open_tags: list[str] = []
            for depth, item in NESTED:
                while len(open_tags) > depth + 1:
                    out.append(f"</li></{open_tags.pop()}>")
                if len(open_tags) == depth + 1:
                    out.append("</li>")
                else:
                    open_tags.append("ol" if depth == 0 else "ul")
                    out.append(f"<{open_tags[-1]}>")
                out.append(f"<li>{escape(item)}")
            while open_tags:
                out.append(f"</li></{open_tags.pop()}>")
            out.append(f"<p>{escape(AFTER)}</p>")
    return "".join(out)


@pytest.fixture(scope="module")
def printed(tmp_path_factory, browser) -> Path:
    from bench.documents import print_pdfs

    path = tmp_path_factory.mktemp("lists") / "testschool.pdf"
    print_pdfs({path: _html()}, browser=browser)
    return path


def _write_pdf(path: Path) -> None:
    raise AssertionError("printed by the `printed` fixture")


@pytest.mark.parametrize("suffix, write", [(".md", _write_md), (".docx", _write_docx), (".docx", _write_docx_styles),
                                           (".odt", _write_odt), (".pdf", _write_pdf)],
                         ids=["markdown", "word", "word-list-styles", "odt", "pdf"])
def test_a_nested_list_stays_nested_with_its_words(tmp_path, suffix, write, request):
    path = tmp_path / f"testschool{suffix}"
    if suffix == ".pdf":
        path = request.getfixturevalue("printed")
    else:
        write(path)
    intake = import_document(path, "import", PROTOCOLS, school_type="PO", write=False)
    hoe = intake.data["steps"][0]["hoe"]
    assert list_tree(hoe) == _expected(), hoe
    assert hoe.rstrip().endswith(AFTER), hoe  # the paragraph after the list is no part of its last item


def test_an_item_deeper_than_the_one_before_it_is_a_list_item_not_code(tmp_path):
    """Indented after a paragraph, or two levels below an item, a line would be code (or stand
    under no item): after a paragraph the item starts a list of its own, below an item it stands
    one level deeper."""
    path = tmp_path / "testschool.docx"
    _write_docx(path)
    intake = import_document(path, "import", PROTOCOLS, school_type="PO", write=False)
    after_paragraph, below_item = intake.data["steps"][1]["hoe"], intake.data["steps"][2]["hoe"]
    assert list_tree(after_paragraph) == [(ALONE, False, [])], after_paragraph
    assert list_tree(below_item) == [(SKIPPED[0][1], True, [(SKIPPED[1][1], False, [])])], below_item


def test_the_review_shows_each_item_at_its_depth(tmp_path):
    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    path = tmp_path / "testschool.docx"
    _write_docx(path)
    assert main(["--protocols", str(protocols), "import", str(path), "--id", "testschool", "--school-type", "PO"]) == 0
    assert main(["--protocols", str(protocols), "review", "testschool", "-f", str(ROOT / "mkdocs.yml")]) == 0
    page = Page((tmp_path / ".review" / "testschool.html").read_text(encoding="utf-8"))
    shown = {" ".join(b["text"].split()): b["classes"] for b in page.blocks.values()}
    for depth, text in NESTED:
        classes = next(c for t, c in shown.items() if t.endswith(text))
        assert [c for c in classes if c.startswith("block--depth-")] == ([f"block--depth-{depth}"] if depth else []), text
