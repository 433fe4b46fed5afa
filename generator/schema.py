"""JSON Schemas for the sources, exported from the model, for editors and review."""

from __future__ import annotations

import json
from pathlib import Path

from .model import Basismodel, Begrippen, ChecksConfig, Contacts, Kader, Roles, Situations, Sources, Variant

SCHEMAS = {
    "variant.schema.json": Variant,
    "contacts.schema.json": Contacts,
    "afwegingskader.schema.json": Kader,
    "basismodel.schema.json": Basismodel,
    "checks.schema.json": ChecksConfig,
    "sources.schema.json": Sources,
    "roles.schema.json": Roles,
    "begrippen.schema.json": Begrippen,
    "situaties.schema.json": Situations,
}


def schema_text(model) -> str:
    return json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written
