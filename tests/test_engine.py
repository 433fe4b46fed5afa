"""The afwegingskader engine: routing per question, every path, malformed kaders.

Expected routes are written out from the kader as the sources state it
(001_*, 004_*), not derived from the engine.
"""

from __future__ import annotations

import copy

import pytest

from conftest import PROTOCOLS, read_yaml
from generator.afwegingskader.engine import Flow, InvalidAnswer, KaderError, check, handle

KADER = read_yaml(PROTOCOLS / "afwegingskader.yaml")

# Every path through the national kader, and where the sources say it ends.
EXPECTED_PATHS = {
    ("Nee",): "dossier-sluiten",
    ("Ja", "Ja"): "direct-melden",
    ("Ja", "Twijfel"): "direct-melden",
    ("Ja", "Nee", "Nee"): "melden-geen-hulp-mogelijk",
    ("Ja", "Nee", "Ja", "Nee"): "melden-hulp-niet-aanvaard",
    ("Ja", "Nee", "Ja", "Ja", "Nee"): "melden-geen-resultaat",
    ("Ja", "Nee", "Ja", "Ja", "Ja"): "hulp-afsluiten",
}


@pytest.fixture(scope="module")
def flow() -> Flow:
    return Flow.from_data(KADER)


class TestQuestionVermoedenWegen:
    def test_starts_here(self, flow):
        assert flow.walk().state()["node"] == "vermoeden-wegen"
        assert flow.walk().state()["number"] == 1

    def test_nee_closes_the_dossier(self, flow):
        assert flow.walk(("Nee",)).node == "dossier-sluiten"

    def test_ja_goes_to_veiligheid(self, flow):
        assert flow.walk(("Ja",)).node == "veiligheid"


class TestQuestionVeiligheid:
    def test_ja_and_twijfel_lead_to_the_same_melding(self, flow):
        assert flow.walk(("Ja", "Ja")).node == flow.walk(("Ja", "Twijfel")).node == "direct-melden"

    def test_nee_goes_to_hulp(self, flow):
        assert flow.walk(("Ja", "Nee")).node == "hulp-mogelijk"

    def test_offers_three_answers(self, flow):
        assert flow.walk(("Ja",)).state()["options"] == ["Nee", "Ja", "Twijfel"]


class TestQuestionsHulpAndResultaat:
    def test_no_help_possible_means_melden(self, flow):
        assert flow.walk(("Ja", "Nee", "Nee")).node == "melden-geen-hulp-mogelijk"

    def test_help_refused_means_melden(self, flow):
        assert flow.walk(("Ja", "Nee", "Ja", "Nee")).node == "melden-hulp-niet-aanvaard"

    def test_help_accepted_leads_to_resultaat(self, flow):
        assert flow.walk(("Ja", "Nee", "Ja", "Ja")).node == "resultaat"

    def test_no_result_means_melden(self, flow):
        assert flow.walk(("Ja", "Nee", "Ja", "Ja", "Nee")).node == "melden-geen-resultaat"

    def test_result_closes_the_help(self, flow):
        assert flow.walk(("Ja", "Nee", "Ja", "Ja", "Ja")).node == "hulp-afsluiten"


def test_every_path_is_enumerated_and_ends_where_the_sources_say(flow):
    paths = flow.all_paths()
    assert sorted(paths) == sorted(EXPECTED_PATHS)
    for answers, outcome in EXPECTED_PATHS.items():
        state = flow.walk(answers).state()
        assert state["kind"] == "outcome"
        assert state["node"] == outcome
        assert [step["answer"] for step in state["path"]] == list(answers)
        assert [step["number"] for step in state["path"]] == list(range(1, len(answers) + 1))


def test_back_and_restart(flow):
    walk = flow.walk(("Ja", "Nee"))
    assert walk.back().node == "veiligheid"
    assert walk.back().back().node == "vermoeden-wegen"
    assert walk.back().back().back().node == "vermoeden-wegen"  # back at the start stays there
    assert walk.restart().answers == ()


def test_an_answer_the_question_does_not_offer_is_refused(flow):
    with pytest.raises(InvalidAnswer):
        flow.walk(("Twijfel",))  # only question 2 offers Twijfel
    with pytest.raises(InvalidAnswer):
        flow.walk(("Nee", "Ja"))  # an outcome takes no answer


def test_handle_round_trips_json_and_reports_a_bad_answer():
    import json

    kader = json.dumps(KADER, default=str)
    out = json.loads(handle(kader, "[]", json.dumps({"do": "answer", "label": "Ja"})))
    assert out["answers"] == ["Ja"] and out["state"]["node"] == "veiligheid" and out["error"] is None
    out = json.loads(handle(kader, '["Ja"]', json.dumps({"do": "answer", "label": "Misschien"})))
    assert out["answers"] == ["Ja"] and out["error"]
    out = json.loads(handle(kader, '["Ja"]', json.dumps({"do": "back"})))
    assert out["answers"] == [] and not out["state"]["can_go_back"]


def _broken(mutate) -> dict:
    kader = copy.deepcopy(KADER)
    mutate(kader)
    return kader


def _question(kader, question_id):
    return next(q for q in kader["questions"] if q["id"] == question_id)


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda k: _question(k, "resultaat")["answers"][0].update(next="nergens"), "unknown target 'nergens'"),
        (lambda k: _question(k, "resultaat")["answers"][0].update(next="veiligheid"), "loop"),
        (lambda k: _question(k, "hulp-aanvaard").update(answers=[]), "dead end"),
        (lambda k: k["outcomes"].append({"id": "verweesd", "kind": "melden"}), "cannot be reached"),
        (lambda k: k.update(start="begin"), "start 'begin'"),
        (lambda k: _question(k, "veiligheid")["answers"].append({"label": "Ja", "next": "direct-melden"}), "twice"),
    ],
    ids=["unknown-target", "loop", "dead-end", "unreachable", "unknown-start", "duplicate-answer"],
)
def test_a_malformed_kader_is_refused(mutate, expected):
    with pytest.raises(KaderError) as info:
        check(_broken(mutate))
    assert expected in str(info.value)
