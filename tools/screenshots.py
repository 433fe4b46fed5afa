"""Screenshots for the README, taken from the built site so they stay true.

    make screenshots                       # build, then write screenshots/*.png
    .venv/bin/python -m tools.screenshots site screenshots

A variant page and the comparison of four protocols, each on a laptop
(1280 px) and on a phone (360 px); the entry "Waar gaat uw zorg over?" at the
top of a variant page on a phone and a situation page on a laptop; the self-check of
an inwerken page on a phone; in Debian's Chromium over loopback. And the review of an
imported document on a laptop
(``python -m generator review``, a local file): the Kwaliteitskaart seed
(``../shared/seeds/000_*.txt``, or ``$MELDCODE_SEEDS``), or, where the seeds
are missing, a Word file made from its hand-made variant.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

from generator.release.loopback import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent

COMPARE = "vergelijken/?v=consent&v=levwn&v=flevoland-kwaliteitskaart&v=prisma-almere"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
SHOTS = [
    # (file, viewport, path, element to scroll to the top of the window or "")
    ("variant-desktop.png", DESKTOP, "varianten/flevoland-kwaliteitskaart/", "#stappenplan"),
    ("variant-phone.png", PHONE, "varianten/flevoland-kwaliteitskaart/", "#stap-2"),
    ("compare-desktop.png", DESKTOP, COMPARE, "#in-een-oogopslag"),
    ("compare-phone.png", PHONE, COMPARE, "#in-een-oogopslag"),
    ("entry-phone.png", PHONE, "varianten/consent/", ""),
    ("situation-desktop.png", DESKTOP, "varianten/consent/zorg-over-een-medewerker/", ""),
    ("inwerken-phone.png", PHONE, "varianten/consent/inwerken/", "#test-uzelf"),
]
REVIEW = ("review-desktop.png", DESKTOP, "#stappenplan")
"""The review page, its handbook column scrolled to this element."""


def review_page(work: Path) -> Path:
    """Import a document into a copy of the protocols in ``work`` and write its review page."""
    from generator.cli import main

    protocols = work / "protocols"
    shutil.copytree(ROOT / "protocols", protocols)
    seeds = Path(os.environ.get("MELDCODE_SEEDS", ROOT.parent / "shared" / "seeds"))
    found = sorted(seeds.glob("000_*.txt")) if seeds.is_dir() else []
    if found:
        document = found[0]
    else:
        import yaml

        from bench.documents import make_docx

        document = work / "kwaliteitskaart.docx"
        variant = yaml.safe_load((protocols / "variants" / "flevoland-kwaliteitskaart.yaml").read_text(encoding="utf-8"))
        make_docx(variant, document)
    for argv in (["import", str(document), "--id", "voorbeeld", "--school-type", "PO"],
                 ["review", "voorbeeld", "-f", str(ROOT / "mkdocs.yml")]):
        with contextlib.redirect_stdout(io.StringIO()):
            status = main(["--protocols", str(protocols), *argv])
        if status != 0:
            raise SystemExit(f"python -m generator {argv[0]} failed for {document}")
    return work / ".review" / "voorbeeld.html"


def take(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server, url = serve(site)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, viewport, path, anchor in SHOTS:
                context = browser.new_context(viewport=viewport, locale="nl-NL", device_scale_factor=1)
                page = context.new_page()
                page.goto(url + path)
                if path.startswith("vergelijken/?"):
                    page.locator("[data-compare-view][data-chosen]").wait_for()
                if anchor:
                    # Just under the theme's header, as following a link to the anchor would.
                    page.locator(anchor).evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 56)")
                page.wait_for_timeout(200)
                page.screenshot(path=out / name)
                written.append(out / name)
                context.close()
            with tempfile.TemporaryDirectory() as work:
                name, viewport, anchor = REVIEW
                context = browser.new_context(viewport=viewport, locale="nl-NL", device_scale_factor=1)
                page = context.new_page()
                page.goto(review_page(Path(work)).as_uri())
                page.locator(anchor).evaluate("el => el.scrollIntoView()")
                page.wait_for_timeout(200)
                page.screenshot(path=out / name)
                written.append(out / name)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"), help="the built site (make build)")
    parser.add_argument("out", type=Path, nargs="?", default=Path("screenshots"), help="where the PNGs go")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here (index.html missing); run 'make build' first", file=sys.stderr)
        return 2
    for path in take(args.site, args.out):
        print(f"{path}  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
