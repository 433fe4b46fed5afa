"""The draft: a variant file from a document's structure, validated, written once.

``import_document`` reads, repairs the layout, finds the structure and writes
``protocols/variants/<id>.yaml`` (``<id>-<version>.yaml`` for a new version of an id in use),
never over a file: the draft is written beside it and linked into place, so a file of that
name that appeared meanwhile is not overwritten, and a failure leaves nothing. The draft is
validated by the model first; what the document does not say is named in the summary and by
``check`` (unplaced blocks, a missing date or region, a *wie* or melder taken from the text).

``Intake`` keeps, for the review page, every block of the document with its page and where it
went (``placements``: block index -> a path in the draft, or "dropped" for a running header,
footer, page number or separator).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..model.loader import Problem, read_source, variant_id_users
from ..model.sources import (
    MAX_ID_CHARS,
    SLUG_PATTERN,
    Basismodel,
    Contacts,
    PassageRef,
    Roles,
    SchoolType,
    Variant,
    version_slug,
)
from ..release.atomic import write_file
from .layout import REPAIRS, Block, Layout, layout
from .read import Document, IntakeError, read
from .structure import Shared, Structure, structure

_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"]
PASSAGES_BY_WORDS = "begint" in PassageRef.model_fields
"""Situation passages are named by their first words (issue 32, item 3): only then does a draft
carry its proposals; before, the summary lists them."""


@dataclass
class Intake:
    """One import: the document, its blocks, the structure found and the draft."""

    source: Path
    document: Document
    layout: Layout
    structure: Structure
    data: dict
    target: Path
    left: list[str] = field(default_factory=list)
    """What a person must still do or decide."""

    @property
    def blocks(self) -> list[Block]:
        return self.layout.blocks

    @property
    def placements(self) -> dict[int, str]:
        return self.structure.placements


def load_shared(protocols: Path) -> Shared:
    """basismodel.yaml, contacts.yaml and roles.yaml, validated (the import needs no variant)."""
    out = []
    for name, model in (("basismodel.yaml", Basismodel), ("contacts.yaml", Contacts), ("roles.yaml", Roles)):
        problems: list[Problem] = []
        data = read_source(protocols / name, problems)
        if problems:
            raise IntakeError("; ".join(str(p) for p in problems))
        out.append(model.model_validate(data))
    return Shared(*out)


def check_id(variant_id: str, variants: Path, version: str | None) -> tuple[Path, list[Path]]:
    """The file to write, and the files of the id's earlier versions; ``IntakeError`` for an id
    that is no slug, or in use (without ``version``), or a version the id already has."""
    if not re.fullmatch(SLUG_PATTERN, variant_id) or len(variant_id) > MAX_ID_CHARS:
        raise IntakeError(f"'{variant_id}' is not an id: lowercase letters, digits and single hyphens, at most "
                          f"{MAX_ID_CHARS} characters (e.g. de-regenboog)")
    users, unreadable = variant_id_users(variants, variant_id)
    if unreadable:
        raise IntakeError("cannot tell which variant ids are in use; fix these files first:\n  " + "\n  ".join(unreadable))
    target = variants / f"{variant_id}.yaml"
    if version is None:
        if users or target.exists():
            where = ", ".join(map(str, users or [target]))
            raise IntakeError(f"variant id '{variant_id}' is already used by {where}: choose another id, or pass "
                              f"--version V to import the document as a new version of '{variant_id}'")
        return target, []
    target = variants / f"{variant_id}-{version_slug(version)}.yaml"
    for user in users:
        problems: list[Problem] = []
        data = read_source(user, problems) or {}
        if version_slug(str(data.get("version", ""))) == version_slug(version):
            raise IntakeError(f"{user} is already version '{data.get('version')}' of '{variant_id}': choose another "
                              "--version")
    if target.exists():
        raise IntakeError(f"{target} exists: choose another --version, or move that file")
    return target, users


def import_document(path: Path, variant_id: str, protocols: Path, *, school_type: str | None = None,
                    region: str | None = None, version: str | None = None, write: bool = True,
                    today: dt.date | None = None, again: bool = False) -> Intake:
    """Import ``path`` as variant ``variant_id``: the draft written (unless ``write`` is false)
    and the ``Intake`` with what was found. ``IntakeError`` names what to do; nothing is written then.
    ``again``: read a document imported before, for its review (the id is in use; nothing is written)."""
    variants = protocols / "variants"
    if again:
        target, earlier, write = variants / f"{variant_id}{'-' + version_slug(version) if version else ''}.yaml", [], False
    else:
        target, earlier = check_id(variant_id, variants, version)
    shared = load_shared(protocols)
    document = read(path)
    laid = layout(document)
    found = structure(laid.blocks, shared, "\n".join(b.text for b in laid.blocks))
    laid.repairs["contents"] += found.contents_dropped
    intake = Intake(path, document, laid, found, {}, target)
    intake.data = _variant(intake, variant_id, shared, school_type, region, version, earlier, today or dt.date.today())
    for index in range(len(laid.blocks)):
        found.placements.setdefault(index, "unplaced")
    try:
        Variant.model_validate(intake.data)
    except Exception as exc:
        raise IntakeError(f"{path}: the draft would not load ({exc}); nothing written") from None
    if write:
        write_new(target, render(intake))
    return intake


# ---------------------------------------------------------------- the variant


NEST = "    "
"""A nested list item's indent per level: four spaces nest under "- ", "1. " and "10. " alike,
in CommonMark (the site's markdown-it) and in Python-Markdown (MkDocs' pages)."""


def _markdown(blocks: list[Block]) -> str:
    """Blocks as Markdown: paragraphs apart, the items of one list together (a nested item
    indented under the item before it), a heading in bold."""
    out: list[str] = []
    lists: list[bool] = []  # the lists open where the last item stands, outer first: numbered or not
    for block in blocks:
        if block.kind != "item":
            lists = []
            if block.kind == "heading":
                text = ((block.mark + " ") if block.mark else "") + block.text
                out.append("**" + Block("paragraph", text, block.page).markdown() + "**")
            else:
                out.append(block.markdown())
            continue
        # At most one level deeper than the item before it: an indented line after a paragraph
        # would be code, and a skipped level has no item to stand under.
        depth = min(block.depth, len(lists))
        if lists and (depth > 0 or lists[0] == block.numbered):
            out[-1] += "\n" + NEST * depth + block.markdown()
            lists = lists[:depth] + [block.numbered]
        else:  # the first item, or an outer list of the other kind: a list of its own
            out.append(block.markdown())
            lists = [block.numbered]
    return "\n\n".join(out).strip() + "\n" if out else ""


def _plain_sentences(blocks: list[Block]) -> list[str]:
    text = " ".join(b.text for b in blocks)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _school_type(text: str) -> str | None:
    po = len(re.findall(r"basisschool|basisonderwijs|primair onderwijs|\bPO\b|groep [1-8]\b", text, re.IGNORECASE))
    vo = len(re.findall(r"voortgezet onderwijs|\bVO\b|vo-school|middelbare school|mentor", text, re.IGNORECASE))
    if po == vo:
        return None
    return "PO" if po > vo else "VO"


def _date(facts: dict) -> dt.date | None:
    match = facts.get("date_match")
    if not match:
        return None
    try:
        if match.group(1):
            return dt.date(int(match.group(3)), _MONTHS.index(match.group(2).lower()) + 1, int(match.group(1)))
        if match.group(6):
            return dt.date(int(match.group(8)), int(match.group(7)), int(match.group(6)))
    except ValueError:
        return None
    return None


def _variant(intake: Intake, variant_id: str, shared: Shared, school_type, region, version, earlier, today) -> dict:
    found, facts, left = intake.structure, intake.structure.facts, intake.left
    text = intake.document.text
    previous = _newest(earlier)
    if school_type is None:
        school_type = _school_type(text) or (previous or {}).get("school_type")
    if school_type is None:
        raise IntakeError(f"{intake.source}: the document does not say whether it is for primary (PO) or secondary "
                          "(VO) education: pass --school-type PO or --school-type VO")
    SchoolType(school_type)
    region_key = facts.get("region")
    region_name = region or (shared.contacts.veilig_thuis_regions[region_key].name.replace("Veilig Thuis", "").strip()
                             if region_key else (previous or {}).get("region"))
    if not region_name:
        region_name = "Onbekend"
        left.append("region: the document names no Veilig Thuis region; the draft says 'Onbekend' "
                    "(pass --region, or set region and veilig_thuis.region)")
    valid_from = _date(facts)
    if valid_from is None:
        left.append("valid_from: the document gives no full date it takes effect"
                    + (f" (it says '{facts['date']}')" if facts.get("date") else "") + "; set it, or leave it null")
    title = facts.get("title") or (previous or {}).get("title") or (found.sections[0].title if found.sections else None)
    if not title:
        first = intake.blocks[0].text if intake.blocks else intake.source.stem
        title = first if len(first) <= 80 else first[:80].rsplit(" ", 1)[0]
        left.append(f"title: the document has no title; the draft says '{title}': give it the name readers know")
    steps = []
    for step in found.steps:
        entry = {"number": step.number, "wat": step.wat, "wie": step.wie}
        if step.wie_from_text:
            entry["wie_from_text"] = True
        entry["hoe"] = _markdown(step.hoe) or step.wat + "\n"
        steps.append(entry)
    from_text = [s.number for s in found.steps if s.wie_from_text]
    if from_text:
        left.append(f"wie of step(s) {', '.join(map(str, from_text))}: the document has no wie; the draft lists the "
                    "roles its text names (wie_from_text): check them")
    left += found.notes
    melding = _melding(found, text, shared)
    vt_phone = facts.get("vt_phone")
    data = {
        "schema_version": 1,
        "id": variant_id,
        "version": version or facts.get("version") or "1",
        "valid_from": valid_from,
        "title": title,
        "organisation": {"name": facts.get("organisation") or (previous or {}).get("organisation", {}).get("name")},
        "school_type": school_type,
        "region": region_name,
        "source": {"title": facts.get("title"), "date": facts.get("date"), "version": facts.get("version"),
                   "document": intake.source.name},
        "veilig_thuis": {
            "region": region_key,
            "phone_as_written": _phone(vt_phone),
            "website_as_written": facts.get("vt_website"),
        },
        "contacts": [_contact(c) for c in facts.get("contacts", [])],
        "steps": steps,
        "melding": melding,
        "sections": _sections(found),
    }
    if not data["contacts"]:
        del data["contacts"]
    proposals = _situations(found)
    if proposals and PASSAGES_BY_WORDS:
        data["situations"] = proposals
    if found.unplaced:
        data["unplaced"] = [_markdown(group) for group in found.unplaced]
        left.insert(0, f"{len(found.unplaced)} block(s) placed nowhere (unplaced): move each where it belongs, "
                       "or delete it")
    if melding.get("door_from_text"):
        left.append("melding.door: taken from step 5's text; check who makes the melding")
    del today
    return data


def _newest(files: list[Path]) -> dict | None:
    newest = None
    for file in files:
        problems: list[Problem] = []
        data = read_source(file, problems)
        if isinstance(data, dict) and (newest is None or str(data.get("valid_from") or "") >= str(newest.get("valid_from") or "")):
            newest = data
    return newest


def _phone(found) -> dict | str | None:
    if not found:
        return None
    number, note = found
    return {"number": number, "note": note} if note else number


def _contact(found: dict) -> dict:
    out = {"name": found["name"]}
    if found.get("organisation"):
        out["organisation"] = found["organisation"]
    if found.get("phone"):
        out["phone"] = _phone(found["phone"])
    if found.get("email"):
        out["email"] = found["email"]
    return out


def _melding(found: Structure, text: str, shared: Shared) -> dict:
    five = next((s for s in found.steps if s.number == 5), None)
    sentences = _plain_sentences(five.hoe) if five else []
    door = next((s for s in sentences if re.search(r"\bmeld|veilig thuis", s, re.IGNORECASE)
                 and shared.finder.named(s)), None)
    melding = {"door": door or (five.wie if five else "?"), "door_from_text": True}
    informs = next((s for s in sentences if re.search(r"\bouders?\b", s, re.IGNORECASE)
                    and re.search(r"op de hoogte|informeer|geïnformeerd|bespreek uw melding", s, re.IGNORECASE)
                    and re.search(r"meld", s, re.IGNORECASE)), None)
    if informs:
        melding["ouders_informeren"] = informs
    if re.search(r"nooit anoniem", text, re.IGNORECASE):
        melding["nooit_anoniem"] = True
    return melding


def _sections(found: Structure) -> list[dict]:
    out = []
    for section in found.sections:
        entry: dict = {"kind": section.kind.value, "title": section.title}
        body = _markdown(section.body)
        items = []
        for title, blocks in section.items:
            item_body = _markdown(blocks)
            if item_body:
                items.append({"title": title, "body": item_body})
            else:
                body += ("\n" if body else "") + "**" + Block("paragraph", title, 0).markdown() + "**\n"
        if body:
            entry["body"] = body
        if items:
            entry["items"] = items
        if body or items:
            out.append(entry)
    return out


def _situations(found: Structure) -> dict:
    """Proposed passages per situation, named by their place and first words."""
    out: dict = {}
    texts = {}
    for step in found.steps:
        texts[("step", step.number)] = " ".join(b.text for b in step.hoe)
    for section in found.sections:
        texts[("section", section.title)] = " ".join(b.text for b in section.body)
        for title, blocks in section.items:
            texts[("item", section.title, title)] = " ".join(b.text for b in blocks)
    for proposal in found.proposals:
        block = proposal["block"]
        if "step" in proposal:
            key, ref = ("step", proposal["step"]), {"step": proposal["step"]}
        elif "item" in proposal:
            key, ref = ("item", proposal["section"], proposal["item"]), {"section": proposal["section"],
                                                                          "item": proposal["item"]}
        else:
            key, ref = ("section", proposal["section"]), {"section": proposal["section"]}
        if not proposal.get("whole"):  # else the whole item, whose title has the words
            ref["begint"] = _first_words(block.text, texts.get(key, block.text))
        answer = out.setdefault(proposal["situation"], {"passages": [], "voorstel": True})
        if ref not in answer["passages"]:
            answer["passages"].append(ref)
    return out


def _first_words(text: str, whole: str) -> str:
    found = text.split()
    for count in range(4, len(found) + 1):
        start = " ".join(found[:count])
        if whole.count(start) == 1:
            return start
    return " ".join(found)


# ---------------------------------------------------------------- YAML and writing


def render(intake: Intake) -> str:
    """The draft as YAML, the house style of the hand-made files: block scalars for Markdown."""
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import LiteralScalarString

    def literal(value):
        if isinstance(value, dict):
            return {k: literal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [literal(v) for v in value]
        if isinstance(value, str) and "\n" in value:
            return LiteralScalarString(value if value.endswith("\n") else value + "\n")
        return value

    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(literal(intake.data), out)
    header = (
        "# yaml-language-server: $schema=../schema/variant.schema.json\n"
        f"# Drafted by `python -m generator import` from {intake.source.name}: the document's own words, "
        "only its layout\n# repaired. Review every field against the document, move or delete each "
        "`unplaced` block and\n# confirm the situations proposed (`voorstel: true`), then run "
        "`python -m generator check`.\n"
    )
    return header + out.getvalue()


def write_new(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` only if no file is there: beside it first, then linked into place."""
    try:
        write_file(target, text, replace=False)
    except FileExistsError:
        raise IntakeError(f"{target} exists: nothing written") from None


# ---------------------------------------------------------------- the summary


def summary(intake: Intake) -> str:
    """What the import found, repaired and left for a person, for the terminal."""
    document, data = intake.document, intake.data
    lines = [f"wrote {intake.target} (a draft from {intake.source.name}: {document.kind}, {document.pages} page(s), "
             f"{len(intake.blocks)} blocks)"]
    forms = Counter(s.form for s in intake.structure.steps)
    lines.append(f"steps: {len(data['steps'])} of 5" + (f" (as {', '.join(forms)})" if forms else ""))
    for step in data["steps"]:
        words = len(re.findall(r"\w+", step["hoe"]))
        wie = f"wie from the text: {step['wie']}" if step.get("wie_from_text") else f"wie: {step['wie']}"
        lines.append(f"  {step['number']}. {_short(step['wat'])} | {_short(wie, 70)} | hoe: {words} words")
    titles = [s["title"] for s in data.get("sections", [])]
    lines.append(f"sections: {len(titles)}" + (": " + "; ".join(_short(t, 40) for t in titles) if titles else ""))
    vt = data["veilig_thuis"]
    phone = vt["phone_as_written"]
    lines.append("Veilig Thuis: " + ", ".join(filter(None, [
        f"region {vt['region']}" if vt["region"] else "no region found",
        f"phone {phone['number'] if isinstance(phone, dict) else phone}" if phone else "no phone",
        f"website {vt['website_as_written']}" if vt["website_as_written"] else None])))
    for contact in data.get("contacts", []):
        lines.append("contact: " + ", ".join(str(v if not isinstance(v, dict) else v["number"]) for v in contact.values()))
    facts = [f"{k}: {data['source'][k]}" for k in ("title", "date", "version") if data["source"].get(k)]
    lines.append("source: " + ("; ".join(facts) if facts else "no title, date or version found"))
    repairs = intake.layout.repairs
    lines.append("layout repairs: " + (", ".join(f"{repairs[k]} {v}" for k, v in REPAIRS.items() if repairs[k]) or "none"))
    proposals = intake.structure.proposals
    if proposals:
        where = Counter(p["situation"] for p in proposals)
        state = "in the draft" if PASSAGES_BY_WORDS else "not in the draft until passages are named by their words"
        lines.append(f"situations proposed ({state}): " + ", ".join(f"{k} ({n})" for k, n in where.items()))
    if document.notes:
        lines += [f"note: {n}" for n in document.notes]
    lines.append("left for a person:" if intake.left else "left for a person: nothing found missing")
    for item in intake.left:
        lines.append(f"  - {item}")
    for i, group in enumerate(data.get("unplaced", [])):
        lines.append(f"    unplaced[{i}]: {_short(' '.join(group.split()), 70)}")
    lines.append(f"next: review {intake.target}, then run: python -m generator check --variant {data['id']}")
    return "\n".join(lines)


def _short(text: str, size: int = 50) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1] + "…"
