"""The sources of a handbook: the one table of source files and the validated ``Handbook``.

``SOURCE_FILES`` is the one list of the files in ``protocols/``: the loader reads it (and
refuses any other file), ``generator.schema`` exports a JSON Schema per row, ``serve``
rebuilds every page when one of its single files changes (``SHARED_SOURCES``), and the tests
check ``protocols/`` and ``.vscode/settings.json`` against it. Model layer: no YAML, no HTML.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel

from .sources import (
    Basismodel,
    Begrippen,
    ChecksConfig,
    Contacts,
    Kader,
    Roles,
    Situations,
    Sources,
    Variant,
)


class SourceFile(NamedTuple):
    path: str
    """Below protocols/; ending in "/", a folder of such files (``*.yaml``, at any depth)."""
    model: type[BaseModel]
    field: str
    """The ``Handbook`` attribute that holds it."""
    schema: str
    """Its JSON Schema in ``protocols/schema/`` (``python -m generator schema``)."""


SOURCE_FILES: tuple[SourceFile, ...] = (
    SourceFile("sources.yaml", Sources, "sources", "sources.schema.json"),  # first: the others cite it as [[id]]
    SourceFile("contacts.yaml", Contacts, "contacts", "contacts.schema.json"),
    SourceFile("afwegingskader.yaml", Kader, "kader", "afwegingskader.schema.json"),
    SourceFile("basismodel.yaml", Basismodel, "basismodel", "basismodel.schema.json"),
    SourceFile("checks.yaml", ChecksConfig, "checks", "checks.schema.json"),
    SourceFile("roles.yaml", Roles, "roles", "roles.schema.json"),
    SourceFile("begrippen.yaml", Begrippen, "begrippen", "begrippen.schema.json"),
    SourceFile("situaties.yaml", Situations, "situations", "situaties.schema.json"),
    SourceFile("variants/", Variant, "variants", "variant.schema.json"),
)
"""Every source there is, the one list of them: ``load`` reads these and refuses any other
file in protocols/, except their JSON Schemas in ``SCHEMA_DIR`` and ``PASSED_OVER``."""
SCHEMA_DIR = "schema"
VARIANT_SUFFIX = ".yaml"

_PATHS = {source.model: source.path for source in SOURCE_FILES}
SOURCES_FILE, CONTACTS_FILE, KADER_FILE = _PATHS[Sources], _PATHS[Contacts], _PATHS[Kader]
BASISMODEL_FILE, CHECKS_FILE, ROLES_FILE = _PATHS[Basismodel], _PATHS[ChecksConfig], _PATHS[Roles]
BEGRIPPEN_FILE, SITUATIONS_FILE = _PATHS[Begrippen], _PATHS[Situations]
VARIANTS_DIR = _PATHS[Variant].rstrip("/")


SHARED_SOURCES = tuple(source.field for source in SOURCE_FILES if not source.path.endswith("/"))
"""The ``Handbook`` attributes every page may show (every single file): an edit of one under
``serve`` rebuilds every page; an edit of a variant's file only that variant's pages."""


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
    situations: Situations | None = None
    """The situations a worry may be about, with a page per variant (``situaties.yaml``)."""

    @cached_property
    def _versions_by_id(self) -> dict[str, list[Variant]]:
        """Each variant's versions, oldest first, by id in order: built once, as the
        site and the checks ask for the versions of each of thousands of variants."""
        by_id: dict[str, list[Variant]] = defaultdict(list)
        for variant in self.variants:
            by_id[variant.id].append(variant)
        return {variant_id: sorted(by_id[variant_id], key=lambda v: (v.valid_from or dt.date.min, v.version))
                for variant_id in sorted(by_id)}

    def versions(self, variant_id: str) -> list[Variant]:
        """Oldest first; a version without a date sorts before dated ones."""
        return list(self._versions_by_id.get(variant_id, ()))

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
