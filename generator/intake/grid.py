"""Tables on a PDF page, from its rules: where each cell is, for ``read.read_pdf``.

A PDF has no tables, only text and paths: a table is the grid its rules draw. The rules are
the page's thin paths (a filled rectangle of at most ``THIN`` points across, as Chromium and
Word draw a border; a stroked line) and the edges of its stroked or filled rectangles (a cell's
frame or background). Collinear pieces that touch are one rule (Chromium draws a border per
cell); rules that cross or meet are one grid; a grid with two columns or more is a table.

A character's cell is bounded by the nearest vertical rule left of it that runs past it (else
the table's left edge) and the nearest horizontal rule above it that runs over it (else the
table's top): a cell merged over two columns or rows is one cell, a rule inside a cell that
meets no border (a horizontal line under a paragraph) is no rule of the table.

A table without a rule along its top or bottom edge is *open* there: a row Chromium (or Word)
broke across two pages, to be continued on the next page (``read`` links the two). Upright
rules alone that share their ends (three or more) are such a row over a whole page: a *bare*
table (no horizontal rules), which ``read`` takes only where it continues the page before.

The same walk gathers the page's *dots* (``page_rules(..., dots=[])``): small filled or stroked
shapes about as wide as high (``DOT``), such as Chromium, InDesign and some Word exports draw a
list's bullet with; ``read`` makes a line that such a dot stands just before a list item (D46).

Coordinates are in points from the page's top left, as ``Line.top``.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_right
from dataclasses import dataclass, field

THIN = 3.0
"""A path at most this many points across (and three times as long, at least ``MIN_RULE``) is a rule."""
MIN_RULE = 6.0
NEAR = 2.0
"""Rules this close (points) meet; pieces on one line this close are one rule."""
MIN_COLUMN = 6.0
"""Vertical rules closer than this bound no column between them (a double border)."""
DOT = (1.2, 8.0)
"""A dot is this many points across at least and at most, each way (Chromium's disc at 11 pt: 3)."""


@dataclass(frozen=True)
class Dot:
    """A small shape on a page (top-down coordinates) and the list mark it draws: "•" a filled
    round one, "◦" a stroked (hollow) one, "▪" a filled square, "▫" a stroked square."""

    left: float
    top: float
    right: float
    bottom: float
    mark: str


@dataclass
class Table:
    """One table's rules on one page (top-down coordinates)."""

    left: float
    top: float
    right: float
    bottom: float
    columns: list[float]
    """The left edge of every column: the table's left edge and every vertical rule's x."""
    rows: list[float]
    """The top of every row: the table's top and every horizontal rule's y."""
    verticals: list[tuple[float, float, float]] = field(default_factory=list)
    """(x, top, bottom) of each vertical rule."""
    horizontals: list[tuple[float, float, float]] = field(default_factory=list)
    """(y, left, right) of each horizontal rule."""
    open_top: bool = False
    open_bottom: bool = False

    def contains(self, x: float, y: float) -> bool:
        return self.left - NEAR <= x <= self.right + NEAR and self.top - NEAR <= y <= self.bottom + NEAR

    def cell(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, column) of the point, or None outside the table."""
        if not self.contains(x, y):
            return None
        left = max((vx for vx, top, bottom in self.verticals if vx <= x and top - NEAR <= y <= bottom + NEAR),
                   default=self.left)
        top = max((hy for hy, x0, x1 in self.horizontals if hy <= y and x0 - NEAR <= x <= x1 + NEAR), default=self.top)
        return max(bisect_right(self.rows, top + NEAR) - 1, 0), max(bisect_right(self.columns, left + NEAR) - 1, 0)


def _merge(pieces: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear pieces (position, start, end) that touch or overlap as one rule."""
    out: list[list[float]] = []
    for position, start, end in sorted(pieces):
        for rule in reversed(out[-8:]):
            if abs(rule[0] - position) <= 1.0 and start <= rule[2] + NEAR and end >= rule[1] - NEAR:
                rule[1], rule[2] = min(rule[1], start), max(rule[2], end)
                break
        else:
            out.append([position, start, end])
    return [tuple(rule) for rule in out]


def _distinct(values: list[float], gap: float) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] >= gap:
            out.append(value)
    return out


def tables(horizontals: list[tuple[float, float, float]], verticals: list[tuple[float, float, float]]) -> list[Table]:
    """The tables the rules draw: (y, left, right) horizontal and (x, top, bottom) vertical pieces,
    top-down; in order from the top of the page."""
    hs, vs = _merge(horizontals), _merge(verticals)
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (hy, x0, x1) in enumerate(hs):
        for j, (vx, y0, y1) in enumerate(vs):
            if x0 - NEAR <= vx <= x1 + NEAR and y0 - NEAR <= hy <= y1 + NEAR:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, rule in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(rule)
    for j, rule in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(rule)
    bare: dict[tuple[int, int], list] = {}
    for group_h, group_v in list(groups.values()):
        if not group_h:  # upright rules alone: a row that runs over the whole page, if they share their ends
            for rule in group_v:
                bare.setdefault((round(rule[1] / 4), round(rule[2] / 4)), []).append(rule)
    found = [Table(min(x for x, _, _ in rules), rules[0][1], max(x for x, _, _ in rules), rules[0][2],
                   _distinct([x for x, _, _ in rules[:-1]], MIN_COLUMN), [rules[0][1]], sorted(rules), [],
                   open_top=True, open_bottom=True)
             for rules in (sorted(r) for r in bare.values()) if len(_distinct([x for x, _, _ in rules], MIN_COLUMN)) >= 3]
    for group_h, group_v in groups.values():
        if not group_h or not group_v:
            continue
        left = min([x0 for _, x0, _ in group_h] + [vx for vx, _, _ in group_v])
        right = max([x1 for _, _, x1 in group_h] + [vx for vx, _, _ in group_v])
        top = min([hy for hy, _, _ in group_h] + [y0 for _, y0, _ in group_v])
        bottom = max([hy for hy, _, _ in group_h] + [y1 for _, _, y1 in group_v])
        columns = _distinct([left] + [vx for vx, _, _ in group_v if vx < right - MIN_COLUMN], MIN_COLUMN)
        if len(columns) < 2 or bottom - top < MIN_RULE:
            continue
        width = right - left

        def spans(hy: float, rules=group_h, width=width) -> bool:
            return sum(x1 - x0 for y, x0, x1 in rules if abs(y - hy) <= NEAR) >= 0.9 * width

        rows = _distinct([top] + [hy for hy, _, _ in group_h if hy < bottom - NEAR], NEAR)
        found.append(Table(left, top, right, bottom, columns, rows, sorted(group_v), sorted(group_h),
                           open_top=not spans(top), open_bottom=not spans(bottom)))
    return sorted(found, key=lambda t: (t.top, t.left))


# ---------------------------------------------------------------- the rules of a PDFium page


def page_rules(page, raw, height: float, dots: list[Dot] | None = None) -> tuple[list, list]:
    """The horizontal and vertical rules (top-down) of a pypdfium2 page: its thin paths, the edges
    of its rectangles, and the straight segments of its stroked paths; in form objects too. With
    ``dots``, each path that is a ``Dot`` is added to it."""
    horizontals: list[tuple[float, float, float]] = []
    verticals: list[tuple[float, float, float]] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    matrix = raw.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()

    def add(x0: float, y0: float, x1: float, y1: float) -> None:
        """A straight piece from (x0, y0) to (x1, y1), PDF coordinates; kept if it is level or upright."""
        if abs(y1 - y0) <= 0.5 and abs(x1 - x0) >= MIN_RULE:
            horizontals.append((height - (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= 0.5 and abs(y1 - y0) >= MIN_RULE:
            verticals.append(((x0 + x1) / 2, height - max(y0, y1), height - min(y0, y1)))

    def visit(get, count: int, transform) -> None:
        for index in range(count):
            obj = get(index)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                raw.FPDFPageObj_GetMatrix(obj, matrix)
                m = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
                visit(lambda i, form=obj: raw.FPDFFormObj_GetObject(form, i), raw.FPDFFormObj_CountObjects(obj),
                      _compose(m, transform))
                continue
            if kind != raw.FPDF_PAGEOBJ_PATH or not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                continue
            x0, y0 = transform(left.value, bottom.value)
            x1, y1 = transform(right.value, top.value)
            x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            w, h = x1 - x0, y1 - y0
            if h <= THIN and w >= max(MIN_RULE, 3 * h):
                add(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)
                continue
            if w <= THIN and h >= max(MIN_RULE, 3 * w):
                add((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)
                continue
            if w < MIN_RULE or h < MIN_RULE:
                if dots is not None and DOT[0] <= min(w, h) and max(w, h) <= DOT[1] and max(w, h) <= 1.5 * min(w, h):
                    raw.FPDFPath_GetDrawMode(obj, fill, stroke)
                    if fill.value or stroke.value:
                        square = raw.FPDFPath_CountSegments(obj) <= 6  # a circle is curves: Chromium's has 49
                        mark = ("▪" if square else "•") if fill.value else ("▫" if square else "◦")
                        dots.append(Dot(x0, height - y1, x1, height - y0, mark))
                continue
            raw.FPDFPath_GetDrawMode(obj, fill, stroke)
            segments = raw.FPDFPath_CountSegments(obj)
            if not stroke.value:
                if segments <= 6:  # a filled rectangle (a cell's background): its edges
                    add(x0, y0, x1, y0), add(x0, y1, x1, y1), add(x0, y0, x0, y1), add(x1, y0, x1, y1)
                continue
            raw.FPDFPageObj_GetMatrix(obj, matrix)
            own = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), transform)
            start = previous = None
            for s in range(segments):
                segment = raw.FPDFPath_GetPathSegment(obj, s)
                if not raw.FPDFPathSegment_GetPoint(segment, x, y):
                    continue
                point = own(x.value, y.value)
                if raw.FPDFPathSegment_GetType(segment) == raw.FPDF_SEGMENT_LINETO and previous is not None:
                    add(*previous, *point)
                elif raw.FPDFPathSegment_GetType(segment) == raw.FPDF_SEGMENT_MOVETO:
                    start = point
                previous = point
                if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                    add(*point, *start)

    visit(lambda i: raw.FPDFPage_GetObject(page, i), raw.FPDFPage_CountObjects(page), lambda a, b: (a, b))
    return horizontals, verticals


def _compose(m: tuple[float, ...], outer):
    """The transform that applies the matrix ``m`` (a b c d e f), then ``outer``."""
    a, b, c, d, e, f = m

    def transform(px: float, py: float) -> tuple[float, float]:
        return outer(a * px + c * py + e, b * px + d * py + f)

    return transform
