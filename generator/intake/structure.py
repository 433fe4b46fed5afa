"""Blocks -> the meldcode's five steps, the sections, the facts, and where each block went.

Whatever the document's form:

- a **table** with a column per Stap, Wat, Wie, Hoe (any order; other headers such as
  "Wat doe je?", "Wie doet het?", "Toelichting" too), also as a text extraction flattens one
  (a header line "Stap Wat? Wie? Hoe?", then per row the narrow cells and the wide one);
- **headings** "Stap 1: In kaart brengen van signalen" (or "STAP 1" with "Wat:" below), and
  "1. Signalen in kaart brengen" where no "Stap" headings make five steps;
- **labelled lines** "Wat:", "Wie:", "Hoe:" under a step's heading.

A document may name its steps several times (a table of contents, a figure, a scheme, the
explanation): of all the places "Stap 1" to "Stap 5" stand in order, the one with the most
text under its steps is taken. Everything between the heading of step *n* and that of step
*n+1* is step *n*'s *hoe*; after step 5 its text runs on to the next heading of its level
(where the document shows levels) or, in plain text, to the next heading that is not "Stap 5..."
and shares no word with step 5's *wat*; a label heading ("TIP:") stays in the step. The rest
becomes sections in the document's order, following the document's own outline (``_ranks``):
a heading with text or sub-headings under it is a section, its sub-headings with text under
them its items, a heading with nothing under it a bold line where it stands; what stands under
no heading (and is no title, date, version or organisation) goes to ``unplaced``. Every block's
place is in ``Structure.placements``.

A **title page** is what comes before the document's first step, its table of contents, or its
first running text (a paragraph of eight words or more that ends a sentence) and the heading
right above it:
its title, date, version and organisation are read from it, the rest is ``unplaced``. A **table
of contents** (lines ending in dot leaders and a page number, under a heading such as "Inhoud")
is layout where every entry repeats a heading of the document: it is dropped and counted
(``contents``); else it goes to ``unplaced`` as one block, for a person.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..checks.roles import RoleFinder
from ..checks.text import emails_in_text, links, phone_numbers
from ..model.sources import Basismodel, Contacts, Phone, PhoneNumber, Roles, SectionKind
from .layout import CAPS_LABEL, Block
from .unruled import header_role

_STEP = re.compile(r"^(?:stap|step)\s*([1-5])(?![\d\-–]|\.\d)\s*(?:[:.)\-–]\s*)?(.*)$", re.IGNORECASE | re.DOTALL)
_LABEL = re.compile(r"^(wat|wie|hoe)\s*[:?]\s*(.*)$", re.IGNORECASE | re.DOTALL)
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_DATE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\s+(\d{{4}})\b|\b({_MONTHS})\s+(\d{{4}})\b|\b(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}})\b",
                   re.IGNORECASE)
_VERSION = re.compile(r"^\s*(?:versie|version|versienummer)\s*:?\s*(\S.{0,40}?)\s*$", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_STOPWORDS = frozenset((
    "de", "het", "een", "en", "of", "van", "in", "op", "te", "met", "bij", "voor", "aan", "door", "als", "dat", "die",
    "dan", "ook", "om", "tot", "naar", "zo", "is", "zijn", "wordt", "worden", "kan", "niet", "wel", "u", "je", "uw",
    "zij", "hij", "er", "na", "over", "uit", "nog"))

SECTION_KINDS = (
    (SectionKind.inleiding, r"inleiding|introductie|voorwoord|algemeen"),
    (SectionKind.definities, r"definitie|begrip|wat is kindermishandeling|wat is huiselijk"),
    (SectionKind.beroepsgeheim, r"beroepsgeheim|privacy|geheimhouding"),
    (SectionKind.spiekkaart, r"spiekkaart"),
    (SectionKind.afwegingskader, r"afwegingskader|afweging"),
    (SectionKind.verantwoordelijkheden, r"verantwoordelijkhe"),
    (SectionKind.ondersteuningsroute, r"ondersteuningsroute|zorgstructuur|ondersteuningsstructuur"),
    (SectionKind.tot_slot, r"tot slot|slot|afsluiting"),
)

SITUATION_PATTERNS = {
    "acuut-gevaar": r"\bacu(?:ut|te)\b[^.]*\b(?:gevaar|geweld|onveilig\w*)|noodsituatie|onmiddellijk\w* (?:moet )?worden beschermd|\b112\b",
    "zorg-over-een-medewerker": r"(?:gepleegd )?door een (?:medewerker|beroepskracht|collega|personeelslid)|"
                                r"medewerker van de school|zedendelict|meld- en aangifteplicht",
    "tussen-leerlingen-onderling": r"leerlingen onderling|tussen leerlingen|medeleerling|grensoverschrijdend gedrag",
    "vgv-eergerelateerd-geweld-huwelijksdwang-seksueel-misbruik":
        r"genitale verminking|meisjesbesnijdenis|\bVGV\b|eer ?gerelateerd|eerwraak|huwelijksdwang|seksueel misbruik",
}
"""The words by which a protocol ties a passage to a situation of situaties.yaml (proposals only)."""


@dataclass
class Shared:
    """What the structure reads from the handbook's shared sources."""

    basismodel: Basismodel
    contacts: Contacts
    roles: Roles

    def __post_init__(self):
        self.finder = RoleFinder(self.roles)


@dataclass
class Step:
    number: int
    wat: str | None = None
    wie: str | None = None
    wie_from_text: bool = False
    hoe: list[Block] = field(default_factory=list)
    hoe_lead: str | None = None
    """The text after "Hoe:" on its labelled line, the first paragraph of hoe."""
    form: str = ""
    """How the step was found: "table", "heading", "labels", "text table"."""
    wat_from_model: bool = False


@dataclass
class Section:
    title: str
    kind: SectionKind
    body: list[Block] = field(default_factory=list)
    items: list[tuple[str, list[Block]]] = field(default_factory=list)
    item_headings: list[Block] = field(default_factory=list)
    """The heading block of each item."""


@dataclass
class Structure:
    steps: list[Step]
    sections: list[Section]
    unplaced: list[list[Block]]
    placements: dict[int, str]
    """Block index -> where it went: "title", "source.date", "steps[0].wat", "sections[2].body",
    "unplaced[1]", ... (see ``draft.PLACES``)."""
    facts: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)
    contents_dropped: int = 0
    """Entries of tables of contents dropped as layout (each repeats a heading of the document)."""


# ---------------------------------------------------------------- helpers


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _content_words(text: str) -> set[str]:
    """The text's words of four letters or more but the commonest, by their first four
    letters ("meld" stands for melden, melding, meld)."""
    return {w[:4] for w in words(text) if len(w) >= 4 and w not in _STOPWORDS and not w.isdigit()}


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, words(a), words(b)).ratio()


def _length(blocks: list[Block]) -> int:
    return sum(len(b.text) for b in blocks)


_LEADER = re.compile(r"\s*(?:\.{4,}|…{2,}|(?:\. ){3,}\.?)\s*\d+(?=\s|$)\s*")
"""Dot leaders and a page number: where an entry of a table of contents ends."""
_CONTENTS_TITLE = re.compile(r"^(?:inhoud(?:sopgave|stafel|soverzicht)?|contents|table of contents)\s*:?$",
                             re.IGNORECASE)
"""The heading over a table of contents."""


def _is_toc(block: Block) -> bool:
    return bool(re.search(r"(?:\.{4,}|…{2,}|(?:\. ){3,}\.?)\s*\d+\s*$", block.text))


# ---------------------------------------------------------------- steps


def _markers(blocks: list[Block]) -> list[tuple[int, int, str]]:
    """(block index, step number, title) of every "Stap N" that starts a block (not a list item,
    not a line of a table of contents)."""
    found = []
    for block in blocks:
        if block.kind == "item" or block.cell is not None or _is_toc(block):
            continue
        match = _STEP.match(block.text.strip())
        if match:
            found.append((block.index, int(match.group(1)), match.group(2).strip()))
    return found


def _numbered_markers(blocks: list[Block], shared: Shared) -> list[tuple[int, int, str]]:
    """"1. Signalen in kaart brengen": numbered headings whose title is like the basismodel's step."""
    found = []
    for block in blocks:
        if block.kind == "heading" and block.mark and block.mark[0].isdigit() and not _is_toc(block):
            number = int(re.match(r"\d+", block.mark).group(0))
            if 1 <= number <= 5:
                model = shared.basismodel.steps[number - 1].wat
                if _similar(block.text, model) >= 0.3 or _content_words(block.text) & _content_words(model):
                    found.append((block.index, number, block.text))
    return found


def _best_sequence(markers: list[tuple[int, int, str]], blocks: list[Block]) -> list[tuple[int, int, str]] | None:
    """Of the markers, the sequence 1, 2, 3, 4, 5 in document order with the most text under its
    steps (from each chosen marker to the next chosen one); a heading counts for more than a
    paragraph that starts with "Stap n" (a quote, a scheme), a heading of another level than
    the one before it for less."""
    if not markers:
        return None

    def span(i: int) -> int:
        """The text from a marker to the next marker (for a heading: the next heading marker)."""
        heading = blocks[markers[i][0]].kind == "heading"
        nxt = next((m[0] for m in markers if m[0] > markers[i][0] and (not heading or blocks[m[0]].kind == "heading")),
                   len(blocks))
        return _length(blocks[markers[i][0] + 1:nxt])

    def weight(i: int) -> int:
        return 100_000 if blocks[markers[i][0]].kind == "heading" else 0

    best: dict[int, tuple[int, list[int]]] = {}
    for i, (index, number, _) in enumerate(markers):
        if number == 1:
            best[i] = (weight(i), [i])
            continue
        options = []
        for j, (score, chain) in best.items():
            if markers[j][1] == number - 1 and markers[j][0] < index:
                level = 0 if blocks[markers[j][0]].level == blocks[index].level else -50_000
                options.append((score + span(j) + weight(i) + level, [*chain, i]))
        if options:
            best[i] = max(options, key=lambda o: o[0])
    complete = []
    for key, (score, chain) in best.items():
        if markers[key][1] == 5:
            complete.append((score + span(key), chain))
    if not complete:
        return None
    _, chain = max(complete, key=lambda o: o[0])
    return [markers[i] for i in chain]


def _row_of(blocks_in_cell: list[Block]) -> str:
    return " ".join(b.text for b in blocks_in_cell)


def _table_steps(blocks: list[Block], shared: Shared) -> tuple[list[Step], set[int], dict[int, str]] | None:
    """Steps from a real table (Word, ODT, Markdown, a PDF's ruled table): a header row naming the
    columns, or without one: the column with the step numbers, the shortest text column as wat,
    the one naming roles as wie, the longest as hoe. A row that repeats the header row is header."""
    tables: dict[int, dict[tuple[int, int], list[Block]]] = {}
    for block in blocks:
        if block.cell is not None:
            table, row, column = block.cell
            tables.setdefault(table, {}).setdefault((row, column), []).append(block)
    for cells in tables.values():
        rows = sorted({r for r, _ in cells})
        columns = sorted({c for _, c in cells})
        header = {c: _row_of(cells.get((rows[0], c), [])).lower().strip(" ?:") for c in columns}
        roles: dict[str, int] = {}
        for c, text in header.items():
            role = header_role(text)
            if role is not None and role not in roles:
                roles[role] = c
        body_rows = rows[1:] if len(roles) >= 2 else rows
        # Rows that repeat the header row (a PDF repeats it on every page the table runs on).
        repeated = {r for r in body_rows if body_rows is not rows and any(header.values())
                    and all(_row_of(cells.get((r, c), [])).lower().strip(" ?:") == header[c] for c in columns)}
        numbered = []
        # A numbered row -> the rows after it with an empty step cell, which continue its step
        # (the rest of a row a page broke, where the PDF closed it with a rule at the page's end).
        goes_on: dict[int, list[int]] = {}
        for r in body_rows:
            texts = {c: _row_of(cells.get((r, c), [])) for c in columns}
            if numbered and r not in repeated and not texts.get(roles.get("stap", numbered[-1][2]), "").strip():
                goes_on.setdefault(numbered[-1][0], []).append(r)
                continue
            step_column = roles.get("stap")
            candidates = [step_column] if step_column is not None else columns
            number = None
            for c in candidates:
                match = re.match(r"^\s*(?:stap\s*)?([1-5])\b", texts.get(c, ""), re.IGNORECASE)
                if match:
                    number, step_column = int(match.group(1)), c
                    break
            if number:
                numbered.append((r, number, step_column, texts))
        if [n for _, n, _, _ in numbered] != [1, 2, 3, 4, 5]:
            continue
        if len(roles) < 3:  # no header: guess by content
            step_column = numbered[0][2]
            others = [c for c in columns if c != step_column]
            lengths = {c: sum(len(t[c]) for _, _, _, t in numbered) for c in others}
            hoe = max(others, key=lambda c: lengths[c])
            rest = [c for c in others if c != hoe]
            wie = max(rest, key=lambda c: sum(bool(shared.finder.named(t[c])) for _, _, _, t in numbered), default=None)
            wat = next((c for c in rest if c != wie), None)
            roles = {"stap": step_column, "hoe": hoe, **({"wie": wie} if wie is not None else {}),
                     **({"wat": wat} if wat is not None else {})}
        steps, used, placements = [], set(), {}
        for r in ([rows[0]] if body_rows is not rows else []) + sorted(repeated):
            for c in columns:
                for block in cells.get((r, c), []):
                    used.add(block.index)
                    placements[block.index] = "table header"
        for r, number, _, _ in numbered:
            step = Step(number, form="table")
            own_rows = [r, *goes_on.get(r, [])]
            leading: list[Block] = []
            for role in ("stap", "wat", "wie", "hoe"):
                column = roles.get(role)
                cell_blocks = [b for row in own_rows for b in cells.get((row, column), [])] if column is not None else []
                for block in cell_blocks:
                    used.add(block.index)
                if role == "wat":
                    step.wat = " ".join(b.text for b in cell_blocks) or None
                    for b in cell_blocks:
                        placements[b.index] = f"steps[{number - 1}].wat"
                elif role == "wie":
                    step.wie = " ".join(b.text for b in cell_blocks) or None
                    for b in cell_blocks:
                        placements[b.index] = f"steps[{number - 1}].wie"
                elif role == "hoe":
                    step.hoe = list(cell_blocks)
                    for b in cell_blocks:
                        placements[b.index] = f"steps[{number - 1}].hoe"
                else:
                    for b in cell_blocks:
                        rest = _STEP.match(b.text.strip())
                        if rest and rest.group(2).strip() and step.wat is None and "wat" not in roles:
                            step.wat = rest.group(2).strip()
                        elif not re.fullmatch(r"(?:stap\s*)?[1-5]\s*[.:)\-–]?", b.text.strip(), re.IGNORECASE):
                            # more than the number ("Stap 1: In kaart brengen" beside a Wat column,
                            # or a second paragraph): its words open the step's hoe, never dropped
                            leading.append(b)
                            placements[b.index] = f"steps[{number - 1}].hoe"
                            continue
                        placements[b.index] = f"steps[{number - 1}].number"
            step.hoe[:0] = leading
            for c in columns:  # a cell of another column (notes): hoe keeps it
                if c not in roles.values():
                    for block in (b for row in own_rows for b in cells.get((row, c), [])):
                        step.hoe.append(block)
                        used.add(block.index)
                        placements[block.index] = f"steps[{number - 1}].hoe"
            steps.append(step)
        return steps, used, placements
    return None


def _text_table_steps(blocks: list[Block], shared: Shared) -> tuple[list[Step], int, int, dict[int, str]] | None:
    """A table a text extraction flattened: a header line with Stap, Wat, Wie and Hoe, then per
    row "Stap N", the narrow cells' lines and the wide cell's. The wide cell is what has long
    lines; the narrow cells part where the wie starts with a role (or, with Wie before Wat, where
    the wat starts); the table ends at a line wider than the wide column."""
    for start, block in enumerate(blocks):
        found = [w for w in words(block.text)]
        if not (3 <= len(found) <= 6 and {"stap", "wat", "wie", "hoe"} <= set(found)):
            continue
        order = [w for w in found if w in ("wat", "wie", "hoe")]
        rows, i = [], start + 1
        while i < len(blocks):
            match = _STEP.match(blocks[i].text.strip())
            if match and not match.group(2).strip() or (match and len(blocks[i].text) <= 8):
                rows.append((i, int(match.group(1))))
            i += 1
        if [n for _, n in rows][:5] != [1, 2, 3, 4, 5]:
            continue
        rows = rows[:5]
        wide = [b.width for j, (i0, _) in enumerate(rows[:-1]) for b in blocks[i0 + 1:rows[j + 1][0]] if b.width >= 30]
        wide_width = max(wide) if wide else 80
        placements = {block.index: "table header"}
        steps, end = [], len(blocks)
        for j, (i0, number) in enumerate(rows):
            stop = rows[j + 1][0] if j + 1 < len(rows) else len(blocks)
            cells = blocks[i0 + 1:stop]
            placements[blocks[i0].index] = f"steps[{number - 1}].number"
            narrow = []
            for b in cells:
                if b.width >= 30 or b.kind == "item":
                    break
                narrow.append(b)
            hoe = cells[len(narrow):]
            if j + 1 == len(rows):
                for k, b in enumerate(hoe):
                    if b.width > wide_width * 1.1:
                        hoe, end = hoe[:k], b.index
                        break
            step = Step(number, form="text table")
            first, second = (order + ["wat", "wie"])[:2] if order[:2] != ["wat", "wie"] else ("wat", "wie")
            split = _split_narrow(narrow, first, shared)
            parts = {first: narrow[:split], second: narrow[split:]}
            step.wat = " ".join(b.text for b in parts.get("wat", [])) or None
            step.wie = " ".join(b.text for b in parts.get("wie", [])) or None
            for name, part in parts.items():
                for b in part:
                    placements[b.index] = f"steps[{number - 1}].{name}"
            step.hoe = list(hoe)
            for b in hoe:
                placements[b.index] = f"steps[{number - 1}].hoe"
            steps.append(step)
        return steps, block.index, end, placements
    return None


def _split_narrow(narrow: list[Block], first: str, shared: Shared) -> int:
    """Where the second narrow cell starts: at the first block (not the first) that starts with a
    role's word when the second cell is the wie, else after the blocks that start with one."""
    starts_with_role = [bool(re.match(shared.finder._regex, b.text)) for b in narrow]
    if first == "wat":
        for k in range(1, len(narrow)):
            if starts_with_role[k]:
                return k
        return max(1, len(narrow) - 1) if len(narrow) > 1 else len(narrow)
    for k in range(1, len(narrow)):
        if not starts_with_role[k] and narrow[k].text[:1].isupper():
            return k
    return len(narrow)


# ---------------------------------------------------------------- the structure


def structure(blocks: list[Block], shared: Shared, text: str) -> Structure:
    """The steps, sections, facts and placements of a document's blocks."""
    placements: dict[int, str] = {}
    notes: list[str] = []
    steps: list[Step] = []
    used: set[int] = set()
    region_start = region_end = None
    table = _table_steps(blocks, shared)
    if table:
        steps, used, placements = table
    else:
        flat = _text_table_steps(blocks, shared)
        if flat:
            steps, region_start, region_end, placements = flat
            used = {b.index for b in blocks[region_start:region_end]}
        else:
            chosen = _best_sequence(_markers(blocks), blocks) or _best_sequence(_numbered_markers(blocks, shared), blocks)
            if chosen:
                steps, used = _heading_steps(chosen, blocks, placements)
    if len(steps) != 5:
        notes.append("no five steps found (Stap 1 to Stap 5 as headings, a table or labelled lines): "
                      "the draft has none; write them in by hand")
    for step in steps:
        _labels(step, placements)
    reader = _reader(steps, shared)
    for step in steps:
        if step.wat is None:
            step.wat = shared.basismodel.steps[step.number - 1].wat
            notes.append(f"step {step.number}: the document gives no title (wat); the basismodel's is in the draft")
            step.wat_from_model = True
        if not step.wie:
            step.wie, step.wie_from_text = _wie_from_text(step, shared, reader)
    contents = _contents(blocks, used)
    in_contents = {b.index for run, _ in contents for b in run}
    front = _front_matter(blocks, used | in_contents)
    sections, unplaced = _sections(blocks, used | in_contents | {b.index for b in front}, placements, shared)
    facts, rest = _facts(front, placements, shared, text)
    groups = [rest] if rest else []
    dropped = 0
    for run, entries in contents:
        if entries is None:
            groups.append(run)
        else:
            dropped += entries
            for block in run:
                placements[block.index] = "dropped"
    unplaced = sorted(unplaced + groups, key=lambda group: group[0].index)
    for number, group in enumerate(unplaced):
        for block in group:
            placements[block.index] = f"unplaced[{number}]"
    proposals = _proposals(steps, sections)
    return Structure(steps, sections, unplaced, placements, facts, notes, proposals, dropped)


def _contents(blocks: list[Block], used: set[int]) -> list[tuple[list[Block], int | None]]:
    """Each table of contents: its blocks (its heading, three entries or more; a short line
    between two entries, an entry's first line, with them) and how many entries it has if every
    entry repeats a heading of the document (a block outside it with exactly its words, its
    number aside), else None."""
    runs: list[list[Block]] = []
    position = 0
    while position < len(blocks):
        if blocks[position].index in used or not _is_toc(blocks[position]):
            position += 1
            continue
        end = position
        while end + 1 < len(blocks) and blocks[end + 1].index not in used and (_is_toc(blocks[end + 1]) or (
                end + 2 < len(blocks) and _is_toc(blocks[end + 2]) and len(words(blocks[end + 1].text)) <= 15
                and not blocks[end + 1].text.rstrip().endswith((".", ";")))):
            end += 1
        start = position
        if start > 0 and blocks[start - 1].index not in used and _CONTENTS_TITLE.match(blocks[start - 1].text.strip()):
            start -= 1
        runs.append(blocks[start:end + 1])
        position = end + 1
    found = []
    for run in runs:
        inside = {b.index for b in run}
        headings = set()
        for block in blocks:
            if block.index not in inside:
                headings.add(tuple(words(block.text)))
                headings.add(tuple(words(f"{block.mark or ''} {block.text}")))
        entries, pending = [], ""
        for block in run:
            if _CONTENTS_TITLE.match(block.text.strip()):
                continue
            pieces = [p.strip() for p in _LEADER.split(block.text)]
            if not _is_toc(block):  # a line between two entries: an entry, or the first line of the next
                if tuple(words(block.text)) in headings:
                    entries.append(block.text)
                else:
                    pending = block.text
                continue
            pieces[0] = f"{pending} {pieces[0]}".strip()
            pending = ""
            entries += [p for p in pieces if p]
        if len(entries) < 3:
            continue
        repeats = all(tuple(words(e)) in headings or tuple(words(re.sub(r"^\s*\d+[.)]?\s*", "", e))) in headings
                      for e in entries + ([pending] if pending else []))
        found.append((run, len(entries) if repeats else None))
    return found


def _body(block: Block) -> bool:
    """Running text: a paragraph or list item of eight words or more that ends a sentence."""
    text = block.text.strip().rstrip("\"'”’)")
    return block.kind != "heading" and len(words(text)) >= 8 and text.endswith((".", "!", "?", ":", ";"))


def _front_matter(blocks: list[Block], taken: set[int]) -> list[Block]:
    """The title page: the blocks before the first step or table of contents, or before the
    first running text and the heading right above it (unless that is a date or a version)."""
    for position, block in enumerate(blocks):
        if block.index in taken:
            return blocks[:position]
        if _body(block):
            above = blocks[position - 1] if position else None
            if above is not None and above.kind == "heading" and not _VERSION.match(above.text) \
                    and not _DATE.fullmatch(above.text.strip()):
                return blocks[:position - 1]
            return blocks[:position]
    return []


def _heading_steps(chosen, blocks: list[Block], placements: dict[int, str]) -> tuple[list[Step], set[int]]:
    steps, used = [], set()
    for j, (index, number, title) in enumerate(chosen):
        marker = blocks[index]
        stop = chosen[j + 1][0] if j + 1 < len(chosen) else _end_of_last(marker, title, blocks)
        step = Step(number, wat=title or None, form="heading")
        placements[index] = f"steps[{number - 1}].wat" if title else f"steps[{number - 1}].number"
        used.add(index)
        for block in blocks[index + 1:stop]:
            step.hoe.append(block)
            used.add(block.index)
            placements[block.index] = f"steps[{number - 1}].hoe"
        steps.append(step)
    return steps, used


def _end_of_last(marker: Block, title: str, blocks: list[Block]) -> int:
    """Where step 5's text ends: the next heading of its level or higher where the document shows
    levels, else the next heading that is no "Stap 5..." and shares no word with its wat."""
    own = _content_words(title)
    for block in blocks[marker.index + 1:marker.index + 4]:
        label = _LABEL.match(block.text.strip())
        if label and label.group(1).lower() == "wat":
            own |= _content_words(label.group(2))
    for block in blocks[marker.index + 1:]:
        if block.kind != "heading" or block.cell is not None or _LABEL.match(block.text.strip()) \
                or CAPS_LABEL.match(block.text.strip()):
            continue  # a label ("Wie:", "TIP:") heads a part of the step
        if re.match(r"^(?:stap|step)\s*5", block.text, re.IGNORECASE):
            continue
        if marker.level and block.level:
            if block.level <= marker.level:
                return block.index
            continue
        if not (_content_words(block.text) & own):
            return block.index
    return len(blocks)


def _labels(step: Step, placements: dict[int, str]) -> None:
    """"Wat:", "Wie:", "Hoe:" at the start of a block of the step (its first ones)."""
    kept = []
    for block in step.hoe:
        match = _LABEL.match(block.text.strip()) if block.kind != "item" else None
        label = match.group(1).lower() if match else None
        if label == "wat" and step.wat is None and match.group(2).strip():
            step.wat = match.group(2).strip()
            placements[block.index] = f"steps[{step.number - 1}].wat"
            step.form = "labels"
        elif label == "wie" and step.wie is None and match.group(2).strip():
            step.wie = match.group(2).strip()
            placements[block.index] = f"steps[{step.number - 1}].wie"
            step.form = "labels"
        elif label == "hoe" and step.hoe_lead is None and not kept:
            step.hoe_lead = match.group(2).strip()
            cut = len(block.text) - len(step.hoe_lead)
            block.text = step.hoe_lead
            block.marks = tuple((max(s - cut, 0), e - cut, k) for s, e, k in block.marks if e - cut > 0)
            kept.append(block)
        else:
            kept.append(block)
    step.hoe = kept


def _reader(steps: list[Step], shared: Shared) -> str | None:
    """Who the document means by "u" (or "je"), in its own words: the role after the first
    "u als" in its steps ("de signalen die u als leerkracht of andere betrokkene bij de leerling
    waarneemt" -> "leerkracht of andere betrokkene")."""
    pattern = re.compile(r"(?<!\w)(?:u|je|jij)\s+als\s+((?:" + shared.finder._regex.pattern
                         + r")(?:\s+(?:of|en|en/of)\s+(?:een\s+|de\s+)?(?:andere\s+)?[^\W\d_]{3,}(?!\w))?)",
                         re.IGNORECASE)
    for step in steps:
        for text in [step.wat or ""] + [b.text for b in step.hoe]:
            found = pattern.search(text)
            if found:
                return " ".join(found.group(1).split())
    return None


def _wie_from_text(step: Step, shared: Shared, reader: str | None = None) -> tuple[str, bool]:
    """The roles the step's own text names (roles.yaml's words, as written, in order of first
    appearance); where it names none but speaks to the reader ("u", "je"), who the document
    means by that (``_reader``), else "u"."""
    text = " ".join([step.wat or ""] + [b.text for b in step.hoe])
    seen, found = set(), []
    for match in shared.finder._regex.finditer(text):
        role = shared.finder._by_word.get(" ".join(match.group(0).replace("\u2019", "'").lower().split()))
        if role and role not in seen:
            seen.add(role)
            found.append(" ".join(match.group(0).split()))
    if found:
        return ", ".join(found), True
    for word in ("u", "U", "je", "jij"):
        if re.search(rf"(?<!\w){word}(?!\w)", text):
            return reader or word, True
    return "school" if re.search(r"(?<!\w)school(?!\w)", text) else (step.wat or "?"), True


def _kind(title: str) -> SectionKind:
    for kind, pattern in SECTION_KINDS:
        if re.search(pattern, title, re.IGNORECASE):
            return kind
    return SectionKind.overig


_ENUMERATION = re.compile(r"^(?:[a-zA-Z]|[ivxIVX]{1,4})[.)]\s")


def _style(block: Block) -> str:
    """How a heading is marked: "step" ("Stap 3 ..."), "number" ("1. Inleiding"), "letter"
    ("a. ...", "II) ..."), "label" (ends in a colon: "TIPS:") or "plain"."""
    text = block.text.strip()
    if _STEP.match(text):
        return "step"
    if block.numbered:
        return "number"
    if _ENUMERATION.match(text):
        return "letter"
    if text.endswith(":"):
        return "label"
    return "plain"


def _question(blocks: list[Block], position: int, used: set[int]) -> bool:
    """A question its answer follows ("Hoe handel je als ...?", then what to do): a short
    paragraph ending in "?", the block after it text that is no question."""
    block = blocks[position]
    following = blocks[position + 1] if position + 1 < len(blocks) else None
    text = block.text.strip()
    return (block.kind == "paragraph" and block.cell is None and text.endswith("?") and len(text) <= 200
            and not _ENUMERATION.match(text) and following is not None and following.index not in used
            and following.kind != "heading" and not following.text.rstrip().endswith("?"))


def _number(block: Block) -> int | None:
    """The number of a numbered or "Stap n" heading."""
    step = _STEP.match(block.text.strip())
    if step:
        return int(step.group(1))
    return int(re.match(r"\d+", block.mark).group(0)) if block.numbered else None


def _ranks(blocks: list[Block], used: set[int]) -> dict[int, int]:
    """Block index -> rank (1 highest) of each heading outside the steps, by the document's own signals.

    Where the document shows levels (Word and ODT styles, Markdown, PDF font sizes) they are the
    ranks. A plain text shows none, so the way a heading is marked decides: the mark of the first
    heading with text under it ("1. Inleiding", or a plain line) is the top rank, every other mark
    ("Stap n", "1.", "a.", a label ending in a colon) the one below. Below the top rank too: a
    heading right under an empty top-rank heading, on the next line (its subtitle: "Spiekkaart" /
    "Wat te doen bij (eerste) signalen ...?"), and a heading that starts with the same three words
    as the sub-heading before it ("Hoe handel je als ..."). A question its answer follows is a
    heading (one rank below the heading above it) where another question or heading starts with
    its first three words: a series of questions, each with its answer."""
    ranks: dict[int, int] = {}
    candidates = [(p, b) for p, b in enumerate(blocks) if b.index not in used and b.cell is None
                  and (b.kind == "heading" and not _is_toc(b) or _question(blocks, p, used))]
    openings = Counter(tuple(words(b.text)[:3]) for _, b in candidates if len(words(b.text)) > 3)
    headings = [(p, b) for p, b in candidates if b.kind == "heading" or openings[tuple(words(b.text)[:3])] > 1]
    if not headings:
        return ranks
    levelled = any(b.level for _, b in headings if b.kind == "heading")
    top = next((_style(b) for p, b in headings if b.kind == "heading" and _style(b) in ("plain", "number")
                and p + 1 < len(blocks) and blocks[p + 1].index not in used and blocks[p + 1].kind != "heading"),
               "plain")
    previous_sub: Block | None = None
    above = 0
    for position, block in headings:
        before = blocks[position - 1] if position else None
        if block.kind != "heading":  # a question of a series
            rank = above + 1 if levelled else 2
        elif levelled:
            rank = block.level or 9
        else:
            rank = 1 if _style(block) == top else 2
            if rank == 1 and block.tight and before is not None and ranks.get(before.index) == 1 \
                    and before.kind == "heading":
                rank = 2  # a subtitle
            if rank == 1 and previous_sub is not None and len(words(block.text)) > 3 \
                    and words(block.text)[:3] == words(previous_sub.text)[:3]:
                rank = 2  # one of a series
        ranks[block.index] = rank
        if block.kind == "heading":
            above = rank
        if rank == 1:
            previous_sub = None
        elif not levelled:
            previous_sub = block
    return ranks


def _sections(blocks: list[Block], used: set[int], placements: dict[int, str], shared: Shared):
    """Sections in the document's order, and what stands under no heading (``unplaced``).

    A heading of a section's rank (``_ranks``) with text under it (directly, or under its
    sub-headings) opens a section; a heading below it with text under it is one of its items;
    a heading below the items' rank is a bold line in its item. A heading with no text under it
    is a bold line where it stands (in the section's text before its first item, else at the
    end of the item before it), so the page reads in the document's order; so is a heading that
    stands inside a numbered series of items ("Stap 2: ..." / "Bespreken met ouders/leerling" /
    "Stap 3: ..."). What stands under no heading is unplaced (consecutive such blocks together)."""
    sections: list[Section] = []
    unplaced: list[list[Block]] = []
    ranks = _ranks(blocks, used)
    current: Section | None = None
    item: tuple[str, list[Block]] | None = None
    item_number: int | None = None
    section_rank = 0
    item_rank: int | None = None
    pending: list[Block] = []

    def close_unplaced():
        nonlocal pending
        if pending:
            unplaced.append(pending)
            for b in pending:
                placements[b.index] = f"unplaced[{len(unplaced) - 1}]"
            pending = []

    def text_under(position: int, rank: int) -> bool:
        """Text before the next heading of this rank or higher (a step's block ends it too)."""
        for block in blocks[position + 1:]:
            if block.index in used:
                return False
            if block.index not in ranks:
                return True
            if ranks[block.index] <= rank:
                return False
        return False

    def in_series(position: int) -> bool:
        """The heading stands between two items of a numbered series: no text of its own, and the
        next sub-heading goes on with the number after the last item's."""
        if item_number is None:
            return False
        for block in blocks[position + 1:]:
            if block.index in used or block.index not in ranks:
                return False
            if ranks[block.index] > section_rank:
                return _number(block) == item_number + 1
        return False

    for position, block in enumerate(blocks):
        if block.index in used:
            close_unplaced()
            current, item, item_number = None, None, None
            continue
        rank = ranks.get(block.index)
        if rank is not None and text_under(position, rank):
            if current is None or rank <= section_rank:
                if not in_series(position):
                    close_unplaced()
                    current = Section(_title(block), _kind(_title(block)))
                    sections.append(current)
                    section_rank, item, item_rank, item_number = rank, None, None, None
                    placements[block.index] = f"sections[{len(sections) - 1}].title"
                    continue
            elif item_rank is None or rank <= item_rank:
                item = (_title(block, mark=True), [])
                current.items.append(item)
                current.item_headings.append(block)
                item_rank, item_number = rank, _number(block)
                placements[block.index] = f"sections[{len(sections) - 1}].items[{len(current.items) - 1}].title"
                continue
        if current is None:
            pending.append(block)
            continue
        if item is not None:
            item[1].append(block)
            placements[block.index] = f"sections[{len(sections) - 1}].items[{len(current.items) - 1}].body"
        else:
            current.body.append(block)
            placements[block.index] = f"sections[{len(sections) - 1}].body"
    close_unplaced()
    return sections, unplaced


def _title(block: Block, mark: bool = False) -> str:
    """A heading's text; an item's with its number ("1. Vermoeden wegen", "2. Veiligheid"): the
    items of a section are its list."""
    text = block.text.strip()
    return f"{block.mark} {text}" if mark and block.mark and block.numbered else text


# ---------------------------------------------------------------- facts


def _facts(lead: list[Block], placements: dict[int, str], shared: Shared, text: str) -> tuple[dict, list[Block]]:
    """Title, date, version and organisation from the title page (``lead``), and its blocks that
    are none of these; phones, e-mail addresses, websites and the Veilig Thuis region from the
    whole text."""
    facts: dict = {"title_parts": [], "date": None, "version": None, "organisation": None}
    taken = set()
    seen_texts = Counter(b.text.strip() for b in lead)
    title_open = True
    for block in lead:
        stripped = block.text.strip()
        version = _VERSION.match(stripped)
        date = _DATE.search(stripped)
        if version and facts["version"] is None:
            facts["version"] = version.group(1)
            placements[block.index] = "source.version"
        elif date and len(stripped) <= len(date.group(0)) + 25 and facts["date"] is None:
            facts["date"] = date.group(0) if len(stripped) > len(date.group(0)) + 12 else stripped
            facts["date_match"] = date
            placements[block.index] = "source.date"
            title_open = False
        elif seen_texts[stripped] > 1 or (not title_open and len(stripped) <= 60 and facts["organisation"] is None):
            if facts["organisation"] is None:
                facts["organisation"] = stripped
            placements[block.index] = "organisation.name"
            title_open = False
        elif title_open and len(stripped) <= 160 and not stripped.endswith((".", ";", ",")) and not _is_toc(block):
            facts["title_parts"].append(stripped)
            placements[block.index] = "source.title"
        else:
            title_open = False
            continue
        taken.add(block.index)
    facts["title"] = " ".join(facts.pop("title_parts")) or None
    facts.update(_contacts(text, shared))
    return facts, [b for b in lead if b.index not in taken]


def _valid_phone(number: str) -> bool:
    from pydantic import TypeAdapter, ValidationError

    try:
        TypeAdapter(PhoneNumber).validate_python(number)
    except ValidationError:
        return False
    return True


_VT_WORDS = re.compile(r"veilig\s*thuis|\bVT\b|\bAMK\b|advies- en meldpunt|meldpunt", re.IGNORECASE)


def _contacts(text: str, shared: Shared) -> dict:
    """The Veilig Thuis number and website as written, the region, and named contacts."""
    facts: dict = {"vt_phone": None, "vt_website": None, "region": None, "contacts": [], "phones": []}
    national = shared.contacts.national.phone.digits
    flat = " ".join(text.split())
    for sentence in _sentences(flat):
        for number in phone_numbers(sentence):
            number = number.strip()
            if not _valid_phone(number):
                continue
            phone = Phone(number=number)
            note = _note_after(sentence, number)
            facts["phones"].append((number, note, sentence))
            region_numbers = {r.phone.digits for r in shared.contacts.veilig_thuis_regions.values()}
            if facts["vt_phone"] is None and (_VT_WORDS.search(sentence) or phone.digits in region_numbers | {national}):
                facts["vt_phone"] = (number, note)
            elif phone.digits not in region_numbers | {national}:
                facts["contacts"].append({"name": _name_before(sentence, number) or number, "phone": (number, note)})
    for url in links(flat):
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0]
        if facts["vt_website"] is None and re.search(r"veiligthuis|amk", host):
            facts["vt_website"] = url
    for key, region in shared.contacts.veilig_thuis_regions.items():
        if re.search(re.escape(region.name), flat, re.IGNORECASE):
            facts["region"] = key
            break
    if facts["region"] is None:
        for key, region in shared.contacts.veilig_thuis_regions.items():
            host = re.sub(r"^(?:https?://)?(?:www\.)?", "", (region.website or "").lower()).split("/")[0]
            if host and host in flat.lower():
                facts["region"] = key
                break
    if facts["region"] is None and facts["vt_phone"]:
        digits = Phone(number=facts["vt_phone"][0]).digits
        matching = [k for k, r in shared.contacts.veilig_thuis_regions.items() if r.phone.digits == digits]
        if len(matching) == 1 and digits != national:
            facts["region"] = matching[0]
    for sentence in _sentences(flat):
        for email in emails_in_text(sentence):
            before = sentence[:sentence.find(email)]
            name = _name_before(before + email, email)
            organisation = None
            paren = before.rfind("(")
            if paren != -1 and ")" not in before[paren:]:
                inside = before[paren + 1:].strip(" ,;")
                if inside and not _name_before(before[:paren] + "X", "X"):
                    organisation = None
                organisation = inside or None
                name = _name_before(before[:paren] + "X", "X") or name
            facts["contacts"].append({"name": name or email, "email": email, "organisation": organisation})
    return facts


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text) if s.strip()]


def _note_after(sentence: str, number: str) -> str | None:
    after = sentence[sentence.find(number) + len(number):]
    match = re.match(r"\s*\(([^()]{2,80})\)", after)
    return match.group(1).strip() if match else None


_NAME = re.compile(r"((?:[A-Z][\w'’.-]+)(?:\s+(?:van|de|der|den|ter|ten|het|'t|van der|van den|[A-Z][\w'’.-]+))*)\s*[(,:]?\s*$")


def _name_before(text: str, anchor: str) -> str | None:
    """The capitalised words (a person's or organisation's name) just before ``anchor``."""
    before = text[:text.find(anchor)].rstrip(" (:,;-–")
    before = before.split(";")[-1]
    match = _NAME.search(before)
    if not match:
        return None
    name = match.group(1).strip()
    parts = name.split()
    while parts and parts[0].lower() in ("en", "of", "met", "bij", "de", "het", "van"):
        parts = parts[1:]
    name = " ".join(parts)
    return name if len(name) >= 3 and len(parts) <= 5 else None


# ---------------------------------------------------------------- situations


def _proposals(steps: list[Step], sections: list[Section]) -> list[dict]:
    """Passages whose own words tie them to a situation: a proposal per (situation, place, block);
    where an item's title has the words ("Hoe handel je als je signalen van derden krijgt, zoals
    een medeleerling ...?"), the whole item (``whole``; its block the title's)."""
    places: list[tuple[dict, list[Block]]] = [({"step": s.number}, s.hoe) for s in steps]
    titled: list[tuple[dict, Block]] = []
    for section in sections:
        places.append(({"section": section.title}, section.body))
        for (title, body), heading in zip(section.items, section.item_headings, strict=True):
            places.append(({"section": section.title, "item": title}, body))
            titled.append(({"section": section.title, "item": title}, heading))
    found = []
    for situation, pattern in SITUATION_PATTERNS.items():
        regex = re.compile(pattern, re.IGNORECASE)
        for place, heading in titled:
            if regex.search(heading.text):
                found.append({"situation": situation, **place, "block": heading, "whole": True})
        for place, body in places:
            for block in body:
                if regex.search(block.text):
                    found.append({"situation": situation, **place, "block": block})
    return found
