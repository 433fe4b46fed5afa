"""Synthetic handbooks of any size, made from the seed protocols (``make bench`` and the tests)."""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path

import yaml as pyyaml
from ruamel.yaml import YAML

NAMES = (
    "De Regenboog", "Het Kompas", "De Wegwijzer", "De Fontein", "Het Palet", "De Zonnewijzer",
    "De Vlinder", "Het Anker", "De Ark", "De Klimop", "Het Mozaïek", "De Bron", "De Vuurtoren",
    "Sint Jozef", "De Springplank", "Het Baken", "De Horizon", "De Notenkraker", "Oranje Nassau",
    "Willem-Alexander", "De Toermalijn", "Kindcentrum Noord", "Juliana", "De Tandem", "Het Startpunt",
)
PREFIXES = ("Basisschool", "CBS", "OBS", "RKBS", "IKC", "Daltonschool", "Jenaplanschool")
VO_PREFIXES = ("Lyceum", "College", "Scholengemeenschap", "Gymnasium")
PLACES = (
    "Almere", "Amersfoort", "Apeldoorn", "Arnhem", "Assen", "Breda", "Delft", "Deventer", "Dordrecht",
    "Ede", "Eindhoven", "Emmen", "Enschede", "Gouda", "Groningen", "Haarlem", "Heerlen", "Helmond",
    "Hengelo", "Hoorn", "Leeuwarden", "Leiden", "Lelystad", "Maastricht", "Nijmegen", "Oss", "Roosendaal",
    "Sittard", "Tilburg", "Utrecht", "Venlo", "Zaandam", "Zoetermeer", "Zwolle",
)
REGIONS = (
    "Amsterdam-Amstelland", "Drenthe", "Flevoland", "Fryslân", "Gelderland-Midden", "Gelderland-Zuid",
    "Gooi en Vechtstreek", "Groningen", "Haaglanden", "Hollands Midden", "Hollands Noorden",
    "IJsselland", "Kennemerland", "Limburg-Noord", "Midden- en West-Brabant", "Noord- en Oost-Gelderland",
    "Rotterdam Rijnmond", "Twente", "Utrecht", "Zaanstreek-Waterland", "Zeeland", "Zuid-Holland-Zuid",
    "Zuid-Limburg", "Brabant-Noord", "Brabant Zuidoost", "Noord-Veluwe",
)


def school(number: int) -> dict:
    """Name, type, region and board of synthetic school ``number``: spread as real ones are.

    About one school in eight is VO; a board has about seven schools; every name is unique (the
    number is part of it), so a test can search for one school.
    """
    vo = number % 8 == 7
    prefix = (VO_PREFIXES if vo else PREFIXES)[number % (4 if vo else 7)]
    name = NAMES[(number * 7) % len(NAMES)]
    place = PLACES[(number * 13) % len(PLACES)]
    return {
        "title": f"{prefix} {name} {place} {number:04d}",
        "school_type": "VO" if vo else "PO",
        "region": REGIONS[number % len(REGIONS)],
        "board": f"Stichting {NAMES[(number // 7) % len(NAMES)]} {PLACES[(number // 7) % len(PLACES)]} {number // 7:03d}",
    }


def step_agreement(number: int, step: int) -> str:
    """A sentence only the ``step``-th step of school ``number`` has (the tests search for it)."""
    return f"Afspraak {['nul', 'een', 'twee', 'drie', 'vier', 'vijf'][step]} van school {number:04d}."


def synthetic(protocols: Path, count: int) -> Path:
    """A temporary copy of protocols/ with ``count`` generated variants."""
    target = Path(tempfile.mkdtemp(prefix="meldcode-bench-")) / "protocols"
    shutil.copytree(protocols, target, ignore=shutil.ignore_patterns("variants"))
    (target / "variants").mkdir()
    templates = [YAML(typ="safe").load(p.read_text(encoding="utf-8"))
                 for p in sorted((protocols / "variants").glob("*.yaml"))]
    for number in range(count):
        data = copy.deepcopy(templates[number % len(templates)])
        facts = school(number)
        data["id"] = f"school-{number:04d}"
        data["title"] = facts["title"]
        data["school_type"] = facts["school_type"]
        data["region"] = facts["region"]
        data["organisation"] = {"name": facts["title"], "board": facts["board"]}
        # Every school's texts differ a little, as real ones do: no cache can share them.
        for step in data["steps"]:
            step["wie"] = f"{step['wie']} (school {number:04d})"
            step["hoe"] = f"{step['hoe']}\n\n{step_agreement(number, step['number'])}"
        for section in data.get("sections") or []:
            if section.get("body"):
                section["body"] = f"{section['body']}\n\nAfspraak van school {number:04d}."
            for item in section.get("items") or []:
                item["body"] = f"{item['body']}\n\nAfspraak van school {number:04d}."
        with (target / "variants" / f"school-{number:04d}.yaml").open("w", encoding="utf-8") as handle:
            # PyYAML's C emitter: writing 7,000 files with ruamel alone took minutes.
            pyyaml.dump(data, handle, Dumper=getattr(pyyaml, "CSafeDumper", pyyaml.SafeDumper),
                        allow_unicode=True, sort_keys=False, width=100)
    return target
