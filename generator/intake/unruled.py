"""A PDF table without rules or backgrounds, anchored on its header row (D44), for ``read``.

A page that draws no rules has no geometry of a table, only text standing in columns, as a
two-column page layout does. So such a table is read only where it names its columns: a row of
the page (its lines at one height) whose words are step-table header words (``HEADER_WORDS``:
"Stap", "Wat doe je?", "Wie is verantwoordelijk", "Hoe" ...), three or more of them, clearly apart
(a gap of ``GAP`` ems or more; a header cell's own words closer). Each header word starts a
column, which runs to the next one's; the lines below it are the table while

- every word stands in one column, and two words side by side in two columns are a gap apart
  (a line that runs across a column's edge, as a paragraph under the table does, ends it);
- nothing stands left of the first column, and the print is the table's: a heading (larger print)
  or a footnote (smaller) ends it; a running header or footer (small print in the page's top or
  bottom tenth) is passed over;
- the number column (the header's "Stap", else the first) holds only the rows' numbers: a
  paragraph there that is no number ends the table (a short line under the table at its left).

A row starts at the top of its number ("1", "2.", "Stap 3", "Stap" over "3") in the number column,
each number one more than the one before; two numbered rows at least, or one that the page's
end breaks. Cells hold paragraphs apart by gaps as large as those between rows (and a Word
table's rows stand a line apart), so gaps do not tell rows; the numbers do, where the cells are
aligned to their row's top (as Word and a printed HTML table have them). Where they are not
(text between the header and the first number, a line across a row's top, a column whose text
starts more than ``ALIGN`` ems below its row's number: cells centred in their rows), the table
is not read, and goes to the flattened-text reader as before. The header row takes the lines
right under it in its font (a header cell's words wrapped).

A table that runs to the page's end goes on at the next page's top (``Carry``): with its header
row repeated (found again, the same columns) or without it (the first lines fit its columns);
lines above the first number there continue the row the page broke (``open_top``; its number
cell empty: a line there that is no number ends the table), which ``read`` links as it does for
a ruled table.

The tables are ``grid.Table``s: column edges and row tops as upright and level rules, so that
``read`` splits and places a line's characters as for a ruled table.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .grid import Table

HEADER_WORDS = {
    "stap": ("stap", "step", "fase", "nr", "nummer"),
    "wat": ("wat", "actie", "handeling", "onderdeel"),
    "wie": ("wie", "verantwoordelijk", "verantwoordelijke", "functionaris", "door wie", "betrokkenen", "rol"),
    "hoe": ("hoe", "toelichting", "werkwijze", "uitwerking", "aanpak", "uitleg"),
}
"""The words a step table's header cells start with, by what the column holds (``structure``
reads a table's header row by them too)."""

GAP = 0.5
"""Ems between two columns' words at least (a space is a quarter of an em; a cell's padding on
both sides, or the spacing between cells, is more)."""
EDGE = 0.25
"""Ems a column's character may stand left of its header word (a glyph's side bearing)."""
LINE = 1.7
"""Ems from a line's top to the next one's in a paragraph at most (a paragraph's lines stand 1.15
to 1.5 ems apart; a gap between paragraphs or rows is more)."""
ALIGN = 2.0
"""Ems a cell's text may start below its row's number (the space before a paragraph)."""
MAX_HEADER_WORDS = 5
"""Words of one header cell on its first line at most ("Wie is verantwoordelijk?")."""

_FIRST_WORDS = frozenset(name.split()[0] for names in HEADER_WORDS.values() for name in names)
_NUMBER = re.compile(r"^\s*(?:(?:stap|step|fase)\s*)?\d{1,2}(?:[.:)]|\s|$)", re.IGNORECASE)
_NUMBER_WORD = re.compile(r"^\s*(?:stap|step|fase)\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"^\s*\d{1,2}(?:[.:)]|\s|$)")


def header_role(text: str) -> str | None:
    """The role ("stap", "wat", "wie", "hoe") of a header cell by its words, or None."""
    text = text.lower().strip(" ?:")
    for role, names in HEADER_WORDS.items():
        if any(text == n or text.startswith(n + " ") or text.startswith(n + "?") for n in names):
            return role
    return None


@dataclass(frozen=True)
class Word:
    """A word of a line: its text and where its characters start and end (points from the left)."""

    text: str
    x0: float
    x1: float


@dataclass
class Carry:
    """A table that ran to a page's end: what its continuation on the next page must fit."""

    columns: list[float]
    """Where each column starts (its header word's left edge)."""
    number: int
    """The number column."""
    size: float
    em: float
    last: int
    """The number of its last row."""


class _Columns:
    def __init__(self, starts: list[float], number: int, size: float, em: float):
        self.starts, self.number, self.size, self.em = starts, number, size, em
        self.slack = EDGE * em
        self.edges = [x - self.slack for x in starts]

    def of(self, x: float) -> int:
        return max(bisect_right(self.edges, x) - 1, 0)

    def texts(self, words: Sequence[Word]) -> dict[int, str]:
        """A line's words by column: column -> its text there."""
        out: dict[int, list[str]] = {}
        for word in sorted(words, key=lambda w: w.x0):
            out.setdefault(self.of(word.x0), []).append(word.text)
        return {column: " ".join(texts) for column, texts in out.items()}

    def fits(self, words: Sequence[Word]) -> bool:
        """Every word in one column, none left of the first, words in two columns a gap apart."""
        ordered = sorted(words, key=lambda w: w.x0)
        if not ordered or ordered[0].x0 < self.edges[0]:
            return False
        for before, after in zip(ordered, ordered[1:], strict=False):
            a, b = self.of(before.x0), self.of(after.x0)
            if a != b and after.x0 - before.x1 < GAP * self.em:
                return False
        return all(self.of(w.x0) == len(self.edges) - 1 or w.x1 < self.edges[self.of(w.x0) + 1] for w in ordered)


def tables(lines: Sequence, words_of: Callable[[int], tuple[list[Word], float]], width: float,
           carry: Carry | None) -> tuple[list[Table], Carry | None]:
    """The tables without rules on a page, and what goes on to the next page.

    ``lines``: the page's lines (``read.Line``: text, top, bottom, size, bold, page_height, cell;
    those in a ruled table's cell are passed over); ``words_of(i)``: the words of line ``i`` and
    the em of its first character (read only for lines near a header row or a table going on)."""
    free = sorted((i for i, line in enumerate(lines) if line.cell is None and line.text.strip()),
                  key=lambda i: (lines[i].top, lines[i].x0))
    rows = _visual_rows(lines, free)
    found: list[Table] = []
    out_carry = None
    position = 0
    if carry is not None:  # the page's first rows (print of the table's size) may go on with it
        columns = _Columns(carry.columns, carry.number, carry.size, carry.em)
        first = next((p for p, row in enumerate(rows) if not _band(lines, row, carry.size)), None)
        if first is not None:
            header = _header(lines, rows[first], words_of)
            if header is not None and len(header.starts) == len(columns.starts) and \
                    all(abs(a - b) <= columns.slack for a, b in zip(header.starts, columns.starts, strict=True)):
                table, position, out_carry = _body(lines, rows, first, header, words_of, width, True, carry.last)
            elif header is None:
                table, position, out_carry = _body(lines, rows, first, columns, words_of, width, False, carry.last)
            else:
                table = None
            if table is not None:
                found.append(table)
            else:
                position, out_carry = 0, None
    while position < len(rows):
        columns = _header(lines, rows[position], words_of)
        table = None
        if columns is not None:
            table, end, goes_on = _body(lines, rows, position, columns, words_of, width, True, None)
        if table is None:
            position += 1
            continue
        found.append(table)
        out_carry, position = goes_on, end
    return found, out_carry


def _visual_rows(lines: Sequence, order: list[int]) -> list[list[int]]:
    """The lines in order from the top, those side by side (overlapping by half their height) together."""
    rows: list[list[int]] = []
    bottom = top = 0.0
    for i in order:
        line = lines[i]
        if rows and line.top < bottom - 0.5 * min(line.bottom - line.top, bottom - top):
            rows[-1].append(i)
            bottom = max(bottom, line.bottom)
        else:
            rows.append([i])
            top, bottom = line.top, line.bottom
    return rows


def _band(lines: Sequence, row: list[int], size: float) -> bool:
    """Smaller print than the table's in the page's top or bottom tenth: a running header or
    footer, a page number, passed over."""
    return all((lines[i].size or 0) < 0.9 * size and lines[i].in_margin for i in row)


def _header(lines: Sequence, row: list[int], words_of) -> _Columns | None:
    """The columns a row of header words defines, or None."""
    texts = [w.lower().strip("?:") for i in row for w in lines[i].text.split()]
    if sum(w in _FIRST_WORDS for w in texts) < 3:  # cheap: no character boxes read
        return None
    words, em = [], 0.0
    for i in row:
        line_words, line_em = words_of(i)
        words += line_words
        em = max(em, line_em)
    words.sort(key=lambda w: w.x0)
    groups: list[list[Word]] = []
    for word in words:
        if groups and word.x0 - groups[-1][-1].x1 < GAP * em:
            groups[-1].append(word)
        else:
            groups.append([word])
    roles = [header_role(" ".join(w.text for w in group)) for group in groups]
    if len({r for r in roles if r}) < 3 or sum(r is None for r in roles) > 1 \
            or any(len(group) > MAX_HEADER_WORDS for group in groups):
        return None
    number = roles.index("stap") if "stap" in roles else 0
    size = max(lines[i].size or 0 for i in row)
    return _Columns([group[0].x0 for group in groups], number, size, em)


def _body(lines: Sequence, rows: list[list[int]], start: int, columns: _Columns, words_of, width: float,
          header: bool, last: int | None) -> tuple[Table | None, int, Carry | None]:
    """The table whose first visual row is ``rows[start]`` (its header row, or the page's first
    row where it goes on from the page before without one; ``last``: the number of the row the
    page before ended with, where it goes on); the visual row after it; a ``Carry`` where it runs
    to the page's end."""
    continuing = last is not None
    kept: list[int] = []  # positions of its visual rows
    for position in range(start + header, len(rows)):
        if _band(lines, rows[position], columns.size):
            continue
        if not all(_fits(lines[i], columns, words_of(i)[0]) for i in rows[position]):
            break
        kept.append(position)
    head = [start] if header else []
    if header:  # a header cell's words wrapped onto the lines below it, in its font
        bold = all(lines[i].bold for i in rows[start])
        while kept and all(lines[i].bold == bold for i in rows[kept[0]]) and \
                lines[rows[kept[0]][0]].top - lines[rows[head[-1]][0]].top <= LINE * columns.em and \
                not _numbers(lines, rows[kept[0]], columns, words_of, None)[0]:
            head.append(kept.pop(0))
    numbers, cut = _numbers(lines, [i for p in kept for i in rows[p]], columns, words_of, last)
    if cut is not None:
        kept = [p for p in kept if lines[rows[p][0]].top < cut]
    body = [i for p in kept for i in rows[p]]
    end = (kept[-1] if kept else head[-1] if head else start) + 1
    goes_on = not any(not _band(lines, row, columns.size) for row in rows[end:])
    if not body or not continuing and len(numbers) < (1 if goes_on else 2):
        return None, start, None  # a table's rows are numbered: two at least, or one the page's end breaks
    slack, em = columns.slack, columns.em
    members = body + [i for p in head for i in rows[p]]
    top = min(lines[i].top for i in members) - slack
    bottom = max(lines[i].bottom for i in members) + slack
    first = min(lines[i].top for i in body)
    tops = [t for t, _ in numbers]
    open_top = continuing and (not tops or tops[0] > first + 0.5 * em)  # the rest of a row the page broke
    if not continuing and tops[0] > first + 0.5 * em:
        return None, start, None  # text between the header and the first number: no row of a table
    # A row's top: that of its first lines, side by side with its number.
    starts = [min(lines[i].top for i in body if abs(lines[i].top - t) <= 0.5 * em) - slack for t in tops]
    row_tops = ([top] if header else []) + ([first - slack] if open_top else []) + starts
    if not _aligned(lines, members, body, row_tops, starts, columns, words_of):
        return None, start, None
    left, right = columns.edges[0], width
    table = Table(left, top, right, bottom, [left, *columns.edges[1:]], row_tops,
                  verticals=[(x, top, bottom) for x in columns.edges[1:]],
                  horizontals=[(y, left, right) for y in row_tops[1:]], open_top=open_top)
    final = numbers[-1][1] if numbers else last
    carry = Carry(columns.starts, columns.number, columns.size, columns.em, final) if goes_on else None
    return table, end, carry


def _aligned(lines: Sequence, members: list[int], body: list[int], row_tops: list[float], starts: list[float],
             columns: _Columns, words_of) -> bool:
    """The rows are a top-aligned table's: no line runs over a row's top, and in each numbered row
    every column's text starts beside the number, or a paragraph's space before it lower
    (``ALIGN`` ems); else the cells are centred, say, a number's top no row's, and the table is
    not read."""
    if any(lines[i].top < y < lines[i].bottom for y in row_tops[1:] for i in members):
        return False
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else float("inf")
        first: dict[int, float] = {}
        for i in body:
            if start <= lines[i].top < end:
                for column in columns.texts(words_of(i)[0]):
                    first[column] = min(first.get(column, lines[i].top), lines[i].top)
        if any(t > start + columns.slack + ALIGN * columns.em for t in first.values()):
            return False
    return True


def _fits(line, columns: _Columns, words: list[Word]) -> bool:
    """The line is of the table: its print (no heading, no footnote), its words in the columns."""
    size = line.size or 0
    return 0.9 * columns.size <= size <= 1.1 * columns.size and columns.fits(words)


def _numbers(lines: Sequence, body: list[int], columns: _Columns, words_of,
             last: int | None) -> tuple[list[tuple[float, int]], float | None]:
    """(top, number) of each row's number in the number column ("1", "2.", "Stap 3", "Stap" over
    "3"), each one more than the one before (than ``last``, the page before's); and where the
    table ends: at a paragraph in that column that is no number (text under the table at its
    left; on a page it goes on to, text above its first number: a cell going on holds no number)
    or at a number out of the sequence."""
    in_column = sorted(((lines[i], text) for i in body
                        if (text := columns.texts(words_of(i)[0]).get(columns.number)) is not None),
                       key=lambda pair: pair[0].top)
    numbers: list[tuple[float, int]] = []
    previous = None
    skip = False
    for position, (line, text) in enumerate(in_column):
        after = in_column[position + 1] if position + 1 < len(in_column) else None
        found = _NUMBER.match(text)
        if skip:
            skip = False
        elif found or _NUMBER_WORD.match(text) and after is not None and _DIGITS.match(after[1]) \
                and after[0].top - line.top <= LINE * columns.em:
            number = int(re.search(r"\d+", text if found else after[1]).group(0))
            expected = numbers[-1][1] + 1 if numbers else None if last is None else last + 1
            if expected is not None and number != expected:
                return numbers, line.top - columns.slack
            numbers.append((line.top, number))
            skip = not found  # "Stap" over its number
        elif not (previous is not None and numbers and line.top - previous.top <= LINE * columns.em):
            return numbers, line.top - columns.slack  # a paragraph of its own: no cell of the table
        previous = line
    return numbers, None
