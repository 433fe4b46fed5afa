"""The committed JSON Schemas match the model, and every source validates against them."""

from __future__ import annotations

import json

import pytest

from conftest import PROTOCOLS, variant_files
from generator.model.schema import SCHEMAS, schema_text


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_up_to_date(name):
    committed = (PROTOCOLS / "schema" / name).read_text(encoding="utf-8")
    assert committed == schema_text(SCHEMAS[name]), "run: python -m generator schema"


@pytest.mark.parametrize("path", variant_files(), ids=lambda p: p.name)
def test_every_variant_names_its_schema_and_version(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/variant.schema.json"
    from conftest import read_yaml

    assert read_yaml(path)["schema_version"] == 1


def test_schema_forbids_unknown_keys():
    schema = json.loads((PROTOCOLS / "schema" / "variant.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert {"steps", "melding", "veilig_thuis", "valid_from"} <= set(schema["required"])
