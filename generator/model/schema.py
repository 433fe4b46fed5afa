"""JSON Schemas for the sources, exported from the model, for editors and review."""

from __future__ import annotations

import json
from pathlib import Path

from .handbook import SOURCE_FILES

SCHEMAS = {source.schema: source.model for source in SOURCE_FILES}
"""Each source's JSON Schema, by file name (the table is ``handbook.SOURCE_FILES``)."""


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
