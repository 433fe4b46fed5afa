"""Reads ``protocols/`` into a validated ``Handbook``, or explains why not.

Every problem is reported with its file, line and path inside the file, all
problems of a run at once, so that an editor can fix a protocol in one go.
Nothing here writes anything.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from .afwegingskader import engine
from .model import Basismodel, Begrippen, ChecksConfig, Contacts, Kader, Roles, Sources, Variant, version_slug

M = TypeVar("M", bound=BaseModel)

CONTACTS_FILE = "contacts.yaml"
KADER_FILE = "afwegingskader.yaml"
BASISMODEL_FILE = "basismodel.yaml"
CHECKS_FILE = "checks.yaml"
SOURCES_FILE = "sources.yaml"
ROLES_FILE = "roles.yaml"
BEGRIPPEN_FILE = "begrippen.yaml"
VARIANTS_DIR = "variants"

MAX_FILE_BYTES = 1024 * 1024
"""The largest source file read (1 MiB; the longest protocol is about 32 KB)."""
MAX_DEPTH = 32
"""The deepest nesting of lists and mappings a source may have (the model needs 5)."""


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class SourceError(Exception):
    """One or more sources are invalid; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the protocol sources:\n{lines}")


@dataclass(frozen=True)
class Handbook:
    """All sources, validated and cross-checked."""

    root: Path
    contacts: Contacts
    kader: Kader
    basismodel: Basismodel
    variants: list[Variant]
    checks: ChecksConfig
    """The quality checks' configuration (``checks.yaml``)."""
    source_files: dict[tuple[str, str], Path] = field(default_factory=dict)
    sources: Sources | None = None
    """The cited sources (``sources.yaml``); citing texts are already resolved to their names."""
    roles: Roles | None = None
    """The roles protocols name in their *wie* (``roles.yaml``)."""
    begrippen: Begrippen | None = None
    """The begrippenlijst (``begrippen.yaml``)."""

    @cached_property
    def _versions_by_id(self) -> dict[str, list[Variant]]:
        """Each variant's versions, oldest first: built once, so a lookup does not scan them all."""
        by_id: dict[str, list[Variant]] = defaultdict(list)
        for variant in self.variants:
            by_id[variant.id].append(variant)
        return {
            vid: sorted(found, key=lambda v: (v.valid_from or dt.date.min, v.version))
            for vid, found in sorted(by_id.items())
        }

    def versions(self, variant_id: str) -> list[Variant]:
        """Oldest first; a version without a date sorts before dated ones."""
        return list(self._versions_by_id.get(variant_id, []))

    @property
    def variant_ids(self) -> list[str]:
        return list(self._versions_by_id)

    def in_force(self, variant_id: str, on: dt.date) -> Variant | None:
        """The version in force on a day: the newest that had started and not ended."""
        candidates = [
            v
            for v in self.versions(variant_id)
            if (v.valid_from is None or v.valid_from <= on)
            and (v.valid_until is None or on <= v.valid_until)
        ]
        return candidates[-1] if candidates else None

    def history(self, variant_id: str) -> list[tuple[Variant, dt.date | None, dt.date | None]]:
        """Each version with the first and last day it was in force (None: open)."""
        versions = self.versions(variant_id)
        periods = []
        for index, version in enumerate(versions):
            end = version.valid_until
            if index + 1 < len(versions) and versions[index + 1].valid_from:
                next_start = versions[index + 1].valid_from - dt.timedelta(days=1)
                end = min(end, next_start) if end else next_start
            periods.append((version, version.valid_from, end))
        return periods

    def current(self, variant_id: str, today: dt.date) -> Variant:
        """The version a reader should see: in force today, else the newest."""
        return self.in_force(variant_id, today) or self.versions(variant_id)[-1]


# ---------------------------------------------------------------- reading YAML


class _Composer(Composer):
    """Refuses anchors and aliases before anything is built from them.

    Protocols need neither, and an alias can make a few lines expand into
    gigabytes (billion laughs); refusing the first anchor or alias event means
    nothing is ever expanded.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or event.anchor is not None:
            kind = f"alias '*{event.anchor}'" if isinstance(event, AliasEvent) else f"anchor '&{event.anchor}'"
            raise ComposerError(
                None, None,
                f"{kind}: anchors and aliases are not allowed in protocol sources; write each text out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


class _Constructor(RoundTripConstructor):
    """Dates stay text for the model to parse (so a wrong date gets a path and a
    line), and any other failure to build a value is reported at its node."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except YAMLError:
            raise
        except Exception as exc:  # e.g. ValueError for an integer of 5,000 digits
            raise ConstructorError(None, None, f"cannot read this value: {exc}", node.start_mark) from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Composer = _Composer
    yaml.Constructor = _Constructor
    yaml.max_depth = MAX_DEPTH
    return yaml


_FAILED = object()
"""What ``_read`` returns for a file it could not read (a problem is recorded)."""


def read_source(file: Path, problems: list[Problem]) -> Any:
    """One source file's YAML data as the loader reads it (None, with a problem, if it cannot)."""
    data = _read(file, problems)
    return None if data is _FAILED else data


def _read(file: Path, problems: list[Problem]) -> Any:
    """The file's data, or ``_FAILED`` with a problem recorded. Empty files are problems."""
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(file, None, "", f"file is {size:,} bytes; a source may have at most "
                                    f"{MAX_FILE_BYTES:,} bytes (1 MiB)"))
            return _FAILED
        with file.open(encoding="utf-8") as handle:
            data = _yaml().load(handle)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problems.append(Problem(file, line, "", f"not valid YAML: {exc.problem or exc.context}"))
        return _FAILED
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(file, None, "", f"cannot be read: {exc}"))
        return _FAILED
    except Exception as exc:  # anything else the YAML library raises: never a traceback
        problems.append(Problem(file, None, "", f"not valid YAML: {type(exc).__name__}: {exc}"))
        return _FAILED
    if data is None:
        problems.append(Problem(file, None, "", "file is empty (or has only comments)"))
        return _FAILED
    return data


def _line_of(data: Any, loc: tuple) -> int | None:
    """The line of the deepest part of ``loc`` that exists in the YAML."""
    line = getattr(getattr(data, "lc", None), "line", None)
    node = data
    for key in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(key, int) and isinstance(node, list) and key < len(node):
                line = lc.item(key)[0] if lc else line
                node = node[key]
            elif isinstance(node, dict) and key in node:
                line = lc.key(key)[0] if lc else line
                node = node[key]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    return line + 1 if line is not None else None


def _dotted(loc: tuple) -> str:
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


_MESSAGES = {
    "extra_forbidden": lambda loc, err: (loc, f"unknown key '{loc[-1]}'"),
    "missing": lambda loc, err: (loc[:-1], f"missing key '{loc[-1]}'"),
    "string_too_short": lambda loc, err: (loc, f"'{loc[-1]}' is empty"),
    "too_short": lambda loc, err: (loc, f"'{loc[-1]}' needs at least {err['ctx']['min_length']}"),
    "literal_error": lambda loc, err: (loc, f"must be {err['ctx']['expected']}"),
    "enum": lambda loc, err: (loc, f"must be one of {err['ctx']['expected']}"),
    "string_too_long": lambda loc, err: (
        loc, f"'{loc[-1]}' is longer than {err['ctx']['max_length']:,} characters"
    ),
    "string_pattern_mismatch": lambda loc, err: (
        loc,
        "must be lowercase letters, digits and single hyphens (a slug)",
    ),
}


def _validate(
    model: type[M], data: Any, file: Path, problems: list[Problem], context: dict | None = None
) -> M | None:
    if not isinstance(data, dict):
        problems.append(Problem(file, 1, "", "expected a mapping of keys at the top level"))
        return None
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(k for k in err["loc"] if not (isinstance(k, str) and k.startswith("function-")))
            describe = _MESSAGES.get(err["type"])
            where, message = describe(loc, err) if describe else (loc, _plain(err["msg"]))
            problems.append(Problem(file, _line_of(data, where), _dotted(where), message))
    return None


def _plain(msg: str) -> str:
    return msg.removeprefix("Value error, ")


# ---------------------------------------------------------------- the handbook


def load(root: Path | str) -> Handbook:
    """Load and cross-check every source below ``root`` (the protocols folder)."""
    root = Path(root)
    problems: list[Problem] = []

    # Sources first: every other file may cite them as [[id]].
    sources = _load_one(root / SOURCES_FILE, Sources, problems)
    cite = {"sources": sources} if sources is not None else None
    contacts = _load_one(root / CONTACTS_FILE, Contacts, problems, cite)
    kader_file = root / KADER_FILE
    kader, kader_data = _load_with_data(kader_file, Kader, problems, cite)
    basismodel = _load_one(root / BASISMODEL_FILE, Basismodel, problems, cite)
    checks = _load_one(root / CHECKS_FILE, ChecksConfig, problems, cite)
    roles = _load_one(root / ROLES_FILE, Roles, problems)
    begrippen = _load_one(root / BEGRIPPEN_FILE, Begrippen, problems, cite)

    if kader is not None:
        _check_kader(kader, kader_data, kader_file, problems)

    variants: list[Variant] = []
    files: dict[tuple[str, str], Path] = {}
    version_lines: dict[tuple[str, str], int | None] = {}
    variant_files = sorted((root / VARIANTS_DIR).glob("**/*.yaml"))
    if not variant_files:
        problems.append(Problem(root / VARIANTS_DIR, None, "", "no variant files (*.yaml) found"))
    for file in variant_files:
        data = _read(file, problems)
        if data is _FAILED:
            continue
        variant = _validate(Variant, data, file, problems)
        if variant is None:
            continue
        if variant.key in files:
            problems.append(
                Problem(file, _line_of(data, ("version",)), "version",
                        f"variant '{variant.id}' version '{variant.version}' is also defined in {files[variant.key]}")
            )
            continue
        region = variant.veilig_thuis.region
        if contacts is not None and region is not None and region not in contacts.veilig_thuis_regions:
            known = ", ".join(sorted(contacts.veilig_thuis_regions))
            problems.append(
                Problem(file, _line_of(data, ("veilig_thuis", "region")), "veilig_thuis.region",
                        f"unknown contact reference '{region}' (known regions in {CONTACTS_FILE}: {known})")
            )
        files[variant.key] = file
        version_lines[variant.key] = _line_of(data, ("version",))
        variants.append(variant)

    _check_versions(variants, files, version_lines, problems)
    if problems:
        raise SourceError(problems)
    return Handbook(root, contacts, kader, basismodel, variants, checks, files,
                    sources=sources, roles=roles, begrippen=begrippen)


def _load_one(file: Path, model: type[M], problems: list[Problem], context: dict | None = None) -> M | None:
    return _load_with_data(file, model, problems, context)[0]


def _load_with_data(
    file: Path, model: type[M], problems: list[Problem], context: dict | None = None
) -> tuple[M | None, Any]:
    if not file.exists():
        problems.append(Problem(file, None, "", "file is missing"))
        return None, None
    data = _read(file, problems)
    if data is _FAILED:
        return None, None
    return _validate(model, data, file, problems, context), data


def _check_kader(kader: Kader, data: Any, file: Path, problems: list[Problem]) -> None:
    try:
        engine.check(kader.model_dump(mode="json"))
    except engine.KaderError as exc:
        for problem in exc.problems:
            problems.append(Problem(file, _line_of(data, ("questions",)), "questions", problem))
    question_ids = {q.id for q in kader.questions}
    for index, note in enumerate(kader.notes):
        if note.placement == "bij_vraag" and note.question not in question_ids:
            problems.append(
                Problem(file, _line_of(data, ("notes", index, "question")), f"notes[{index}].question",
                        f"unknown question '{note.question}'")
            )


def _check_versions(variants: list[Variant], files: dict, lines: dict, problems: list[Problem]) -> None:
    by_id: dict[str, list[Variant]] = defaultdict(list)
    for variant in variants:
        by_id[variant.id].append(variant)
    for variant_id, versions in by_id.items():
        by_slug: dict[str, Variant] = {}
        for v in versions:
            other = by_slug.setdefault(version_slug(v.version), v)
            if other is not v:
                problems.append(
                    Problem(files[v.key], lines[v.key], "version",
                            f"versions '{other.version}' ({files[other.key]}) and '{v.version}' of variant "
                            f"'{variant_id}' would share the page versies/{version_slug(v.version)}/; "
                            "change one of the versions")
                )
        if len(versions) < 2:
            continue
        for v in versions:
            if v.valid_from is None:
                problems.append(
                    Problem(files[v.key], None, "valid_from",
                            f"variant '{variant_id}' has {len(versions)} versions, so each needs a valid_from date")
                )
        dates = [v.valid_from for v in versions if v.valid_from]
        for date in sorted({d for d in dates if dates.count(d) > 1}):
            problems.append(
                Problem(files[versions[0].key], None, "valid_from",
                        f"variant '{variant_id}' has two versions valid from {date}")
            )
