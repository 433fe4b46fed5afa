"""One PDF per variant version, printed by Chromium from the built site.

``python -m generator.release.pdf SITE_DIR`` serves the built site on loopback, opens
every version page (``varianten/<id>/versies/<version>/``) and prints it with
the site's own print stylesheet (A4, the step table whole, the variant's
name, version and date on every page) next to it as ``<id>-<version>.pdf``,
the name the pages link to. Part of ``make build``; ``mkdocs serve`` does not
make PDFs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..model import urls
from .loopback import CHROMIUM, CHROMIUM_ARGS, serve


def version_pages(site: Path) -> list[Path]:
    return sorted(site.glob(urls.VERSION_PAGES_HTML))


def pdf_path(page: Path) -> Path:
    """The PDF beside a built version page (the name the pages link to)."""
    variant, slug = urls.version_of_built_page("/".join(page.parts[-5:]))
    return page.parent / urls.pdf_name(variant, slug)


class PdfError(Exception):
    pass


def stale(site: Path) -> list[Path]:
    """The version pages whose PDF is missing or older than the page: every one in a new site;
    in a site built from the cache (``build.cache``), the pages made again."""
    pages = []
    for html in version_pages(site):
        target = pdf_path(html)
        if not target.exists() or target.stat().st_mtime_ns < html.stat().st_mtime_ns:
            pages.append(html)
    return pages


def make_pdfs(site: Path, fallback: Path | None = None) -> list[tuple[Path, float]]:
    """Write the PDF of every version page that has none, or an older one (``stale``); returns
    (pdf, seconds) per PDF. ``fallback``: the last site, whose files the pages use where ``site``
    has none (a build from the cache holds only what it made again)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise PdfError(f"PDFs need Chromium at {CHROMIUM}: run 'make chromium' (apt-get install chromium)")
    pages = stale(site)
    if not pages:
        return []
    server, base = serve(site, fallback=fallback)
    made = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            for html in pages:
                start = time.perf_counter()
                page.goto(base + html.parent.relative_to(site).as_posix() + "/")
                page.emulate_media(media="print")
                target = pdf_path(html)
                target.unlink(missing_ok=True)  # a new file: the old one may be linked from the last site
                page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
                made.append((target, time.perf_counter() - start))
            browser.close()
    finally:
        server.shutdown()
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.release.pdf", description=__doc__)
    parser.add_argument("site", type=Path, help="the built site (make build writes site/)")
    args = parser.parse_args(argv)
    try:
        made = make_pdfs(args.site)
    except PdfError as exc:
        print(exc, file=sys.stderr)
        return 1
    for target, seconds in made:
        print(f"{target.relative_to(args.site)}  {target.stat().st_size / 1024:.0f} KiB  {seconds:.2f} s")
    print(f"{len(made)} PDF(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
