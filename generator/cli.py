"""Command line: ``python -m generator {check,new-variant,import,review,schema,render,build,serve}``.

An adapter, like the MkDocs plugin: it resolves the folder and the date once
(``$MELDCODE_PROTOCOLS``, ``$MELDCODE_BUILD_DATE``, as the plugin does) and
passes them down. ``check`` exits 1 when a finding of severity ``fout`` is in
the selection, else 0, so a board can run it in its own CI; ``check`` itself
loads no rendering library. ``build`` is ``generator.engines.build`` (the same site as
``mkdocs build``, ProperDocs' with ``--engine properdocs``, or Zensical's with ``--engine
zensical``); ``render`` writes the generated
pages with the options of ``mkdocs.yml``, as the build does.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import TextIO

from .checks import Report, Severity, run_checks
from .engines import ENGINES
from .model.dates import build_date
from .model.loader import CONTACTS_FILE, Handbook, SourceError, load, variant_id_users
from .model.schema import write_schemas
from .model.sources import MAX_ID_CHARS, SLUG_PATTERN, version_slug

PROTOCOLS_ENV = "MELDCODE_PROTOCOLS"
CONFIG_FILE = "mkdocs.yml"
REVIEW_ADDRESS = ("127.0.0.1", 8001)
"""Where ``review --serve`` (``make review``) serves its page: this computer only, beside
``make serve``'s 8000."""


def add_check_command(subparsers) -> argparse.ArgumentParser:
    """Add ``check`` (validate the sources, then run the quality checks) to ``subparsers``."""
    parser = subparsers.add_parser(
        "check",
        help="validate every source, then run the quality checks",
        description="Validate every source, then run the quality checks of protocols/checks.yaml "
        "over every variant. Exit status 1 if a finding of severity 'fout' is in the selection.",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON (guides/checks-json.md)")
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


def run_check_command(
    args: argparse.Namespace, handbook: Handbook, today: dt.date, out: TextIO | None = None
) -> int:
    """Run the checks as ``args`` select and print the report; 1 if a fout is found."""
    out = out or sys.stdout
    try:
        report = run_checks(
            handbook,
            today,
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
    """One block per checked variant version and one for contacts.yaml; the rules' texts are
    Dutch, from checks.yaml."""
    totals = report.counts()
    lines = [
        f"Quality checks on {report.today.isoformat()} (minimum severity: {report.min_severity.value}, "
        f"max age: {report.settings.max_age_years} years): "
        + ", ".join(f"{count} {severity}" for severity, count in totals.items()),
    ]
    blocks = [(f"{variant_id} {version}", report.findings_for(variant_id, version))
              for variant_id, version in report.checked]
    blocks.append((CONTACTS_FILE, list(report.contact_findings)))
    for name, found in blocks:
        counts = report.counts(found)
        lines.append("")
        lines.append(f"{name}: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument(
        "--protocols", default=os.environ.get(PROTOCOLS_ENV, "protocols"), type=Path,
        help=f"folder with the sources (default: ${PROTOCOLS_ENV}, else protocols)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add_check_command(sub)
    new = sub.add_parser("new-variant", help="scaffold a variant file that passes 'check'")
    new.add_argument("id", help="slug, e.g. de-regenboog")
    new.add_argument("--school-type", choices=["PO", "VO"], default="PO")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    intake = sub.add_parser(
        "import", help="draft a variant file from a school's own document (.docx, .pdf, .odt, .txt, .md)",
        description="Read a school's document and write a draft protocols/variants/ID.yaml: its own words, "
        "only the layout repaired, mapped onto the five steps; what it places nowhere goes under 'unplaced'. "
        "Never writes over a file.")
    intake.add_argument("file", type=Path, help="the document")
    intake.add_argument("--id", required=True, metavar="ID", help="the new variant's id, e.g. de-regenboog")
    intake.add_argument("--school-type", choices=["PO", "VO"], help="where the document does not say")
    intake.add_argument("--region", metavar="R", help="the region as overviews list it (default: from Veilig Thuis)")
    intake.add_argument("--version", metavar="V",
                        help="this document's version: a new version of an id in use (written as ID-V.yaml)")
    review = sub.add_parser(
        "review", help="write the review of an imported document: its blocks beside the handbook page (local HTML)",
        description="Write .review/ID.html beside the protocols folder (never part of the site): the check's "
        "findings on top, the school's document on the left, each block coloured by where the import put it, "
        "the variant's handbook page on the right. Made from the import's record (.review/ID.json) and the "
        "sources as they are now: run it again after an edit.")
    review.add_argument("id", help="the variant's id, as given to import")
    review.add_argument("--version", metavar="V", help="the version given to import --version (its file ID-V)")
    review.add_argument("--from", dest="document", type=Path, metavar="FILE",
                        help="read the school's document again instead of the import's record")
    review.add_argument("-f", "--config-file", type=Path, default=Path(CONFIG_FILE),
                        help=f"the Markdown extensions of this MkDocs config (default: {CONFIG_FILE})")
    review.add_argument("--serve", action="store_true",
                        help=f"serve the page at http://{REVIEW_ADDRESS[0]}:{REVIEW_ADDRESS[1]}/ (this computer "
                             "only), made again at every reload")
    sub.add_parser("schema", help="write the JSON Schemas to protocols/schema/")
    render = sub.add_parser("render", help="write the generated Markdown pages to a folder")
    render.add_argument("out", type=Path)
    render.add_argument("-f", "--config-file", type=Path, default=Path(CONFIG_FILE),
                        help=f"the build's options from this file's meldcode plugin (default: {CONFIG_FILE})")
    for name, text in (("build", "build the whole site: pages, runtime files, search index, atomically"),
                       ("serve", "build, then serve the site at http://127.0.0.1:8000 and rebuild on edits")):
        command = sub.add_parser(name, help=text)
        command.add_argument("--engine", choices=ENGINES, default=ENGINES[0])
        command.add_argument("-f", "--config-file", type=Path, default=Path(CONFIG_FILE))
        command.add_argument("-d", "--site-dir", type=Path, help="default: the config's site_dir")
        if name == "build":
            command.add_argument("--cache", type=Path, metavar="DIR",
                                 help="keep what the next build needs to make only what an edit of a variant "
                                      "changed (MkDocs only; make build: .build-cache)")
            command.add_argument("--pdfs", action="store_true", help="print each version's PDF into the site")
    args = parser.parse_args(argv)

    if args.command == "new-variant":
        return _new_variant(args)
    if args.command == "import":
        return _import(args)
    if args.command == "review":
        return _review(args)
    if args.command == "schema":
        for path in write_schemas(args.protocols / "schema"):
            print(f"wrote {path}")
        return 0
    if args.command in ("build", "serve"):
        os.environ[PROTOCOLS_ENV] = str(args.protocols)  # mkdocs.yml reads it
        from . import engines  # the rendering libraries, only when building
        from .build.steps import BuildError

        try:
            if args.command == "serve":
                from .serve import serve

                return serve(args.config_file, args.site_dir, args.engine)
            engines.build(args.config_file, args.site_dir, args.engine, cache=args.cache, pdfs=args.pdfs)
        except BuildError as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0
    try:
        today = build_date()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        handbook = load(args.protocols)
    except SourceError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.command == "check":
        if args.json:
            return run_check_command(args, handbook, today)
        print(f"{args.protocols}: {len(handbook.variants)} variant version(s) of "
              f"{len(handbook.variant_ids)} variant(s), all valid")
        for variant_id in handbook.variant_ids:
            versions = handbook.versions(variant_id)
            print(f"  {variant_id}: " + ", ".join(
                f"{v.version} (valid from {v.valid_from or 'no date'})" for v in versions))
        print()
        return run_check_command(args, handbook, today)
    if args.command == "render":
        from .build import steps as build  # the rendering libraries, only when rendering
        from .build.options import BuildOptions, OptionError

        try:
            options = BuildOptions.from_config_file(args.config_file) if args.config_file.is_file() else BuildOptions()
            options = dataclasses.replace(options, protocols=args.protocols)
            day = build.today(options)
            _, pages = build.render(handbook, build.check(handbook, day, options), day, options, folder=args.out)
        except (build.BuildError, OptionError) as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"wrote {len(pages)} pages to {args.out}")
        return 0
    return 2


def _new_variant(args) -> int:
    if not re.fullmatch(SLUG_PATTERN, args.id):
        print(f"error: '{args.id}' is not a slug (lowercase letters, digits, single hyphens)", file=sys.stderr)
        return 2
    if len(args.id) > MAX_ID_CHARS:
        print(f"error: an id has at most {MAX_ID_CHARS} characters; '{args.id}' has {len(args.id)}", file=sys.stderr)
        return 2
    variants = args.protocols / "variants"
    target = variants / f"{args.id}.yaml"
    users, unreadable = variant_id_users(variants, args.id)
    others = [file for file in users if file != target]
    if unreadable:
        print("error: cannot tell which variant ids are in use; fix these files first:\n  "
              + "\n  ".join(unreadable), file=sys.stderr)
        return 1
    if others:
        print(f"error: variant id '{args.id}' is already used by " + ", ".join(map(str, others))
              + "; choose another id (a new version of that variant is a copy of its file)", file=sys.stderr)
        return 1
    if target.exists() and not args.force:
        print(f"error: {target} exists (use --force to overwrite)", file=sys.stderr)
        return 1
    if target.exists() and target not in users:
        print(f"error: {target} holds another variant id; --force overwrites only a file of "
              f"variant '{args.id}'", file=sys.stderr)
        return 1
    from .site.templating import environment

    text = environment().get_template("new_variant.yaml.j2").render(
        id=args.id, school_type=args.school_type, today=dt.date.today().isoformat()
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}; fill in every field, then run: python -m generator check")
    return 0


def _import(args) -> int:
    from .intake.draft import import_document, summary
    from .intake.read import IntakeError
    from .intake.record import review_folder, write_record

    try:
        intake = import_document(args.file, args.id, args.protocols, school_type=args.school_type,
                                 region=args.region, version=args.version)
    except IntakeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary(intake))
    try:
        write_record(intake, review_folder(args.protocols))
    except OSError as exc:
        print(f"note: no record for the review ({exc}); review it with --from {args.file}", file=sys.stderr)
        return 0
    version = f" --version {args.version}" if args.version else ""
    print(f"review: python -m generator review {args.id}{version}  (or: make review ID={args.id})")
    return 0


def _review(args) -> int:
    """Write (and with --serve, serve) the review page of an imported variant."""
    from .intake.read import IntakeError

    try:
        today = build_date()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    name = args.id + (f"-{version_slug(args.version)}" if args.version else "")

    def make() -> str:
        return _review_page(args, today)

    try:
        html = make()
    except IntakeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SourceError as exc:
        print(exc, file=sys.stderr)
        return 1
    from .intake.record import review_folder
    from .release.atomic import write_file

    target = review_folder(args.protocols) / f"{name}.html"
    write_file(target, html)
    print(f"wrote {target}\nopen {target.as_uri()} in a browser")
    if not args.serve:
        return 0
    from .serve import serve_page

    return serve_page(make, f"{name}.html", REVIEW_ADDRESS)


def _review_page(args, today: dt.date) -> str:
    """The review page from the sources as they are now: ``IntakeError`` or ``SourceError`` says
    what is wrong."""
    from .intake.draft import import_document
    from .intake.read import IntakeError
    from .intake.record import read_record, record, record_path, review_folder
    from .intake.review import render_review

    handbook = load(args.protocols)
    versions = handbook.versions(args.id)
    if not versions:
        raise IntakeError(f"no variant '{args.id}' in {args.protocols / 'variants'}: import its document first "
                          "(python -m generator import FILE --id ID)")
    if args.version:
        variant = next((v for v in versions if version_slug(v.version) == version_slug(args.version)), None)
        if variant is None:
            raise IntakeError(f"variant '{args.id}' has no version '{args.version}'; it has: "
                              + ", ".join(v.version for v in versions))
    else:
        variant = handbook.current(args.id, today)
    draft = args.protocols / "variants" / (args.id + (f"-{version_slug(args.version)}" if args.version else "") + ".yaml")
    shown = Path(os.path.abspath(args.protocols)).name + "/" + draft.relative_to(args.protocols).as_posix()
    if args.document is not None:
        intake = import_document(args.document, args.id, args.protocols, school_type=variant.school_type.value,
                                 region=variant.region, version=args.version, again=True)
        data = record(intake)
    else:
        data = read_record(record_path(review_folder(args.protocols), draft))
    report = run_checks(handbook, today, variants=[args.id])
    if not args.config_file.is_file():
        raise IntakeError(f"{args.config_file} not found: run this in the repository, or pass -f mkdocs.yml")
    return render_review(handbook, report, today, data, variant, args.config_file, draft=shown)


