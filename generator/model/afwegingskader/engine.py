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

__all__ = ["KaderError", "InvalidAnswer", "Flow", "Walk", "check", "command_key", "handle", "table"]


class KaderError(ValueError):
    """The kader itself is malformed (dead end, loop, unknown target ...)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class InvalidAnswer(ValueError):
    """A command the walk refuses: an answer the question does not offer, or a
    command that names another node than the one the walk is at."""


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
    def from_data(cls, kader: dict) -> Flow:
        check(kader)
        return cls(
            start=kader["start"],
            questions={q["id"]: q for q in kader["questions"]},
            outcomes={o["id"]: o for o in kader["outcomes"]},
        )

    @property
    def total(self) -> int:
        """How many questions the kader has: the M of "question N of M".

        Paths differ in length (an answer may lead to an outcome early), so M is
        not the length of the path taken but the number of questions there are;
        N is the question's own number. Nobody is asked more than M questions.
        """
        return len(self.questions)

    def next(self, node_id: str, label: str) -> str:
        """Where ``label`` leads from question ``node_id``: the one transition rule."""
        question = self.questions.get(node_id)
        if question is None:
            raise InvalidAnswer(f"'{node_id}' is an outcome: there is nothing to answer")
        for answer in question["answers"]:
            if answer["label"] == label:
                return answer["next"]
        offered = ", ".join(a["label"] for a in question["answers"])
        raise InvalidAnswer(f"question '{node_id}' offers {offered}, not '{label}'")

    def walk(self, labels: tuple = ()) -> Walk:
        """The walk that answers ``labels`` in turn, each to the question it reaches.

        A shorthand for enumerating paths in tests and at build time; the browser
        never sends bare labels (see ``handle``).
        """
        walk = Walk(self)
        for label in labels:
            walk = walk.answer(walk.node, label)
        return walk

    def resume(self, memory: list) -> Walk:
        """Rebuild a walk from what ``handle`` returned as ``answers``; refuse a forged one."""
        walk = Walk(self)
        earlier = None
        for entry in memory:
            if earlier is not None:
                raise InvalidAnswer("an earlier answer can only be the last entry")
            if entry.get("earlier"):
                earlier = (entry["node"], entry["label"])
                self.next(*earlier)
            else:
                walk = walk.answer(entry["node"], entry["label"])
        if earlier is not None and earlier[0] != walk.node:
            raise InvalidAnswer(f"an earlier answer for '{earlier[0]}' while at '{walk.node}'")
        return Walk(self, walk.answers, earlier)

    def table(self) -> dict:
        """Every state a walk can reach and where each command the page can send leads from it.

        The tool page embeds this table and only looks up in it, so that the
        browser moves on at once, before Pyodide has started; the worker's engine
        later confirms each step by its own key (``handle``'s ``key``). A state is
        a ``Walk`` (answers given, answer being reconsidered), named by
        ``Walk.key``; states are reached from the start by every command the
        page can send (``Walk.commands``), so those after back, change and
        restart are in it too. ``{"start": <key of the start>,
        "numbers": {question: its number}, "states": {key: {"node", "path":
        [[question, label], ...], "earlier": label or null, "go": {command_key:
        key}}}}``: a command that is not in ``go`` is one the engine refuses.
        """
        start = Walk(self)
        states: dict = {}
        todo = [start]
        while todo:
            walk = todo.pop()
            if walk.key in states:
                continue
            go = {}
            for command in walk.commands():
                reached = walk.do(command)
                go[command_key(command)] = reached.key
                todo.append(reached)
            states[walk.key] = {
                "node": walk.node,
                "path": [[node_id, label] for node_id, label in walk.answers],
                "earlier": walk.earlier[1] if walk.earlier else None,
                "go": go,
            }
        return {
            "start": start.key,
            "numbers": {node_id: q["number"] for node_id, q in self.questions.items()},
            "states": dict(sorted(states.items())),
        }

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
    """Where someone stands in the kader.

    ``answers`` holds (question, label) pairs: every answer is bound to the
    question it was given to. ``earlier`` is the answer once given to the
    current question, kept while it is asked again after "back" or "change".
    """

    flow: Flow
    answers: tuple = field(default=())
    earlier: tuple | None = None

    @property
    def node(self) -> str:
        if not self.answers:
            return self.flow.start
        return self.flow.next(*self.answers[-1])

    def _at(self, node_id, what: str) -> None:
        """Refuse a command meant for another node than the one the walk is at."""
        if node_id != self.node:
            raise InvalidAnswer(f"{what} names '{node_id}', but the current node is '{self.node}'")

    def answer(self, node_id: str, label: str) -> Walk:
        self._at(node_id, "the answer")
        self.flow.next(node_id, label)
        return Walk(self.flow, self.answers + ((node_id, label),))

    def back(self, node_id: str) -> Walk:
        """To the question before, with the answer given there marked."""
        self._at(node_id, "back")
        if not self.answers:
            raise InvalidAnswer(f"'{node_id}' is the first question: there is nothing to go back to")
        return Walk(self.flow, self.answers[:-1], self.answers[-1])

    def change(self, question_id: str, from_id: str) -> Walk:
        """Back to an answered question, its answer marked; the questions after it are asked again."""
        self._at(from_id, "change")
        for index, (node_id, _label) in enumerate(self.answers):
            if node_id == question_id:
                return Walk(self.flow, self.answers[:index], self.answers[index])
        raise InvalidAnswer(f"'{question_id}' is not a question answered on this path")

    def restart(self) -> Walk:
        return Walk(self.flow)

    def do(self, command: dict) -> Walk:
        """The walk after one of the browser's commands (see ``handle``); refuses as the methods do."""
        do = command.get("do")
        if do == "answer":
            return self.answer(_named(command, "node"), _named(command, "label"))
        if do == "back":
            return self.back(_named(command, "node"))
        if do == "change":
            return self.change(_named(command, "node"), _named(command, "from"))
        if do == "restart":
            return self.restart()
        if do == "state":
            return self
        raise InvalidAnswer(f"unknown command {do!r}")

    def commands(self) -> list[dict]:
        """Every command the page can send while this walk is on screen and the engine accepts.

        An answer per option of the question shown, back (once something is answered),
        change per answered question and restart.
        """
        node_id = self.node
        question = self.flow.questions.get(node_id)
        commands = [{"do": "answer", "node": node_id, "label": a["label"]} for a in question["answers"]] if question else []
        if self.answers:
            commands.append({"do": "back", "node": node_id})
        commands += [{"do": "change", "node": answered, "from": node_id} for answered, _label in self.answers]
        commands.append({"do": "restart"})
        return commands

    @property
    def key(self) -> str:
        """The walk's name in the page's table: each answer's place among its question's answers
        (0 for the first), joined by ".", then "~" and the earlier answer's place if one is being
        reconsidered. "" is the start, "1.0" the first question's second answer and then the
        next question's first, "1~2" that next question asked again with its third answer marked.
        The answers from the start fix every node on the way, so the key names the walk exactly."""
        places = [str(self._place(node_id, label)) for node_id, label in self.answers]
        key = ".".join(places)
        if self.earlier:
            key += "~" + str(self._place(*self.earlier))
        return key

    def _place(self, node_id: str, label: str) -> int:
        return [a["label"] for a in self.flow.questions[node_id]["answers"]].index(label)

    @property
    def path(self) -> list[dict]:
        return [
            {"node": node_id, "number": self.flow.questions[node_id]["number"], "answer": label}
            for node_id, label in self.answers
        ]

    def memory(self) -> list[dict]:
        """The answers as JSON-shaped data, for the next ``handle`` call."""
        entries = [{"node": node_id, "label": label} for node_id, label in self.answers]
        if self.earlier:
            entries.append({"node": self.earlier[0], "label": self.earlier[1], "earlier": True})
        return entries

    def state(self) -> dict:
        node_id = self.node
        question = self.flow.questions.get(node_id)
        return {
            "node": node_id,
            "kind": "question" if question else "outcome",
            "number": question["number"] if question else None,
            "total": self.flow.total,
            "options": [a["label"] for a in question["answers"]] if question else [],
            "path": self.path,
            "can_go_back": bool(self.answers),
            "earlier_answer": self.earlier[1] if self.earlier else None,
        }


def table(kader: dict) -> dict:
    """The table of walk states the tool page embeds (see ``Flow.table``)."""
    return Flow.from_data(kader).table()


def command_key(command: dict) -> str:
    """A command as the table names it: its ``do``, ``node``, ``from`` and ``label``, those it
    has, in that order, joined by spaces ("answer veiligheid Ja", "back veiligheid",
    "change vermoeden-wegen veiligheid", "restart"). The browser builds the same string."""
    return " ".join(command[name] for name in ("do", "node", "from", "label") if name in command)


def handle(kader_json: str, answers_json: str, command_json: str) -> str:
    """One JSON-in, JSON-out call for the browser's worker.

    ``answers`` is what the previous call returned as ``answers`` (``[]`` at
    the start): each answer bound to its question, ``{"node", "label"}``, plus
    at most one last ``{"node", "label", "earlier": true}``, the answer being
    reconsidered. Every command names the node the user acts on:

    - ``{"do": "answer", "node": <current question>, "label": "Ja"}``
    - ``{"do": "back", "node": <current node>}``: to the previous question
    - ``{"do": "change", "node": <answered question>, "from": <current node>}``
    - ``{"do": "restart"}`` and ``{"do": "state"}``

    A command that names another node than the current one (a click meant for a
    question no longer on screen), an answer the question does not offer or an
    unknown command leaves the walk unchanged and says why in ``error``. ``key``
    names the walk as the page's table does (``Walk.key``), so the page can check
    that the engine is where it went.
    """
    flow = Flow.from_data(json.loads(kader_json))
    walk = flow.resume(json.loads(answers_json))
    command = json.loads(command_json)
    error = None
    try:
        walk = walk.do(command)
    except InvalidAnswer as exc:
        error = str(exc)
    return json.dumps({"answers": walk.memory(), "state": walk.state(), "key": walk.key, "error": error})


def _named(command: dict, key: str) -> str:
    value = command.get(key)
    if not isinstance(value, str):
        raise InvalidAnswer(f"the command {command.get('do')!r} must name its {key!r}")
    return value
