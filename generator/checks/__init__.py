"""Quality checks of the protocols: what in a protocol needs work, and why.

Each rule is a small pure function over one ``Variant`` (with the shared
contacts, the settings and ``today`` in a ``Context``) that returns hits:
``(where, detail)`` pairs, where ``where`` is a path in the variant
(``steps[4].hoe``, 0-based like the loader's error paths) and ``detail`` the
exact offending text (white space collapsed). The rules are registered in
``RULES``; their severity, Dutch title, message and reference, and the words
some of them look for, come from ``protocols/checks.yaml`` (``ChecksConfig``).

``run_checks`` runs the rules over the handbook and returns a ``Report``;
``render_check_pages`` turns it into the site's "Kwaliteitscheck" pages. The
checks never change a protocol: they only read the validated model.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from jinja2 import Environment
from pydantic import Field, field_validator

from ..loader import Handbook, Problem, SourceError, _read, _validate
from ..model import Contacts, Slug, Strict, Text, Variant

if TYPE_CHECKING:  # pages imports nothing from here, but may one day
    from ..site.pages import Page

CHECKS_FILE = "checks.yaml"
JSON_FORMAT = "meldcode-checks/1"


# ---------------------------------------------------------------- configuration


class Severity(str, Enum):
    """Most severe first; ``fout`` makes ``python -m generator check`` exit 1."""

    fout = "fout"
    waarschuwing = "waarschuwing"
    tip = "tip"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class RuleConfig(Strict):
    severity: Severity
    title: Text
    message: Text
    reference: Text = Field(description="Where the requirement comes from: source file and place.")
    patterns: list[Text] = Field(
        default_factory=list,
        description="Regular expressions (case-insensitive) the rule looks for; see its docstring.",
    )
    unless: list[Text] = Field(
        default_factory=list, description="Regular expressions that cancel a hit of the rule."
    )

    @field_validator("patterns", "unless")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression {pattern!r}: {exc}") from None
        return patterns

    @cached_property
    def regexes(self) -> list[re.Pattern]:
        return [re.compile(p, re.IGNORECASE) for p in self.patterns]

    @cached_property
    def unless_regexes(self) -> list[re.Pattern]:
        return [re.compile(p, re.IGNORECASE) for p in self.unless]


class CheckSettings(Strict):
    max_age_years: int = Field(ge=1, description="Versions older than this get a warning.")
    meldcode_change_date: dt.date = Field(
        description="1 January 2019: afwegingskader mandatory, step 5 two decisions."
    )


class ChecksConfig(Strict):
    """``protocols/checks.yaml``: the rules' severities, Dutch texts and settings."""

    schema_version: Literal[1]
    settings: CheckSettings
    places: dict[str, Text] = Field(description="Dutch label per part of a finding's path.")
    rules: dict[Slug, RuleConfig]


def load_config(root: Path | str) -> ChecksConfig:
    """Read and validate ``checks.yaml`` below ``root`` (the protocols folder)."""
    file = Path(root) / CHECKS_FILE
    problems: list[Problem] = []
    if not file.exists():
        raise SourceError([Problem(file, None, "", "file is missing")])
    data = _read(file, problems)
    config = _validate(ChecksConfig, data, file, problems) if data is not None else None
    if config is not None:
        for rule_id in sorted(set(RULES) - set(config.rules)):
            problems.append(Problem(file, None, "rules", f"no entry for rule '{rule_id}'"))
        for rule_id in sorted(set(config.rules) - set(RULES)):
            problems.append(Problem(file, None, f"rules.{rule_id}", f"unknown rule '{rule_id}'"))
        for name in sorted(PLACE_NAMES - set(config.places)):
            problems.append(Problem(file, None, "places", f"no label for '{name}'"))
    if problems:
        raise SourceError(problems)
    return config


# ---------------------------------------------------------------- findings and context


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    variant_id: str
    version: str
    where: str
    detail: str

    def sort_key(self) -> tuple:
        return (self.variant_id, self.version, self.severity.rank, self.rule_id,
                _where_key(self.where), self.detail)

    def as_json(self) -> dict[str, str]:
        return {"rule_id": self.rule_id, "severity": self.severity.value,
                "where": self.where, "detail": self.detail}


Hit = tuple[str, str]
"""What a rule returns: (where, detail)."""


@dataclass(frozen=True)
class Context:
    """What a rule may use besides the variant."""

    contacts: Contacts
    settings: CheckSettings
    today: dt.date
    rule: RuleConfig


Rule = Callable[[Variant, Context], Iterable[Hit]]


def _where_key(where: str) -> tuple:
    """Sort paths in the protocol's order: steps before sections, steps[2] before steps[10]."""
    return tuple(
        (PATH_ORDER.index(name) if name in PATH_ORDER else len(PATH_ORDER), name, int(index) if index else -1)
        for name, index in _SEGMENT.findall(where)
    )


_SEGMENT = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


# ---------------------------------------------------------------- reading a variant's text


PATH_ORDER = (
    "valid_from", "source", "title", "intro", "steps", "wat", "wie", "hoe", "melding", "door",
    "ouders_informeren", "sections", "items", "body", "contacts", "name", "role",
    "organisation", "phone", "email", "website", "veilig_thuis", "phone_as_written",
    "website_as_written",
)
"""Every name a finding's ``where`` can contain, in the order of a protocol."""

PLACE_NAMES = frozenset(PATH_ORDER)
"""checks.yaml labels each of these."""


def text_fields(variant: Variant) -> list[Hit]:
    """All text of a variant that comes from its protocol, as (where, text), in order."""
    out: list[Hit] = []

    def add(where: str, value: str | None) -> None:
        if value:
            out.append((where, value))

    add("source.title", variant.source.title)
    add("intro", variant.intro)
    for i, step in enumerate(variant.steps):
        for name in ("wat", "wie", "hoe"):
            add(f"steps[{i}].{name}", getattr(step, name))
    add("melding.door", variant.melding.door)
    add("melding.ouders_informeren", variant.melding.ouders_informeren)
    for i, section in enumerate(variant.sections):
        add(f"sections[{i}].title", section.title)
        add(f"sections[{i}].body", section.body)
        for j, item in enumerate(section.items):
            add(f"sections[{i}].items[{j}].title", item.title)
            add(f"sections[{i}].items[{j}].body", item.body)
    for i, contact in enumerate(variant.contacts):
        for name in ("name", "role", "organisation", "phone", "email", "website"):
            add(f"contacts[{i}].{name}", getattr(contact, name))
    add("veilig_thuis.phone_as_written", variant.veilig_thuis.phone_as_written)
    add("veilig_thuis.website_as_written", variant.veilig_thuis.website_as_written)
    return out


def _plain(text: str) -> str:
    return " ".join(text.split())


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")


def sentences(text: str) -> list[str]:
    """Sentences, paragraphs and list items, white space collapsed."""
    return [s for s in (_plain(part) for part in _SENTENCE_END.split(text)) if s]


def _matches_all(text: str, rule: RuleConfig) -> bool:
    return all(r.search(text) for r in rule.regexes) and not any(
        r.search(text) for r in rule.unless_regexes
    )


def _sentence_hits(fields: Iterable[Hit], rule: RuleConfig) -> list[Hit]:
    """One hit per sentence that has every pattern of the rule and none of ``unless``."""
    hits: list[Hit] = []
    for where, text in fields:
        for sentence in sentences(text):
            if _matches_all(sentence, rule) and (where, sentence) not in hits:
                hits.append((where, sentence))
    return hits


def _pattern_hits(fields: Iterable[Hit], rule: RuleConfig) -> list[Hit]:
    """One hit per distinct matched text per field, for any pattern of the rule."""
    hits: list[Hit] = []
    for where, text in fields:
        for regex in rule.regexes:
            for match in regex.finditer(text):
                hit = (where, _plain(match.group(0)))
                if hit not in hits:
                    hits.append(hit)
    return hits


# Web addresses: Markdown link targets, <autolinks>, and bare http(s):// or www.
_MD_LINK = re.compile(r"\]\(([^)]*)\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>]*)>", re.IGNORECASE)
_BARE_URL = re.compile(r"(?<![\w/@.-])(?:https?://|www\.)[^\s<>\[\]()\"'“”‘’]*", re.IGNORECASE)
_TRAILING = ".,;:!?'\"»”’"
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$", re.IGNORECASE)
_EMAIL = re.compile(r"^[\w.+-]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$", re.IGNORECASE)
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w.-]*\w")
_DOMAIN = re.compile(
    r"(?<![\w@.-])(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?![\w-]*@)(?![\w-])", re.IGNORECASE
)


def links(text: str) -> list[str]:
    """Every web address or mail link in a text, as written, in order."""
    found: list[tuple[int, str]] = []
    masked = text
    for regex in (_MD_LINK, _AUTOLINK):
        for match in regex.finditer(masked):
            found.append((match.start(1), match.group(1).strip()))
        masked = regex.sub(lambda m: " " * len(m.group(0)), masked)
    for match in _BARE_URL.finditer(masked):
        found.append((match.start(), match.group(0).rstrip(_TRAILING)))
    return [url for _, url in sorted(found)]


def link_is_well_formed(url: str) -> bool:
    if not url or any(ch.isspace() for ch in url):
        return False
    if url.lower().startswith("mailto:"):
        return bool(_EMAIL.match(url[len("mailto:"):]))
    if url.lower().startswith("www."):
        url = f"https://{url}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(_HOST.match(parts.hostname or ""))


def _without_links(text: str, *, domains: bool = True) -> str:
    """The text with web addresses (and bare domain names, unless ``domains`` is
    false, which keeps the domains of e-mail addresses) blanked out."""
    for regex in (_MD_LINK, _AUTOLINK, _BARE_URL) + ((_DOMAIN,) if domains else ()):
        text = regex.sub(" ", text)
    return text


# Phone numbers: a 0 or +31 followed by digits, spaces, hyphens and brackets.
_PHONE = re.compile(r"(?<![\w.,/:+\-])(?:\+31|0)[\d(][\d \t\u00a0()\-\u2013]*\d")
_DATE_LIKE = re.compile(r"^\d{1,2}\s*[-\u2013]\s*\d{1,2}\s*[-\u2013]\s*\d{2,4}$")
MIN_PHONE_DIGITS = 6
_SERVICE = re.compile(r"^0(?:800|900|906|909)\d{4,7}$")
_TEN_DIGITS = re.compile(r"^0[1-9]\d{8}$")


def phone_numbers(text: str) -> list[str]:
    """Everything in a text that is written as a Dutch phone number, as written."""
    found = []
    for match in _PHONE.finditer(text):
        candidate = match.group(0).strip()
        digits = re.sub(r"\D", "", candidate)
        if len(digits) >= MIN_PHONE_DIGITS and not _DATE_LIKE.match(candidate):
            found.append(candidate)
    return found


def phone_digits(phone: str) -> str:
    """A phone number as national digits: '+31 (0)88 222 05 00' -> '0882220500'."""
    digits = re.sub(r"\D", "", phone.replace("(0)", ""))
    if phone.strip().startswith("+31"):
        digits = "0" + digits[2:]
    return digits


def is_valid_dutch_phone(phone: str) -> bool:
    """Ten digits from 0, or a 0800/0900/0906/0909 number with 4 to 7 more digits."""
    digits = phone_digits(phone)
    if _SERVICE.match(digits):
        return True
    return bool(_TEN_DIGITS.match(digits)) and not digits.startswith(("0800", "0900", "0906", "0909"))


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


# ---------------------------------------------------------------- the rules


def steps_complete(data: dict, ctx: Context | None = None) -> list[Hit]:
    """All five steps, numbered 1 to 5 in order.

    Runs on model-free data (the YAML mapping, or ``variant.model_dump()``),
    because ``Variant`` itself refuses such a protocol: the loader reports it
    with file and line and it never reaches ``run_checks``. In ``run_checks``
    the rule therefore never fires; it is kept so the rule set is complete and
    each rule can be tested on its own.
    """
    steps = data.get("steps") if isinstance(data, dict) else None
    numbers = [s.get("number") for s in steps or [] if isinstance(s, dict)]
    return [] if numbers == [1, 2, 3, 4, 5] else [("steps", ", ".join(map(str, numbers)))]


def wie_present(data: dict, ctx: Context | None = None) -> list[Hit]:
    """Every step has a non-empty ``wie``; model-free, like ``steps_complete``."""
    hits = []
    for i, step in enumerate((data.get("steps") if isinstance(data, dict) else None) or []):
        wie = step.get("wie") if isinstance(step, dict) else None
        if not isinstance(wie, str) or not wie.strip():
            hits.append((f"steps[{i}].wie", _plain(wie) if isinstance(wie, str) else ""))
    return hits


def _model_free(rule: Callable[[dict, Context], list[Hit]]) -> Rule:
    def run(variant: Variant, ctx: Context) -> list[Hit]:
        return rule(variant.model_dump(mode="json"), ctx)

    run.__doc__ = rule.__doc__
    return run


def wie_from_text(variant: Variant, ctx: Context) -> list[Hit]:
    """Steps whose ``wie`` the handbook took from the running text (no wie column)."""
    return [(f"steps[{i}].wie", _plain(s.wie)) for i, s in enumerate(variant.steps) if s.wie_from_text]


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


def no_melding_when_help(variant: Variant, ctx: Context) -> list[Hit]:
    """A sentence that says there is no melding when there is help."""
    return _sentence_hits(text_fields(variant), ctx.rule)


def melden_not_required(variant: Variant, ctx: Context) -> list[Hit]:
    """A sentence that says melden is not required."""
    return _sentence_hits(text_fields(variant), ctx.rule)


def amk_named(variant: Variant, ctx: Context) -> list[Hit]:
    """Every mention of the AMK, by abbreviation or full name."""
    return _pattern_hits(text_fields(variant), ctx.rule)


def steunpunt_named(variant: Variant, ctx: Context) -> list[Hit]:
    """Every mention of the Steunpunt Huiselijk Geweld."""
    return _pattern_hits(text_fields(variant), ctx.rule)


def old_website(variant: Variant, ctx: Context) -> list[Hit]:
    """Every domain name (with or without http:// or www.) whose host has a pattern."""
    hits: list[Hit] = []
    for where, text in text_fields(variant):
        for match in _DOMAIN.finditer(text):
            host = match.group(1).lower()
            hit = (where, match.group(1))
            if any(r.search(host) for r in ctx.rule.regexes) and hit not in hits:
                hits.append(hit)
    return hits


def phone_invalid(variant: Variant, ctx: Context) -> list[Hit]:
    """Every phone number in the text that is not a valid Dutch number."""
    hits: list[Hit] = []
    for where, text in text_fields(variant):
        for phone in phone_numbers(text):
            if not is_valid_dutch_phone(phone) and (where, phone) not in hits:
                hits.append((where, phone))
    return hits


def veilig_thuis_phone_differs(variant: Variant, ctx: Context) -> list[Hit]:
    """The protocol's Veilig Thuis number is neither its region's nor the national one."""
    written = variant.veilig_thuis.phone_as_written
    if not written:
        return []
    known = {phone_digits(ctx.contacts.national.phone)}
    region = ctx.contacts.veilig_thuis_regions.get(variant.veilig_thuis.region or "")
    if region:
        known.add(phone_digits(region.phone))
    return [] if phone_digits(written) in known else [("veilig_thuis.phone_as_written", written)]


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
    hits: list[Hit] = []

    def add(where: str, value: str) -> None:
        if (where, value) not in hits:
            hits.append((where, value))

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
        for email in _EMAIL_IN_TEXT.findall(_without_links(text, domains=False)):
            if not _EMAIL.match(email):
                add(where, email)
    return hits



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


RULES: dict[str, Rule] = {
    "steps-complete": _model_free(steps_complete),
    "wie-present": _model_free(wie_present),
    "wie-from-text": wie_from_text,
    "afwegingskader-used": afwegingskader_used,
    "two-decisions": two_decisions,
    "no-melding-when-help": no_melding_when_help,
    "melden-not-required": melden_not_required,
    "amk-named": amk_named,
    "steunpunt-named": steunpunt_named,
    "old-website": old_website,
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
}
"""Every rule, by id; checks.yaml has an entry for each and no others."""


# ---------------------------------------------------------------- running the rules


@dataclass(frozen=True)
class Report:
    """The findings of one run, sorted, with the rules and settings they came from."""

    today: dt.date
    settings: CheckSettings
    min_severity: Severity
    rules: dict[str, RuleConfig]
    checked: tuple[tuple[str, str], ...]
    findings: tuple[Finding, ...]
    places: dict[str, str] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.fout for f in self.findings)

    def _format(self, text: str) -> str:
        from ..site.pages import nl_date

        return text.format(
            max_age_years=self.settings.max_age_years,
            meldcode_change_date=nl_date(self.settings.meldcode_change_date),
        )

    def title(self, rule_id: str) -> str:
        return self._format(self.rules[rule_id].title)

    def message(self, rule_id: str) -> str:
        return self._format(self.rules[rule_id].message)

    def reference(self, rule_id: str) -> str:
        return self._format(self.rules[rule_id].reference)

    @cached_property
    def _by_version(self) -> dict[tuple[str, str], list[Finding]]:
        """Findings per (variant, version): pages ask once per variant, over many findings."""
        index: dict[tuple[str, str], list[Finding]] = {key: [] for key in self.checked}
        for finding in self.findings:
            index[(finding.variant_id, finding.version)].append(finding)
        return index

    def findings_for(self, variant_id: str, version: str | None = None) -> list[Finding]:
        if version is not None:
            return list(self._by_version.get((variant_id, version), []))
        return [f for (vid, _), found in self._by_version.items() if vid == variant_id for f in found]

    def counts(self, findings: Iterable[Finding] | None = None) -> dict[str, int]:
        """Findings per severity, every severity present (0 where none)."""
        findings = self.findings if findings is None else list(findings)
        return {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}

    def to_json(self) -> str:
        """Stable JSON: keys sorted, lists in a fixed order; see README, "The JSON report"."""
        variants = []
        for variant_id, version in self.checked:
            found = self.findings_for(variant_id, version)
            variants.append({
                "id": variant_id,
                "version": version,
                "counts": self.counts(found),
                "findings": [f.as_json() for f in found],
            })
        data = {
            "format": JSON_FORMAT,
            "date": self.today.isoformat(),
            "settings": {
                "max_age_years": self.settings.max_age_years,
                "meldcode_change_date": self.settings.meldcode_change_date.isoformat(),
                "min_severity": self.min_severity.value,
            },
            "rules": {
                rule_id: {
                    "severity": rule.severity.value,
                    "title": self.title(rule_id),
                    "message": self.message(rule_id),
                    "reference": self.reference(rule_id),
                }
                for rule_id, rule in self.rules.items()
            },
            "totals": self.counts(),
            "variants": variants,
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def checked_versions(handbook: Handbook, variant_id: str, today: dt.date) -> list[Variant]:
    """The version in force today (else the newest) and any that start later.

    Older versions are history: a superseded version is expected to be out of date.
    """
    current = handbook.current(variant_id, today)
    start = current.valid_from or dt.date.min
    return [v for v in handbook.versions(variant_id)
            if v is current or (v.valid_from is not None and v.valid_from > start)]


def run_checks(
    handbook: Handbook,
    today: dt.date,
    variants: Sequence[str] | None = None,
    min_severity: Severity | str | None = None,
    *,
    config: ChecksConfig | None = None,
    max_age_years: int | None = None,
) -> Report:
    """Run every rule of ``min_severity`` or worse over the selected variants.

    ``variants`` are variant ids (default: all); an unknown id is a ``ValueError``.
    ``max_age_years`` overrides the setting from checks.yaml.
    """
    config = config or load_config(handbook.root)
    settings = config.settings
    if max_age_years is not None:
        settings = settings.model_copy(update={"max_age_years": max_age_years})
    floor = Severity(min_severity) if min_severity else Severity.tip
    known = handbook.variant_ids
    selected = known if variants is None else sorted(set(variants))
    unknown = [v for v in selected if v not in known]
    if unknown:
        raise ValueError(f"unknown variant(s): {', '.join(unknown)} (known: {', '.join(known)})")
    rules = {rid: rule for rid, rule in sorted(config.rules.items()) if rule.severity.rank <= floor.rank}

    findings: list[Finding] = []
    checked: list[tuple[str, str]] = []
    for variant_id in selected:
        for variant in checked_versions(handbook, variant_id, today):
            checked.append((variant.id, variant.version))
            for rule_id, rule in rules.items():
                ctx = Context(handbook.contacts, settings, today, rule)
                for where, detail in RULES[rule_id](variant, ctx):
                    findings.append(Finding(rule_id, rule.severity, variant.id, variant.version, where, detail))
    return Report(
        today=today,
        settings=settings,
        min_severity=floor,
        rules=rules,
        checked=tuple(sorted(checked)),
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        places=dict(config.places),
    )


# ---------------------------------------------------------------- the site's pages


def describe_where(where: str, variant: Variant, places: dict[str, str]) -> str:
    """A finding's path in the reader's words, from the labels in checks.yaml.

    ``steps[4].hoe`` becomes "Stap 5 › hoe"; ``sections[0].body`` becomes
    'Onderdeel “Bij twijfel” › tekst'.
    """
    parts: list[str] = []
    node: Any = variant
    for name, index in _SEGMENT.findall(where):
        node = getattr(node, name, None) if node is not None else None
        label = places.get(name, name)
        if index:
            node = node[int(index)] if isinstance(node, list) and int(index) < len(node) else None
            title = getattr(node, "title", None) or getattr(node, "name", None) or getattr(node, "wat", None) or ""
            label = label.format(number=int(index) + 1, title=title)
        parts.append(label)
    return " › ".join(parts)


@dataclass(frozen=True)
class FindingView:
    """One finding as the site shows it: the place in the reader's words, the text."""

    where: str
    place: str
    detail: str


@dataclass(frozen=True)
class RuleFindings:
    """The findings of one rule in one version, with the rule's Dutch texts."""

    rule_id: str
    severity: str
    title: str
    message: str
    reference: str
    items: list[FindingView]


@dataclass(frozen=True)
class VersionCheck:
    """One checked version of a variant, its findings grouped by severity, then rule."""

    variant: Variant
    counts: dict[str, int]
    groups: list[tuple[str, list[RuleFindings]]]


@dataclass(frozen=True)
class VariantCheck:
    variant: Variant
    """The version a reader sees (in force today, else the newest)."""
    versions: list[VersionCheck]
    counts: dict[str, int]

    @property
    def url(self) -> str:
        return f"varianten/{self.variant.id}/kwaliteitscheck.md"


def _version_check(variant: Variant, report: Report) -> VersionCheck:
    found = report.findings_for(variant.id, variant.version)
    groups = []
    for severity in Severity:
        rules = []
        for rule_id in sorted({f.rule_id for f in found if f.severity is severity}):
            items = [FindingView(f.where, describe_where(f.where, variant, report.places), f.detail)
                     for f in found if f.rule_id == rule_id]
            rules.append(RuleFindings(rule_id, severity.value, report.title(rule_id),
                                      report.message(rule_id), report.reference(rule_id), items))
        if rules:
            groups.append((severity.value, rules))
    return VersionCheck(variant, report.counts(found), groups)


def check_views(handbook: Handbook, report: Report, today: dt.date) -> list[VariantCheck]:
    """Per checked variant: its current version and the findings of each checked version."""
    views = []
    for variant_id in sorted({vid for vid, _ in report.checked}):
        versions = [_version_check(v, report) for v in handbook.versions(variant_id)
                    if (v.id, v.version) in report.checked]
        views.append(VariantCheck(handbook.current(variant_id, today), versions,
                                  report.counts(report.findings_for(variant_id))))
    return views


def rule_views(report: Report) -> list[RuleFindings]:
    """Every rule that was run, most severe first, without findings (for the overview)."""
    order = sorted(report.rules, key=lambda r: (report.rules[r].severity.rank, r))
    return [RuleFindings(r, report.rules[r].severity.value, report.title(r), report.message(r),
                         report.reference(r), []) for r in order]


def render_check_pages(
    handbook: Handbook, env: Environment, today: dt.date, report: Report | None = None
) -> list[Page]:
    """``kwaliteitscheck/index.md`` and ``varianten/<id>/kwaliteitscheck.md``, with every rule."""
    from ..site.pages import Page

    report = report or run_checks(handbook, today)
    views = check_views(handbook, report, today)
    common = {"report": report, "today": today, "settings": report.settings}
    overview = env.get_template("checks_overview.md.j2").render(
        checks=views, totals=report.counts(), rules=rule_views(report), **common
    )
    variant_page = env.get_template("checks_variant.md.j2")
    return [Page("kwaliteitscheck/index.md", overview)] + [
        Page(check.url, variant_page.render(check=check, **common)) for check in views
    ]
