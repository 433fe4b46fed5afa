"""The quality checks: every rule fires on a bad example and not on a good one,
the seed protocols give the findings we verified by hand against the sources,
and the report (text, JSON, exit status, site pages) is what a board relies on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import shutil
import subprocess
import sys

import pytest

from conftest import PROTOCOLS, ROOT, SEEDS, read_yaml
from generator.checks import PROCEDURES, Context, RuleKind, Severity, rule_function, run_checks
from generator.checks.roles import RoleFinder
from generator.model.loader import SourceError, load
from generator.model.sources import Contact, Phone
from generator.site.checkpages import render_check_pages
from generator.site.templating import environment

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def handbook():
    return load(PROTOCOLS)


@pytest.fixture(scope="module")
def config(handbook):
    return handbook.checks


def hits(rule_id, variant, handbook, config, today=TODAY, **settings):
    rule_settings = config.settings.model_copy(update=settings)
    rule = config.rules[rule_id]
    context = Context(handbook.contacts, rule_settings, today, rule, RoleFinder(handbook.roles), handbook.situations)
    return list(rule_function(rule_id, rule)(variant, context))


def with_step(variant, number, **changes):
    steps = [s.model_copy(update=changes) if s.number == number else s for s in variant.steps]
    return variant.model_copy(update={"steps": steps})


def with_melding(variant, **changes):
    return variant.model_copy(update={"melding": variant.melding.model_copy(update=changes)})


def proposed(variant, situation_id):
    """The variant with the passages of one situation only proposed (``voorstel: true``)."""
    answers = dict(variant.situations)
    answers[situation_id] = answers[situation_id].model_copy(update={"voorstel": True})
    return variant.model_copy(update={"situations": answers})


def with_vt(variant, **changes):
    if isinstance(changes.get("phone_as_written"), str):
        changes["phone_as_written"] = Phone.model_validate(changes["phone_as_written"])
    return variant.model_copy(update={"veilig_thuis": variant.veilig_thuis.model_copy(update=changes)})


def with_contact(variant, **fields):
    if isinstance(fields.get("phone"), str):
        fields["phone"] = Phone.model_validate(fields["phone"])
    return variant.model_copy(update={"contacts": [Contact(name="Contactpersoon", **fields)]})


@pytest.fixture(scope="module")
def clean(handbook):
    """A protocol that meets every rule: the afwegingskader brochure with the gaps filled."""
    base = handbook.current("vo-brochure", TODAY)
    steps = [s.model_copy(update={"wie_from_text": False}) for s in base.steps]
    steps[3] = steps[3].model_copy(update={"wie": "De zorgcoördinator, in de interne leerlingbespreking"})
    variant = base.model_copy(update={"steps": steps, "valid_from": dt.date(2024, 8, 1),
                                      "herzien_voor": dt.date(2027, 8, 1)})
    variant = with_melding(variant, ouders_informeren="De zorgcoördinator informeert de ouders.", door_from_text=False)
    return with_vt(variant, phone_as_written="0800-2000")


def test_clean_example_has_no_findings(clean, handbook, config):
    for rule_id in config.rules:
        assert hits(rule_id, clean, handbook, config) == [], rule_id


def _append_hoe(variant, number, text):
    step = next(s for s in variant.steps if s.number == number)
    return with_step(variant, number, hoe=f"{step.hoe}\n\n{text}")


# rule id -> (how to break the clean example, the (where, detail) pairs it must give).
# The "where" paths are 0-based like the loader's (steps[1] is stap 2).
BAD = {
    # A block of the document that the import placed nowhere, named by its first eight words.
    "unplaced": (
        lambda v: v.model_copy(update={"unplaced": ["Inhoudsopgave 1. Inleiding ... 3 2. Stappenplan ... 4 en verder", "Kort"]}),
        [("unplaced[0]", "Inhoudsopgave 1. Inleiding ... 3 2. Stappenplan ... …"), ("unplaced[1]", "Kort")],
    ),
    "wie-from-text": (lambda v: with_step(v, 3, wie_from_text=True), ["steps[2].wie"]),
    # "de IB" would be a role (intern begeleider); "de IBM-er" is no word of roles.yaml.
    "wie-without-role": (lambda v: with_step(v, 4, wie="Het ondersteuningsoverleg en de IBM-er"), ["steps[3].wie"]),
    "afwegingskader-used": (
        lambda v: with_step(with_step(v, 4, wat="Wegen", hoe="Weeg de ernst. Zie www.afwegingskader.nl"),
                            5, wat="Beslissen", hoe="Meld of organiseer hulp. Is melden noodzakelijk? Is hulp mogelijk?"),
        [("steps[3]", "Wegen")],
    ),
    "two-decisions": (
        lambda v: with_step(v, 5, wat="Beslissen: hulp organiseren of melden",
                            hoe="Gebruik het afwegingskader. Organiseer hulp of doe een melding."),
        [("steps[4]", "Beslissen: hulp organiseren of melden")],
    ),
    "no-melding-when-help": (
        lambda v: _append_hoe(v, 5, "Er wordt geen melding gedaan wanneer de ouders hulpverlening toelaten."),
        [("steps[4].hoe", "Er wordt geen melding gedaan wanneer de ouders hulpverlening toelaten.")],
    ),
    "melden-not-required": (
        lambda v: _append_hoe(v, 5, "Melden is niet verplicht."),
        [("steps[4].hoe", "Melden is niet verplicht.")],
    ),
    "amk-named": (
        lambda v: _append_hoe(v, 2, "Vraag advies aan het AMK."),
        [("steps[1].hoe", "AMK")],
    ),
    "steunpunt-named": (
        lambda v: _append_hoe(v, 2, "Bel het Steunpunt Huiselijk Geweld."),
        [("steps[1].hoe", "Steunpunt Huiselijk Geweld")],
    ),
    "old-website": (
        lambda v: _append_hoe(v, 2, "Zie www.amk-nederland.nl voor meer."),
        [("steps[1].hoe", "www.amk-nederland.nl")],
    ),
    "phone-invalid": (
        lambda v: _append_hoe(v, 2, "Bel 088-2000 voor advies."),
        [("steps[1].hoe", "088-2000")],
    ),
    "veilig-thuis-phone-differs": (
        lambda v: with_vt(v, phone_as_written="088 - 123 45 67"),
        [("veilig_thuis.phone_as_written", "088 - 123 45 67")],
    ),
    "veilig-thuis-phone-missing": (lambda v: with_vt(v, phone_as_written=None), ["veilig_thuis.phone_as_written"]),
    "veilig-thuis-in-step-2": (
        lambda v: with_step(v, 2, wat="Collegiale consultatie", wie="De mentor", hoe="Overleg met een collega."),
        [("steps[1]", "Collegiale consultatie")],
    ),
    "link-malformed": (
        lambda v: _append_hoe(v, 1, "Zie https://www.meldcode,nl en mail naar iemand@school"),
        [("steps[0].hoe", "https://www.meldcode,nl"), ("steps[0].hoe", "iemand@school")],
    ),
    "anonymous-contradiction": (
        lambda v: _append_hoe(with_melding(v, nooit_anoniem=True), 5, "Een melding kan ook anoniem."),
        # The brochure's own copy of the national kader says "(anoniem) melding doen" too.
        [("steps[4].hoe", "Een melding kan ook anoniem."),
         ("sections[4].items[1].body", "JA of twijfel > direct (telefonisch) (anoniem) melding doen bij Veilig Thuis.")],
    ),
    "parents-informed": (lambda v: with_melding(v, ouders_informeren=None), ["melding.ouders_informeren"]),
    "melder-named": (lambda v: with_melding(v, door_from_text=True), ["melding.door"]),
    "valid-from-missing": (lambda v: v.model_copy(update={"valid_from": None}), [("valid_from", "")]),
    # The region `generator import` writes when the document names none ("Landelijk" is a region).
    "region-unknown": (lambda v: v.model_copy(update={"region": "Onbekend"}), [("region", "")]),
    "before-2019": (lambda v: v.model_copy(update={"valid_from": dt.date(2018, 12, 31)}), [("valid_from", "2018-12-31")]),
    "too-old": (lambda v: v.model_copy(update={"valid_from": dt.date(2021, 11, 22)}), [("valid_from", "2021-11-22")]),
    "review-overdue": (lambda v: v.model_copy(update={"herzien_voor": dt.date(2026, 11, 22)}),
                       [("herzien_voor", "2026-11-22")]),
    "review-missing": (lambda v: v.model_copy(update={"herzien_voor": None}), [("herzien_voor", "")]),
    # The brochure marks passages for four situations; without the one a rule names, the rule fires.
    "medewerker-not-described": (
        lambda v: v.model_copy(update={"situations": {k: r for k, r in v.situations.items()
                                                      if k != "zorg-over-een-medewerker"}}),
        [("situations", "")],
    ),
    "acuut-gevaar-not-described": (lambda v: v.model_copy(update={"situations": {}}), [("situations", "")]),
    # Passages `generator import` proposed and no person has confirmed: once per such situation.
    "situation-proposed": (lambda v: proposed(v, "zorg-over-een-medewerker"),
                           [("situations", "zorg-over-een-medewerker")]),
    # The clean brochure's inwerken page asks five questions: acute danger (its passage names
    # Veilig Thuis), step 2, the number, the melder, the parents. Without the parents, four: every
    # question it cannot ask is named, at the place that would answer it (its situations on a
    # colleague and on VGV have passages but name nobody; it is silent on pupils among themselves).
    "onboarding-thin": (
        lambda v: with_melding(v, ouders_informeren=None),
        [("melding.ouders_informeren", ""),
         ("situations.zorg-over-een-medewerker.wie", ""),
         ("situations.tussen-leerlingen-onderling", ""),
         ("situations.vgv-eergerelateerd-geweld-huwelijksdwang-seksueel-misbruik.wie", "")],
    ),
}


def test_a_proposed_situation_counts_as_not_described(clean, handbook, config):
    assert hits("medewerker-not-described", proposed(clean, "zorg-over-een-medewerker"), handbook, config) == [
        ("situations", "")]
    assert hits("acuut-gevaar-not-described", proposed(clean, "zorg-over-een-medewerker"), handbook, config) == []

def test_every_rule_has_a_bad_example(config):
    assert set(BAD) == set(config.rules)


@pytest.mark.parametrize("rule_id", sorted(BAD))
def test_rule_fires_on_its_bad_example_only(rule_id, clean, handbook, config):
    breaking, expected = BAD[rule_id]
    bad = breaking(clean)
    found = hits(rule_id, bad, handbook, config)
    got = [where for where, _ in found] if isinstance(expected[0], str) else found
    assert got == expected
    assert hits(rule_id, clean, handbook, config) == []


def test_age_boundary_and_setting(clean, handbook, config):
    exactly_five = clean.model_copy(update={"valid_from": dt.date(2021, 11, 23)})
    assert hits("too-old", exactly_five, handbook, config) == []
    assert hits("too-old", exactly_five, handbook, config, max_age_years=2) == [("valid_from", "2021-11-23")]


def test_review_date_boundary(clean, handbook, config):
    """Due on the day itself is not overdue; the day after it is; MELDCODE_BUILD_DATE is "today"."""
    due = clean.model_copy(update={"herzien_voor": dt.date(2026, 3, 1)})
    assert hits("review-overdue", due, handbook, config, today=dt.date(2026, 2, 28)) == []
    assert hits("review-overdue", due, handbook, config, today=dt.date(2026, 3, 1)) == []
    assert hits("review-overdue", due, handbook, config, today=dt.date(2026, 3, 2)) == [("herzien_voor", "2026-03-01")]
    assert hits("review-missing", due, handbook, config, today=dt.date(2026, 3, 2)) == []


def test_the_review_rule_follows_the_build_date(tmp_path):
    """`check --json` as of MELDCODE_BUILD_DATE: silent before the review date, a warning after it."""
    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    file = protocols / "variants" / "prisma-almere-2021.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace(
        "valid_from: 2021-09-01", "valid_from: 2021-09-01\nherzien_voor: 2022-09-01"), encoding="utf-8")

    def rules_on(day):
        env = {**__import__("os").environ, "MELDCODE_BUILD_DATE": day}
        out = subprocess.run([sys.executable, "-m", "generator", "--protocols", str(protocols), "check", "--json",
                              "--variant", "prisma-almere"], capture_output=True, text=True, env=env, cwd=ROOT)
        findings = json.loads(out.stdout)["variants"][0]["findings"]
        return {f["rule_id"]: f for f in findings}

    assert "review-overdue" not in rules_on("2022-09-01")
    after = rules_on("2022-09-02")["review-overdue"]
    assert (after["severity"], after["where"], after["detail"]) == ("waarschuwing", "herzien_voor", "2022-09-01")
    assert "review-missing" not in rules_on("2022-09-02")


@pytest.mark.parametrize("rule_id", sorted(BAD))
def test_every_rule_can_fire_from_run_checks(rule_id, clean, handbook):
    """The whole runner, not the rule alone: a rule that run_checks can never fire is dead."""
    breaking, _ = BAD[rule_id]
    alone = dataclasses.replace(handbook, variants=[breaking(clean)])
    fired = {f.rule_id for f in run_checks(alone, TODAY).findings}
    assert rule_id in fired
    assert rule_id not in {f.rule_id for f in run_checks(dataclasses.replace(handbook, variants=[clean]), TODAY).findings}


def test_declarative_rules_are_data_and_procedures_are_code(config):
    kinds = {rule_id: rule.kind for rule_id, rule in config.rules.items()}
    assert {r for r, k in kinds.items() if k is RuleKind.procedure} == set(PROCEDURES)
    assert {kinds[r] for r in ("amk-named", "steunpunt-named")} == {RuleKind.mention}
    assert {kinds[r] for r in ("no-melding-when-help", "melden-not-required")} == {RuleKind.sentence}
    assert kinds["old-website"] is RuleKind.domain


@pytest.mark.parametrize(
    "change, message",
    [
        (("  two-decisions:\n    kind: procedure", "  two-decisions:\n    kind: mention"),
         "no entry of kind 'procedure' for rule 'two-decisions'"),
        (("  amk-named:\n    kind: mention", "  amk-named:\n    kind: procedure"), "unknown procedure 'amk-named'"),
        (("  too-old:\n    kind: procedure", "  too-old:\n    kind: sentence"),
         "rules.too-old.patterns: a rule of kind 'sentence' needs patterns"),
    ],
)
def test_checks_file_and_code_must_agree(tmp_path, change, message):
    target = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, target)
    file = target / "checks.yaml"
    text = file.read_text(encoding="utf-8")
    assert change[0] in text
    file.write_text(text.replace(*change), encoding="utf-8")
    result = _cli(protocols=target)
    assert result.returncode == 1
    assert "checks.yaml" in result.stderr and message in result.stderr


def test_loader_refuses_what_the_structural_rules_describe(tmp_path):
    target = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, target)
    file = target / "variants" / "prisma-almere-2021.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("wie: Intern begeleider en directie", "wie: ''", 1),
                    encoding="utf-8")
    with pytest.raises(SourceError, match="'wie' is empty"):
        load(target)


# What the checks find in the five seed protocols, verified by reading each source
# (shared/seeds) line by line; see the closing note of issue 5 for the reasoning.
FOUR_SITUATIONS = ("acuut-gevaar", "zorg-over-een-medewerker", "tussen-leerlingen-onderling",
                   "vgv-eergerelateerd-geweld-huwelijksdwang-seksueel-misbruik")
"""The situations of situaties.yaml besides the meldcode's own route: the inwerken page asks about each."""

SEED_FINDINGS = {
    # 004_*: Consent, 30 oktober 2018; no wie column.
    "consent": {
        ("steunpunt-named", "steps[2].hoe", "Steunpunt Huiselijk Geweld"),  # l.513
        ("before-2019", "valid_from", "2018-10-30"),
        ("too-old", "valid_from", "2018-10-30"),
        # No review date: "De werking van de meldcode wordt regelmatig geëvalueerd" (l.869-870), no date.
        ("review-missing", "herzien_voor", ""),
        ("melden-not-required", "steps[4].hoe", "Melden is niet verplicht en kan ook anoniem."),  # l.713
        ("melder-named", "melding.door", None),
        *{("wie-from-text", f"steps[{i}].wie", None) for i in range(5)},
    },
    # 000_*: Kwaliteitskaart Flevoland; no date; step 5 is "hulp organiseren of melden".
    "flevoland-kwaliteitskaart": {
        ("afwegingskader-used", "steps[3]", "Afweging maken van de ernst van de situatie"),
        ("two-decisions", "steps[4]", "Beslissen: hulp organiseren of melden"),
        ("no-melding-when-help", "steps[4].hoe", None),
        ("valid-from-missing", "valid_from", ""),
        ("review-missing", "herzien_voor", ""),  # no date at all in 000_*
        # Silent on a colleague and on acute danger (000_*, read whole).
        ("medewerker-not-described", "situations", ""),
        ("acuut-gevaar-not-described", "situations", ""),
        # Its inwerken page asks four questions (step 2's wie, 088 - 222 05 00 at l.27, the melder
        # at l.79 and the parents at l.83); 000_* says nothing of the four situations.
        *{("onboarding-thin", f"situations.{s}", "") for s in FOUR_SITUATIONS},
    },
    # 002_*: LEVWN; AMK and Steunpunt throughout, no date, no Veilig Thuis number.
    "levwn": {
        ("review-missing", "herzien_voor", ""),  # 002_*: no date at all
        ("afwegingskader-used", "steps[3]", None),
        ("two-decisions", "steps[4]", "Beslissen: zelf hulp organiseren of melden"),
        ("amk-named", "steps[1].wat", "Advies- en Meldpunt Kindermishandeling"),
        ("amk-named", "steps[1].hoe", "AMK"),
        ("amk-named", "steps[1].hoe", "Advies- en Meldpunt Kindermishandeling"),
        ("amk-named", "steps[2].hoe", "AMK"),
        ("amk-named", "steps[2].hoe", "Advies- en Meldpunt Kindermishandeling"),
        ("amk-named", "steps[3].hoe", "AMK"),
        ("amk-named", "steps[4].hoe", "AMK"),
        ("amk-named", "steps[4].hoe", "Advies- en Meldpunt Kindermishandeling"),
        ("amk-named", "sections[2].body", "AMK"),  # l.186 "is AMK geraadpleegd of Steunpunt HG?"
        ("steunpunt-named", "steps[1].wat", "Steunpunt Huiselijk Geweld"),
        ("steunpunt-named", "steps[1].hoe", "Steunpunt Huiselijk Geweld"),
        ("steunpunt-named", "steps[1].hoe", "steunpunt Huiselijk geweld"),  # l.51
        ("steunpunt-named", "steps[2].hoe", "Steunpunt Huiselijk Geweld"),
        ("steunpunt-named", "steps[2].hoe", "steunpunt"),  # l.66 "AMK of steunpunt of VP"
        ("steunpunt-named", "steps[3].hoe", "steunpunt"),  # l.100 "AMK/steunpunt"
        ("steunpunt-named", "steps[4].hoe", "Steun punt Huiselijk Geweld"),  # l.150
        ("steunpunt-named", "steps[4].hoe", "Steunpunt Huiselijk Geweld"),
        ("steunpunt-named", "sections[2].body", "Steunpunt HG"),
        ("valid-from-missing", "valid_from", ""),
        ("veilig-thuis-phone-missing", "veilig_thuis.phone_as_written", ""),
        # 002_* names no Veilig Thuis, no region and no number (read whole): the variant says "Onbekend".
        ("region-unknown", "region", ""),
        ("veilig-thuis-in-step-2", "steps[1]", None),
        ("melder-named", "melding.door", None),
        *{("wie-from-text", f"steps[{i}].wie", None) for i in range(5)},
        # Step 1 (l.32-34) sends signals about a beroepskracht to the directie; nothing on acute danger.
        ("acuut-gevaar-not-described", "situations", ""),
        # Three questions (step 2's "Bespreek de signalen met de IB-er" at l.56, the parents at l.128,
        # a colleague at l.32); no number, a melder taken from the text, silent on the other three.
        ("onboarding-thin", "melding.door", None),
        ("onboarding-thin", "veilig_thuis.phone_as_written", ""),
        *{("onboarding-thin", f"situations.{s}", "") for s in FOUR_SITUATIONS if s != "zorg-over-een-medewerker"},
    },
    # 003_*: Prisma Almere, september 2021; 088-2000 and www.amk-nederland.nl (l.214).
    "prisma-almere": {
        ("afwegingskader-used", "steps[3]", None),
        ("two-decisions", "steps[4]", "Beslissen: hulp organiseren of melden"),
        ("old-website", "sections[0].body", "www.amk-nederland.nl"),
        ("old-website", "veilig_thuis.website_as_written", "www.amk-nederland.nl"),
        ("phone-invalid", "sections[0].body", "088-2000"),
        ("phone-invalid", "veilig_thuis.phone_as_written", "088-2000"),
        ("veilig-thuis-phone-differs", "veilig_thuis.phone_as_written", "088-2000"),
        ("no-melding-when-help", "steps[4].hoe", None),
        ("too-old", "valid_from", "2021-09-01"),
        ("review-missing", "herzien_voor", ""),  # 003_* names its month, no review date
        ("veilig-thuis-in-step-2", "steps[1]", "Collegiale Consultatie"),
        # Silent on a colleague and on acute danger (003_*, read whole).
        ("medewerker-not-described", "situations", ""),
        ("acuut-gevaar-not-described", "situations", ""),
        # Three questions (step 2's wie, the melder at l.192, the parents at l.204-208); its number is
        # not Veilig Thuis's, and it says nothing of the four situations.
        ("onboarding-thin", "veilig_thuis.phone_as_written", "088-2000"),
        *{("onboarding-thin", f"situations.{s}", "") for s in FOUR_SITUATIONS},
    },
    # 001_*: the national afwegingskader brochure (VO); no date, no number, silent on who tells the parents.
    "vo-brochure": {
        ("parents-informed", "melding.ouders_informeren", ""),
        # Step 4's wie names meetings, no function (l.350-351).
        ("wie-without-role", "steps[3].wie", None),
        ("valid-from-missing", "valid_from", ""),
        ("review-missing", "herzien_voor", ""),  # 001_*: no date at all
        ("veilig-thuis-phone-missing", "veilig_thuis.phone_as_written", ""),
        *{("wie-from-text", f"steps[{i}].wie", None) for i in range(5)},
        # Three questions (acute danger at l.289, step 2 at l.321, the melder at l.365-367);
        # no number, nothing on the parents; on a colleague and on VGV its passages (l.76, 87)
        # name nobody; nothing on pupils among themselves.
        ("onboarding-thin", "veilig_thuis.phone_as_written", ""),
        ("onboarding-thin", "melding.ouders_informeren", ""),
        ("onboarding-thin", "situations.zorg-over-een-medewerker.wie", ""),
        ("onboarding-thin", "situations.tussen-leerlingen-onderling", ""),
        ("onboarding-thin", "situations.vgv-eergerelateerd-geweld-huwelijksdwang-seksueel-misbruik.wie", ""),
    },
}


@pytest.mark.parametrize("variant_id", sorted(SEED_FINDINGS))
def test_seed_findings(variant_id, handbook):
    report = run_checks(handbook, TODAY, variants=[variant_id])
    found = {(f.rule_id, f.where, f.detail) for f in report.findings}
    expected = SEED_FINDINGS[variant_id]
    wildcard = {(r, w) for r, w, d in expected if d is None}
    exact = {e for e in expected if e[2] is not None}
    assert exact <= found
    assert {(r, w) for r, w, _ in found} == {(r, w) for r, w, _ in exact} | wildcard


NOT_QUOTED = {"before-2019", "too-old", "review-overdue"}  # their detail is the ISO date, not the source's words


def test_seed_findings_are_in_the_source_text(handbook):
    """Every quoted detail is text the source document really has (modulo line breaks)."""
    seeds = SEEDS
    for variant_id, expected in SEED_FINDINGS.items():
        source = handbook.current(variant_id, TODAY).source.document
        text = " ".join((seeds / source).read_text(encoding="utf-8").split())
        for rule_id, _where, detail in expected:
            if detail and rule_id not in NOT_QUOTED:
                assert detail in text, (variant_id, rule_id, detail)


def test_json_is_stable_sorted_and_complete(handbook):
    first = run_checks(handbook, TODAY).to_json()
    assert first == run_checks(handbook, TODAY).to_json()
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert [v["id"] for v in data["variants"]] == sorted(v["id"] for v in data["variants"])
    assert data["totals"] == {s: sum(v["counts"][s] for v in data["variants"]) for s in ("fout", "tip", "waarschuwing")}
    for variant in data["variants"]:
        ranks = [list(Severity).index(Severity(f["severity"])) for f in variant["findings"]]
        assert ranks == sorted(ranks)
        for finding in variant["findings"]:
            assert finding["rule_id"] in data["rules"]
    assert set(data["rules"]) == set(handbook.checks.rules)


def test_severity_and_variant_selection(handbook):
    report = run_checks(handbook, TODAY, variants=["levwn", "consent"], min_severity="waarschuwing")
    assert {vid for vid, _ in report.checked} == {"consent", "levwn"}
    assert {f.severity for f in report.findings} == {Severity.fout, Severity.waarschuwing}
    only_errors = run_checks(handbook, TODAY, min_severity="fout")
    assert {f.severity for f in only_errors.findings} == {Severity.fout}
    with pytest.raises(ValueError, match="unknown variant"):
        run_checks(handbook, TODAY, variants=["bestaat-niet"])


def _cli(*args, protocols=PROTOCOLS):
    return subprocess.run(
        [sys.executable, "-m", "generator", "--protocols", str(protocols), "check", *args],
        cwd=ROOT, capture_output=True, text=True, env={"MELDCODE_BUILD_DATE": TODAY.isoformat(), "PATH": ""},
    )


def test_cli_exit_status_follows_fout():
    assert _cli().returncode == 1  # the seeds have fouten
    passing = _cli("--variant", "vo-brochure")
    assert passing.returncode == 0, passing.stdout
    assert "parents-informed" in passing.stdout
    assert _cli("--variant", "vo-brochure", "--severity", "fout").stdout.count("parents-informed") == 0
    assert _cli("--variant", "bestaat-niet").returncode == 2


def test_cli_json_is_the_report_and_max_age_applies():
    result = _cli("--json", "--variant", "prisma-almere", "--max-age", "10")
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert data["settings"]["max_age_years"] == 10
    assert "too-old" not in {f["rule_id"] for f in data["variants"][0]["findings"]}


def test_bad_checks_file_is_a_clear_error(tmp_path):
    target = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, target)
    file = target / "checks.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("    severity: fout\n", "    severity: ernstig\n", 1), encoding="utf-8")
    result = _cli(protocols=target)
    assert result.returncode == 1
    assert "checks.yaml:" in result.stderr and "rules.afwegingskader-used.severity" in result.stderr


def test_check_pages_show_the_findings(handbook):
    pages = {p.path: p.content for p in render_check_pages(handbook, environment(), run_checks(handbook, TODAY))}
    assert set(pages) == {"kwaliteitscheck/index.md"} | {f"varianten/{v}/kwaliteitscheck.md" for v in handbook.variant_ids}
    # Protocol text is in the Markdown as character references where Markdown would read it (D23).
    prisma = html.unescape(pages["varianten/prisma-almere/kwaliteitscheck.md"])
    assert "www.amk-nederland.nl" in prisma and "088-2000" in prisma
    # Sources are named as readers know them (sources.yaml), never by file name.
    consent = read_yaml(PROTOCOLS / "sources.yaml")["sources"]["consent-2018"]
    assert " ".join(consent["name"].split()) in " ".join(prisma.split())
    assert consent["file"] not in prisma
    assert "Ongeldig telefoonnummer" in prisma


def test_built_site_has_the_kwaliteitscheck(site_dir):
    """Read from the built HTML: the overview counts and each variant's page with its findings."""
    from htmltext import page_text

    overview = page_text(site_dir / "kwaliteitscheck" / "index.html")
    prisma = page_text(site_dir / "varianten" / "prisma-almere" / "kwaliteitscheck" / "index.html")
    assert "www.amk-nederland.nl" in prisma and "Ongeldig telefoonnummer" in prisma
    consent = read_yaml(PROTOCOLS / "sources.yaml")["sources"]["consent-2018"]
    assert "Bron: " + " ".join(consent["name"].split()) in prisma
    levwn_page = page_text(site_dir / "varianten" / "levwn" / "index.html")
    assert "Kwaliteitscheck:" in levwn_page
    # The overview's entry for levwn counts the findings we pinned, per severity.
    rules = load(PROTOCOLS).checks.rules
    counts = [sum(1 for rule, _, _ in SEED_FINDINGS["levwn"] if rules[rule].severity is s) for s in Severity]
    words = [("fout", "fouten"), ("waarschuwing", "waarschuwingen"), ("tip", "tips")]
    said = ", ".join(f"{n} {one if n == 1 else many}" for n, (one, many) in zip(counts, words, strict=True))
    assert f"Meldcode stappenplan LEVWN (versie 1): {said}" in overview


def test_the_guide_documents_every_key_of_the_json(handbook):
    readme = (ROOT / "guides" / "checks-json.md").read_text(encoding="utf-8")
    data = json.loads(run_checks(handbook, TODAY).to_json())
    keys = set(data) | set(data["settings"]) | set(data["variants"][0]) | set(data["variants"][1]["findings"][0])
    keys |= set(next(iter(data["rules"].values())))
    assert sorted(k for k in keys if f"`{k}`" not in readme and f"`findings[].{k}`" not in readme
                  and f"`variants[].{k}`" not in readme) == []


# ---------------------------------------------------------------- linear in the text (issue 11)

import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.checks import text as checks_text  # noqa: E402

# The patterns as first written: the specification the linear versions must match.
SPEC_MD_LINK = re.compile(r"\]\(([^)]*)\)")
SPEC_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>]*)>", re.IGNORECASE)
SPEC_EMAIL = re.compile(r"[\w.+-]+@[\w.-]*\w")


def spec_links(text):
    found, masked = [], text
    for regex in (SPEC_MD_LINK, SPEC_AUTOLINK):
        found += [(m.start(1), m.group(1).strip()) for m in regex.finditer(masked)]
        masked = regex.sub(lambda m: " " * len(m.group(0)), masked)
    found += [(m.start(), m.group(0).rstrip(checks_text._TRAILING)) for m in checks_text._BARE_URL.finditer(masked)]
    return [url for _, url in sorted(found)]


def spec_without_links(text, domains):
    for regex in (SPEC_MD_LINK, SPEC_AUTOLINK, checks_text._BARE_URL) + ((checks_text._DOMAIN,) if domains else ()):
        text = regex.sub(" ", text)
    return text


PIECES = st.sampled_from(list("ab.+-_@]()<>:/ é\n") + ["http:", "https://", "mailto:", "www.", "](", "<http:", "nl", "x@y.nl"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_links_and_mail_addresses_are_found_as_the_simple_patterns_find_them(text):
    assert checks_text.emails_in_text(text) == SPEC_EMAIL.findall(text)
    assert checks_text.links(text) == spec_links(text)
    for domains in (True, False):
        assert checks_text._without_links(text, domains=domains) == spec_without_links(text, domains)


LONG = {
    "word": "a" * 1_000_000,
    "hyphenated": "a-" * 500_000,
    "link-openers": "](" * 500_000,
    "autolink-openers": "<http:" * 166_667,
    "distinct-bad-numbers": "".join(f"0{i:07d}, " for i in range(100_000)),
}


@pytest.mark.parametrize("shape", LONG, ids=list(LONG))
def test_a_1_mb_field_is_checked(handbook, config, shape):
    """These texts made the patterns read the rest of the text from every position: a
    200,000-character word took 78 s, so 1 MB took about half an hour. `make bench`
    prints the times (linear: 4 times the text, about 4 times the time)."""
    variant = handbook.current("levwn", TODAY)
    probe = "Mail info@school of zie [de site](htp:/kapot). "
    long_variant = with_step(variant, 2, hoe=probe + LONG[shape])
    found = hits("link-malformed", long_variant, handbook, config)
    assert ("steps[1].hoe", "info@school") in found and ("steps[1].hoe", "htp:/kapot") in found
    if shape == "distinct-bad-numbers":
        phones = hits("phone-invalid", long_variant, handbook, config)
        assert len([h for h in phones if h[0] == "steps[1].hoe"]) == 100_000


def test_checks_in_several_processes_report_the_same(handbook):
    """The plugin checks thousands of variants in one process per core: same report, any order."""
    alone = run_checks(handbook, TODAY)
    shared = run_checks(handbook, TODAY, workers=2)
    assert alone.findings and shared == alone


# ---------------------------------------------------------------- numbers, not strings (issue 20)


@pytest.mark.parametrize("written, differs", [
    ("0800-2000", False), ("0800 2000", False), ("08002000", False), ("+31 800 2000", False),
    ("+31 (0)800 2000", False),
    ("088 - 222 05 00", False), ("+31 (0)88 222 05 00", False), ("0882220500", False), ("0031 88 222 05 00", False),
    ("088 - 222 05 01", True), ("088-2000", True), ("+32 88 222 05 00", True),
])
def test_the_veilig_thuis_number_is_compared_as_a_number(handbook, config, written, differs):
    """Flevoland's protocol against its region's 088 - 222 05 00 and the national 0800-2000."""
    flevoland = with_vt(handbook.current("flevoland-kwaliteitskaart", TODAY), phone_as_written=written)
    found = hits("veilig-thuis-phone-differs", flevoland, handbook, config)
    assert found == ([("veilig_thuis.phone_as_written", written)] if differs else [])


@pytest.mark.parametrize("phone, invalid", [
    ("+31 (0)88 222 05 00", False), ("088 - 222 05 00", False), ("0800-2000", False), ("112", False),
    ("+31 (0)88 2000", True), ("088-2000", True), ("14 036", True), ("+44 20 7946 0000", True), ("0800 20", True),
])
def test_a_phone_field_is_checked_as_a_whole_number(clean, handbook, config, phone, invalid):
    """A phone field is a number: checked whole, whatever it starts with (before, only what
    looked like a Dutch number inside its text was found, so +31 (0)... went unchecked)."""
    for variant, where in [(with_vt(clean, phone_as_written=phone), "veilig_thuis.phone_as_written"),
                           (with_contact(clean, phone=phone), "contacts[0].phone")]:
        assert hits("phone-invalid", variant, handbook, config) == ([(where, phone)] if invalid else [])


def test_a_number_written_plus_31_trunk_zero_is_found_in_text():
    assert checks_text.phone_numbers("Bel +31 (0)88 222 05 00 of 0800-2000.") == ["+31 (0)88 222 05 00", "0800-2000"]
    assert checks_text.phone_numbers("Bel +31 (0)88 2000.") == ["+31 (0)88 2000"]


@pytest.fixture
def bad_contacts(tmp_path):
    """The seeds with Veilig Thuis Flevoland's number written as Prisma writes it."""
    target = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, target)
    file = target / "contacts.yaml"
    text = file.read_text(encoding="utf-8")
    assert 'phone: "088 - 222 05 00"' in text and 'phone: "0800-2000"\n    website: www.veiligthuistwente.nl' in text
    text = text.replace('phone: "088 - 222 05 00"', 'phone: "088-2000"')
    text = text.replace('phone: "0800-2000"\n    website: www.veiligthuistwente.nl',
                        'phone: "+31 (0)800 2000"\n    website: www.veiligthuistwente.nl')
    file.write_text(text, encoding="utf-8")
    return target


def test_the_numbers_of_contacts_yaml_are_checked(bad_contacts):
    """Every variant page of a region dials its number: contacts.yaml's numbers get the phone
    rule too, reported once for contacts.yaml, not per variant."""
    handbook = load(bad_contacts)
    report = run_checks(handbook, TODAY)
    assert [(f.rule_id, f.severity, f.where, f.detail) for f in report.contact_findings] == [
        ("phone-invalid", Severity.fout, "veilig_thuis_regions.flevoland.phone", "088-2000")]
    assert report.has_errors
    data = json.loads(report.to_json())
    assert data["contacts"] == {
        "counts": {"fout": 1, "tip": 0, "waarschuwing": 0},
        "findings": [{"detail": "088-2000", "rule_id": "phone-invalid", "severity": "fout",
                      "where": "veilig_thuis_regions.flevoland.phone"}],
    }
    # The variant that passes on its own now fails: its page dials contacts.yaml's numbers too.
    result = _cli("--variant", "vo-brochure", protocols=bad_contacts)
    assert result.returncode == 1, result.stdout
    assert "contacts.yaml" in result.stdout and "veilig_thuis_regions.flevoland.phone: 088-2000" in result.stdout
    overview = html.unescape(
        {p.path: p.content for p in render_check_pages(handbook, environment(), report)}["kwaliteitscheck/index.md"])
    assert "veilig_thuis_regions.flevoland.phone" in overview and "088-2000" in overview


def test_the_seed_contacts_have_valid_numbers(handbook):
    report = run_checks(handbook, TODAY)
    assert report.contact_findings == ()
    assert json.loads(report.to_json())["contacts"] == {"counts": {"fout": 0, "tip": 0, "waarschuwing": 0},
                                                         "findings": []}
