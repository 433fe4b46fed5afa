"""The rules: what in a protocol needs work.

A rule returns hits, ``(where, detail)`` pairs: ``where`` is a path in the
variant (``steps[4].hoe``, 0-based like the loader's error paths) and
``detail`` the exact offending text (white space collapsed). Rules of a
declarative kind (``mention``, ``sentence``, ``domain``) are data in
``protocols/checks.yaml``; the procedural ones are the functions in
``PROCEDURES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..model.sources import ChecksConfig, CheckSettings, Contacts, RuleConfig, RuleKind, Situations, Variant
from .roles import RoleFinder
from .selfcheck import selfcheck
from .text import (
    _DOMAIN,
    _EMAIL,
    PLACE_NAMES,
    Hit,
    _plain,
    _without_links,
    contact_phones,
    emails_in_text,
    is_valid_dutch_phone,
    link_is_well_formed,
    links,
    phone_fields,
    phone_numbers,
    sentences,
    text_fields,
)


@dataclass(frozen=True)
class Context:
    """What a rule may use besides the variant."""

    contacts: Contacts
    settings: CheckSettings
    today: dt.date
    rule: RuleConfig
    roles: RoleFinder | None = None
    """The roles of roles.yaml, compiled once per run."""
    situations: Situations | None = None
    """The situations of situaties.yaml (the inwerken page asks about them)."""


Rule = Callable[[Variant, Context], Iterable[Hit]]


def _matches_all(text: str, rule: RuleConfig) -> bool:
    return all(r.search(text) for r in rule.regexes) and not any(
        r.search(text) for r in rule.unless_regexes
    )


def _sentence_hits(fields: Iterable[Hit], rule: RuleConfig) -> list[Hit]:
    """One hit per sentence that has every pattern of the rule and none of ``unless``."""
    hits: dict[Hit, None] = {}  # ordered, and a set: a text may have 100,000 hits
    for where, text in fields:
        for sentence in sentences(text):
            if _matches_all(sentence, rule) and (where, sentence) not in hits:
                hits[(where, sentence)] = None
    return list(hits)


def _pattern_hits(fields: Iterable[Hit], rule: RuleConfig) -> list[Hit]:
    """One hit per distinct matched text per field, for any pattern of the rule."""
    hits: dict[Hit, None] = {}  # ordered, and a set: a text may have 100,000 hits
    for where, text in fields:
        for regex in rule.regexes:
            for match in regex.finditer(text):
                hit = (where, _plain(match.group(0)))
                if hit not in hits:
                    hits[hit] = None
    return list(hits)


def _step(variant: Variant, number: int) -> tuple[int, Any] | None:
    for index, step in enumerate(variant.steps):
        if step.number == number:
            return index, step
    return None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)




def wie_from_text(variant: Variant, ctx: Context) -> list[Hit]:
    """Steps whose ``wie`` the handbook took from the running text (no wie column)."""
    return [(f"steps[{i}].wie", _plain(s.wie)) for i, s in enumerate(variant.steps) if s.wie_from_text]


def wie_without_role(variant: Variant, ctx: Context) -> list[Hit]:
    """Steps whose ``wie`` names none of the roles in roles.yaml (so no role page lists them)."""
    if ctx.roles is None:
        return []
    return [(f"steps[{i}].wie", _plain(s.wie)) for i, s in enumerate(variant.steps) if not ctx.roles.named(s.wie)]


UNPLACED_WORDS = 8
"""How many of an unplaced block's first words name it in a finding."""


def unplaced(variant: Variant, ctx: Context) -> list[Hit]:
    """Every block of the school's document that the import placed nowhere (``unplaced``),
    named by its first words: a person moves it into the protocol or deletes it."""
    hits = []
    for i, block in enumerate(variant.unplaced):
        words = _plain(block).split()
        hits.append((f"unplaced[{i}]", " ".join(words[:UNPLACED_WORDS]) + (" …" if len(words) > UNPLACED_WORDS else "")))
    return hits


def region_unknown(variant: Variant, ctx: Context) -> list[Hit]:
    """The region is one of the rule's patterns, as a whole: unknown (``generator import``
    writes "Onbekend" where the document names none)."""
    return [("region", "")] if any(r.fullmatch(variant.region) for r in ctx.rule.regexes) else []


def afwegingskader_used(variant: Variant, ctx: Context) -> list[Hit]:
    """Step 4 or 5 (wat, hoe; web addresses left out) has any of the rule's patterns."""
    four, five = _step(variant, 4), _step(variant, 5)
    text = " ".join(_without_links(f"{s.wat}\n{s.hoe}") for _, s in (four, five))
    if any(r.search(text) for r in ctx.rule.regexes):
        return []
    index, step = four
    return [(f"steps[{index}]", _plain(step.wat))]


def two_decisions(variant: Variant, ctx: Context) -> list[Hit]:
    """Step 5 (wat, hoe; web addresses left out) has every pattern: both decisions."""
    index, step = _step(variant, 5)
    if all(r.search(_plain(_without_links(f"{step.wat}\n{step.hoe}"))) for r in ctx.rule.regexes):
        return []
    return [(f"steps[{index}]", _plain(step.wat))]


def phone_invalid(variant: Variant, ctx: Context) -> list[Hit]:
    """Every phone field, and every phone number in the text, that is not a valid Dutch number."""
    hits: dict[Hit, None] = {}  # ordered, and a set: a text may have 100,000 hits
    for where, phone in phone_fields(variant):
        if not is_valid_dutch_phone(phone.number):
            hits[(where, _plain(phone.number))] = None
    for where, text in text_fields(variant):
        for phone in phone_numbers(text):
            if not is_valid_dutch_phone(phone) and (where, phone) not in hits:
                hits[(where, phone)] = None
    return list(hits)


def contact_phones_invalid(contacts: Contacts) -> list[Hit]:
    """Every number of contacts.yaml that is not a valid Dutch number: every variant page of
    its region (or all of them) dials it."""
    return [(where, _plain(phone.number)) for where, phone in contact_phones(contacts)
            if not is_valid_dutch_phone(phone.number)]


def veilig_thuis_phone_differs(variant: Variant, ctx: Context) -> list[Hit]:
    """The protocol's Veilig Thuis number is neither its region's nor the national one,
    compared as numbers (``0800 2000`` is ``0800-2000``; +31 and (0) are understood)."""
    written = variant.veilig_thuis.phone_as_written
    if not written:
        return []
    known = {ctx.contacts.national.phone.digits}
    region = ctx.contacts.veilig_thuis_regions.get(variant.veilig_thuis.region or "")
    if region:
        known.add(region.phone.digits)
    return [] if written.digits in known else [("veilig_thuis.phone_as_written", _plain(written.number))]


def veilig_thuis_phone_missing(variant: Variant, ctx: Context) -> list[Hit]:
    """The protocol gives no Veilig Thuis number (``phone_as_written`` is empty)."""
    return [] if variant.veilig_thuis.phone_as_written else [("veilig_thuis.phone_as_written", "")]


def veilig_thuis_in_step_2(variant: Variant, ctx: Context) -> list[Hit]:
    """Step 2 (wat, wie, hoe) has any of the rule's patterns."""
    index, step = _step(variant, 2)
    if any(r.search(f"{step.wat}\n{step.wie}\n{step.hoe}") for r in ctx.rule.regexes):
        return []
    return [(f"steps[{index}]", _plain(step.wat))]


def link_malformed(variant: Variant, ctx: Context) -> list[Hit]:
    """Web addresses and e-mail addresses that are not well formed."""
    hits: dict[Hit, None] = {}  # ordered, and a set: a text may have 100,000 hits

    def add(where: str, value: str) -> None:
        if (where, value) not in hits:
            hits[(where, value)] = None

    for where, text in text_fields(variant):
        if where.startswith("contacts[") and where.endswith(".email"):
            if not _EMAIL.match(text.strip()):
                add(where, text.strip())
            continue
        if (where.startswith("contacts[") and where.endswith(".website")) or where == "veilig_thuis.website_as_written":
            if not link_is_well_formed(text.strip()):
                add(where, text.strip())
            continue
        for url in links(text):
            if not link_is_well_formed(url):
                add(where, url)
        for email in emails_in_text(_without_links(text, domains=False)):
            if not _EMAIL.match(email):
                add(where, email)
    return list(hits)



def anonymous_contradiction(variant: Variant, ctx: Context) -> list[Hit]:
    """Where the school never melds anonymously: a sentence that says a melding can be."""
    if not variant.melding.nooit_anoniem:
        return []
    return _sentence_hits(text_fields(variant), ctx.rule)


def parents_informed(variant: Variant, ctx: Context) -> list[Hit]:
    """The protocol says who informs the parents of a melding."""
    return [] if variant.melding.ouders_informeren else [("melding.ouders_informeren", "")]


def melder_named(variant: Variant, ctx: Context) -> list[Hit]:
    """Who makes the melding is in the protocol's words, not derived by the handbook."""
    return [("melding.door", _plain(variant.melding.door))] if variant.melding.door_from_text else []


def valid_from_missing(variant: Variant, ctx: Context) -> list[Hit]:
    return [] if variant.valid_from else [("valid_from", "")]


def before_2019(variant: Variant, ctx: Context) -> list[Hit]:
    """``valid_from`` is before the meldcode change (settings.meldcode_change_date)."""
    day = variant.valid_from
    return [("valid_from", day.isoformat())] if day and day < ctx.settings.meldcode_change_date else []


def too_old(variant: Variant, ctx: Context) -> list[Hit]:
    """``valid_from`` is more than settings.max_age_years before today."""
    day = variant.valid_from
    cutoff = _years_before(ctx.today, ctx.settings.max_age_years)
    return [("valid_from", day.isoformat())] if day and day < cutoff else []


def review_overdue(variant: Variant, ctx: Context) -> list[Hit]:
    """``herzien_voor`` has passed: the day it was to be reviewed by is before today."""
    day = variant.herzien_voor
    return [("herzien_voor", day.isoformat())] if day and day < ctx.today else []


def review_missing(variant: Variant, ctx: Context) -> list[Hit]:
    """The version says neither by when it is to be reviewed nor who keeps it current."""
    return [] if variant.herzien_voor else [("herzien_voor", "")]


def onboarding_thin(variant: Variant, ctx: Context) -> list[Hit]:
    """The inwerken page can ask fewer than ``selfcheck.MIN_QUESTIONS`` questions: one hit per
    question it cannot ask, at the place that would answer it, with what the protocol has
    there instead (a number that is not Veilig Thuis's, a melder taken from the text), if anything."""
    check = selfcheck(variant, ctx.contacts, ctx.situations, ctx.roles)
    if not check.thin:
        return []
    return [(question.where, _plain(question.text or "")) for question in check.questions if not question.asked]


def _mentions(variant: Variant, ctx: Context) -> list[Hit]:
    return _pattern_hits(text_fields(variant), ctx.rule)


def _sentences(variant: Variant, ctx: Context) -> list[Hit]:
    return _sentence_hits(text_fields(variant), ctx.rule)


def _domains(variant: Variant, ctx: Context) -> list[Hit]:
    hits: dict[Hit, None] = {}  # ordered, and a set: a text may have 100,000 hits
    for where, text in text_fields(variant):
        for match in _DOMAIN.finditer(text):
            host = match.group(1).lower()
            hit = (where, match.group(1))
            if any(r.search(host) for r in ctx.rule.regexes) and hit not in hits:
                hits[hit] = None
    return list(hits)


def _situations(variant: Variant, ctx: Context) -> list[Hit]:
    """Once, unless the variant marks passages for the rule's situation that a person confirmed
    (proposed ones, ``voorstel``, are not shown: the protocol counts as silent on it)."""
    answer = variant.situations.get(ctx.rule.situation)
    return [] if answer is not None and not answer.voorstel else [("situations", "")]


def situation_proposed(variant: Variant, ctx: Context) -> list[Hit]:
    """Once per situation whose passages are only proposed (``voorstel``), with its id."""
    return [("situations", situation_id) for situation_id, answer in variant.situations.items() if answer.voorstel]


KINDS: dict[RuleKind, Rule] = {
    RuleKind.mention: _mentions,
    RuleKind.sentence: _sentences,
    RuleKind.domain: _domains,
    RuleKind.situation: _situations,
}
"""The declarative kinds of rule: checks.yaml gives their patterns."""

PROCEDURES: dict[str, Rule] = {
    "unplaced": unplaced,
    "region-unknown": region_unknown,
    "wie-from-text": wie_from_text,
    "wie-without-role": wie_without_role,
    "afwegingskader-used": afwegingskader_used,
    "two-decisions": two_decisions,
    "phone-invalid": phone_invalid,
    "veilig-thuis-phone-differs": veilig_thuis_phone_differs,
    "veilig-thuis-phone-missing": veilig_thuis_phone_missing,
    "veilig-thuis-in-step-2": veilig_thuis_in_step_2,
    "link-malformed": link_malformed,
    "anonymous-contradiction": anonymous_contradiction,
    "parents-informed": parents_informed,
    "melder-named": melder_named,
    "valid-from-missing": valid_from_missing,
    "before-2019": before_2019,
    "too-old": too_old,
    "review-overdue": review_overdue,
    "review-missing": review_missing,
    "situation-proposed": situation_proposed,
    "onboarding-thin": onboarding_thin,
}
"""Rules of kind ``procedure``, by id: checks.yaml names each, and no others."""

CONTACT_RULES: dict[str, Callable[[Contacts], list[Hit]]] = {
    "phone-invalid": contact_phones_invalid,
}
"""Rules that also read contacts.yaml, by id: what they find there is reported once, for the file."""


def rule_function(rule_id: str, rule: RuleConfig) -> Rule:
    """What runs for a rule: its kind's function, or its procedure."""
    return PROCEDURES[rule_id] if rule.kind is RuleKind.procedure else KINDS[rule.kind]


def config_problems(config: ChecksConfig) -> list[tuple[str, str]]:
    """(path, message) for every mismatch between checks.yaml and the code."""
    problems = []
    procedures = {rid for rid, rule in config.rules.items() if rule.kind is RuleKind.procedure}
    for rule_id in sorted(set(PROCEDURES) - procedures):
        problems.append(("rules", f"no entry of kind 'procedure' for rule '{rule_id}'"))
    for rule_id in sorted(procedures - set(PROCEDURES)):
        problems.append((f"rules.{rule_id}", f"unknown procedure '{rule_id}': no such function in the code"))
    for rule_id, rule in sorted(config.rules.items()):
        if rule.kind in KINDS and rule.kind is not RuleKind.situation and not rule.patterns:
            problems.append((f"rules.{rule_id}.patterns", f"a rule of kind '{rule.kind.value}' needs patterns"))
    for name in sorted(PLACE_NAMES - set(config.places)):
        problems.append(("places", f"no label for '{name}'"))
    return problems
