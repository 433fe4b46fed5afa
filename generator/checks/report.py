"""Running the rules over a handbook: findings, the report, its JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..model.dates import nl_date
from ..model.forking import fork_map
from ..model.loader import CHECKS_FILE, Handbook, Problem, SourceError
from ..model.sources import ChecksConfig, CheckSettings, RuleConfig, Severity, Variant
from .roles import RoleFinder
from .rules import CONTACT_RULES, Context, config_problems, rule_function
from .text import PATH_ORDER, path_segments

JSON_FORMAT = "meldcode-checks/1"


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


@dataclass(frozen=True)
class ContactFinding:
    """A finding in contacts.yaml (a number every page of its region, or every page, dials):
    reported once, for the file, not for each variant that uses it."""

    rule_id: str
    severity: Severity
    where: str
    """The path in contacts.yaml: ``veilig_thuis_regions.flevoland.phone``."""
    detail: str

    def as_json(self) -> dict[str, str]:
        return {"rule_id": self.rule_id, "severity": self.severity.value,
                "where": self.where, "detail": self.detail}


def _where_key(where: str) -> tuple:
    """Sort paths in the protocol's order: steps before sections, steps[2] before steps[10]."""
    return tuple(
        (PATH_ORDER.index(name) if name in PATH_ORDER else len(PATH_ORDER), name, -1 if index is None else index)
        for name, index in path_segments(where)
    )



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
    contact_findings: tuple[ContactFinding, ...] = ()
    """What the rules found in contacts.yaml; not in ``findings``, ``counts()`` or ``totals``."""

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.fout for f in (*self.findings, *self.contact_findings))

    def _format(self, text: str) -> str:
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

    @cached_property
    def _by_variant(self) -> dict[str, list[Finding]]:
        """Findings per variant, its versions in the order checked: one lookup per page, not a
        scan of every variant (quadratic at thousands of variants)."""
        index: dict[str, list[Finding]] = {}
        for (variant_id, _), found in self._by_version.items():
            index.setdefault(variant_id, []).extend(found)
        return index

    @cached_property
    def _checked(self) -> frozenset[tuple[str, str]]:
        return frozenset(self.checked)

    def was_checked(self, variant_id: str, version: str) -> bool:
        return (variant_id, version) in self._checked

    def findings_for(self, variant_id: str, version: str | None = None) -> list[Finding]:
        if version is not None:
            return list(self._by_version.get((variant_id, version), []))
        return list(self._by_variant.get(variant_id, []))

    def counts(self, findings: Iterable[Finding | ContactFinding] | None = None) -> dict[str, int]:
        """Findings per severity, every severity present (0 where none)."""
        findings = self.findings if findings is None else list(findings)
        return {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}

    def to_json(self) -> str:
        """Stable JSON: keys sorted, lists in a fixed order; see guides/checks-json.md."""
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
            "contacts": {
                "counts": self.counts(self.contact_findings),
                "findings": [f.as_json() for f in self.contact_findings],
            },
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


def rechecked(report: Report, handbook: Handbook, variant_ids: Collection[str], *, workers: int = 1) -> Report:
    """``report`` with the findings of ``variant_ids`` made anew from ``handbook``: the same
    report as checking everything, when nothing else changed (``mkdocs serve`` after an edit)."""
    ids = set(variant_ids)
    fresh = run_checks(handbook, report.today, sorted(ids), report.min_severity, workers=workers,
                       max_age_years=report.settings.max_age_years) if ids else None
    checked = [c for c in report.checked if c[0] not in ids] + list(fresh.checked if fresh else ())
    findings = [f for f in report.findings if f.variant_id not in ids] + list(fresh.findings if fresh else ())
    return dataclasses.replace(
        report, checked=tuple(sorted(checked)), findings=tuple(sorted(findings, key=Finding.sort_key))
    )


def _check(job: tuple, variant_ids: list[str]) -> tuple[list[tuple[str, str]], list[Finding]]:
    handbook, today, rules, settings = job
    findings: list[Finding] = []
    checked: list[tuple[str, str]] = []
    roles = RoleFinder(handbook.roles) if handbook.roles else None
    for variant_id in variant_ids:
        for variant in checked_versions(handbook, variant_id, today):
            checked.append((variant.id, variant.version))
            for rule_id, rule in rules.items():
                ctx = Context(handbook.contacts, settings, today, rule, roles, handbook.situations)
                for where, detail in rule_function(rule_id, rule)(variant, ctx):
                    findings.append(Finding(rule_id, rule.severity, variant.id, variant.version, where, detail))
    return checked, findings


def run_checks(
    handbook: Handbook,
    today: dt.date,
    variants: Sequence[str] | None = None,
    min_severity: Severity | str | None = None,
    *,
    config: ChecksConfig | None = None,
    max_age_years: int | None = None,
    workers: int = 1,
) -> Report:
    """Run every rule of ``min_severity`` or worse over the selected variants.

    ``variants`` are variant ids (default: all); an unknown id is a ``ValueError``.
    ``max_age_years`` overrides the setting from checks.yaml. ``workers`` forked processes
    share the variants (the report is the same; at thousands of variants it is sooner).
    """
    config = config or handbook.checks
    problems = config_problems(config)
    if problems:
        file = handbook.root / CHECKS_FILE
        raise SourceError([Problem(file, None, path, message) for path, message in problems])
    settings = config.settings
    if max_age_years is not None:
        settings = settings.model_copy(update={"max_age_years": max_age_years})
    floor = Severity(min_severity) if min_severity else Severity.tip
    known = handbook.variant_ids
    selected = known if variants is None else sorted(set(variants))
    known_ids = set(known)
    unknown = [v for v in selected if v not in known_ids]
    if unknown:
        raise ValueError(f"unknown variant(s): {', '.join(unknown)} (known: {', '.join(known)})")
    rules = {rid: rule for rid, rule in sorted(config.rules.items()) if rule.severity.rank <= floor.rank}

    shares = ([list(selected[index::workers]) for index in range(workers)]
              if workers > 1 and len(selected) >= 2 * workers else [list(selected)])
    parts = fork_map(_check, (handbook, today, rules, settings), shares, workers)
    checked = [item for part in parts for item in part[0]]
    findings = [item for part in parts for item in part[1]]
    contact_findings = [ContactFinding(rule_id, rule.severity, where, detail)
                        for rule_id, rule in rules.items() if rule_id in CONTACT_RULES
                        for where, detail in CONTACT_RULES[rule_id](handbook.contacts)]
    return Report(
        today=today,
        settings=settings,
        min_severity=floor,
        rules=rules,
        checked=tuple(sorted(checked)),
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        places=dict(config.places),
        contact_findings=tuple(sorted(contact_findings, key=lambda f: (f.severity.rank, f.rule_id))),
    )


