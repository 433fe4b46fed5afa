"""Command line: ``python -m generator {check,new-variant,schema,render}``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from .cli import add_check_command, run_check_command
from .loader import SourceError, load
from .site.pages import environment, render_pages
from .schema import write_schemas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--protocols", default="protocols", type=Path, help="folder with the sources")
    sub = parser.add_subparsers(dest="command", required=True)
    add_check_command(sub)
    new = sub.add_parser("new-variant", help="scaffold a variant file that passes 'check'")
    new.add_argument("id", help="slug, e.g. de-regenboog")
    new.add_argument("--school-type", choices=["PO", "VO"], default="PO")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    sub.add_parser("schema", help="write the JSON Schemas to protocols/schema/")
    render = sub.add_parser("render", help="write the generated Markdown pages to a folder")
    render.add_argument("out", type=Path)
    args = parser.parse_args(argv)

    if args.command == "new-variant":
        return _new_variant(args)
    if args.command == "schema":
        for path in write_schemas(args.protocols / "schema"):
            print(f"wrote {path}")
        return 0
    try:
        handbook = load(args.protocols)
    except SourceError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.command == "check":
        if args.json:
            return run_check_command(args, handbook)
        print(f"{args.protocols}: {len(handbook.variants)} variant version(s) of "
              f"{len(handbook.variant_ids)} variant(s), all valid")
        for variant_id in handbook.variant_ids:
            versions = handbook.versions(variant_id)
            print(f"  {variant_id}: " + ", ".join(
                f"{v.version} (valid from {v.valid_from or 'no date'})" for v in versions))
        print()
        return run_check_command(args, handbook)
    if args.command == "render":
        for page in render_pages(handbook):
            target = args.out / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.content, encoding="utf-8")
        print(f"wrote {len(render_pages(handbook))} pages to {args.out}")
        return 0
    return 2


def _new_variant(args) -> int:
    from .model import SLUG_PATTERN

    import re

    if not re.fullmatch(SLUG_PATTERN, args.id):
        print(f"error: '{args.id}' is not a slug (lowercase letters, digits, single hyphens)", file=sys.stderr)
        return 2
    target = args.protocols / "variants" / f"{args.id}.yaml"
    if target.exists() and not args.force:
        print(f"error: {target} exists (use --force to overwrite)", file=sys.stderr)
        return 1
    text = environment().get_template("new_variant.yaml.j2").render(
        id=args.id, school_type=args.school_type, today=dt.date.today().isoformat()
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}; fill in every field, then run: python -m generator check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
