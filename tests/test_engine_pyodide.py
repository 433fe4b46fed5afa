"""The same engine, run by Pyodide under Node.js, gives the same result for every path."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import PROTOCOLS, ROOT, read_yaml
from generator.afwegingskader import engine
from generator.loader import load
from generator.site.pages import kader_json


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


def test_pyodide_runs_every_path_like_cpython():
    if not (ROOT / "node_modules" / "pyodide").is_dir() or not shutil.which("node"):
        pytest.fail("node and node_modules/pyodide are needed: run 'make setup'")
    kader = str(kader_json(load(PROTOCOLS).kader))  # exactly what the pages embed
    walks = _walks(engine.Flow.from_data(json.loads(kader)))
    payload = json.dumps({"engine": engine.__file__, "kader": kader, "walks": walks})
    proc = subprocess.run(
        ["node", str(ROOT / "tests" / "pyodide_engine.mjs")],
        input=payload, capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["python"].startswith("3.1")  # Pyodide's own CPython, not this one
    assert out["results"] == _cpython(kader, walks)
    outcomes = {walk[-1]["state"]["node"] for walk in out["results"][: len(walks) - 5]}
    assert outcomes == {o["id"] for o in read_yaml(PROTOCOLS / "afwegingskader.yaml")["outcomes"]}
    # Inside Pyodide too, a second click meant for question 1 never answers question 2.
    for walk in out["results"][len(walks) - 5: len(walks) - 3]:
        assert walk[-1]["error"] and walk[-1]["state"]["node"] == "veiligheid"
