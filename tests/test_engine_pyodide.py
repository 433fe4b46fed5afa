"""The same engine, run by Pyodide under Node.js, gives the same result for every path.

Node.js runs what the site ships, not a copy: the built site's boot loader
(``assets/afwegingskader/boot.mjs``, which the worker imports), its Pyodide
files, the slim standard library and the boot data and kader that a tool page
embeds. So a module missing from the slim zip, a lock file the loader still
fetches or a loader that no longer boots fails here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PROTOCOLS, ROOT, read_yaml
from generator.model.afwegingskader import engine
from htmltext import script_data


def _walks(flow: engine.Flow) -> list[list[dict]]:
    """Every path, each answer naming its question; then clicks meant for other questions."""
    walks = []
    for path in flow.all_paths():
        walks.append([
            {"do": "answer", "node": flow.walk(path[:i]).node, "label": label} for i, label in enumerate(path)
        ])
    q1, q2, q3 = "vermoeden-wegen", "veiligheid", "hulp-mogelijk"
    # A double click and a change of mind on question 1: both refused, question 2 stays.
    walks.append([{"do": "answer", "node": q1, "label": "Ja"}, {"do": "answer", "node": q1, "label": "Ja"}])
    walks.append([{"do": "answer", "node": q1, "label": "Ja"}, {"do": "answer", "node": q1, "label": "Nee"}])
    # Back (twice for one screen), change, restart, state and answers that are refused.
    walks.append([
        {"do": "answer", "node": q1, "label": "Ja"}, {"do": "answer", "node": q2, "label": "Nee"},
        {"do": "back", "node": q3}, {"do": "back", "node": q3}, {"do": "answer", "node": q2, "label": "Ja"},
        {"do": "change", "node": q1, "from": "direct-melden"}, {"do": "state"},
        {"do": "answer", "node": q1, "label": "Nee"},
    ])
    walks.append([{"do": "answer", "node": q1, "label": "Ja"}, {"do": "restart"}, {"do": "state"}])
    walks.append([{"do": "answer", "node": q1, "label": "Twijfel"}, {"do": "answer", "label": "Ja"}])
    return walks


def _cpython(kader: str, walks):
    results = []
    for commands in walks:
        answers, outs = "[]", []
        for command in commands:
            out = json.loads(engine.handle(kader, answers, json.dumps(command)))
            answers = json.dumps(out["answers"])
            outs.append(out)
        results.append(outs)
    return results


def _run_in_node(site_dir: Path, walks) -> tuple[str, list]:
    """The tool page's kader, and every walk run by the site's own boot loader under Node.js."""
    if not shutil.which("node"):
        pytest.fail("node is needed: install Node.js (see README)")
    page = (site_dir / "varianten" / "consent" / "afwegingskader" / "index.html").read_text(encoding="utf-8")
    kader = script_data(page, "data-afweging-kader")
    boot = json.loads(script_data(page, "data-afweging-boot"))
    tool = site_dir / "assets" / "afwegingskader"
    # The glue resolves these against its own URL; here that is a file: URL.
    boot["pyodide"] = (tool / boot["pyodide"]).resolve().as_uri() + "/"
    boot["stdlib"] = (tool / boot["stdlib"]).resolve().as_uri()
    payload = json.dumps({"boot_module": (tool / "boot.mjs").as_uri(), "boot": boot, "kader": kader, "walks": walks})
    proc = subprocess.run(
        ["node", str(ROOT / "tests" / "pyodide_engine.mjs")],
        input=payload, capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return kader, json.loads(proc.stdout)["results"]


def test_the_shipped_boot_runs_every_path_like_cpython(site_dir):
    kader = script_data(
        (site_dir / "varianten" / "consent" / "afwegingskader" / "index.html").read_text(encoding="utf-8"),
        "data-afweging-kader",
    )
    walks = _walks(engine.Flow.from_data(json.loads(kader)))
    kader, results = _run_in_node(site_dir, walks)
    assert results == _cpython(kader, walks)
    outcomes = {walk[-1]["state"]["node"] for walk in results[: len(walks) - 5]}
    assert outcomes == {o["id"] for o in read_yaml(PROTOCOLS / "afwegingskader.yaml")["outcomes"]}
    # Inside Pyodide too, a second click meant for question 1 never answers question 2.
    for walk in results[len(walks) - 5: len(walks) - 3]:
        assert walk[-1]["error"] and walk[-1]["state"]["node"] == "veiligheid"


def test_the_slim_standard_library_is_all_the_site_ships(site_dir):
    """Pyodide's full standard library and lock file stay out of the site."""
    shipped = {p.name for p in (site_dir / "assets" / "pyodide").rglob("*") if p.is_file()}
    assert {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"} <= shipped
    assert not {"python_stdlib.zip", "pyodide-lock.json"} & shipped
    assert len([name for name in shipped if name.startswith("python_stdlib-")]) == 1
    assert (site_dir / "assets" / "afwegingskader" / "boot.mjs").is_file()
    assert not (site_dir / "assets" / "afwegingskader" / "engine.py").exists()
