"""The ``check`` command's quality checks: options, and the report as text or JSON.

``generator/__main__.py`` adds the command with ``add_check_command`` and,
once the sources have loaded, calls ``run_check_command``. The exit status is
1 when a finding of severity ``fout`` is in the selection, else 0, so a board
can run the check in its own CI. The date the checks run as is today, or
``$MELDCODE_BUILD_DATE`` (ISO) as for the site.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import TextIO

from .checks import Report, Severity, run_checks
from .loader import Handbook, SourceError


def add_check_command(subparsers) -> argparse.ArgumentParser:
    """Add ``check`` (validate the sources, then run the quality checks) to ``subparsers``."""
    parser = subparsers.add_parser(
        "check",
        help="validate every source, then run the quality checks",
        description="Validate every source, then run the quality checks of protocols/checks.yaml "
        "over every variant. Exit status 1 if a finding of severity 'fout' is in the selection.",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON (README: 'The JSON report')")
    parser.add_argument(
        "--severity",
        choices=[s.value for s in Severity],
        default=Severity.tip.value,
        help="minimum severity to report (default: tip, i.e. everything)",
    )
    parser.add_argument(
        "--variant",
        action="append",
        metavar="ID",
        help="check only this variant (repeatable; default: all)",
    )
    parser.add_argument(
        "--max-age",
        type=_positive_int,
        metavar="N",
        help="warn about versions older than N years (default: max_age_years in checks.yaml)",
    )
    return parser


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def check_date() -> dt.date:
    value = os.environ.get("MELDCODE_BUILD_DATE")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def run_check_command(args: argparse.Namespace, handbook: Handbook, out: TextIO | None = None) -> int:
    """Run the checks as ``args`` select and print the report; 1 if a fout is found."""
    out = out or sys.stdout
    try:
        report = run_checks(
            handbook,
            check_date(),
            variants=args.variant,
            min_severity=args.severity,
            max_age_years=args.max_age,
        )
    except SourceError as exc:  # checks.yaml itself is wrong
        print(exc, file=sys.stderr)
        return 1
    except ValueError as exc:  # an unknown --variant
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out.write(report.to_json() if args.json else format_text(report))
    return 1 if report.has_errors else 0


def format_text(report: Report) -> str:
    """One block per checked variant version; the rules' texts are Dutch, from checks.yaml."""
    totals = report.counts()
    lines = [
        f"Quality checks on {report.today.isoformat()} (minimum severity: {report.min_severity.value}, "
        f"max age: {report.settings.max_age_years} years): "
        + ", ".join(f"{count} {severity}" for severity, count in totals.items()),
    ]
    for variant_id, version in report.checked:
        found = report.findings_for(variant_id, version)
        counts = report.counts(found)
        lines.append("")
        lines.append(f"{variant_id} {version}: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
        for finding in found:
            detail = f": {finding.detail}" if finding.detail else ""
            lines.append(f"  {finding.severity.value:<12} {finding.rule_id:<26} {finding.where}{detail}")
        rule_ids = sorted({f.rule_id for f in found}, key=lambda r: (report.rules[r].severity.rank, r))
        if rule_ids:
            lines.append("  rules:")
        for rule_id in rule_ids:
            lines.append(f"    {rule_id}: {report.message(rule_id)}")
            lines.append(f"      source: {report.reference(rule_id)}")
    verdict = "FAILED: at least one fout" if report.has_errors else "passed: no fout"
    lines += ["", verdict, ""]
    return "\n".join(lines)
