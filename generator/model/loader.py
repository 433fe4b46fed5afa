"""Reads ``protocols/`` into a validated ``Handbook``, or explains why not.

Every problem is reported with its file, line and path inside the file, all
problems of a run at once, so that an editor can fix a protocol in one go.
Nothing here writes anything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fnmatch
import hashlib
import itertools
import os
import re
import stat
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from yaml import MarkedYAMLError
from yaml.events import AliasEvent, MappingEndEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent
from yaml.reader import ReaderError

try:  # libyaml through PyYAML: the same events as its pure-Python parser, some 50 times faster
    from yaml import CSafeLoader as _Parser
    _POSITION_IN_BYTES = True
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Parser
    _POSITION_IN_BYTES = False

from .afwegingskader import engine

# The table of sources and the Handbook live in the model layer; importable from here too.
from .handbook import (  # noqa: F401
    CHECKS_FILE,
    CONTACTS_FILE,
    KADER_FILE,
    ROLES_FILE,
    SCHEMA_DIR,
    SITUATIONS_FILE,
    SOURCE_FILES,
    VARIANT_SUFFIX,
    VARIANTS_DIR,
    Handbook,
)
from .passages import PassageError, resolve
from .sources import (
    Basismodel,
    Begrippen,
    ChecksConfig,
    Contacts,
    Kader,
    Roles,
    RuleKind,
    Situations,
    Sources,
    Variant,
    version_slug,
    visible,
)

M = TypeVar("M", bound=BaseModel)


PASSED_OVER = (".*.sw?", "*~", "#*#", ".#*", ".DS_Store", "._*", "Thumbs.db", "desktop.ini")
"""Files an editor or the operating system writes beside the sources by itself (vim's swap
files, backups, Emacs' autosaves and lock links, macOS' and Windows' folder data): passed
over, so that a file open in an editor does not stop ``make serve``. No source is so named."""
_PASSED_OVER = re.compile("|".join(fnmatch.translate(pattern) for pattern in PASSED_OVER))

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


# ---------------------------------------------------------------- reading YAML
#
# libyaml (PyYAML's C parser) reads the text into events; the few lines below
# build plain dicts, lists and scalars from them and note the line of every key
# and list item beside the data (``Lines``), for ``_line_of``. Building from
# events rather than from a composed node tree lets the first anchor or alias be
# refused before anything is built from it.

Lines = tuple[int, Any]
"""A value's 0-based line and, for a mapping, ``{key: Lines}``, for a list,
``[Lines, ...]``, for a scalar, None: the data's shape, with lines."""

_TAG = "tag:yaml.org,2002:"
_INF = float("inf")


def _int(text: str) -> int:
    """A YAML 1.2 integer as ruamel.yaml reads it: ``0b``, ``0o``, ``0x``, ``_`` separators;
    a leading zero is decimal (``010`` is 10, not 8 as in YAML 1.1)."""
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    digits = digits.lstrip("+-")
    base = {"0b": 2, "0o": 8, "0x": 16}.get(digits[:2])
    return sign * (int(digits[2:], base) if base else int(digits))


def _float(text: str) -> float:
    value = text.replace("_", "").lower()
    sign = -1 if value[0] == "-" else 1
    value = value.lstrip("+-")
    if value == ".inf":
        return sign * _INF
    return float("nan") if value == ".nan" else sign * float(value)


def _bool(text: str) -> bool:
    value = {"true": True, "false": False}.get(text.lower())
    if value is None:
        raise ValueError(f"'{text}' is not true or false")
    return value


# YAML 1.2 core schema as ruamel.yaml resolved plain scalars before (its regular
# expressions): yes/no/on/off and 1:20 stay text. Timestamps stay text as well:
# the model parses dates, so that a wrong date gets a path and a line.
_RESOLVERS: list[tuple[str, re.Pattern, Any]] = [
    ("-+0123456789.", re.compile(r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""", re.X), _float),
    ("-+0123456789", re.compile(r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""", re.X), _int),
    ("tTfF", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), _bool),
    ("~nN", re.compile(r"^(?:~|null|Null|NULL)$"), lambda text: None),
]
_RESOLVE: dict[str, list[tuple[re.Pattern, Any]]] = {
    char: [(pattern, construct) for first, pattern, construct in _RESOLVERS if char in first]
    for char in set("".join(first for first, _, _ in _RESOLVERS))
}
"""The resolvers to try by a plain scalar's first character, in order."""

_EXPLICIT = {
    f"{_TAG}str": str, f"{_TAG}int": _int, f"{_TAG}float": _float, f"{_TAG}bool": _bool,
    f"{_TAG}null": lambda text: None,
}
"""The tags a scalar may carry explicitly (``!!str 12``); any other tag is refused."""


class _Refused(Exception):
    """The text is YAML the loader does not accept; ``line`` is 0-based."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


class _Builder:
    """Builds one document's data and lines from the parser's events.

    The structure is refused at once (an anchor or alias, too deep); a value that
    cannot be read (a duplicate key, a tag, a huge number) is noted and reported
    once the whole document has parsed, so a structural or syntax error further
    down is the one reported, as it was when ruamel.yaml composed before building.
    """

    def __init__(self, parser: Any):
        self.parser = parser
        self.problem: _Refused | None = None

    def refuse(self, line: int, message: str) -> None:
        self.problem = self.problem or _Refused(line, message)

    def node(self, event: Any, depth: int) -> tuple[Any, Any]:
        """The value ``event`` starts and the lines below it (see ``Lines``)."""
        if type(event) is ScalarEvent and event.anchor is None:
            return self.scalar(event), None
        line = event.start_mark.line
        if isinstance(event, AliasEvent) or event.anchor is not None:
            # Protocols need neither, and an alias can make a few lines expand into
            # gigabytes (billion laughs): refused before anything is built.
            kind = f"alias '*{event.anchor}'" if isinstance(event, AliasEvent) else f"anchor '&{event.anchor}'"
            raise _Refused(line, f"{kind}: anchors and aliases are not allowed in protocol sources; "
                                 "write each text out")
        if depth >= MAX_DEPTH:
            raise _Refused(line, f"maximum depth of data structure exceeded: a source may nest at most "
                                 f"{MAX_DEPTH} lists and mappings")
        if event.tag is not None and event.tag != "!" and event.tag not in (f"{_TAG}seq", f"{_TAG}map"):
            self.refuse(line, f"tag '{_short(event.tag)}' is not allowed in protocol sources")
        return self.sequence(depth) if isinstance(event, SequenceStartEvent) else self.mapping(depth)

    def sequence(self, depth: int) -> tuple[list, list[Lines]]:
        items: list[Any] = []
        item_lines: list[Lines] = []
        next_event = self.parser.get_event
        while type(event := next_event()) is not SequenceEndEvent:
            value, below = self.node(event, depth + 1)
            items.append(value)
            item_lines.append((event.start_mark.line, below))
        return items, item_lines

    def mapping(self, depth: int) -> tuple[dict, dict[Any, Lines]]:
        mapping: dict[Any, Any] = {}
        key_lines: dict[Any, Lines] = {}
        next_event = self.parser.get_event
        while type(event := next_event()) is not MappingEndEvent:
            line = event.start_mark.line
            if type(event) is ScalarEvent and event.implicit[0] and event.value == "<<":
                self.refuse(line, "merge keys ('<<') are not allowed in protocol sources; write each key out")
            key, _ = self.node(event, depth + 1)
            value, below = self.node(next_event(), depth + 1)
            if isinstance(key, (list, dict)):
                self.refuse(line, "a key must be a single value, not a list or a mapping")
            elif key in mapping:
                self.refuse(line, f'found duplicate key "{key}" (first on line {key_lines[key][0] + 1})')
            else:
                mapping[key] = value
                key_lines[key] = (line, below)
        return mapping, key_lines

    def scalar(self, event: ScalarEvent) -> Any:
        text = event.value
        if event.implicit[0]:  # plain and untagged: resolved by its form
            if not text:
                return None
            for pattern, construct in _RESOLVE.get(text[0], ()):
                if pattern.match(text):
                    return self.construct(construct, text, event)
            return text
        if event.tag is None or event.tag == "!":
            return text
        construct = _EXPLICIT.get(event.tag)
        if construct is None:
            self.refuse(event.start_mark.line, f"tag '{_short(event.tag)}' is not allowed in protocol sources")
            return text
        return self.construct(construct, text, event)

    def construct(self, construct: Any, text: str, event: ScalarEvent) -> Any:
        try:
            return construct(text)
        except ValueError as exc:  # e.g. an integer of 5,000 digits
            self.refuse(event.start_mark.line, f"cannot read this value: {exc}")
            return text


def _parse(text: str) -> tuple[Any, Lines | None]:
    """One YAML document's data and lines; (None, None) for a file without one."""
    parser = _Parser(text)
    try:
        parser.get_event()  # the stream's start
        if parser.check_event(StreamEndEvent):
            return None, None
        parser.get_event()  # the document's start
        event = parser.get_event()
        builder = _Builder(parser)
        data, below = builder.node(event, 0)
        parser.get_event()  # the document's end
        if not parser.check_event(StreamEndEvent):
            raise _Refused(parser.peek_event().start_mark.line,
                           "expected a single document in the file, but found another")
        if builder.problem:
            raise builder.problem
        return data, (event.start_mark.line, below)
    finally:
        parser.dispose()


_FAILED = object()
"""What ``_read`` returns for a file it could not read (a problem is recorded)."""


def read_source(file: Path, problems: list[Problem]) -> Any:
    """One source file's YAML data as the loader reads it (None, with a problem, if it cannot)."""
    read = _read(file, problems)
    return None if read is _FAILED else read[0]


class _NotRead(Exception):
    """The file is not one a source may be: not a regular file, or too big."""


_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFLNK: "a symbolic link", stat.S_IFDIR: "a folder"}


def _not_regular(file: Path, mode: int) -> str | None:
    """Why a file of this mode is no source (None: a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    if stat.S_ISLNK(mode):
        with contextlib.suppress(OSError):
            kind += f" (to {os.readlink(file)})"
    return f"is {kind}; a source must be a regular file"


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_bytes(file: Path) -> bytes:
    """A regular file's bytes, read no further than ``MAX_FILE_BYTES`` (+ 1, to know it is more).

    The file is looked at before it is opened (a device is never opened), opened without
    following a link or waiting for a writer (a FIFO), and what was opened is looked at again:
    a link to /dev/zero, a FIFO or a file swapped in between is refused, never read.
    """
    reason = _not_regular(file, os.lstat(file).st_mode)
    if reason:
        raise _NotRead(reason)
    try:
        fd = os.open(file, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP and os.path.islink(file):  # made a link since the lstat
            raise _NotRead(_not_regular(file, os.lstat(file).st_mode) or "changed while it was read") from None
        raise
    with open(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        reason = _not_regular(file, info.st_mode)
        if reason:
            raise _NotRead(reason)
        if info.st_size > MAX_FILE_BYTES:
            raise _NotRead(f"file is {info.st_size:,} bytes; a source may have at most {MAX_FILE_BYTES:,} bytes (1 MiB)")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # grew since, or its size was not what the file system said
        raise _NotRead(f"file has more than {MAX_FILE_BYTES:,} bytes; a source may have at most "
                       f"{MAX_FILE_BYTES:,} bytes (1 MiB)")
    return data


def _read(file: Path, problems: list[Problem], raw: bytes | None = None) -> Any:
    """The file's data and lines, or ``_FAILED`` with a problem recorded. Empty files are problems.
    ``raw``: the file's bytes, already read (``_read_bytes``)."""
    text = ""
    try:
        text = (_read_bytes(file) if raw is None else raw).decode("utf-8")
        data, lines = _parse(text)
    except _NotRead as exc:
        problems.append(Problem(file, None, "", str(exc)))
        return _FAILED
    except _Refused as exc:
        problems.append(Problem(file, exc.line + 1, "", f"not valid YAML: {exc}"))
        return _FAILED
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problems.append(Problem(file, line, "", f"not valid YAML: {exc.problem or exc.context}"))
        return _FAILED
    except ReaderError as exc:  # a control character, say; libyaml counts its position in bytes
        before = text.encode("utf-8")[: exc.position] if _POSITION_IN_BYTES else text[: exc.position]
        problems.append(Problem(file, before.count("\n" if isinstance(before, str) else b"\n") + 1, "",
                                f"not valid YAML: unacceptable character #x{exc.character:04x}: "
                                "control characters are not allowed"))
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
    return data, lines


def _line_of(lines: Lines | None, loc: tuple) -> int | None:
    """The 1-based line of the deepest part of ``loc`` that exists in the YAML."""
    if lines is None:
        return None
    line, below = lines
    for key in loc:
        if isinstance(below, dict) and key in below or isinstance(below, list) and isinstance(key, int) and 0 <= key < len(below):
            line, below = below[key]
        else:
            break
    return line + 1


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
    model: type[M], read: tuple[Any, Lines], file: Path, problems: list[Problem], context: dict | None = None
) -> M | None:
    data, lines = read
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
            # A key or message may hold what the file holds: an invisible character is named, not printed.
            problems.append(Problem(file, _line_of(lines, where), visible(_dotted(where)), visible(message)))
    return None


def _plain(msg: str) -> str:
    return msg.removeprefix("Value error, ")


# ---------------------------------------------------------------- the handbook


def load(root: Path | str) -> Handbook:
    """Load and cross-check every source below ``root`` (the protocols folder)."""
    root = Path(root)
    problems: list[Problem] = []
    found = _scan(root, problems)

    # In the order of SOURCE_FILES: sources.yaml first, as every other file may cite it as [[id]].
    loaded: dict[type[BaseModel], BaseModel | None] = {}
    lines: dict[type[BaseModel], Lines | None] = {}
    for source in SOURCE_FILES:
        if source.model is Variant:
            continue
        sources = loaded.get(Sources)
        context = {"sources": sources} if sources is not None else None
        if source.path in found.files:
            loaded[source.model], lines[source.model] = _load_with_lines(
                root / source.path, source.model, problems, context)
        elif source.path not in found.refused:
            problems.append(Problem(root / source.path, None, "", "file is missing"))
    kader, contacts = loaded.get(Kader), loaded.get(Contacts)
    if kader is not None:
        _check_kader(kader, lines[Kader], root / KADER_FILE, problems)
    checks, situations = loaded.get(ChecksConfig), loaded.get(Situations)
    if checks is not None and situations is not None:
        _check_situation_rules(checks, lines.get(ChecksConfig), root / CHECKS_FILE, situations, problems)

    variants: list[Variant] = []
    files: dict[tuple[str, str], Path] = {}
    reads: dict[tuple[str, str], _ReadVariant] = {}
    if not found.variants and VARIANTS_DIR not in found.refused:
        problems.append(Problem(root / VARIANTS_DIR, None, "", f"no variant files (*{VARIANT_SUFFIX}) found"))
    for file in found.variants:
        read = _read_variant(file, problems)
        if read is None:
            continue
        variant = read.variant
        if variant.key in files:
            problems.append(
                Problem(file, read.version_line, "version",
                        f"variant '{variant.id}' version '{variant.version}' is also defined in {files[variant.key]}")
            )
            continue
        region = variant.veilig_thuis.region
        if contacts is not None and region is not None and region not in contacts.veilig_thuis_regions:
            known = ", ".join(sorted(contacts.veilig_thuis_regions))
            problems.append(
                Problem(file, read.region_line, "veilig_thuis.region",
                        f"unknown contact reference '{region}' (known regions in {CONTACTS_FILE}: {known})")
            )
        if situations is not None:
            _check_situation_ids(variant, read, file, situations, problems)
        if variant.eigenaar is not None:
            _check_owner(variant, read, file, loaded.get(Roles), problems)
        files[variant.key] = file
        reads[variant.key] = read
        variants.append(variant)

    _check_versions(variants, files, reads, problems)
    if problems:
        raise SourceError(problems)
    return Handbook(root, contacts, kader, loaded.get(Basismodel), variants, loaded.get(ChecksConfig), files,
                    sources=loaded.get(Sources), roles=loaded.get(Roles), begrippen=loaded.get(Begrippen),
                    situations=loaded.get(Situations))


@dataclass
class _Found:
    """What ``_scan`` found in protocols/."""

    files: set[str] = field(default_factory=set)
    """The single sources of SOURCE_FILES that are there, as regular files (their table paths)."""
    variants: list[Path] = field(default_factory=list)
    """The variant files, in order."""
    refused: set[str] = field(default_factory=set)
    """Paths below protocols/ refused (a problem is recorded): a link, a FIFO, ..."""


def _scan(root: Path, problems: list[Problem]) -> _Found:
    """Every file below ``root`` is a source of SOURCE_FILES, a JSON Schema of one, or passed
    over (PASSED_OVER); anything else is a problem: a variant saved as ``x.yml`` is an error, not a
    school that is silently left out. Links are not followed, into folders neither."""
    found = _Found()
    singles = {s.path for s in SOURCE_FILES if not s.path.endswith("/")}
    folders = {s.path.rstrip("/") for s in SOURCE_FILES if s.path.endswith("/")}
    schemas = {f"{SCHEMA_DIR}/{s.schema}" for s in SOURCE_FILES}

    def scan(folder: Path) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            problems.append(Problem(folder, None, "", f"cannot be read: {exc}"))
            return
        for entry in entries:
            if _PASSED_OVER.match(entry.name):
                continue
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                problems.append(Problem(path, None, "", f"cannot be read: {exc}"))
                found.refused.add(rel)
                continue
            if stat.S_ISDIR(mode):
                scan(path)
                continue
            reason = _not_regular(path, mode)
            if reason:
                problems.append(Problem(path, None, "", reason))
                found.refused.add(rel)
            elif rel in singles:
                found.files.add(rel)
            elif rel.partition("/")[0] in folders and entry.name.endswith(VARIANT_SUFFIX):
                found.variants.append(path)
            elif rel not in schemas:
                problems.append(Problem(path, None, "", _unknown(rel, folders)))
    scan(root)
    found.variants.sort()
    return found


def _unknown(rel: str, folders: set[str]) -> str:
    """What to say of a file that is no source."""
    name = rel.rpartition("/")[2]
    stem, dot, suffix = name.rpartition(".")
    if rel.partition("/")[0] in folders and dot and suffix.lower() in ("yaml", "yml"):
        return (f"not read: a variant file's name ends in {VARIANT_SUFFIX} (lower case); "
                f"rename it to {stem}{VARIANT_SUFFIX}")
    known = ", ".join(s.path + (f"**/*{VARIANT_SUFFIX}" if s.path.endswith("/") else "") for s in SOURCE_FILES)
    return (f"not a file the handbook reads: the sources are {known} (and their JSON Schemas in "
            f"{SCHEMA_DIR}/); move or remove it")


def _load_with_lines(
    file: Path, model: type[M], problems: list[Problem], context: dict | None = None
) -> tuple[M | None, Lines | None]:
    read = _read(file, problems)
    if read is _FAILED:
        return None, None
    return _validate(model, read, file, problems, context), read[1]


@dataclass(frozen=True)
class _ReadVariant:
    """A variant file that validated, with the lines ``load`` may still need to name."""

    variant: Variant
    version_line: int | None
    region_line: int | None
    title_line: int | None
    organisation_line: int | None
    situation_lines: dict[str, int | None] = field(default_factory=dict)
    """The line of each situation the variant marks passages for (its key under ``situations``)."""
    owner_line: int | None = None
    """The line of ``eigenaar`` (a role id), checked against roles.yaml."""


RememberedFiles = dict[Path, tuple[str, _ReadVariant]]
"""Variant files read before: resolved path -> (the SHA-256 of the file's bytes, what it gave)."""

_CACHE: OrderedDict[Path, tuple[str, _ReadVariant]] = OrderedDict()
"""Variant files read before, by resolved path: ``mkdocs serve`` reloads the protocols
on every change, and at thousands of variants re-parsing the unchanged ones is most
of a rebuild. An entry counts only while the file holds the same bytes (their SHA-256):
every file is read on every load, and parsed and validated only when it changed (D37)."""
CACHE_SIZE = 20_000
"""The most variant files remembered (the least recently read are forgotten)."""


def remembered_files() -> RememberedFiles:
    """The variant files read and unchanged so far (for ``build.cache``: the next build's process
    then parses only the files that changed since)."""
    return dict(_CACHE)


def remember_files(entries: RememberedFiles) -> None:
    """Take ``remembered_files`` of an earlier process; each still counts only while its file
    holds the same bytes."""
    for path, entry in entries.items():
        _CACHE.setdefault(path, entry)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)


def _read_variant(file: Path, problems: list[Problem]) -> _ReadVariant | None:
    """The file's validated variant (remembered, if the file holds the bytes it held then), or
    None with its problems recorded. Files with problems are never remembered: read every time."""
    try:
        raw = _read_bytes(file)
        path, digest = file.resolve(), hashlib.sha256(raw).hexdigest()
    except (_NotRead, OSError):
        raw = path = digest = None  # ``_read`` reads it again, and says what is wrong
    cached = _CACHE.get(path) if path else None
    if cached is not None and cached[0] == digest:
        _CACHE.move_to_end(path)
        return cached[1]
    read = _read(file, problems, raw)
    if read is _FAILED:
        return None
    variant = _validate(Variant, read, file, problems)
    if variant is None:
        return None
    lines = read[1]
    if not _passages_exist(variant, lines, file, problems):
        return None
    entry = _ReadVariant(variant, _line_of(lines, ("version",)), _line_of(lines, ("veilig_thuis", "region")),
                         _line_of(lines, ("title",)), _line_of(lines, ("organisation", "name")),
                         {sid: _line_of(lines, ("situations", sid)) for sid in variant.situations},
                         _line_of(lines, ("eigenaar",)))
    if path:
        _CACHE[path] = (digest, entry)
        _CACHE.move_to_end(path)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return entry


def _passages_exist(variant: Variant, lines: Lines | None, file: Path, problems: list[Problem]) -> bool:
    """Every passage the variant marks for a situation (proposed ones too) names one place its
    text has, with words a reader sees (``passages.resolve``)."""
    ok = True
    for situation_id, answer in variant.situations.items():
        for index, ref in enumerate(answer.passages):
            try:
                resolve(variant, ref)
            except PassageError as exc:
                where = ("situations", situation_id, "passages", index, exc.key)
                # The message quotes the protocol's words: an invisible character is named, not printed.
                problems.append(Problem(file, _line_of(lines, where), _dotted(where), visible(str(exc))))
                ok = False
    return ok


def _check_situation_ids(variant: Variant, read: _ReadVariant, file: Path, situations: Situations,
                         problems: list[Problem]) -> None:
    for situation_id in variant.situations:
        if situation_id not in situations.by_id:
            known = ", ".join(s.id for s in situations.situations)
            problems.append(Problem(file, read.situation_lines.get(situation_id), f"situations.{situation_id}",
                                    f"unknown situation '{situation_id}' (known in {SITUATIONS_FILE}: {known})"))


def _check_owner(variant: Variant, read: _ReadVariant, file: Path, roles: Roles | None,
                 problems: list[Problem]) -> None:
    known = [role.id for role in roles.roles] if roles is not None else []
    if variant.eigenaar not in known:
        problems.append(Problem(file, read.owner_line, "eigenaar",
                                f"unknown role '{variant.eigenaar}' (known in {ROLES_FILE}: {', '.join(known)})"))


def _check_situation_rules(checks: ChecksConfig, lines: Lines | None, file: Path, situations: Situations,
                           problems: list[Problem]) -> None:
    """A rule of kind ``situation`` names a situation that exists."""
    for rule_id, rule in checks.rules.items():
        if rule.kind is RuleKind.situation and rule.situation not in situations.by_id:
            known = ", ".join(s.id for s in situations.situations)
            where = ("rules", rule_id, "situation")
            problems.append(Problem(file, _line_of(lines, where), _dotted(where),
                                    f"unknown situation '{rule.situation}' (known in {SITUATIONS_FILE}: {known})"))


def _check_kader(kader: Kader, lines: Lines | None, file: Path, problems: list[Problem]) -> None:
    try:
        engine.check(kader.model_dump(mode="json"))
    except engine.KaderError as exc:
        for problem in exc.problems:
            problems.append(Problem(file, _line_of(lines, ("questions",)), "questions", problem))
    question_ids = {q.id for q in kader.questions}
    for index, note in enumerate(kader.notes):
        if note.placement == "bij_vraag" and note.question not in question_ids:
            problems.append(
                Problem(file, _line_of(lines, ("notes", index, "question")), f"notes[{index}].question",
                        f"unknown question '{note.question}'")
            )


def _check_versions(variants: list[Variant], files: dict, reads: dict, problems: list[Problem]) -> None:
    by_id: dict[str, list[Variant]] = defaultdict(list)
    for variant in variants:
        by_id[variant.id].append(variant)
    for variant_id, versions in by_id.items():
        by_slug: dict[str, Variant] = {}
        for v in versions:
            other = by_slug.setdefault(version_slug(v.version), v)
            if other is not v:
                problems.append(
                    Problem(files[v.key], reads[v.key].version_line, "version",
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
        _check_continuity(sorted(versions, key=lambda v: (v.valid_from or dt.date.min, v.version)),
                          files, reads, problems)


def _same(a: str | None, b: str | None) -> bool:
    """Names compared as a reader reads them: case and runs of white space aside."""
    return (a and " ".join(a.split()).casefold()) == (b and " ".join(b.split()).casefold())


def _check_continuity(versions: list[Variant], files: dict, reads: dict, problems: list[Problem]) -> None:
    """Each version (oldest first) is of the same protocol as the one before it: it names the
    same organisation, or, where neither names one, has the same title; otherwise it says
    ``continues: <id>``. Another school's file that took this id would take its pages."""
    for before, version in itertools.pairwise(versions):
        by_organisation = bool(before.organisation.name or version.organisation.name)
        if version.continues is not None or (
            _same(before.organisation.name, version.organisation.name) if by_organisation
            else _same(before.title, version.title)
        ):
            continue
        read = reads[version.key]
        path, line = ("organisation.name", read.organisation_line) if by_organisation else ("title", read.title_line)
        problems.append(Problem(
            files[version.key], line, path,
            f"version '{version.version}' {_names(version, by_organisation)}, but the version before it "
            f"('{before.version}', {files[before.key]}) {_names(before, by_organisation)}: another protocol under "
            f"the id '{version.id}'? Give it an id of its own; or, if it continues that protocol (a school or "
            f"board renamed), say so: 'continues: {version.id}'"
        ))


def _names(variant: Variant, by_organisation: bool) -> str:
    if not by_organisation:
        return f"has the title '{variant.title}'"
    name = variant.organisation.name
    return f"names the organisation '{name}'" if name else "names no organisation"


def variant_id_users(variants: Path, variant_id: str) -> tuple[list[Path], list[str]]:
    """The variant files whose ``id`` is ``variant_id``, and the problems of files
    whose id cannot be read (the id inside a file counts, not its name)."""
    users, unreadable = [], []
    for file in sorted(variants.glob("**/*.yaml")):
        problems: list[Problem] = []
        data = read_source(file, problems)
        if problems:
            unreadable += [str(p) for p in problems]
        elif not isinstance(data, dict) or not isinstance(data.get("id"), str):
            unreadable.append(f"{file}: no 'id' at the top level")
        elif data["id"] == variant_id:
            users.append(file)
    return users, unreadable
