"""The self-check of the inwerken page (generator/checks/selfcheck.py), from the seed protocols
and without a build: right answers are the protocol's own text, wrong answers real text from
elsewhere in the handbook, silent questions teach whom to ask, a thin protocol is warned about.

Which questions each seed can ask was read off the seed documents (shared/seeds), as the seed
findings of tests/test_checks.py were.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from conftest import PROTOCOLS
from generator.checks import run_checks
from generator.checks.roles import RoleFinder
from generator.checks.selfcheck import MIN_QUESTIONS, selfcheck
from generator.checks.text import text_fields
from generator.model.loader import load
from generator.site.pages import render_pages

TODAY = dt.date(2026, 11, 23)
HANDBOOK = load(PROTOCOLS)
FINDER = RoleFinder(HANDBOOK.roles)
IDS = list(HANDBOOK.variant_ids)

# What each seed's page can ask, read in its document: the consultation step (overleg), the
# Veilig Thuis number, the melder, the parents, and the situations (by id) with who to turn to.
ASKED = {
    # 004_*: a number (0800-2000, footnote 1), who in step 2 (its list of colleagues), the parents
    # ("Bespreek uw melding vooraf met de ouder"), and all four situations; its melder only from the text.
    "consent": {"overleg", "veilig-thuis", "ouders", "acuut-gevaar", "zorg-over-een-medewerker",
                "tussen-leerlingen-onderling", "vgv-eergerelateerd-geweld-huwelijksdwang-seksueel-misbruik"},
    # 000_*: its wie column, 088 - 222 05 00, the melder and the parents in step 5; no situation.
    "flevoland-kwaliteitskaart": {"overleg", "veilig-thuis", "melder", "ouders"},
    # 002_*: step 2 "Bespreek de signalen met de IB-er", the parents, a beroepskracht (step 1).
    "levwn": {"overleg", "ouders", "zorg-over-een-medewerker"},
    # 003_*: its wie column, the melder and the parents; 088-2000 is not Veilig Thuis's number.
    "prisma-almere": {"overleg", "melder", "ouders"},
    # 001_*: acute danger (Veilig Thuis), the docent's colleagues in step 2, the melder.
    "vo-brochure": {"acuut-gevaar", "overleg", "melder"},
}


def _plain(text: str) -> str:
    """Text as a reader reads it: Markdown's emphasis marks out, white space collapsed, any case."""
    return " ".join(re.sub(r"\*\*|(?<!\w)[*_]|[*_](?!\w)", "", text).split()).casefold()


def _variant(variant_id: str):
    return HANDBOOK.current(variant_id, TODAY)


def _check(variant_id: str):
    return selfcheck(_variant(variant_id), HANDBOOK.contacts, HANDBOOK.situations, FINDER)


def _key(question) -> str:
    return question.situation.id if question.situation else question.kind


def _at(variant, where: str) -> str:
    """The text at a place an answer names, in the variant or a shared source."""
    if where.startswith("roles."):
        return FINDER.by_id[where.removeprefix("roles.")].name
    if where == "contacts.emergency.phone":
        return HANDBOOK.contacts.emergency.phone.number
    if where.startswith("contacts.veilig_thuis_regions."):
        return HANDBOOK.contacts.veilig_thuis_regions[where.split(".")[2]].phone.number
    if where.startswith("situations."):
        return variant.situations[where.split(".")[1]].wie
    if where == "veilig_thuis.phone_as_written":
        return variant.veilig_thuis.phone_as_written.number
    return dict(text_fields(variant))[where]


@pytest.mark.parametrize("variant_id", IDS)
def test_the_page_asks_what_the_protocol_answers(variant_id):
    check = _check(variant_id)
    assert {_key(q) for q in check.asked} == ASKED[variant_id]
    assert len(check.questions) == 8  # every kind, asked or not: each seed has a consultation step
    assert check.thin == (len(ASKED[variant_id]) < MIN_QUESTIONS)


@pytest.mark.parametrize("variant_id", IDS)
def test_every_right_answer_stands_in_its_own_protocol(variant_id):
    variant = _variant(variant_id)
    own = " ".join(_plain(text) for _, text in text_fields(variant))
    for question in _check(variant_id).asked:
        right = [a for a in question.answers if a.right]
        assert len(right) == 1 and right[0].text == question.text, question
        assert _plain(question.text) in own, question
        assert _plain(question.text) in _plain(_at(variant, right[0].where)), question
        assert 2 <= len(question.answers) <= 3


@pytest.mark.parametrize("variant_id", IDS)
def test_every_wrong_answer_differs_and_is_real_text_of_the_handbook(variant_id):
    variant = _variant(variant_id)
    handbook = " | ".join(
        [_plain(text) for v in HANDBOOK.variants for _, text in text_fields(v)]
        + [_plain(v.veilig_thuis.phone_as_written.number) for v in HANDBOOK.variants if v.veilig_thuis.phone_as_written]
        + [_plain(role.name) for role in HANDBOOK.roles.roles]
        + [_plain(p.phone.number) for p in (HANDBOOK.contacts.emergency, *HANDBOOK.contacts.veilig_thuis_regions.values())]
    )
    for question in _check(variant_id).asked:
        right = next(a for a in question.answers if a.right)
        for wrong in (a for a in question.answers if not a.right):
            assert _plain(wrong.text) != _plain(right.text), question
            assert _plain(wrong.text) not in _plain(right.text) and _plain(right.text) not in _plain(wrong.text)
            assert _plain(wrong.text) in handbook, wrong
            assert wrong.where != right.where and _plain(wrong.text) in _plain(_at(variant, wrong.where)), wrong


def test_a_wrong_answer_never_names_only_people_the_protocol_names_there():
    """Flevoland's step 2 names the leerkracht, the intern begeleider and the directie: its step 1
    ("Leerkracht en intern begeleider") and step 5 ("Intern begeleider en directie") would not be
    wrong there, so they are not offered; the roles it does not name are."""
    overleg = next(q for q in _check("flevoland-kwaliteitskaart").questions if q.kind == "overleg")
    wrong = {a.text for a in overleg.answers if not a.right}
    assert wrong and not wrong & {"Leerkracht en intern begeleider", "Intern begeleider en directie"}
    step2 = _plain(_variant("flevoland-kwaliteitskaart").steps[1].hoe)
    assert all(_plain(text) not in step2 for text in wrong)


def test_the_order_of_the_answers_is_the_same_in_every_run():
    first = [[a.text for a in q.answers] for v in IDS for q in _check(v).questions]
    assert first == [[a.text for a in q.answers] for v in IDS for q in _check(v).questions]
    places = {next(i for i, a in enumerate(q.answers) if a.right) for v in IDS for q in _check(v).asked}
    assert len(places) > 1  # the right answer is not always first


class _Questions(HTMLParser):
    """Per question of a rendered page: its text, its choices (summary, verdict) and the rest."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.questions: list[dict] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and attrs.get("class") == "selfcheck__question":
            self.questions.append({"text": "", "choices": [], "teach": ""})
        elif tag == "summary":
            self.questions[-1]["choices"].append({"summary": "", "verdict": ""})
        if tag in ("summary", "p", "div") or "data-verdict" in attrs:
            self._in.append("verdict" if "data-verdict" in attrs else attrs.get("class", tag))
        elif tag in ("li",):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in ("summary", "p", "div", "li") and self._in:
            self._in.pop()

    def handle_data(self, data):
        if not self.questions or not self._in:
            return
        where, question = self._in, self.questions[-1]
        if "summary" in where:
            question["choices"][-1]["summary"] += data
        elif "verdict" in where:
            question["choices"][-1]["verdict"] += data
        elif "selfcheck__ask" in where:
            question["text"] += data
        elif "selfcheck__teach" in where:
            question["teach"] += data


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {p.path: p.content for p in render_pages(HANDBOOK, run_checks(HANDBOOK, TODAY), TODAY)}


def _questions(pages, variant_id) -> list[dict]:
    parser = _Questions()
    parser.feed(pages[f"varianten/{variant_id}/inwerken.md"])
    return [{k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in q.items()} for q in parser.questions]


@pytest.mark.parametrize("variant_id", IDS)
def test_the_page_asks_each_question_with_one_right_choice_in_a_details(pages, variant_id):
    rendered = _questions(pages, variant_id)
    check = _check(variant_id)
    assert len(rendered) == len(check.questions)
    for number, (question, shown) in enumerate(zip(check.questions, rendered, strict=True), start=1):
        assert shown["text"].startswith(f"Vraag {number}."), shown
        if question.asked:
            assert [" ".join(c["summary"].split()) for c in shown["choices"]] == [a.text for a in question.answers]
            verdicts = [" ".join(c["verdict"].split()) for c in shown["choices"]]
            assert [v.startswith("Goed.") for v in verdicts] == [a.right for a in question.answers], verdicts
            assert all(v.startswith(("Goed.", "Niet goed.")) for v in verdicts)
        else:
            assert shown["choices"] == [] and shown["teach"]


@pytest.mark.parametrize("variant_id", IDS)
def test_a_question_the_protocol_is_silent_on_teaches_whom_to_ask(pages, variant_id):
    """"Uw protocol zegt hier niets over; vraag het ..." with the wie of the consultation step
    (situaties.yaml's consult_step), for every silent question but acute danger, which says to
    call 112 first, and the number, which gives the handbook's."""
    variant = _variant(variant_id)
    consult = next(s for s in variant.steps if s.number == HANDBOOK.situations.consult_step)
    who = " ".join(consult.wie.split())
    for question, shown in zip(_check(variant_id).questions, _questions(pages, variant_id), strict=True):
        if question.reason != "silent":
            continue
        if question.kind == "veilig-thuis":
            assert "Uw protocol noemt geen nummer van Veilig Thuis." in shown["teach"]
        elif question.situation and question.situation.emergency:
            assert shown["teach"].startswith("Uw protocol zegt hier niets over. Bel bij acuut gevaar meteen 112")
        else:
            assert shown["teach"].startswith(
                f"Uw protocol zegt hier niets over; vraag het wie uw protocol bij stap {consult.number} "
                f"({consult.wat}) noemt: {who}"), shown["teach"]


def test_only_a_thin_protocol_gets_the_warning_and_it_names_what_is_missing():
    """Consent's page asks seven questions; taken away one by one, the rule speaks from four on,
    with one finding per question it can no longer ask."""
    consent = _variant("consent")

    def findings(variant):
        book = dataclasses.replace(HANDBOOK, variants=[variant])
        return [(f.where, f.detail) for f in run_checks(book, TODAY).findings if f.rule_id == "onboarding-thin"]

    assert findings(consent) == []
    gone = {k: v for k, v in consent.situations.items() if k != "tussen-leerlingen-onderling"}
    five = consent.model_copy(update={"situations": dict(gone)})
    assert len(selfcheck(five, HANDBOOK.contacts, HANDBOOK.situations, FINDER).asked) == 6
    del gone["vgv-eergerelateerd-geweld-huwelijksdwang-seksueel-misbruik"]
    five = consent.model_copy(update={"situations": dict(gone)})
    assert findings(five) == []  # five questions: enough
    four = five.model_copy(update={"veilig_thuis": five.veilig_thuis.model_copy(update={"phone_as_written": None})})
    assert findings(four) == [
        ("melding.door", "De betrokken persoon in het onderwijs"),  # the handbook took it from the text
        ("veilig_thuis.phone_as_written", ""),
        ("situations.tussen-leerlingen-onderling", ""),
        ("situations.vgv-eergerelateerd-geweld-huwelijksdwang-seksueel-misbruik", ""),
    ]


def test_the_check_page_names_the_situation_that_is_missing(pages):
    """The finding's place reads as a reader knows it: the situation by its name."""
    page = pages["varianten/prisma-almere/kwaliteitscheck.md"]
    assert "Waar gaat uw zorg over? › Zorg over een medewerker" in page
    assert "Te weinig om een nieuwe collega in te werken" in page


def test_a_proposed_situation_is_silent_and_gives_no_wrong_answer():
    """Passages only proposed by `generator import` (``voorstel``) are not shown: the page treats
    the situation as one the protocol is silent on, and its wie as no text of the protocol."""
    consent = _variant("consent")
    answers = dict(consent.situations)
    answers["zorg-over-een-medewerker"] = answers["zorg-over-een-medewerker"].model_copy(update={"voorstel": True})
    check = selfcheck(consent.model_copy(update={"situations": answers}), HANDBOOK.contacts, HANDBOOK.situations,
                      FINDER)
    colleague = next(q for q in check.questions if q.situation and q.situation.id == "zorg-over-een-medewerker")
    assert colleague.reason == "silent" and colleague.answers == ()
    offered = {a.where for q in check.asked for a in q.answers}
    assert "situations.zorg-over-een-medewerker.wie" not in offered
