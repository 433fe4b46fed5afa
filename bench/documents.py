"""Documents made from a hand-made variant, as a school would have them: a Word file and a PDF.

For the import's tests and ``make bench``: the Word file holds the steps as a table (Stap, Wat,
Wie, Hoe; no Wie column where the variant took its wie from the text) with real Word lists and
bold runs; the PDF is Chromium's print of an HTML rendering with headings "Stap n: wat", a
"Wie:" line, a running header and footer (with page numbers), justified text and hyphenation
points (soft hyphens) in long words, so that lines end in hyphenated words.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

SOFT_HYPHEN_EVERY = 5
"""A soft hyphen after every this many letters of a word of 12 letters or more."""


def _hyphenate(text: str) -> str:
    def split(match: re.Match) -> str:
        word = match.group(0)
        return "\u00ad".join(word[i:i + SOFT_HYPHEN_EVERY] for i in range(0, len(word), SOFT_HYPHEN_EVERY))

    return re.sub(r"(?<![/@.\w])[^\W\d_]{12,}(?![/@.\w])", split, text)


def _with_sections(out: list[str], data: dict, md) -> str:
    """``out`` and the variant's sections under headings (items under smaller ones), as one
    body whose text is hyphenated as a justified print would be."""
    for section in data.get("sections", []):
        out.append(f"<h2>{html.escape(section['title'])}</h2>")
        if section.get("body"):
            out.append(md.render(section["body"]))
        for item in section.get("items", []):
            out.append(f"<h3>{html.escape(item['title'])}</h3>{md.render(item['body'])}")
    body = "\n".join(out)
    return re.sub(r">([^<]+)<", lambda m: ">" + _hyphenate(m.group(1)) + "<", body)


def variant_html(data: dict) -> str:
    """The body of an HTML rendering of a variant (its source title, date, steps, sections)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    source = data.get("source") or {}
    out = [f"<h1>{html.escape(source.get('title') or data['title'])}</h1>"]
    if source.get("date"):
        out.append(f"<p>{html.escape(str(source['date']))}</p>")
    for step in data["steps"]:
        out.append(f"<h2>Stap {step['number']}: {html.escape(step['wat'])}</h2>")
        if not step.get("wie_from_text"):
            out.append(f"<p><b>Wie:</b> {html.escape(step['wie'])}</p>")
        out.append(md.render(step["hoe"]))
    return _with_sections(out, data, md)


TABLE_COLUMNS = (("stap", "Stap"), ("wat", "Wat"), ("wie", "Wie"), ("hoe", "Hoe"))
"""The columns of the kwaliteitskaart's table: (what the cell holds, its header)."""


def variant_table_html(data: dict, columns=TABLE_COLUMNS, ruled: bool = True, repeat_header: bool = False,
                       numbers: str = "Stap {n}", shaded: bool = False) -> str:
    """The body of an HTML rendering of a variant as a "kwaliteitskaart": its title and date, then
    one table with a header row and a row per step (``columns``: (stap|wat|wie|hoe, header) in
    their order; no wie column where the variant took its wie from the text), its hoe rendered
    from Markdown (paragraphs, lists, bold), then the sections under headings as ``variant_html``.
    ``ruled``: cell borders (else none, the cells apart by their padding only; ``shaded``: by a
    background of their own, 2 px of white between them); ``repeat_header``:
    the header row as a ``<thead>``, which Chromium repeats on every page the table runs on. A
    row taller than what is left of a page breaks across the pages, as Chromium prints it."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    source = data.get("source") or {}
    with_wie = not all(step.get("wie_from_text") for step in data["steps"])
    columns = [(role, header) for role, header in columns if with_wie or role != "wie"]
    style = ("border-collapse:collapse" if ruled else "border-collapse:separate;border-spacing:2px" if shaded
             else "border-collapse:separate;border-spacing:14px 6px")
    cell = ("border:1px solid #000;padding:4px 6px;vertical-align:top" if ruled
            else "background:#dde6f0;padding:4px 6px;vertical-align:top" if shaded else "padding:0;vertical-align:top")
    out = [f"<h1>{html.escape(source.get('title') or data['title'])}</h1>"]
    if source.get("date"):
        out.append(f"<p>{html.escape(str(source['date']))}</p>")
    head = "<tr>" + "".join(f"<th style='{cell};text-align:left'>{html.escape(h)}</th>" for _, h in columns) + "</tr>"
    out.append(f"<table style='{style};width:100%'>" + (f"<thead>{head}</thead><tbody>" if repeat_header else head))
    widths = {"stap": "10%", "wat": "18%", "wie": "17%", "hoe": ""}
    for step in data["steps"]:
        values = {"stap": html.escape(numbers.format(n=step["number"])), "wat": html.escape(step["wat"]),
                  "wie": html.escape(step["wie"]), "hoe": md.render(step["hoe"])}
        out.append("<tr>" + "".join(f"<td style='{cell};width:{widths[role] or 'auto'}'>{values[role]}</td>"
                                    for role, _ in columns) + "</tr>")
    out.append("</tbody></table>" if repeat_header else "</table>")
    return _with_sections(out, data, md)


PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><style>
body {{ font: 11pt/1.45 "Liberation Serif", serif; text-align: justify; hyphens: manual; }}
h1 {{ font-size: 20pt; }} h2 {{ font-size: 15pt; }} h3 {{ font-size: 12.5pt; }}
</style></head><body>{body}</body></html>"""
HEADER = "<div style='font-size:8px;width:100%;text-align:center'>Protocol van de school, kopregel</div>"
FOOTER = ("<div style='font-size:8px;width:100%;text-align:center'>Pagina <span class='pageNumber'></span> van "
          "<span class='totalPages'></span></div>")


def print_pdfs(bodies: dict[Path, str], chromium: str = "/usr/bin/chromium", browser=None) -> None:
    """Print each HTML body to its PDF path with one Chromium (``browser``, a Playwright browser
    already running, else one launched here): A4, header and footer on every page."""
    if browser is not None:
        _print(browser, bodies)
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            _print(launched, bodies)
        finally:
            launched.close()


def _print(browser, bodies: dict[Path, str]) -> None:
    page = browser.new_page()
    try:
        for target, body in bodies.items():
            page.set_content(PAGE.format(body=body))
            page.pdf(path=str(target), format="A4", print_background=True, display_header_footer=True, header_template=HEADER,
                     footer_template=FOOTER, margin={"top": "2.2cm", "bottom": "2.2cm", "left": "2.4cm",
                                                     "right": "2.4cm"})
    finally:
        page.close()


def make_docx(data: dict, target: Path) -> None:
    """A Word file of the variant: title, the steps as a table, the sections under headings."""
    import docx

    document = docx.Document()
    source = data.get("source") or {}
    document.add_heading(source.get("title") or data["title"], level=1)
    if source.get("date"):
        document.add_paragraph(str(source["date"]))
    with_wie = not all(step.get("wie_from_text") for step in data["steps"])
    headers = ["Stap", "Wat", "Wie", "Hoe"] if with_wie else ["Stap", "Wat", "Hoe"]
    table = document.add_table(rows=1 + len(data["steps"]), cols=len(headers))
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _runs(cell.paragraphs[0], f"**{header}**")
    for row, step in zip(table.rows[1:], data["steps"], strict=True):
        values = {"Stap": f"Stap {step['number']}", "Wat": step["wat"], "Wie": step["wie"]}
        for cell, header in zip(row.cells, headers, strict=True):
            if header == "Hoe":
                _markdown_into(cell, step["hoe"], first=cell.paragraphs[0])
            else:
                cell.paragraphs[0].add_run(values[header])
    for section in data.get("sections", []):
        document.add_heading(section["title"], level=1)
        if section.get("body"):
            _markdown_into(document, section["body"])
        for item in section.get("items", []):
            document.add_heading(item["title"], level=2)
            _markdown_into(document, item["body"])
    document.save(str(target))


def _runs(paragraph, text: str) -> None:
    """``text`` into a paragraph, ``**bold**`` and ``*italic*`` as runs, Markdown escapes undone."""
    for piece in re.split(r"(\*\*[^*]+\*\*|(?<!\*)\*[^*]+\*(?!\*))", text):
        if not piece:
            continue
        if piece.startswith("**"):
            paragraph.add_run(_plain(piece[2:-2])).bold = True
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            paragraph.add_run(_plain(piece[1:-1])).italic = True
        else:
            paragraph.add_run(_plain(piece))


def _plain(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", lambda m: m.group(1), text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return re.sub(r"\\(.)", r"\1", text)


def _markdown_into(container, markdown: str, first=None) -> None:
    """Markdown paragraphs and lists as Word paragraphs and Word lists (List Bullet, List Number)."""
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = block.splitlines()
        items: list[tuple[str, str]] = []
        for line in lines:
            bullet = re.match(r"^\s*[-*+]\s+(.*)", line)
            number = re.match(r"^\s*\d+[.)]\s+(.*)", line)
            if bullet:
                items.append(("List Bullet", bullet.group(1)))
            elif number:
                items.append(("List Number", number.group(1)))
            elif items:
                items[-1] = (items[-1][0], items[-1][1] + " " + line.strip())
            else:
                items.append(("Normal", line.strip().lstrip("> ").strip()))
        if all(style == "Normal" for style, _ in items):
            items = [("Normal", " ".join(text for _, text in items))]
        for style, text in items:
            if first is not None:
                paragraph, first = first, None
                paragraph.style = style
            else:
                paragraph = container.add_paragraph(style=style)
            _runs(paragraph, text)
