"""From a school's own document to a draft variant file (``python -m generator import``).

The intake layer, beside ``build``: it reads a document, repairs only its layout and maps
it onto the meldcode's five steps, and shows the result for review; nothing but the command
line imports it.

- ``read``: a document (.docx, .pdf, .odt, .txt, .md) -> its lines, in order, with page,
  position, font and table cell; refuses a file it cannot read, with what to do;
- ``layout``: lines -> blocks (headings, paragraphs, list items, table cells): the only
  repairs a document gets, each one counted;
- ``structure``: blocks -> steps, sections, facts and contacts, and where each block went;
- ``draft``: the draft as YAML, written once, never over a file;
- ``record``: what the review needs of an import (its blocks and where each went), kept in
  ``.review/`` beside ``protocols/``;
- ``review``: the review in one local page (``python -m generator review``): the findings, the
  document's blocks by where they went, the variant's handbook page (D42).
"""
