"""The afwegingskader engine: routing per question, every path, malformed kaders.

Expected routes are written out from the kader as the sources state it
(001_*, 004_*), not derived from the engine.
"""

from __future__ import annotations

import copy
import json

import pytest

from conftest import PROTOCOLS, read_yaml
from generator.model.afwegingskader import engine
from generator.model.afwegingskader.engine import Flow, InvalidAnswer, KaderError, check, handle

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


# The next node per answer, per question, as the sources state it (not read from the engine).
EXPECTED_NEXT = {
    "vermoeden-wegen": {"Nee": "dossier-sluiten", "Ja": "veiligheid"},
    "veiligheid": {"Nee": "hulp-mogelijk", "Ja": "direct-melden", "Twijfel": "direct-melden"},
    "hulp-mogelijk": {"Nee": "melden-geen-hulp-mogelijk", "Ja": "hulp-aanvaard"},
    "hulp-aanvaard": {"Nee": "melden-hulp-niet-aanvaard", "Ja": "resultaat"},
    "resultaat": {"Nee": "melden-geen-resultaat", "Ja": "hulp-afsluiten"},
}
QUESTION_NUMBERS = {"vermoeden-wegen": 1, "veiligheid": 2, "hulp-mogelijk": 3, "hulp-aanvaard": 4, "resultaat": 5}
OUTCOME_IDS = {
    "dossier-sluiten", "direct-melden", "melden-geen-hulp-mogelijk", "melden-hulp-niet-aanvaard",
    "melden-geen-resultaat", "hulp-afsluiten",
}
ALL_NODES = sorted(set(EXPECTED_NEXT) | OUTCOME_IDS)
KADER_JSON = json.dumps(KADER, default=str)


def _key(walk) -> str:
    """A walk's key as engine.Walk.key documents it, written out here: each answer's place
    among its question's answers, joined by ".", then "~" and the earlier answer's place."""
    def place(node, label):
        return str([a["label"] for a in QUESTIONS[node]["answers"]].index(label))
    key = ".".join(place(node, label) for node, label in walk.answers)
    return key + ("~" + place(*walk.earlier) if walk.earlier else "")


def _command_key(command: dict) -> str:
    return " ".join(command[name] for name in ("do", "node", "from", "label") if name in command)


QUESTIONS = {q["id"]: q for q in KADER["questions"]}
# Every command the page could send on any screen, the stale ones (naming another node) included.
ANY_COMMAND = (
    [{"do": "answer", "node": node, "label": label} for node in ALL_NODES for label in ("Nee", "Ja", "Twijfel")]
    + [{"do": "back", "node": node} for node in ALL_NODES]
    + [{"do": "change", "node": q, "from": node} for q in EXPECTED_NEXT for node in ALL_NODES]
    + [{"do": "restart"}]
)


def _by_walk_api(walk, command):
    """The command through Walk's own methods (not Walk.do, not the table); None if refused."""
    try:
        if command["do"] == "answer":
            return walk.answer(command["node"], command["label"])
        if command["do"] == "back":
            return walk.back(command["node"])
        if command["do"] == "change":
            return walk.change(command["node"], command["from"])
        return walk.restart()
    except InvalidAnswer:
        return None


def test_the_table_is_every_walk_state_and_every_command_as_the_engine_walks_it(flow):
    """Every state reached from the start by any command, every command in it: the table
    says what the engine's Walk and its worker interface (handle) do, and refuses what they refuse."""
    table = engine.table(KADER)
    states = table["states"]
    assert table["start"] == "" and states[""]["node"] == "vermoeden-wegen"
    assert table["numbers"] == QUESTION_NUMBERS
    seen, todo = {}, [flow.walk()]
    while todo:
        walk = todo.pop()
        key = _key(walk)
        if key in seen:
            assert seen[key] == (walk.answers, walk.earlier), key  # one key, one walk
            continue
        seen[key] = (walk.answers, walk.earlier)
        entry = states[key]
        assert entry["node"] == walk.node
        assert entry["path"] == [list(answer) for answer in walk.answers]
        assert entry["earlier"] == (walk.earlier[1] if walk.earlier else None)
        accepted = {}
        for command in ANY_COMMAND:
            reached = _by_walk_api(walk, command)
            out = json.loads(handle(KADER_JSON, json.dumps(walk.memory()), json.dumps(command)))
            if reached is None:
                assert out["error"] and out["key"] == key, (key, command)
                continue
            accepted[_command_key(command)] = _key(reached)
            assert out["error"] is None and out["key"] == _key(reached), (key, command)
            todo.append(reached)
        assert entry["go"] == accepted, key  # nothing more, nothing less
    assert set(states) == set(seen)
    # By hand: the 12 answer prefixes of the 7 paths (start, 2, 3, 2, 2, 2 deep), plus each
    # question asked again with one of its answers marked (2 + 3 + 2 + 2 + 2).
    assert len(states) == 12 + 11


def test_the_table_names_states_and_commands_as_documented(flow):
    states = engine.table(KADER)["states"]
    assert states["1.0"] == {
        "node": "hulp-mogelijk",
        "path": [["vermoeden-wegen", "Ja"], ["veiligheid", "Nee"]],
        "earlier": None,
        "go": {
            "answer hulp-mogelijk Nee": "1.0.0",
            "answer hulp-mogelijk Ja": "1.0.1",
            "back hulp-mogelijk": "1~0",
            "change vermoeden-wegen hulp-mogelijk": "~1",
            "change veiligheid hulp-mogelijk": "1~0",
            "restart": "",
        },
    }
    assert states["1~2"]["node"] == "veiligheid" and states["1~2"]["earlier"] == "Twijfel"
    assert engine.command_key({"do": "answer", "node": "veiligheid", "label": "Ja"}) == "answer veiligheid Ja"
    assert engine.command_key({"do": "change", "node": "a", "from": "b"}) == "change a b"


class Session:
    """Drives ``handle`` as the browser's worker does: JSON in, JSON out, answers carried along."""

    def __init__(self):
        self.answers = "[]"
        self.out = self.send({"do": "state"})

    def send(self, command: dict) -> dict:
        out = json.loads(handle(KADER_JSON, self.answers, json.dumps(command)))
        self.answers = json.dumps(out["answers"])
        self.out = out
        return out

    @property
    def node(self) -> str:
        return self.out["state"]["node"]

    def answer(self, label: str, node: str | None = None) -> dict:
        return self.send({"do": "answer", "node": node or self.node, "label": label})


class TestEveryAnswerBelongsToOneQuestion:
    def test_an_answer_names_its_question_and_moves_on(self):
        session = Session()
        out = session.answer("Ja", node="vermoeden-wegen")
        assert out["error"] is None and out["state"]["node"] == "veiligheid"
        assert out["answers"] == [{"node": "vermoeden-wegen", "label": "Ja"}]

    def test_a_double_click_on_question_1_does_not_answer_question_2(self):
        session = Session()
        session.answer("Ja", node="vermoeden-wegen")
        out = session.answer("Ja", node="vermoeden-wegen")  # the second click, same button
        assert out["error"] and "vermoeden-wegen" in out["error"]
        assert out["state"]["node"] == "veiligheid"  # not "direct-melden"
        assert out["state"]["path"] == [{"node": "vermoeden-wegen", "number": 1, "answer": "Ja"}]

    def test_ja_then_nee_queued_while_starting_keeps_to_the_question_shown(self):
        session = Session()
        session.answer("Ja", node="vermoeden-wegen")
        out = session.answer("Nee", node="vermoeden-wegen")  # a change of mind, still on question 1
        assert out["error"] and out["state"]["node"] == "veiligheid"  # not "hulp-mogelijk"

    @pytest.mark.parametrize("labels", sorted(EXPECTED_PATHS), ids=lambda p: "-".join(p))
    def test_on_every_path_a_command_for_any_other_node_is_refused_and_changes_nothing(self, labels):
        session = Session()
        for label in labels + ("",):
            here, before = session.node, session.answers
            for other in ALL_NODES:
                if other == here:
                    continue
                for command in (
                    {"do": "answer", "node": other, "label": "Ja"},
                    {"do": "answer", "node": other, "label": "Nee"},
                    {"do": "back", "node": other},
                    {"do": "change", "node": "vermoeden-wegen", "from": other},
                ):
                    out = session.send(command)
                    assert out["error"], command
                    assert session.node == here and session.answers == before, command
            if label:
                assert session.answer(label)["error"] is None
        assert session.node == EXPECTED_PATHS[labels]

    @pytest.mark.parametrize(
        "command",
        [
            {"do": "answer", "label": "Ja"},  # names no node: a bare answer is never applied
            {"do": "answer", "node": "vermoeden-wegen"},
            {"do": "answer", "node": "vermoeden-wegen", "label": "Twijfel"},  # not offered here
            {"do": "back"},
            {"do": "change", "node": "vermoeden-wegen"},
            {"do": "jump", "node": "direct-melden"},
        ],
        ids=["no-node", "no-label", "label-not-offered", "back-no-node", "change-no-from", "unknown"],
    )
    def test_an_incomplete_or_unknown_command_is_refused(self, command):
        session = Session()
        session.answer("Ja")
        before = session.answers
        out = session.send(command)
        assert out["error"] and session.answers == before and session.node == "veiligheid"

    def test_an_outcome_takes_no_answer(self):
        session = Session()
        session.answer("Nee")
        out = session.answer("Ja", node="dossier-sluiten")
        assert out["error"] and session.node == "dossier-sluiten"

    def test_forged_answers_are_refused(self):
        forged = json.dumps([{"node": "veiligheid", "label": "Ja"}])  # question 2 answered first
        with pytest.raises(InvalidAnswer):
            handle(KADER_JSON, forged, json.dumps({"do": "state"}))


class TestBackChangeRestart:
    def test_state_says_where_the_user_is(self):
        state = Session().answer("Ja")["state"]
        assert state["node"] == "veiligheid" and state["kind"] == "question"
        assert state["number"] == 2 and state["total"] == 5
        assert state["options"] == ["Nee", "Ja", "Twijfel"]
        assert state["can_go_back"] and state["earlier_answer"] is None

    def test_back_goes_to_the_question_before_with_its_answer_marked(self):
        session = Session()
        session.answer("Ja")
        session.answer("Nee")
        out = session.send({"do": "back", "node": "hulp-mogelijk"})
        assert out["error"] is None
        assert out["state"]["node"] == "veiligheid" and out["state"]["earlier_answer"] == "Nee"
        assert [step["node"] for step in out["state"]["path"]] == ["vermoeden-wegen"]

    def test_a_second_back_for_the_same_screen_is_refused(self):
        session = Session()
        session.answer("Ja")
        session.answer("Nee")
        session.send({"do": "back", "node": "hulp-mogelijk"})
        out = session.send({"do": "back", "node": "hulp-mogelijk"})  # a double click on "Vorige vraag"
        assert out["error"] and session.node == "veiligheid"

    def test_back_at_the_first_question_is_refused(self):
        out = Session().send({"do": "back", "node": "vermoeden-wegen"})
        assert out["error"] and out["state"]["node"] == "vermoeden-wegen"

    def test_change_returns_to_an_answered_question_and_asks_the_later_ones_again(self):
        session = Session()
        for label in ("Ja", "Nee", "Ja", "Nee"):
            session.answer(label)
        assert session.node == "melden-hulp-niet-aanvaard"
        out = session.send({"do": "change", "node": "veiligheid", "from": "melden-hulp-niet-aanvaard"})
        assert out["error"] is None
        assert out["state"]["node"] == "veiligheid" and out["state"]["earlier_answer"] == "Nee"
        assert out["state"]["path"] == [{"node": "vermoeden-wegen", "number": 1, "answer": "Ja"}]
        # The same answer again: the questions after it are asked again, not skipped.
        out = session.answer("Nee")
        assert out["state"]["node"] == "hulp-mogelijk" and out["state"]["earlier_answer"] is None
        # Another answer: continues from there.
        session.send({"do": "change", "node": "veiligheid", "from": "hulp-mogelijk"})
        assert session.answer("Ja")["state"]["node"] == "direct-melden"
        assert [s["answer"] for s in session.out["state"]["path"]] == ["Ja", "Ja"]

    def test_change_to_a_question_not_on_the_path_is_refused(self):
        session = Session()
        session.answer("Nee")
        for target in ("veiligheid", "dossier-sluiten", "nergens"):
            out = session.send({"do": "change", "node": target, "from": "dossier-sluiten"})
            assert out["error"] and session.node == "dossier-sluiten"

    def test_the_earlier_answer_survives_a_refused_command(self):
        session = Session()
        session.answer("Ja")
        session.send({"do": "change", "node": "vermoeden-wegen", "from": "veiligheid"})
        out = session.answer("Ja", node="veiligheid")  # stale: question 2 is no longer on screen
        assert out["error"] and out["state"]["earlier_answer"] == "Ja"

    def test_restart_forgets_everything(self):
        session = Session()
        session.answer("Ja")
        out = session.send({"do": "restart"})
        assert out["answers"] == [] and out["state"]["node"] == "vermoeden-wegen"
        assert not out["state"]["can_go_back"]


def test_an_answer_the_question_does_not_offer_is_refused(flow):
    with pytest.raises(InvalidAnswer):
        flow.walk(("Twijfel",))  # only question 2 offers Twijfel
    with pytest.raises(InvalidAnswer):
        flow.walk(("Nee", "Ja"))  # an outcome takes no answer


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
