"""Lines -> blocks: the only repairs a document gets, each counted.

A block is a heading, a paragraph or a list item (in a table: the text of a cell). The
repairs undo the page, never a word:

- line breaks inside a paragraph are joined (``joined``);
- a word hyphenated at a line end is joined (``dehyphenated``): a hyphen the PDF marks as a
  hyphenation point (soft hyphen, U+2010) goes; a plain ``-`` goes where the document writes
  the whole word elsewhere, stays where it writes the hyphenated word elsewhere or the next
  line starts with a capital (Noord-Holland), and stays before "en"/"of" (``meld- en``);
  else it stays, joined (``kinder-mishandeling``), so no character is lost;
- running headers and footers (a line at the top or bottom of at least half of the pages,
  numbers aside) and page numbers are dropped (``headers_footers``, ``page_numbers``);
- lines without a letter or digit (rules, ``-----``) are dropped (``separators``);
- bullet glyphs (•, ➔, -, o, ▪, the Symbol font's ...) become Markdown list items
  (``bullets``), numbers (``1.``, ``2)``) numbered items (``numbered``); letters (``a)``,
  ``A:``) stay text, since Markdown numbers only with digits;
- a PDF line that a bullet drawn as a shape stands before (``Line.list_mark``, ``read``'s
  ``_drawn_bullets``) starts a list item, its text as it is (``drawn_bullets``);
- bold and italic are kept as Markdown (``bold``, ``italic``).

A table of contents whose every entry repeats a heading is dropped by ``structure``, which
knows the headings (``contents``).

Every block keeps its page and its place in the document (``index``), for the review.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .read import BOLD, Document, Line, merge_marks

REPAIRS = {
    "joined": "line breaks inside a paragraph joined",
    "dehyphenated": "words hyphenated at a line end joined",
    "headers_footers": "running header and footer lines dropped",
    "page_numbers": "page numbers dropped",
    "separators": "lines without a letter or digit dropped",
    "bullets": "bullet glyphs made list items",
    "drawn_bullets": "bullets drawn as shapes made list items",
    "numbered": "numbers made numbered list items",
    "bold": "bold runs kept",
    "italic": "italic runs kept",
    "contents": "table of contents entries dropped (each repeats a heading)",
}
"""Every repair ``layout`` counts, with how the summary names it."""


@dataclass
class Block:
    """A heading, paragraph or list item of the document, its layout repaired."""

    kind: str
    """"heading", "paragraph" or "item"."""
    text: str
    """Plain text (no Markdown); a list item without its mark."""
    page: int
    index: int = 0
    """Its place in the document, from 0."""
    marks: tuple[tuple[int, int, str], ...] = ()
    level: int = 0
    """A heading's level (1 highest) where the document shows it (a style, a font size); 0: not known."""
    mark: str | None = None
    """A list item's mark as the document writes it ("•", "o", "1.", "2)")."""
    depth: int = 0
    """A list item's depth in nested lists (0: the outer list), where the document nests them
    (``Line.depth``) or, in a PDF, indents them (``_pdf_depths``)."""
    indent: float | None = None
    """PDF: where a list item's first line starts, in points from the page's left."""
    cell: tuple[int, int, int] | None = None
    width: int = 0
    """The longest line it was joined from, in characters."""
    lines: int = 1
    bold: bool = False
    size: float | None = None
    gap: int = 0
    """Empty lines before it (.txt)."""
    tight: bool = False
    """.txt: it starts on the line right after the block before it (no empty line, no page
    break between): a heading so placed under another reads as its subtitle."""

    @property
    def numbered(self) -> bool:
        return bool(self.mark) and self.mark[0].isdigit()

    def markdown(self) -> str:
        """The block as Markdown: its text escaped, bold and italic kept, a list mark in front."""
        body = inline_markdown(self.text, self.marks)
        if self.kind != "item":
            return _escape_start(body)
        if self.numbered:
            return f"{re.sub(r'[.)]$', '', self.mark)}. {_escape_start(body)}"
        return f"- {_escape_start(body)}"


@dataclass
class Layout:
    blocks: list[Block]
    repairs: Counter = field(default_factory=Counter)
    dropped: list[tuple[int, str]] = field(default_factory=list)
    """(page, text) of every line dropped as a header, footer, page number or separator."""


# ---------------------------------------------------------------- marks and escaping

_GLYPHS = "•●○◦▪■□▫➔➢➤►▶▸→⇒–—*·∙✓✔❖◆◇♦-\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf06e\uf0e8\uf0f0"
_BULLET = re.compile(rf"^\s*([{re.escape(_GLYPHS)}]|o(?=\s))\s*(?=\S)")
_NUMBER = re.compile(r"^\s*([1-9]\d?[.)])(?!\d)\s*(?=\S)")
_LETTER_ITEM = re.compile(r"^\s*(?:[a-zA-Z][.):]|\(?[a-z]\)|[ivx]{1,4}[.)])\s")
_GLYPH_ONLY = re.compile(rf"^\s*[{re.escape(_GLYPHS)}]\s*$")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:pagina|page|blz\.?|bladzijde)\s*\d+(?:\s*(?:van|of|/)\s*\d+)?|[-–]\s*\d+\s*[-–]|\d+\s*/\s*\d+|\d{1,3})\s*$",
    re.IGNORECASE,
)
_GLUED_FOOTER = re.compile(r"^[A-Z][^\d]{15,80}[a-z]\d{1,3}$")
"""A footer whose page number a text extraction glued to its last word ("... aanpakken8")."""
_HAS_WORD = re.compile(r"\w")


def list_start(text: str) -> tuple[str, str] | None:
    """(mark, rest) where a line starts a list item by a bullet glyph or a number."""
    for pattern in (_NUMBER, _BULLET):
        found = pattern.match(text)
        if found and text[found.end():].strip():
            return found.group(1), text[found.end():]
    return None


_ESCAPE = re.compile(r"([\\`*_\[\]|<])")


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _escape_start(text: str) -> str:
    """A paragraph that would read as Markdown block syntax ("# ", "> ", "- ", "1. ") is escaped."""
    if re.match(r"^(?:#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|={3,}|-{3,})", text):
        found = re.match(r"^(\d{1,9})([.)])", text)
        return f"{found.group(1)}\\{found.group(2)}{text[found.end():]}" if found else "\\" + text
    return text


def inline_markdown(text: str, marks) -> str:
    """``text`` escaped, with ``**`` around bold runs and ``*`` around italic ones (trimmed to
    their words; a run of spaces only is no run)."""
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for start, end, kind in marks:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start or not _HAS_WORD.search(text[start:end]):
            continue
        token = "**" if kind == BOLD else "*"
        opens.setdefault(start, []).append(token)
        closes.setdefault(end, []).insert(0, token)
    out = []
    for index, char in enumerate(text):
        out += closes.get(index, [])
        out += opens.get(index, [])
        out.append(_escape(char))
    out += closes.get(len(text), [])
    return "".join(out)


# ---------------------------------------------------------------- headers, footers, page numbers


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def drop_running(document: Document, repairs: Counter, dropped: list) -> list[Line]:
    """The lines without running headers, footers, page numbers and separators."""
    lines = document.lines
    drop: set[int] = set()
    if document.kind == "pdf":
        pages_of: dict[str, set[int]] = {}
        for line in lines:
            if line.in_margin and line.cell is None:
                pages_of.setdefault(_key(line.text), set()).add(line.page)
        needed = max(2, (document.pages + 1) // 2)
        for i, line in enumerate(lines):
            if not line.in_margin or line.cell is not None:  # a table's row at a page's top is no running header
                continue
            if _PAGE_NUMBER.match(line.text):
                drop.add(i)
                repairs["page_numbers"] += 1
            elif document.pages > 1 and len(pages_of[_key(line.text)]) >= needed:
                drop.add(i)
                repairs["headers_footers"] += 1
    elif document.kind == "txt":
        counted = Counter(_key(line.text) for line in lines)
        for i, line in enumerate(lines):
            text = line.text.strip()
            following = lines[i + 1].gap if i + 1 < len(lines) else 1
            numbered = re.match(r"^(?:pagina|page|blz\.?)\s*\d+", text, re.IGNORECASE) and _PAGE_NUMBER.match(text)
            alone = line.gap >= 1 and following >= 1
            if numbered or (re.fullmatch(r"\d{1,3}", text) and line.gap >= 2 and alone) or (_GLUED_FOOTER.match(text) and alone):
                drop.add(i)
                repairs["page_numbers"] += 1
            elif ("#" in _key(text) and re.search(r"[^\W\d_]", text) and counted[_key(text)] >= 3 and len(text) < 80
                  and line.gap >= 1 and not _STEP_LINE.match(text)):
                drop.add(i)
                repairs["headers_footers"] += 1
    kept = []
    for i, line in enumerate(lines):
        if i not in drop and not _HAS_WORD.search(line.text) and not _GLYPH_ONLY.match(line.text):
            drop.add(i)
            repairs["separators"] += 1
        if i in drop:
            dropped.append((line.page, line.text.strip()))
            if i + 1 < len(lines) and document.kind == "txt":
                lines[i + 1].gap = max(lines[i + 1].gap, line.gap)
        else:
            kept.append(line)
    return kept


# ---------------------------------------------------------------- joining lines


_TERMINAL = (".", "!", "?")
_STEP_LINE = re.compile(r"^(?:Stap|STAP)(?:\s*\d\b|\s*$)")
"""A line that starts with a step's marker starts a block."""
_LABELLED = re.compile(r"^[^\W\d_]+(?:\s+[^\W\d_]+)?\s*:")
"""A labelled line ("Wie: directeur", "Let op: ...")."""
_STEP_ONLY = re.compile(r"^(?:Stap|STAP)\s*\d\s*[:.]?$")
"""A step's marker alone, its title on the lines below."""
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_DATE_LINE = re.compile(rf"^(?:\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|(?:{_MONTHS})\s+\d{{4}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}})$",
                        re.IGNORECASE)
"""A line that is a date and nothing else."""
_CONTINUES = re.compile(
    r"(?<!\w)(?:en|of|de|het|een|van|met|bij|voor|in|op|aan|te|die|dat|om|tot|naar|door|als|zo|and|or|the|of|to)$",
    re.IGNORECASE)
"""A line that ends with one of these words goes on on the next line."""
_HYPHENS = ("-", "\u2010", "\u00ad", "\u2011")


def _starts_lower(text: str) -> bool:
    stripped = text.lstrip("(\"'‘“")
    return bool(stripped) and (stripped[0].islower() or stripped[0].isdigit() and not list_start(text))


def _starts_upper(text: str) -> bool:
    stripped = text.lstrip("(\"'‘“")
    return bool(stripped) and stripped[0].isupper()


_URL_END = re.compile(r"(?:https?://|www\.)\S*[./\-_=?&]$", re.IGNORECASE)
_URL_GOES_ON = re.compile(r"[a-z0-9]+[./]\S", re.IGNORECASE)


class _Joiner:
    """Joins two lines of one paragraph, undoing a hyphenation at the line end."""

    def __init__(self, words: Counter, repairs: Counter):
        self.words, self.repairs = words, repairs

    def join(self, left: str, right: str) -> tuple[str, int]:
        """The joined text and where ``right`` starts in it."""
        left, right = left.rstrip(), right.lstrip()
        if left.endswith(_HYPHENS) and len(left) > 1 and left[-2].isalpha() and right[:1].isalpha():
            hyphen, stem = left[-1], re.search(r"(\w+)\W$", left)
            first = re.match(r"\w+", right)
            stem_word, next_word = (stem.group(1) if stem else ""), (first.group(0) if first else "")
            self.repairs["dehyphenated"] += 1
            if hyphen != "-" and right[:1].islower():
                return left[:-1] + right, len(left) - 1
            if next_word.lower() in ("en", "of", "tot", "and", "or"):
                return left + " " + right, len(left) + 1
            if right[:1].islower() and self.words[(stem_word + next_word).lower()] > 0:
                return left[:-1] + right, len(left) - 1
            return left + right, len(left)
        self.repairs["joined"] += 1
        if _URL_END.search(left) and _URL_GOES_ON.match(right):
            return left + right, len(left)  # a web address broken at a line end
        return left + " " + right, len(left) + 1


def _shift(marks, offset: int):
    return tuple((s + offset, e + offset, k) for s, e, k in marks)


def _percentile(values: list[float], share: float, default: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))] if values else default


def layout(document: Document) -> Layout:
    """The document's blocks in order, every repair counted."""
    repairs: Counter = Counter()
    dropped: list = []
    lines = drop_running(document, repairs, dropped)
    words = Counter(w.lower() for w in re.findall(r"\w+", document.text))
    joiner = _Joiner(words, repairs)
    whole = document.kind in ("docx", "odt", "md")
    blocks = _whole_blocks(lines, repairs) if whole else _joined_blocks(document, lines, joiner, repairs)
    for index, block in enumerate(blocks):
        block.index = index
        for _, _, kind in block.marks:
            repairs["bold" if kind == BOLD else "italic"] += 1
    return Layout(blocks, repairs, dropped)


def _item(text: str, repairs: Counter) -> tuple[str, str | None, int]:
    """(text without its mark, the mark, how many characters went) for a list item's first line."""
    found = list_start(text)
    if not found:
        return text, None, 0
    mark, rest = found
    repairs["numbered" if mark[0].isdigit() else "bullets"] += 1
    return rest, mark, len(text) - len(rest)


def _whole_blocks(lines: list[Line], repairs: Counter) -> list[Block]:
    blocks = []
    for line in lines:
        text, marks = line.text.strip(), line.marks
        cut = len(line.text) - len(line.text.lstrip())
        marks = _shift(marks, -cut)
        mark = line.list_mark
        if mark:
            repairs["numbered" if mark[0].isdigit() else "bullets"] += 1
        elif not line.level:
            text, mark, gone = _item(text, repairs)
            marks = _shift(marks, -gone)
        marks = tuple((max(s, 0), min(e, len(text)), k) for s, e, k in marks if e > 0 and s < len(text))
        kind = "heading" if line.level else "item" if mark else "paragraph"
        if kind == "paragraph" and line.bold and len(text) <= 150 and not text.endswith(".") and not line.cell:
            kind = "heading"
        blocks.append(Block(kind, " ".join(text.split()) if not marks else text, line.page, marks=marks,
                            level=line.level or (9 if kind == "heading" else 0), mark=mark, cell=line.cell,
                            width=len(text), bold=line.bold, depth=line.depth if kind == "item" else 0))
    return blocks


def _joined_blocks(document: Document, lines: list[Line], joiner: _Joiner, repairs: Counter) -> list[Block]:
    """Lines of a PDF or a text file, joined into paragraphs and list items."""
    pdf = document.kind == "pdf"
    lengths = [len(line.text.strip()) for line in lines if len(line.text.strip()) >= 20]
    width = _percentile(lengths, 0.9, 80)
    gaps = [line.gap for line in lines[1:]]
    double = bool(gaps) and sum(1 for g in gaps if g >= 1) > 0.6 * len(gaps)
    paragraph_gap = 2 if double else 1
    sizes = Counter(round(line.size or 0, 1) for line in lines)
    body_size = sizes.most_common(1)[0][0] if sizes else 0
    right_edge = _percentile([line.x1 for line in lines if line.x1 is not None and line.cell is None], 0.9, 0)
    column_edges: dict[tuple[int, int], list[float]] = {}
    for line in lines:
        if line.cell is not None and line.x1 is not None:
            column_edges.setdefault((line.cell[0], line.cell[2]), []).append(line.x1)
    column_edge = {key: _percentile(values, 0.9, 0) for key, values in column_edges.items()}
    pitch = _percentile([b.top - a.top for a, b in zip(lines, lines[1:], strict=False)
                         if pdf and a.page == b.page and b.top > a.top and round(a.size or 0, 1) == body_size], 0.3, 0)

    def short(line: Line) -> bool:
        if pdf:
            edge = right_edge if line.cell is None else column_edge[(line.cell[0], line.cell[2])]
            return line.x1 < edge - 3 * (line.size or 10)
        return len(line.text.strip()) < 0.75 * width

    def row_goes_on(a: Line, b: Line, left: str, right: str) -> bool:
        """The text of a cell goes on at the next page's top, in the same column of the row below:
        a row broken across the pages that its rules or backgrounds close at the page's end (cells
        on a background of their own, a word processor's frames), so that ``read`` made it two
        rows; the sentence not ended, the next line going on in lower case."""
        return pdf and a.cell is not None and b.cell is not None and a.cell[0] == b.cell[0] \
            and a.cell[2] == b.cell[2] and b.cell[1] == a.cell[1] + 1 and b.page == a.page + 1 \
            and not left.endswith((*_TERMINAL, ":", ";")) and (_starts_lower(right) or left.endswith(_HYPHENS))

    def breaks(a: Line, b: Line, in_item: bool) -> bool:
        left, right = a.text.strip(), b.text.strip()
        if a.cell != b.cell and not row_goes_on(a, b, left, right):
            return True
        if b.list_mark or list_start(right) or _GLYPH_ONLY.match(right) or _STEP_LINE.match(right):
            return True
        if _DATE_LINE.match(right) and not _CONTINUES.search(left) and not left.endswith((",", *_HYPHENS)):
            return True  # a date on a line of its own (a cover's "12 maart 2024" under the school's name)
        if pdf:
            if abs((a.size or 0) - (b.size or 0)) > 0.08 * max(a.size or 1, 1) or a.bold != b.bold:
                return True
            if a.page == b.page and pitch and b.top - a.top > 1.45 * pitch * max(1, (a.size or body_size) / (body_size or 1)):
                return True
            if in_item and b.x0 is not None and a.x0 is not None and b.x0 < a.x0 - 2 and not _starts_lower(right):
                return True
        elif b.gap >= paragraph_gap:
            goes_on = right[:1].islower() or left.endswith(_HYPHENS) or (
                right[:1].isdigit() and re.search(r"(?i)\bstap$", left)) or (
                b.gap == paragraph_gap and not short(a) and not _STEP_LINE.match(left))
            return not (not left.endswith((*_TERMINAL, ":")) and goes_on)
        elif b.text[:1].isspace() and left.endswith((*_TERMINAL, ":")):
            return True  # a text extraction starts a page's first line with a space
        if left.endswith(_HYPHENS) and right[:1].isalpha():
            return False
        if left.endswith(":") and _starts_lower(right):
            return False
        if left.endswith((*_TERMINAL, ":")) and short(a):
            return True
        if _CONTINUES.search(left):
            return False
        return short(a) and not left.endswith((",", ";")) and not _starts_lower(right) and not (
            pdf and not left.endswith(_TERMINAL) and _starts_upper(right) and not short(a))

    def short_text(text: str) -> bool:
        return len(text) < 0.75 * width

    def tight(line: Line) -> bool:
        return not pdf and line.gap < paragraph_gap and not line.text[:1].isspace()

    def heading_goes_on(text: str, position: int) -> bool:
        """A heading that starts with a step's marker goes on on the next line of its paragraph
        ("Stap 2 Overleggen met een (deskundige) collega en/of eventueel (anoniem)" / "Veilig
        Thuis"; "Stap 5 Beslissen:" / "I) Melden bij Veilig Thuis" / "II) én hulpverlenen?"):
        while the line is short, no list item or next step, ends no sentence (a "?" ends the
        heading), and starts no running paragraph (a line after it that goes on in lower case).
        A marker alone on its line ("Stap 1") takes the lines up to the paragraph's end only where
        they hold no sentence and are short: a table's narrow cells go on (.txt only)."""
        if pdf or not _STEP_LINE.match(text) or text.rstrip().endswith((*_TERMINAL, ";")):
            return False
        run: list[str] = []
        for ahead in range(position, len(lines)):
            if ahead > position and not tight(lines[ahead]):
                break
            run.append(lines[ahead].text.strip())
            if sum(len(r) + 1 for r in run) > 81:
                break
        right = run[0] if run else ""
        if not right or not tight(lines[position]) or list_start(right) or _STEP_LINE.match(right) \
                or right.endswith((".", "!", ";")) or not short_text(right) or _TOC.search(text) or _TOC.search(right):
            return False
        if _LABELLED.match(right):
            return False  # "Wie: ...", "Let op: ..."
        if _STEP_ONLY.match(text.strip()):
            whole = " ".join(run)
            return len(whole) <= 80 and not re.search(r"[.!;]", whole) and (
                position + len(run) >= len(lines) or not tight(lines[position + len(run)]))
        # not the first line of a running paragraph, or a list's (there the other rules decide)
        return not (len(run) > 1 and (list_start(run[1]) or _starts_lower(run[1])))

    blocks: list[Block] = []
    current: Block | None = None
    previous: Line | None = None
    glyph = None
    for position, line in enumerate(lines):
        stripped = line.text.strip()
        if _GLYPH_ONLY.match(stripped):
            glyph = stripped
            continue
        lead = len(line.text) - len(line.text.lstrip())
        if current is not None and previous is not None and glyph is None and (
                heading_goes_on(current.text, position) or not breaks(previous, line, current.kind == "item")):
            text, offset = joiner.join(current.text, stripped)
            current.marks = merge_marks(current.marks + _shift(line.marks, offset - lead))
            current.text = text
            current.width = max(current.width, len(stripped))
            current.lines += 1
            current.bold = current.bold and line.bold
            previous = line
            continue
        if line.list_mark:  # a bullet drawn as a shape: the text is the item's, whatever it starts with
            text, mark, gone = stripped, line.list_mark, 0
            repairs["drawn_bullets"] += 1
        else:
            text, mark, gone = _item(stripped, repairs)
        if glyph is not None and mark is None:
            mark = glyph
            repairs["bullets"] += 1
        glyph = None
        current = Block("item" if mark else "paragraph", text, line.page, marks=_shift(line.marks, -lead - gone),
                        mark=mark, width=len(stripped), bold=line.bold, size=line.size, gap=line.gap,
                        tight=bool(blocks) and tight(line), cell=line.cell, indent=line.x0 if pdf and mark else None)
        current.marks = tuple((max(s, 0), e, k) for s, e, k in current.marks if e > 0)
        blocks.append(current)
        previous = line
    for block in blocks:
        block.text = " ".join(block.text.split()) if not block.marks else block.text
        if block.kind == "paragraph" and block.cell is None and _heading_like(block, width, body_size, pdf):
            block.kind = "heading"
    if pdf:
        _pdf_depths(blocks, body_size)
    _numbered_headings(blocks)
    if pdf:
        heading_sizes = sorted({round(b.size or 0, 1) for b in blocks if b.kind == "heading"}, reverse=True)
        for block in blocks:
            if block.kind == "heading":
                size = round(block.size or 0, 1)
                block.level = heading_sizes.index(size) + 1 if size > body_size * 1.05 else len(heading_sizes) + 1
    return blocks


def _pdf_depths(blocks: list[Block], body_size: float) -> None:
    """A PDF's list items one level deeper where they start further right than the item before
    them, as a reader sees a sub-list; back out to the level whose start they share. Items
    follow each other (a paragraph, a heading or another cell ends the run), and a start counts
    as further right past half the body's font size (a "10." is a digit wider than a "9.";
    a sub-list stands 14 pt or more further in)."""
    slack = max(body_size, 8) / 2
    starts: list[float] = []  # the start of each open level, the outer list first
    before: Block | None = None
    for block in blocks:
        if block.kind != "item" or block.indent is None or before is None or before.cell != block.cell:
            starts = [block.indent] if block.kind == "item" and block.indent is not None else []
            before = block if starts else None
            continue
        if block.indent > starts[-1] + slack:
            starts.append(block.indent)
        else:
            while len(starts) > 1 and block.indent < starts[-1] - slack:
                starts.pop()
            if block.indent < starts[-1] - slack:  # left of the list's first item: the outer list starts there
                starts[-1] = block.indent
        block.depth = len(starts) - 1
        before = block


_TOC = re.compile(r"(?:\.{4,}|…{2,}|\. \. \. )\s*\d+\s*$")
"""A line of a table of contents: dot leaders and a page number."""


def _numbered_headings(blocks: list[Block]) -> None:
    """A numbered line alone before a paragraph ("1. Inleiding", "5) Afweging: Resultaat") is a
    heading, its number kept as its mark, also where it runs on to a second line and is no last
    item of a list ("4. Stappenplan bij signalen van huiselijk geweld en" / "kindermishandeling"),
    but not right after a sub-list (the list's next item); a line of a table of contents is a
    paragraph."""
    for i, block in enumerate(blocks):
        if _TOC.search(block.text):
            block.kind, block.text = "paragraph", ((block.mark or "") + " " + block.text).strip()
            block.mark = None
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        before = blocks[i - 1] if i else None
        in_list = before is not None and before.kind == "item" and before.numbered
        after_sub_list = before is not None and before.kind == "item" and before.depth > block.depth
        if (block.kind == "item" and block.numbered and block.cell is None and not after_sub_list
                and (block.lines == 1 or block.lines == 2 and not in_list) and len(block.text) <= 80
                and not block.text.rstrip().endswith((".", "?", "!", ";", ",", ":")) and block.text[:1].isupper()
                and following is not None and following.kind != "item"):
            block.kind = "heading"


def _heading_like(block: Block, width: float, body_size: float, pdf: bool) -> bool:
    text = block.text.strip()
    if not text or not re.search(r"[^\W\d_]{2}", text) or len(text) > 160 or _LETTER_ITEM.match(text):
        return False
    if pdf:
        bigger = (block.size or 0) > body_size * 1.12
        return bigger or (block.bold and block.lines <= 3 and not text.endswith((".", ",", ";")))
    if _CONTINUES.search(text):
        return False  # a line that goes on ("Ik heb de stappen 1 t/m 3 doorlopen en")
    if _STEP_LINE.match(text):  # a step's heading, its title over a narrow column's lines
        return len(text) <= 100 and not text.endswith((".", ",", ";"))
    if CAPS_LABEL.match(text):
        return True  # "TIPS:"
    return (block.lines <= 2 and len(text) <= max(width, 60) and not text.endswith((".", ",", ";", ":"))
            and (text[0].isupper() or text[0].isdigit()))


CAPS_LABEL = re.compile(r"^[^\W\d_a-z]{2,}(?:\s+[^\W\d_a-z]+){0,2}\s*:$")
"""A label in capitals ("TIPS:", "LET OP:"): a heading over what follows."""
