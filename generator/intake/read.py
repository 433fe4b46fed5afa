"""A document, read into its lines: text, page, position, font and table cell, in order.

One reader per format, each library imported only when its format is read:

- ``.pdf``: pypdfium2 (PDFium, the PDF engine of Chromium): every character with its box and
  font, gathered into the lines PDFium finds (CONTRIBUTING D39: 0.2 s for 26 pages where
  pdfplumber takes 8.6 s); a table from the rules its page draws (``grid``, D44): a line split
  where it runs from one cell into the next, each cell's lines together, a table that runs on
  over the next page one table (a row broken across the pages one row); a table without rules
  from its header row of step-table words and its numbered rows (``unruled``, D44); a bullet
  drawn as a shape before a line (``grid``'s dots, D46) the line's ``list_mark``;
- ``.docx``: python-docx: paragraphs with their styles, numbering, bold and italic runs, and
  tables cell by cell;
- ``.odt``: odfpy: headings, paragraphs, lists and tables;
- ``.txt``: the lines as they are (UTF-8, else Windows-1252), with the empty lines between them;
- ``.md``: markdown-it's blocks.

A file is refused, with what to do, before anything is written: over ``MAX_BYTES``, another
format than its extension says (its first bytes), encrypted, damaged, or a PDF without text
(a scan). Nothing here repairs a word: that is ``layout``'s, and only for layout.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import grid, unruled

MAX_BYTES = 20 * 1024 * 1024
"""The largest document read: a 30-page protocol is well under 2 MB; larger is a scan or not a protocol."""

FORMATS = (".docx", ".pdf", ".odt", ".txt", ".md")

MIN_CHARS_PER_PAGE = 20
"""A PDF with fewer characters of text per page than this is a scan without a text layer."""

BOLD, ITALIC = "b", "i"


class IntakeError(Exception):
    """A document that cannot be imported; the message says why and what to do."""


@dataclass
class Line:
    """A line of the document as it stands on the page (PDF, .txt), or a whole paragraph
    (Word, ODT, Markdown: ``whole``)."""

    text: str
    page: int = 1
    marks: tuple[tuple[int, int, str], ...] = ()
    """Bold and italic runs: (start, end, BOLD or ITALIC) in ``text``."""
    gap: int = 0
    """Empty lines before this one (.txt)."""
    top: float | None = None
    """PDF: distance from the top of the page to the top of the line, in points."""
    bottom: float | None = None
    x0: float | None = None
    x1: float | None = None
    size: float | None = None
    """PDF: the font size of most of the line."""
    head: tuple[float, float] | None = None
    """PDF: the top and bottom of its first character (a bullet drawn before it stands at its middle)."""
    bold: bool = False
    """The whole line is bold."""
    page_height: float | None = None
    level: int = 0
    """A heading's level by the document's own style (1 is the highest); 0: not a heading style."""
    list_mark: str | None = None
    """A list item's numbering as the document shows it ("•", "1.", "a)"), where a Word, ODT or
    Markdown list makes it, or a PDF draws a bullet as a shape ("•", "◦", "▪": ``_drawn_bullets``);
    else, in a PDF or .txt, the mark is part of the text."""
    depth: int = 0
    """A list item's depth (0: the outer list; 1: a list inside one of its items), where Word, ODT
    or Markdown nest lists; a PDF or .txt item stays at 0."""
    whole: bool = False
    """A whole paragraph: never joined with the next line."""
    cell: tuple[int, int, int] | None = None
    """In a table: (table, row, column), each from 0."""

    @property
    def in_margin(self) -> bool:
        """In the top or bottom tenth of its page (PDF), where running headers, footers and page
        numbers stand."""
        if self.page_height is None or self.top is None:
            return False
        return self.top < 0.1 * self.page_height or self.bottom > 0.9 * self.page_height


@dataclass
class Document:
    path: Path
    kind: str
    lines: list[Line]
    pages: int = 1
    page_width: float | None = None
    notes: list[str] = field(default_factory=list)
    """What the reader noticed that a person should know (an image-only page, say)."""

    @property
    def text(self) -> str:
        """Every line's text, one per line: the words the document has."""
        return "\n".join(line.text for line in self.lines)


# ---------------------------------------------------------------- the file itself


def _kind_of_bytes(head: bytes, path: Path) -> str:
    """What the first bytes say the file is: pdf, docx, odt, zip, ole (old Word or an
    encrypted Office file), text or binary."""
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" in names and archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text":
                    return "odt"
        except (zipfile.BadZipFile, OSError, KeyError):
            return "damaged zip"
        return "zip"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


_NAMES = {"pdf": "a PDF", "docx": "a Word (.docx) file", "odt": "an OpenDocument text (.odt) file",
          "zip": "a ZIP archive", "ole": "an old Word (.doc) file or a password-protected Office file",
          "binary": "a binary file", "text": "a text file", "damaged zip": "a damaged ZIP archive"}
_EXPECTED = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".txt": "text", ".md": "text"}


def check_file(path: Path) -> str:
    """The format to read ``path`` as (its extension, lower case), or an ``IntakeError`` that says
    what to do: a missing or unreadable file, an unknown extension, a file over ``MAX_BYTES``,
    or first bytes of another format than the extension says."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise IntakeError(f"{path}: cannot import a '{suffix or 'file without extension'}': save the document "
                          f"as one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise IntakeError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise IntakeError(f"{path}: {size / 1024 / 1024:.1f} MB is over the limit of {MAX_BYTES // 1024 // 1024} MB "
                          "for a document; a protocol is far smaller: save it without images, or as .docx or .txt")
    if size == 0:
        raise IntakeError(f"{path}: the file is empty")
    with path.open("rb") as handle:
        head = handle.read(4096)
    found, expected = _kind_of_bytes(head, path), _EXPECTED[suffix]
    if found == expected:
        return suffix
    if found == "ole" and suffix in (".docx", ".odt", ".doc"):
        raise IntakeError(f"{path}: this is a password-protected document or an old Word (.doc) file, not a "
                          f"'{suffix}': remove the password, or open it in Word and save it as .docx, then import again")
    if found == "damaged zip":
        raise IntakeError(f"{path}: the file is damaged (its ZIP structure cannot be read): open it in its program "
                          "and save it again, then import again")
    rename = {"pdf": ".pdf", "docx": ".docx", "odt": ".odt", "text": ".txt"}.get(found)
    advice = (f"rename it to '{path.with_suffix(rename).name}' if that is what it is" if rename
              else "save the document in one of " + ", ".join(FORMATS))
    raise IntakeError(f"{path}: the extension says '{suffix}', but the file is {_NAMES[found]} (by its first "
                      f"bytes): {advice}, then import again")


def read(path: Path) -> Document:
    """The document at ``path``, its lines in order; ``IntakeError`` if it cannot be read."""
    suffix = check_file(path)
    reader = {".pdf": read_pdf, ".docx": read_docx, ".odt": read_odt, ".txt": read_txt, ".md": read_md}[suffix]
    document = reader(path)
    if not any(line.text.strip() for line in document.lines):
        raise IntakeError(f"{path}: the document has no text")
    return document


# ---------------------------------------------------------------- plain text


def decode_text(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_txt(path: Path) -> Document:
    """Each line as it is (tabs as spaces, trailing spaces off), with the empty lines before it;
    a form feed starts a page."""
    lines, gap, page = [], 0, 1
    for raw in decode_text(path).split("\n"):
        while raw.startswith("\f") or "\f" in raw:
            before, _, raw = raw.partition("\f")
            if before.strip():
                lines.append(Line(before.rstrip(), page=page, gap=gap))
                gap = 0
            page += 1
        text = raw.replace("\t", " ").rstrip()
        if not text.strip():
            gap += 1
            continue
        lines.append(Line(text, page=page, gap=gap))
        gap = 0
    return Document(path, "txt", lines, pages=page)


# ---------------------------------------------------------------- Markdown


def read_md(path: Path) -> Document:
    """markdown-it's blocks: headings with their level, paragraphs, list items with their mark,
    table cells; bold and italic as marks, a link as its text and address."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(decode_text(path))
    lines: list[Line] = []
    level, marks_stack, table, row, column = 0, [], -1, -1, -1
    ordered: list[list[int]] = []
    pending_mark = None
    for token in tokens:
        if token.type == "heading_open":
            level = int(token.tag[1])
        elif token.type == "heading_close":
            level = 0
        elif token.type == "bullet_list_open":
            ordered.append([])
        elif token.type == "ordered_list_open":
            ordered.append([int(token.attrGet("start") or 1)])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            ordered.pop()
        elif token.type == "list_item_open":
            if ordered and ordered[-1]:
                pending_mark = f"{ordered[-1][0]}."
                ordered[-1][0] += 1
            else:
                pending_mark = "•"
        elif token.type == "table_open":
            table, row = table + 1, -1
        elif token.type == "tr_open":
            row, column = row + 1, -1
        elif token.type in ("th_open", "td_open"):
            column += 1
        elif token.type == "table_close":
            row = column = -1
        elif token.type == "inline":
            text, marks = _md_inline(token.children or [])
            cell = (table, row, column) if row >= 0 else None
            lines.append(Line(text, level=level, list_mark=pending_mark, whole=True, marks=marks, cell=cell,
                              depth=max(len(ordered) - 1, 0) if pending_mark else 0))
            pending_mark = None
        elif token.type in ("fence", "code_block"):
            lines += [Line(t, whole=True) for t in token.content.splitlines() if t.strip()]
    del marks_stack
    return Document(path, "md", lines)


def _md_inline(children) -> tuple[str, tuple]:
    text, marks, open_at, href = "", [], {}, []
    for child in children:
        if child.type == "text" or child.type == "code_inline":
            text += child.content
        elif child.type in ("softbreak", "hardbreak"):
            text += " "
        elif child.type in ("strong_open", "em_open"):
            open_at[child.type] = len(text)
        elif child.type in ("strong_close", "em_close"):
            kind = child.type.replace("_close", "_open")
            start = open_at.pop(kind, None)
            if start is not None and len(text) > start:
                marks.append((start, len(text), BOLD if kind == "strong_open" else ITALIC))
        elif child.type == "link_open":
            href.append((len(text), child.attrGet("href") or ""))
        elif child.type == "link_close" and href:
            start, url = href.pop()
            if url and url not in text[start:] and not url.startswith("mailto:"):
                text += f" ({url})"
        elif child.type == "html_inline":
            text += child.content
    return text, tuple(marks)


# ---------------------------------------------------------------- Word


def read_docx(path: Path) -> Document:
    """Paragraphs and tables in the order of the body; a heading's level from its style
    (Heading/Kop N, Title/Titel) or its outline level; a list item's mark from its numbering;
    bold and italic runs. Headers and footers are apart in Word and not read."""
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IntakeError(f"{path}: the Word file is damaged ({exc}): open it in Word and save it again") from None
    except Exception as exc:  # python-docx raises lxml and package errors of its own
        raise IntakeError(f"{path}: the Word file cannot be read ({type(exc).__name__}: {exc}): open it in "
                          "Word and save it again as .docx") from None
    numbering = _DocxNumbering(document, qn)
    lines: list[Line] = []
    tables = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            line = _docx_paragraph(child, document, numbering, qn)
            if line is not None:
                lines.append(line)
        elif child.tag == qn("w:tbl"):
            for r, tr in enumerate(child.iterchildren(qn("w:tr"))):
                for c, tc in enumerate(tr.iterchildren(qn("w:tc"))):
                    for p in tc.iter(qn("w:p")):
                        line = _docx_paragraph(p, document, numbering, qn)
                        if line is not None:
                            lines.append(replace(line, cell=(tables, r, c), level=0))
            tables += 1
    return Document(path, "docx", lines)


_HEADING_STYLE = re.compile(r"^(?:heading|kop)\s*(\d)$", re.IGNORECASE)


def _docx_paragraph(p, document, numbering, qn) -> Line | None:
    from docx.text.paragraph import Paragraph

    paragraph = Paragraph(p, document.part)
    text, marks = "", []
    for run in paragraph.iter_inner_content() if hasattr(paragraph, "iter_inner_content") else paragraph.runs:
        runs = getattr(run, "runs", [run])  # a hyperlink holds runs
        for item in runs:
            piece = item.text.replace("\t", " ").replace("\n", " ")
            if not piece:
                continue
            start = len(text)
            text += piece
            if item.bold and piece.strip():
                marks.append((start, len(text), BOLD))
            if item.italic and piece.strip():
                marks.append((start, len(text), ITALIC))
    if not text.strip():
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    level = 0
    found = _HEADING_STYLE.match(style or "")
    if found:
        level = int(found.group(1))
    elif style and style.lower() in ("title", "titel"):
        level = 1
    else:
        outline = p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if outline is not None and outline.get(qn("w:val"), "9").isdigit() and int(outline.get(qn("w:val"))) < 9:
            level = int(outline.get(qn("w:val"))) + 1
    mark, depth = numbering.mark(p, paragraph) or (None, 0)
    bold = bool(marks) and all(kind == BOLD for _, _, kind in marks) and _covers(marks, text)
    return Line(text, marks=merge_marks(marks), level=level, list_mark=mark, whole=True, bold=bold, depth=depth)


def _covers(marks, text: str) -> bool:
    """The bold marks cover every non-space character of ``text``."""
    covered = [False] * len(text)
    for start, end, kind in marks:
        if kind == BOLD:
            covered[start:end] = [True] * (end - start)
    return all(c or ch.isspace() for c, ch in zip(covered, text, strict=True))


def merge_marks(marks) -> tuple:
    """Runs of the same mark that overlap or touch as one (``layout`` joins lines with it too: a
    bold word hyphenated at a line end, whose first half's run reaches into the second's)."""
    out: list[list] = []
    for start, end, kind in sorted(marks, key=lambda m: (m[2], m[0])):
        if out and out[-1][2] == kind and out[-1][1] >= start:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end, kind])
    return tuple(sorted((tuple(m) for m in out), key=lambda m: m[0]))


_LIST_STYLE = re.compile(r"^(?:List(?: Bullet| Number| Continue)?|Lijst(?:opsommingsteken|nummering|vervolg)?) ?([2-9])$",
                         re.IGNORECASE)
"""Word's built-in list styles of a deeper level ("List Bullet 2", in Dutch Word
"Lijstopsommingsteken 2"): the number is the level, from 1."""


class _DocxNumbering:
    """The mark Word shows before a numbered or bulleted paragraph."""

    def __init__(self, document, qn):
        self.qn, self.counters = qn, {}
        self.formats: dict[tuple[str, int], tuple[str, str]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iterchildren(qn("w:abstractNum"))}
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if definition is None:
                continue
            for lvl in definition.iterchildren(qn("w:lvl")):
                fmt, text = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText"))
                self.formats[(num.get(qn("w:numId")), int(lvl.get(qn("w:ilvl"), "0")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "bullet",
                    text.get(qn("w:val")) if text is not None else "•",
                )

    def mark(self, p, paragraph) -> tuple[str, int] | None:
        """The mark, and the list level (0 the outer list), of a list paragraph: its ``w:ilvl``,
        or where the paragraph takes its list from a style such as "List Bullet 2", that style's
        number (Word's built-in list styles each have a list of their own, at level 0)."""
        qn = self.qn
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        styled = None
        if num_pr is None and paragraph.style is not None:
            num_pr = paragraph.style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            styled = _LIST_STYLE.match(paragraph.style.name or "")
        if num_pr is None:
            return None
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        key = (num_id.get(qn("w:val")) if num_id is not None else "0",
               int(ilvl.get(qn("w:val"))) if ilvl is not None else 0)
        if key[0] == "0":
            return None
        fmt, text = self.formats.get(key, ("bullet", "•"))
        depth = key[1] or (int(styled.group(1)) - 1 if styled else 0)
        if fmt in ("bullet", "none"):
            shown = text if text and text.strip() and len(text) == 1 and text.isprintable() and ord(text) < 0xE000 else "•"
            return shown, depth
        number = self.counters.get(key, 0) + 1
        self.counters[key] = number
        for (num, level) in list(self.counters):
            if num == key[0] and level > key[1]:
                del self.counters[(num, level)]
        shown = {"lowerLetter": chr(ord("a") + (number - 1) % 26), "upperLetter": chr(ord("A") + (number - 1) % 26),
                 "lowerRoman": _roman(number).lower(), "upperRoman": _roman(number)}.get(fmt, str(number))
        return re.sub(r"%\d", shown, text or "%1.", count=1).replace("%", "") or f"{shown}.", depth


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


# ---------------------------------------------------------------- OpenDocument


def read_odt(path: Path) -> Document:
    """Headings (with their outline level), paragraphs, list items and table cells, in order;
    bold and italic from the automatic styles of their spans."""
    try:
        from odf import opendocument, teletype
        from odf.namespaces import FONS, STYLENS, TABLENS, TEXTNS

        document = opendocument.load(str(path))
    except Exception as exc:  # odfpy raises what its XML parser raises
        raise IntakeError(f"{path}: the OpenDocument file cannot be read ({type(exc).__name__}): open it and save "
                          "it again as .odt") from None
    styles: dict[str, set[str]] = {}
    for container in (document.automaticstyles, document.styles):
        for style in container.childNodes:
            name = style.getAttrNS(STYLENS, "name") if hasattr(style, "getAttrNS") else None
            if not name:
                continue
            for child in style.childNodes:
                if getattr(child, "qname", (None, None))[1] == "text-properties":
                    kinds = set()
                    if child.getAttrNS(FONS, "font-weight") in ("bold", "600", "700", "800", "900"):
                        kinds.add(BOLD)
                    if child.getAttrNS(FONS, "font-style") in ("italic", "oblique"):
                        kinds.add(ITALIC)
                    styles[name] = kinds
    lines: list[Line] = []

    def inline(node) -> tuple[str, tuple]:
        text, marks = "", []
        for child in node.childNodes:
            if child.nodeType == child.TEXT_NODE:
                text += str(child.data)
                continue
            local = child.qname[1]
            if local == "span":
                start = len(text)
                inner, inner_marks = inline(child)
                text += inner
                marks += [(s + start, e + start, k) for s, e, k in inner_marks]
                for kind in styles.get(child.getAttrNS(TEXTNS, "style-name") or "", ()):
                    if inner.strip():
                        marks.append((start, len(text), kind))
            elif local == "s":
                text += " " * int(child.getAttrNS(TEXTNS, "c") or 1)
            elif local in ("tab", "line-break"):
                text += " "
            elif local in ("note", "annotation"):
                continue
            else:
                text += teletype.extractText(child)
        return text, tuple(marks)

    def walk(node, mark=None, cell=None, style=None, lists=0):
        for child in node.childNodes:
            if child.nodeType != child.ELEMENT_NODE:
                continue
            ns, local = child.qname
            if ns == TEXTNS and local in ("h", "p"):
                text, marks = inline(child)
                if text.strip():
                    level = int(child.getAttrNS(TEXTNS, "outline-level") or 1) if local == "h" else 0
                    lines.append(Line(text, marks=merge_marks(marks), level=level, list_mark=mark, whole=True, cell=cell,
                                      depth=max(lists - 1, 0) if mark else 0))
                    mark = None
            elif ns == TEXTNS and local == "list":
                counter = [0]
                list_style = child.getAttrNS(TEXTNS, "style-name") or style  # a list inside an item: its list's
                is_numbered = _odt_numbered(document, list_style, lists + 1, STYLENS, TEXTNS)
                for item in child.childNodes:
                    if getattr(item, "qname", (None, None))[1] == "list-item":
                        counter[0] += 1
                        walk(item, f"{counter[0]}." if is_numbered else "•", cell, list_style, lists + 1)
            elif ns == TABLENS and local == "table":
                table = sum(1 for line in lines if line.cell and line.cell[1] == 0 and line.cell[2] == 0)
                for r, row in enumerate(child.getElementsByType(_odf_row())):
                    for c, tc in enumerate(x for x in row.childNodes if getattr(x, "qname", (0, 0))[1] == "table-cell"):
                        walk(tc, None, (table, r, c))
            elif ns == TEXTNS and local in ("section", "list-header", "list-item"):
                walk(child, mark, cell, style, lists)

    walk(document.text)
    return Document(path, "odt", lines)


def _odf_row():
    from odf.table import TableRow

    return TableRow


def _odt_numbered(document, name, level: int, stylens, textns) -> bool:
    """Whether list style ``name`` numbers its items at ``level`` (1: the outer list)."""
    for container in (document.automaticstyles, document.styles):
        for style in container.childNodes:
            if getattr(style, "qname", (0, 0))[1] == "list-style" and style.getAttrNS(stylens, "name") == name:
                levels = {int(c.getAttrNS(textns, "level") or 1): getattr(c, "qname", (0, 0))[1] for c in style.childNodes
                          if getattr(c, "qname", (0, 0))[1] in ("list-level-style-number", "list-level-style-bullet")}
                return levels.get(level, levels.get(1)) == "list-level-style-number"
    return False


# ---------------------------------------------------------------- PDF


def read_pdf(path: Path) -> Document:
    """Every character with its box and font (PDFium), gathered into the lines PDFium finds;
    per line its box, font size, whether it is bold, and its bold and italic runs."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise IntakeError(f"{path}: the PDF is protected with a password: save a copy without the password "
                              "(or the Word file it was made from), then import that") from None
        raise IntakeError(f"{path}: the PDF cannot be read ({message}): it may be damaged; export it again "
                          "from the program it was made with, or import the Word file") from None
    lines: list[Line] = []
    chars_total, empty_pages = 0, []
    box = tuple(ctypes.c_double() for _ in range(4))
    name = ctypes.create_string_buffer(256)
    angle = ctypes.c_int()
    fonts: dict[int, tuple[bool, bool]] = {}

    def style(textpage, index: int) -> tuple[bool, bool]:
        """(bold, italic) of the font of a character, by its name, weight and italic angle."""
        font = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(textpage, index))
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        found = fonts.get(key)
        if found is None:
            length = raw.FPDFFont_GetBaseFontName(font, name, len(name)) if font else 0
            family = name.value.decode("latin-1", "replace").lower() if length else ""
            weight = raw.FPDFFont_GetWeight(font) if font else -1
            slanted = bool(font) and bool(raw.FPDFFont_GetItalicAngle(font, ctypes.byref(angle))) and angle.value != 0
            found = (weight >= 600 or any(w in family for w in ("bold", "black", "heavy", "semibold", "demi")),
                     slanted or "italic" in family or "oblique" in family)
            fonts[key] = found
        return found

    pages = len(document)
    width = None
    tables: dict[int, list[grid.Table]] = {}
    carry: unruled.Carry | None = None
    try:
        for number in range(pages):
            page = document[number]
            height = page.get_height()
            width = width or page.get_width()
            textpage = page.get_textpage()
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count)
            if len(text) != count:  # characters beyond the BMP: read one by one
                text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(count))
            chars_total += len(text.strip())
            if len(text.strip()) < MIN_CHARS_PER_PAGE:
                empty_pages.append(number + 1)
            # A table of one row (a frame with a rule down its middle, say) only where it goes on
            # with the one the page before ends with.
            before = tables.get(number, [])
            dots: list[grid.Dot] = []
            rules = grid.page_rules(page.raw, raw, height, dots)
            found_tables = [t for t in grid.tables(*rules) if len(t.rows) >= 2 or (before and _same_columns(before[-1], t))]
            tables[number + 1] = found_tables
            first = len(lines)
            spans: list[tuple[int, int]] = []
            for found in _PDF_LINE.finditer(text):
                for start, end, cell in _cell_runs(text, found.start(), found.end(), textpage.raw, found_tables, box,
                                                   raw, height):
                    line = _pdf_line(text, start, end, textpage.raw, style, box, raw, number + 1, height)
                    if line is not None:
                        line.cell = cell
                        lines.append(line)
                        spans.append((start, end))
            words = _Words(text, spans, textpage.raw, box, raw)
            unruled_tables, carry = unruled.tables(lines[first:], words, page.get_width(), carry)
            if unruled_tables:
                ruled = found_tables
                found_tables = sorted(ruled + unruled_tables, key=lambda t: (t.top, t.left))
                tables[number + 1] = found_tables
                lines[first:] = _split_unruled(lines[first:], spans, ruled, unruled_tables, found_tables, text,
                                               textpage.raw, style, box, raw, number + 1, height)
            if dots:
                _drawn_bullets(lines[first:], dots, *rules)
            textpage.close()
            page.close()
    finally:
        document.close()
    if chars_total < MIN_CHARS_PER_PAGE * max(pages, 1) or len(empty_pages) > pages / 2:
        raise IntakeError(f"{path}: the PDF has (almost) no text layer, so it is a scan or a picture: "
                          f"{len(empty_pages)} of {pages} page(s) without text. Import the Word file it was made "
                          "from, or make its text readable first (OCR, for example with ocrmypdf), then import again")
    notes = [f"page {n} has no text (a picture or scan?): its words are not in the draft" for n in empty_pages]
    return Document(path, "pdf", _link_tables(lines, tables), pages=pages, page_width=width, notes=notes)


_PDF_LINE = re.compile(r"[^\r\n\ufffe]+\ufffe?")
"""A line as PDFium gives it. PDFium joins a line that ends in a hyphen with the next one and
marks that hyphen U+FFFE (Chromium's viewer calls it kPdfiumHyphenEOL): the line is cut after it
again, the mark is the hyphen it stands for, and ``layout``'s joiner decides what a hyphen at a
line end is, as for any other document (in nvs-nvl.nl, broken after "nvs-", it stays)."""


def _pdf_line(text: str, start: int, end: int, textpage, style, box, raw, page: int, height: float) -> Line | None:
    """One line PDFium found: its box from its first and last characters, the font size of
    its first, and bold and italic word by word (a word takes the style of its first letter)."""
    line = text[start:end].replace("\x02", "\u00ad").replace("\ufffe", "-").replace("\uffff", " ")
    ink = [i for i in range(start, end) if not text[i].isspace() and text[i] != "\ufffe"]
    if not ink:
        return None
    left, right, bottom, top = box
    raw.FPDFText_GetCharBox(textpage, ink[0], left, right, bottom, top)
    x0, y_top, y_bottom = left.value, height - top.value, height - bottom.value
    head = (y_top, y_bottom)
    raw.FPDFText_GetCharBox(textpage, ink[-1], left, right, bottom, top)
    x1 = right.value
    y_top, y_bottom = min(y_top, height - top.value), max(y_bottom, height - bottom.value)
    size = raw.FPDFText_GetFontSize(textpage, ink[0])
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    styles = [style(textpage, start + a) for a, _ in words]
    marks = []
    for kind, position in ((BOLD, 0), (ITALIC, 1)):
        run = None
        for (a, b), st in zip([*words, (len(line), len(line))], [*styles, (False, False)], strict=True):
            if st[position] and run is None:
                run = [a, b]
            elif st[position]:
                run[1] = b
            elif run is not None:
                marks.append((run[0], run[1], kind))
                run = None
    return Line(text=line, page=page, marks=tuple(sorted(marks)), top=y_top, bottom=y_bottom, x0=x0, x1=x1,
                size=size, head=head, bold=all(st[0] for st in styles), page_height=height)


def _drawn_bullets(lines: list[Line], dots: list, horizontals: list, verticals: list) -> None:
    """Each line of a page that a dot (``grid.Dot``) stands just before gets that dot's mark as its
    ``list_mark``: a bullet the page draws as a shape, not a character (Chromium, InDesign, some
    Word exports). Its text stays as it is. A dot is such a bullet where:

    - its middle is within the height of the line's first character and it is no larger than
      that is high (a little more: a hollow circle's stroke), nor smaller than a sixth of it
      (the first character: PDFium joins a line broken at a hyphen to the next one);
    - it ends left of the line's first character, at most three letter heights (and 4 points)
      before it, and no other line of the page starts or runs between them (the nearest line to
      its right);
    - it is no part of a row or column of dots (a dotted rule or leader: its neighbour closer than
      two and a half of its widths), and touches no rule (a table's border, a line under text).
    """
    def on_rule(x: float, y: float, reach: float) -> bool:
        return any(x0 - grid.NEAR <= x <= x1 + grid.NEAR and abs(ry - y) <= reach for ry, x0, x1 in horizontals) or \
            any(y0 - grid.NEAR <= y <= y1 + grid.NEAR and abs(rx - x) <= reach for rx, y0, y1 in verticals)

    taken: dict[int, tuple[float, object]] = {}
    for dot in dots:
        width, x, y = max(dot.right - dot.left, dot.bottom - dot.top), (dot.left + dot.right) / 2, (dot.top + dot.bottom) / 2
        if on_rule(x, y, width / 2 + grid.NEAR) or any(
                other is not dot and abs(other.top - dot.top) < width and abs(other.left - dot.left) < 2.5 * width
                or other is not dot and abs(other.left - dot.left) < width and abs(other.top - dot.top) < 2.5 * width
                for other in dots):
            continue
        beside = [(line.x0 - dot.right, i) for i, line in enumerate(lines)
                  if line.head[0] - 1 <= y <= line.head[1] + 1 and line.x1 > dot.left]
        if not beside:
            continue
        gap, nearest = min(beside)
        height = lines[nearest].head[1] - lines[nearest].head[0]
        if not (-0.5 <= gap <= 3 * height + 4 and height / 6 <= width <= 1.25 * height + 1):
            continue
        if nearest not in taken or gap < taken[nearest][0]:
            taken[nearest] = (gap, dot.mark)
    for index, (_, mark) in taken.items():
        lines[index].list_mark = mark


class _Words:
    """The words of a page's lines with where they stand (``unruled.Word``), and the em of each
    line's first character: read from PDFium only for the lines ``unruled`` asks about."""

    def __init__(self, text: str, spans: list[tuple[int, int]], textpage, box, raw):
        self.text, self.spans, self.textpage, self.box, self.raw = text, spans, textpage, box, raw
        self.cache: dict[int, tuple[list, float]] = {}
        self.matrix = raw.FS_MATRIX()

    def __call__(self, index: int) -> tuple[list[unruled.Word], float]:
        if index not in self.cache:
            self.cache[index] = self._read(*self.spans[index])
        return self.cache[index]

    def _read(self, start: int, end: int) -> tuple[list[unruled.Word], float]:
        raw, textpage, (left, right, bottom, top), text = self.raw, self.textpage, self.box, self.text
        words: list[unruled.Word] = []
        em = 0.0
        run: list = []  # [text, x0, x1] of the word being read
        for index in range(start, end):
            char = text[index]
            if char.isspace():
                run = []
                continue
            if not raw.FPDFText_GetCharBox(textpage, index, left, right, bottom, top) or right.value <= left.value:
                continue  # no box: a hyphen PDFium marks, a character it added
            if not em:
                raw.FPDFText_GetMatrix(textpage, index, self.matrix)
                m = self.matrix
                em = raw.FPDFText_GetFontSize(textpage, index) * abs(m.a * m.d - m.b * m.c) ** 0.5
            if run and left.value - run[2] >= unruled.GAP * em:
                run = []  # characters far apart without a space between: two words
            if run:
                run[0] += char
                run[2] = max(run[2], right.value)
                words[-1] = unruled.Word(*run)
            else:
                run = [char, left.value, right.value]
                words.append(unruled.Word(*run))
        return words, em


def _split_unruled(page_lines: list[Line], spans: list[tuple[int, int]], ruled: list, unruled_tables: list,
                   found_tables: list, text: str, textpage, style, box, raw, page: int, height: float) -> list[Line]:
    """The page's lines with those in a table without rules (``unruled``) split at its columns
    and given their cells, as ``_cell_runs`` does for a ruled table; every cell numbered by the
    page's tables (``found_tables``: both kinds) in order from the top."""
    number_of = {id(t): n for n, t in enumerate(found_tables)}
    out: list[Line] = []
    for line, (start, end) in zip(page_lines, spans, strict=True):
        if line.cell is not None:
            line.cell = (number_of[id(ruled[line.cell[0]])], *line.cell[1:])
            out.append(line)
            continue
        runs = _cell_runs(text, start, end, textpage, unruled_tables, box, raw, height)
        if len(runs) == 1 and runs[0][2] is None:
            out.append(line)
            continue
        for run_start, run_end, cell in runs:
            split = _pdf_line(text, run_start, run_end, textpage, style, box, raw, page, height)
            if split is not None:
                split.cell = None if cell is None else (number_of[id(unruled_tables[cell[0]])], *cell[1:])
                out.append(split)
    return out


def _cell_runs(text: str, start: int, end: int, textpage, tables, box, raw, height: float):
    """(start, end, cell) of each part of a line PDFium found that stands in one cell of a table
    of its page (cell: (table on the page, row, column), or None outside every table). PDFium
    joins the lines of two cells that share a baseline; here they part where a character stands
    in another cell than the one before it (the spaces between them go with the line break)."""
    if not tables:
        return [(start, end, None)]
    left, right, bottom, top = box

    def cell_of(index: int) -> tuple[int, int, int] | None | bool:
        if not raw.FPDFText_GetCharBox(textpage, index, left, right, bottom, top) or right.value <= left.value:
            return False  # no box (a space or hyphen PDFium added): the cell of the character before
        x, y = (left.value + right.value) / 2, height - (bottom.value + top.value) / 2
        for number, table in enumerate(tables):
            found = table.cell(x, y)
            if found is not None:
                return (number, *found)
        return None

    ink = [i for i in range(start, end) if not text[i].isspace()]
    if not ink:
        return [(start, end, None)]
    first, last = cell_of(ink[0]), cell_of(ink[-1])
    if first == last and first is not False:
        return [(start, end, first)]
    runs: list[list] = []
    for index in ink:
        cell = cell_of(index)
        if cell is False or (runs and cell == runs[-1][2]):
            if runs:
                runs[-1][1] = index + 1
            else:
                runs.append([index, index + 1, None])
            continue
        if runs and runs[-1][2] is None and runs[-1][1] - runs[-1][0] == 1 and not text[runs[-1][0]].isalnum():
            runs[-1][2] = cell  # a lone glyph without a box before the first cell
            runs[-1][1] = index + 1
            continue
        runs.append([index, index + 1, cell])
    return [tuple(run) for run in runs]


def _link_tables(lines: list[Line], tables: dict[int, list]) -> list[Line]:
    """Lines with page-local cells -> cells of the document's tables, each cell's lines together
    (in the order PDFium found them), a table's lines where its first line stands.

    A table at the top of a page continues the one at the bottom of the page before where it
    has the same columns and nothing but a running header or footer (a line in the top or bottom
    tenth of a page) or smaller print than its cells' (a footnote) stands between them; a row
    open at that page break (no rule below it, or
    none above its rest) is one row. A first row that repeats the table's header row word for
    word is a row of its own (``structure`` knows it as a header)."""
    if not any(tables.values()):
        return lines

    texts: dict[tuple[int, int, int, int], list[str]] = {}
    body: dict[int, list[Line]] = {}
    sizes = Counter(round(line.size or 0, 1) for line in lines if line.cell is not None)
    print_size = sizes.most_common(1)[0][0] if sizes else 0
    for line in lines:
        if line.cell is not None:
            texts.setdefault((line.page, *line.cell), []).append(line.text)
        elif not line.in_margin and (line.size or 0) >= 0.9 * print_size:
            body.setdefault(line.page, []).append(line)

    def row_text(page: int, table: int, row: int) -> list[str]:
        columns = range(len(tables[page][table].columns))
        return [" ".join(" ".join(texts.get((page, table, row, c), [])).split()) for c in columns]

    mapping: dict[tuple[int, int], tuple[int, dict[int, int]]] = {}
    """(page, table on the page) -> (table of the document, page row -> document row)."""
    documents: list[dict] = []
    previous = None
    for page in sorted(tables):
        for number, table in enumerate(tables[page]):
            rows = range(len(table.rows))
            goes_on = previous is not None and number == 0 and previous[0] == page - 1 and \
                previous[1] == len(tables[page - 1]) - 1 and _same_columns(previous[2], table) and \
                not any(line.top > previous[2].bottom for line in body.get(page - 1, [])) and \
                not any(line.bottom < table.top for line in body.get(page, []))
            if not goes_on:
                documents.append({"header": row_text(page, number, 0), "rows": len(table.rows)})
                mapping[(page, number)] = (len(documents) - 1, {r: r for r in rows})
            else:
                current = documents[-1]
                own: dict[int, int] = {}
                first = 0
                if any(row_text(page, number, 0)) and row_text(page, number, 0) == current["header"]:
                    own[0], first, current["rows"] = current["rows"], 1, current["rows"] + 1
                for r in rows[first:]:
                    if r == first and (previous[2].open_bottom or table.open_top):
                        own[r] = previous[3]
                    else:
                        own[r], current["rows"] = current["rows"], current["rows"] + 1
                mapping[(page, number)] = (len(documents) - 1, own)
            last_row = mapping[(page, number)][1][len(table.rows) - 1]  # the row at the bottom, which may go on
            previous = (page, number, table, last_row)
    for line in lines:
        if line.cell is not None:
            table, own = mapping[(line.page, line.cell[0])]
            line.cell = (table, own.get(line.cell[1], line.cell[1]), line.cell[2])
    order = {id(line): position for position, line in enumerate(lines)}
    members: dict[int, list[Line]] = {}
    for line in lines:
        if line.cell is not None:
            members.setdefault(line.cell[0], []).append(line)
    out: list[Line] = []
    for line in lines:
        if line.cell is None:
            out.append(line)
        elif members.get(line.cell[0]):
            out += sorted(members.pop(line.cell[0]), key=lambda m: (m.cell, order[id(m)]))
    return out


def _same_columns(a, b) -> bool:
    return len(a.columns) == len(b.columns) and all(abs(x - y) <= 3 for x, y in zip(a.columns, b.columns, strict=True)) \
        and abs(a.right - b.right) <= 3


def read_bytes(data: bytes, suffix: str) -> Document:
    """A document from bytes (tests): written to a temporary file of that suffix and read."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"document{suffix}"
        target.write_bytes(data)
        return read(target)


__all__ = ["BOLD", "Document", "FORMATS", "ITALIC", "IntakeError", "Line", "MAX_BYTES", "check_file", "read"]
