"""The self-check of a variant's "Inwerken" page: questions made from its own protocol.

Data only, no wording: a question is a kind (the template words it), the protocol's own text
as the right answer, and wrong answers that are real text from other places of the handbook:
the protocol's other steps and situations, the roles of ``roles.yaml`` and the numbers of
``contacts.yaml``. Never another school's protocol: a variant's pages depend only on its own
file and the shared sources, so that an edit of one protocol makes only its own pages again
(D29, D34). A question is asked only where the protocol answers it; where it does not, the
question says why (``reason``), and the page teaches whom to ask instead: the *wie* of the
consultation step (``situaties.yaml``'s ``consult_step``).

It lives in the checks layer because the rule ``onboarding-thin`` counts the questions a
protocol can ask (``MIN_QUESTIONS``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from ..model.passages import passages
from ..model.sources import Contacts, Situation, Situations, Step, Variant, phone_digits
from .roles import RoleFinder, plain_sentence
from .text import sentences, text_fields

MIN_QUESTIONS = 5
"""A protocol whose page can ask fewer questions than this gets the rule ``onboarding-thin``
(its message in ``checks.yaml`` says "vijf")."""

MAX_WRONG = 2
"""Wrong answers beside the right one: three choices, short enough to read on a phone."""

# The kinds of question, in the order the page asks them (situations in the order of situaties.yaml).
CONSULT = "overleg"
"""With whom signals are discussed in the consultation step."""
VEILIG_THUIS = "veilig-thuis"
"""Which number to call for advice from Veilig Thuis."""
SITUATION = "situatie"
"""Whom the protocol names for a situation of situaties.yaml (not the meldcode's own route)."""
MELDER = "melder"
"""Who makes the melding at Veilig Thuis."""
PARENTS = "ouders"
"""Who informs the parents of a melding."""

# Why a question is not asked (None: it is).
SILENT = "silent"
"""The protocol says nothing about it."""
NAMES_NOBODY = "names-nobody"
"""The protocol speaks of it (a situation's passages) but names nobody."""
NOT_IN_WORDS = "not-in-words"
"""The protocol does not say it in so many words: the handbook took it from the text."""
OTHER_NUMBER = "other-number"
"""The protocol's Veilig Thuis number is neither its region's nor the national one."""
NO_WRONG_ANSWER = "no-wrong-answer"
"""The protocol answers it, but no other text of the handbook makes a wrong answer."""

# Where a wrong answer comes from.
FROM_STEP = "step"
FROM_SITUATION = "situation"
FROM_ROLE = "role"
FROM_PROTOCOL = "protocol"
FROM_EMERGENCY = "emergency"
FROM_REGION = "region"
FROM_CONTACT = "contact"


@dataclass(frozen=True)
class Answer:
    """One choice: text as it stands in its source, whether it is right, and where it comes from."""

    text: str
    right: bool
    origin: str
    """``FROM_*``: the protocol's own answer, another step, another situation, a role, a number."""
    where: str
    """Its place: a path in the variant (``steps[0].wie``, ``situations.acuut-gevaar.wie``) or in a
    shared source (``roles.mentor``, ``contacts.emergency.phone``)."""
    step: int | None = None
    """The step's number, for an answer from a step."""
    name: str | None = None
    """The situation's, role's, region's or contact's name, for an answer from one."""


@dataclass(frozen=True)
class Question:
    kind: str
    where: str
    """Where the protocol answers it, or would: a path in the variant."""
    reason: str | None
    """Why it is not asked (``SILENT``, ...); None: it is."""
    text: str | None = None
    """The protocol's text that answers it; where it is not asked, what the protocol has instead
    (the number it writes, the melder the handbook took from the text), if anything."""
    answers: tuple[Answer, ...] = ()
    """The choices in the order shown, the right one among them (only when asked)."""
    step: Step | None = None
    """The step the answer stands in (the consultation step, the melding's step 5)."""
    situation: Situation | None = None

    @property
    def asked(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class SelfCheck:
    questions: tuple[Question, ...]
    consult: Step | None
    """The step whose *wie* a question the protocol does not answer names as whom to ask."""

    @property
    def asked(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.asked)

    @property
    def thin(self) -> bool:
        return len(self.asked) < MIN_QUESTIONS


def consult_step(variant: Variant, situations: Situations | None) -> Step | None:
    """The step whose wie a page names as whom to ask where the protocol is silent (situaties.yaml)."""
    if situations is None:
        return None
    return next((s for s in variant.steps if s.number == situations.consult_step), None)


def _plain(text: str) -> str:
    return " ".join(text.split())


def _fold(text: str) -> str:
    """How two answers are compared: case, white space and closing marks aside."""
    return _plain(text).casefold().strip(" .,;:!?")


def step_who(step: Step, finder: RoleFinder | None) -> tuple[str, str] | None:
    """Who acts in a step, in the protocol's own words, and the field it stands in: its *wie*
    column, or, where the handbook took the wie from the text, the first sentence of its *hoe*
    that names a role its wie names (as the reader sees it, Markdown marks left out)."""
    if not step.wie_from_text:
        return _plain(step.wie), "wie"
    if finder is None:
        return None
    named = finder.named(step.wie)
    for sentence in sentences(step.hoe):
        text = plain_sentence(sentence)
        if named & finder.named(text):
            return text, "hoe"
    return None


class _Maker:
    """Builds one variant's questions."""

    def __init__(self, variant: Variant, contacts: Contacts, situations: Situations | None,
                 finder: RoleFinder | None):
        self.variant, self.contacts, self.situations, self.finder = variant, contacts, situations, finder
        self.consult = consult_step(variant, situations)

    def _roles(self, text: str) -> frozenset[str]:
        return frozenset(self.finder.named(text)) if self.finder else frozenset()

    def _order(self, kind: str, right: Answer, wrong: list[Answer]) -> tuple[Answer, ...]:
        """The right answer at a place of its own per variant and question, the same in every build."""
        slot = zlib.crc32(f"{self.variant.id}\n{kind}\n{right.where}".encode()) % (len(wrong) + 1)
        return (*wrong[:slot], right, *wrong[slot:])

    def _question(self, kind: str, right: Answer, wrong: list[Answer], **fields) -> Question:
        if not wrong:
            return Question(kind, right.where, NO_WRONG_ANSWER, right.text, **fields)
        return Question(kind, right.where, None, right.text, self._order(kind, right, wrong), **fields)

    # ---------------------------------------------------------------- who

    def _who_pool(self) -> list[Answer]:
        """Every "who" of the protocol in a few words of its own: each step's *wie* column (not one
        the handbook took from the text) and each situation's *wie*. A sentence of a step's *hoe*
        says more than who, and may say the right answer in other words."""
        pool = []
        for index, step in enumerate(self.variant.steps):
            if not step.wie_from_text:
                pool.append(Answer(_plain(step.wie), False, FROM_STEP, f"steps[{index}].wie", step=step.number))
        for situation in self.situations.situations if self.situations else ():
            answer = self.variant.situations.get(situation.id)
            if answer and answer.wie and not answer.voorstel:
                pool.append(Answer(_plain(answer.wie), False, FROM_SITUATION, f"situations.{situation.id}.wie",
                                   name=situation.name))
        return pool

    def _role_pool(self) -> list[Answer]:
        """The roles of roles.yaml by name, those the protocol names somewhere first: the wrong
        answers of last resort."""
        if self.finder is None:
            return []
        named = set().union(*(self.finder.named(text) for _, text in text_fields(self.variant)))
        roles = sorted(self.finder.roles, key=lambda role: role.id not in named)
        return [Answer(role.name, False, FROM_ROLE, f"roles.{role.id}", name=role.name) for role in roles]

    def _wrong(self, right: Answer, evidence: str, candidates: Iterable[Answer]) -> list[Answer]:
        """Up to ``MAX_WRONG`` candidates that are plainly wrong: each names someone the protocol
        does not name where its right answer stands (``evidence``): a role not named there, or,
        naming no role, words that do not stand there; and it is neither the right answer's text
        nor part of it, nor it part of them. Those naming fewest of the right answer's roles and
        closest to it in length first, and no two naming the same roles while others are left."""
        own = self._roles(right.text)
        there = self._roles(evidence) | own
        place = _fold(evidence)
        seen, found = {_fold(right.text)}, []
        for position, answer in enumerate(candidates):
            text = _fold(answer.text)
            if answer.where == right.where or not text or any(text in o or o in text for o in seen):
                continue
            roles = self._roles(answer.text)
            if not (roles - there if roles else text not in place):
                continue
            seen.add(text)
            length = max(len(text), len(_fold(right.text))) / max(1, min(len(text), len(_fold(right.text))))
            found.append(((len(roles & own), round(length), position), roles, answer))
        found.sort(key=lambda item: item[0])
        chosen: list[tuple[frozenset, Answer]] = []
        for _, roles, answer in found:  # first each new set of roles, then the rest
            if len(chosen) < MAX_WRONG and not (roles and any(roles == r for r, _ in chosen)):
                chosen.append((roles, answer))
        for _, roles, answer in found:
            if len(chosen) < MAX_WRONG and all(answer is not a for _, a in chosen):
                chosen.append((roles, answer))
        picked = {id(a) for _, a in chosen}
        return [answer for _, _, answer in found if id(answer) in picked]

    def _who_question(self, kind: str, right: Answer, evidence: str, **fields) -> Question:
        wrong = self._wrong(right, evidence, self._who_pool())
        if len(wrong) < MAX_WRONG:
            wrong = self._wrong(right, evidence, [*self._who_pool(), *self._role_pool()])
        return self._question(kind, right, wrong, **fields)

    def consult_question(self) -> Question | None:
        step = self.consult
        if step is None:
            return None
        index = self.variant.steps.index(step)
        who = step_who(step, self.finder)
        if who is None:
            return Question(CONSULT, f"steps[{index}].wie", NOT_IN_WORDS, _plain(step.wie), step=step)
        right = Answer(who[0], True, FROM_PROTOCOL, f"steps[{index}].{who[1]}", step=step.number)
        return self._who_question(CONSULT, right, f"{step.wat}\n{step.wie}\n{step.hoe}", step=step)

    def situation_questions(self) -> list[Question]:
        questions = []
        for situation in self.situations.situations if self.situations else ():
            if situation.meldcode:
                continue  # the meldcode's own route: the steps themselves
            answer = self.variant.situations.get(situation.id)
            where = f"situations.{situation.id}"
            if answer is None or answer.voorstel:  # proposed passages are not shown: silent until confirmed
                questions.append(Question(SITUATION, where, SILENT, situation=situation))
            elif not answer.wie:
                questions.append(Question(SITUATION, f"{where}.wie", NAMES_NOBODY, situation=situation))
            else:
                right = Answer(_plain(answer.wie), True, FROM_PROTOCOL, f"{where}.wie", name=situation.name)
                evidence = "\n".join(p.text for p in passages(self.variant, situation.id))
                questions.append(self._who_question(SITUATION, right, evidence, situation=situation))
        return questions

    def _melding_step(self) -> Step | None:
        """The step the melding fields come from: step 5 (``Melding``)."""
        return next((s for s in self.variant.steps if s.number == 5), None)

    def _melding_evidence(self, right: Answer) -> str:
        """Where a melding field stands: its step 5 whole, so that no one it names makes a wrong answer."""
        step = self._melding_step()
        return "\n".join((right.text, *((step.wat, step.wie, step.hoe) if step else ())))

    def melder_question(self) -> Question:
        melding = self.variant.melding
        if melding.door_from_text:
            return Question(MELDER, "melding.door", NOT_IN_WORDS, _plain(melding.door), step=self._melding_step())
        right = Answer(_plain(melding.door), True, FROM_PROTOCOL, "melding.door", step=5)
        return self._who_question(MELDER, right, self._melding_evidence(right), step=self._melding_step())

    def parents_question(self) -> Question:
        melding = self.variant.melding
        if not melding.ouders_informeren:
            return Question(PARENTS, "melding.ouders_informeren", SILENT)
        right = Answer(_plain(melding.ouders_informeren), True, FROM_PROTOCOL, "melding.ouders_informeren", step=5)
        return self._who_question(PARENTS, right, self._melding_evidence(right), step=self._melding_step())

    # ---------------------------------------------------------------- the number

    def veilig_thuis_question(self) -> Question:
        where = "veilig_thuis.phone_as_written"
        written = self.variant.veilig_thuis.phone_as_written
        if written is None:
            return Question(VEILIG_THUIS, where, SILENT)
        region = self.contacts.veilig_thuis_regions.get(self.variant.veilig_thuis.region or "")
        good = {self.contacts.national.phone.digits} | ({region.phone.digits} if region else set())
        if written.digits not in good:
            return Question(VEILIG_THUIS, where, OTHER_NUMBER, written.number)
        right = Answer(written.number, True, FROM_PROTOCOL, where)
        candidates = [Answer(self.contacts.emergency.phone.number, False, FROM_EMERGENCY, "contacts.emergency.phone")]
        candidates += [Answer(other.phone.number, False, FROM_REGION, f"contacts.veilig_thuis_regions.{key}.phone",
                              name=other.name)
                       for key, other in self.contacts.veilig_thuis_regions.items() if other is not region]
        candidates += [Answer(contact.phone.number, False, FROM_CONTACT, f"contacts[{index}].phone", name=contact.name)
                       for index, contact in enumerate(self.variant.contacts) if contact.phone]
        wrong, dialled = [], set(good)
        for answer in candidates:
            digits = phone_digits(answer.text)
            if digits not in dialled and len(wrong) < MAX_WRONG:
                dialled.add(digits)
                wrong.append(answer)
        if not wrong:
            return Question(VEILIG_THUIS, where, NO_WRONG_ANSWER, written.number)
        return Question(VEILIG_THUIS, where, None, written.number, self._order(VEILIG_THUIS, right, wrong))

    def all(self) -> SelfCheck:
        situations = self.situation_questions()
        emergency = [q for q in situations if q.situation.emergency]
        questions = [*emergency, self.consult_question(), self.veilig_thuis_question(),
                     self.melder_question(), self.parents_question(),
                     *(q for q in situations if not q.situation.emergency)]
        return SelfCheck(tuple(q for q in questions if q is not None), self.consult)


def selfcheck(variant: Variant, contacts: Contacts, situations: Situations | None,
              finder: RoleFinder | None) -> SelfCheck:
    """The questions of the variant's inwerken page, in the order the page asks them: acute
    danger first (a situation marked ``emergency``), then the consultation step, the Veilig
    Thuis number, who makes the melding, who informs the parents, the other situations."""
    return _Maker(variant, contacts, situations, finder).all()
