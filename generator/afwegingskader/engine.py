"""Walks the afwegingskader: routing only, no wording, no DOM, no storage.

The kader arrives as plain JSON-shaped data (``start``, ``questions`` with
``answers`` that name their ``next`` node, ``outcomes``). This module must run
unchanged in CPython 3.11 and in Pyodide, so it imports only the standard
library and keeps all state in the ``Walk`` value it returns: nothing is
written anywhere, and forgetting the value forgets the answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

__all__ = ["KaderError", "InvalidAnswer", "Flow", "Walk", "check", "handle"]


class KaderError(ValueError):
    """The kader itself is malformed (dead end, loop, unknown target ...)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class InvalidAnswer(ValueError):
    """An answer that the current question does not offer."""


def check(kader: dict) -> None:
    """Refuse a kader through which some answer does not lead to an outcome."""
    problems: list[str] = []
    questions = kader.get("questions") or []
    outcomes = kader.get("outcomes") or []
    ids: dict[str, str] = {}
    for kind, nodes in (("question", questions), ("outcome", outcomes)):
        for node in nodes:
            node_id = node.get("id")
            if node_id in ids:
                problems.append(f"duplicate id '{node_id}'")
            ids[node_id] = kind
    start = kader.get("start")
    if start not in ids:
        problems.append(f"start '{start}' is not a question or outcome")
    for question in questions:
        answers = question.get("answers") or []
        if not answers:
            problems.append(f"question '{question['id']}' is a dead end: it has no answers")
        labels = [answer.get("label") for answer in answers]
        for label in sorted({label for label in labels if labels.count(label) > 1}):
            problems.append(f"question '{question['id']}' offers answer '{label}' twice")
        for answer in answers:
            target = answer.get("next")
            if target not in ids:
                problems.append(
                    f"question '{question['id']}', answer '{answer.get('label')}': "
                    f"unknown target '{target}'"
                )
    if problems:
        raise KaderError(problems)

    # Every node reachable from the start, and no path that comes back on itself.
    by_id = {q["id"]: q for q in questions}
    reached: set[str] = set()
    on_path: list[str] = []

    def visit(node_id: str) -> None:
        if node_id in on_path:
            loop = on_path[on_path.index(node_id):] + [node_id]
            problems.append("loop: " + " -> ".join(loop))
            return
        if node_id in reached:
            return
        reached.add(node_id)
        if node_id in by_id:
            on_path.append(node_id)
            for answer in by_id[node_id]["answers"]:
                visit(answer["next"])
            on_path.pop()

    visit(start)
    for node_id in ids:
        if node_id not in reached:
            problems.append(f"'{node_id}' cannot be reached from the start")
    if problems:
        raise KaderError(problems)


@dataclass(frozen=True)
class Flow:
    """A checked kader, indexed for walking."""

    start: str
    questions: dict
    outcomes: dict

    @classmethod
    def from_data(cls, kader: dict) -> "Flow":
        check(kader)
        return cls(
            start=kader["start"],
            questions={q["id"]: q for q in kader["questions"]},
            outcomes={o["id"]: o for o in kader["outcomes"]},
        )

    def walk(self, answers: tuple = ()) -> "Walk":
        walk = Walk(self)
        for label in answers:
            walk = walk.answer(label)
        return walk

    def all_paths(self) -> list[tuple]:
        """Every sequence of answers from the start to an outcome."""
        found: list[tuple] = []

        def visit(node_id: str, answers: tuple) -> None:
            if node_id in self.outcomes:
                found.append(answers)
                return
            for answer in self.questions[node_id]["answers"]:
                visit(answer["next"], answers + (answer["label"],))

        visit(self.start, ())
        return found


@dataclass(frozen=True)
class Walk:
    """Where someone stands in the kader: the answers given so far, nothing else."""

    flow: Flow
    answers: tuple = field(default=())

    @property
    def node(self) -> str:
        node_id = self.flow.start
        for label in self.answers:
            node_id = self._next(node_id, label)
        return node_id

    def _next(self, node_id: str, label: str) -> str:
        question = self.flow.questions.get(node_id)
        if question is None:
            raise InvalidAnswer(f"'{node_id}' is an outcome: there is nothing to answer")
        for answer in question["answers"]:
            if answer["label"] == label:
                return answer["next"]
        offered = ", ".join(a["label"] for a in question["answers"])
        raise InvalidAnswer(f"question '{node_id}' offers {offered}, not '{label}'")

    def answer(self, label: str) -> "Walk":
        self._next(self.node, label)
        return Walk(self.flow, self.answers + (label,))

    def back(self) -> "Walk":
        return Walk(self.flow, self.answers[:-1])

    def restart(self) -> "Walk":
        return Walk(self.flow)

    @property
    def path(self) -> list[dict]:
        steps = []
        node_id = self.flow.start
        for label in self.answers:
            question = self.flow.questions[node_id]
            steps.append({"question": node_id, "number": question["number"], "answer": label})
            node_id = self._next(node_id, label)
        return steps

    def state(self) -> dict:
        node_id = self.node
        question = self.flow.questions.get(node_id)
        return {
            "node": node_id,
            "kind": "question" if question else "outcome",
            "number": question["number"] if question else None,
            "options": [a["label"] for a in question["answers"]] if question else [],
            "path": self.path,
            "can_go_back": bool(self.answers),
        }


def handle(kader_json: str, answers_json: str, command_json: str) -> str:
    """One JSON-in, JSON-out call for the browser's worker.

    ``command`` is ``{"do": "answer", "label": ...}``, ``{"do": "back"}``,
    ``{"do": "restart"}`` or ``{"do": "state"}``. Returns the new answers and
    state; an answer the question does not offer leaves the walk unchanged and
    says so in ``error``.
    """
    flow = Flow.from_data(json.loads(kader_json))
    walk = flow.walk(tuple(json.loads(answers_json)))
    command = json.loads(command_json)
    error = None
    try:
        if command["do"] == "answer":
            walk = walk.answer(command["label"])
        elif command["do"] == "back":
            walk = walk.back()
        elif command["do"] == "restart":
            walk = walk.restart()
    except InvalidAnswer as exc:
        error = str(exc)
    return json.dumps({"answers": list(walk.answers), "state": walk.state(), "error": error})
