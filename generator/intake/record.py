"""What an import keeps for its review: the document's blocks and where each went.

``python -m generator import`` writes, beside the draft's ``protocols/`` folder, the file
``.review/<draft's name>.json`` (the folder is in ``.gitignore``: never part of the handbook
or the published site). ``python -m generator review`` reads it, so that the review needs
neither the document nor a second reading of it (D42). The record holds:

- ``format`` (``FORMAT``), ``id``, ``version``, ``draft`` (the draft's file name);
- ``document``: its ``name``, ``kind`` (txt, pdf, docx, ...) and ``pages``;
- ``repairs``: the layout repairs counted (``layout.REPAIRS``'s keys);
- ``dropped``: ``[page, text]`` of each line dropped as a running header, footer, page number
  or separator;
- ``blocks``: per block of the document, in order, its ``index``, ``page``, ``kind``
  (heading, paragraph, item), list ``mark`` and ``depth`` (0: not nested; a record without it
  is read as 0), plain ``text``, ``place`` (``Structure.placements``:
  ``steps[0].hoe``, ``sections[2].body``, ``unplaced[1]``, ``source.date``, ``dropped``, ...),
  ``situations`` (the ids of the situations it is proposed for) and ``contacts`` (each
  phone, e-mail address or website of the draft that it holds: ``{"field", "text"}``, the
  field being ``veilig_thuis.phone_as_written``, ``contacts[0].phone``, ...).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..release.atomic import write_file
from .read import IntakeError

if TYPE_CHECKING:
    from .draft import Intake

FORMAT = 1
FOLDER = ".review"


def review_folder(protocols: Path) -> Path:
    """Where the records and review pages of the sources in ``protocols`` go: beside it."""
    return Path(os.path.abspath(protocols)).parent / FOLDER


def record(intake: Intake) -> dict:
    """The record of an import (see the module's docstring)."""
    data = intake.data
    situations: dict[int, list[str]] = {}
    for proposal in intake.structure.proposals:
        found = situations.setdefault(proposal["block"].index, [])
        if proposal["situation"] not in found:
            found.append(proposal["situation"])
    fields = _contact_fields(data)
    blocks = []
    for block in intake.blocks:
        flat = " ".join(block.text.split())
        blocks.append({
            "index": block.index,
            "page": block.page,
            "kind": block.kind,
            "mark": block.mark,
            "depth": block.depth,
            "text": block.text,
            "place": intake.placements.get(block.index, "unplaced"),
            "situations": situations.get(block.index, []),
            "contacts": [{"field": field, "text": text} for field, text in fields if text in flat],
        })
    return {
        "format": FORMAT,
        "id": data["id"],
        "version": str(data["version"]),
        "draft": intake.target.name,
        "document": {"name": intake.source.name, "kind": intake.document.kind, "pages": intake.document.pages},
        "repairs": {key: count for key, count in intake.layout.repairs.items() if count},
        "dropped": [[page, text] for page, text in intake.layout.dropped],
        "blocks": blocks,
    }


def _contact_fields(data: dict) -> list[tuple[str, str]]:
    """(field, text as written) of every phone, e-mail address and website of the draft."""
    found = []
    vt = data["veilig_thuis"]
    phone = vt.get("phone_as_written")
    if phone:
        found.append(("veilig_thuis.phone_as_written", phone["number"] if isinstance(phone, dict) else phone))
    if vt.get("website_as_written"):
        found.append(("veilig_thuis.website_as_written", vt["website_as_written"]))
    for i, contact in enumerate(data.get("contacts", [])):
        if contact.get("phone"):
            phone = contact["phone"]
            found.append((f"contacts[{i}].phone", phone["number"] if isinstance(phone, dict) else phone))
        if contact.get("email"):
            found.append((f"contacts[{i}].email", contact["email"]))
    return found


def record_path(folder: Path, draft: Path) -> Path:
    """The record of the draft ``draft`` (``protocols/variants/x.yaml`` -> ``.review/x.json``)."""
    return folder / f"{draft.stem}.json"


def write_record(intake: Intake, folder: Path) -> Path:
    """Write the record (replacing an earlier one of the same draft name) and return its path."""
    target = record_path(folder, intake.target)
    write_file(target, json.dumps(record(intake), ensure_ascii=False, indent=1))
    return target


def read_record(path: Path) -> dict:
    """A record as written by ``write_record``; ``IntakeError`` says what to do when there is none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IntakeError(f"{path}: no import record here ('python -m generator import' writes one); pass "
                          "--from FILE, the school's document, to read it again") from None
    except (OSError, ValueError) as exc:
        raise IntakeError(f"{path}: cannot read the import record ({exc}); pass --from FILE, the school's "
                          "document, to read it again") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("blocks"), list):
        raise IntakeError(f"{path}: not an import record of this version of the generator; pass --from FILE, "
                          "the school's document, to read it again")
    return data
