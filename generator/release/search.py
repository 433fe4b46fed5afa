"""The site's search index: Pagefind, run over the built HTML.

Pagefind (npm ``pagefind``, pinned in ``package-lock.json``; its binary ships
inside the registry package) writes ``pagefind/`` into the site: a small
entry file, an index split into chunks by word and one fragment per page.
A search in the browser loads only the chunks for its words and the
fragments of the results it shows, so what a reader downloads does not grow
with the number of protocols (see CONTRIBUTING, D26). Only pages marked
``data-pagefind-body`` are indexed (``site_overrides/main.html``). Beyond
``SHARD_PAGES`` pages the index is made in shards, one process each (Pagefind's
memory grows with the pages it holds), which the search page merges.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LANGUAGE = "nl"
"""Every page is Dutch: one index, with Pagefind's Dutch stemming."""
GLOB = "**/index.html"
"""Pages only: not 404.html, which is served for any missing address."""


class SearchIndexError(Exception):
    pass


SHARD_PAGES = 500
"""Pages per Pagefind index. Pagefind holds about 0.8 MB per page of ours while it indexes
(measured: 200 MB for 250 variant pages, 1.1 GB for 1,000), so one index of 7,000 variants
would need 6 GB; shards are indexed a few at a time (``workers``) and merged in the browser."""
MARK = "data-pagefind-body"
SCRIPT = Path(__file__).with_name("pagefind_index.mjs")


def pages_to_index(site: Path) -> list[str]:
    """Site-relative paths of the pages marked for the index, in a stable order."""
    found = []
    for page in sorted(site.glob(GLOB)):
        if page.parts[len(site.parts)] == "pagefind":
            continue
        if MARK.encode() in page.read_bytes():
            found.append(page.relative_to(site).as_posix())
    return found


def shard_folder(number: int) -> str:
    """Where shard ``number`` goes, inside pagefind/: the first is pagefind/ itself."""
    return "" if number == 0 else f"shard-{number}/"


def index_site(
    site: Path, node_modules: Path, pages: list[str] | None = None, shard_pages: int = SHARD_PAGES, workers: int = 1,
) -> None:
    """Write ``site/pagefind/`` (and ``pagefind/shard-N/`` beyond ``shard_pages`` pages, named
    in ``pagefind/shards.json``) for ``pages`` (site-relative; None: ``pages_to_index``, which
    reads every page; the plugin notes them as they are built); a failing Pagefind fails the
    build with its own message."""
    library = node_modules / "pagefind" / "lib" / "index.js"
    if not library.is_file():
        raise SearchIndexError(
            f"{library} is missing; run 'npm ci' (make does this) to install the Pagefind pinned in package-lock.json"
        )
    if pages is None:
        pages = pages_to_index(site)
    shards = [pages[i : i + shard_pages] for i in range(0, len(pages), shard_pages)] or [[]]

    def index_shard(number: int) -> str | None:
        job = {"pagefind": str(library.resolve()), "site": str(site), "language": LANGUAGE, "pages": shards[number],
               "out": str(site / "pagefind" / shard_folder(number))}
        result = subprocess.run(["node", str(SCRIPT)], input=json.dumps(job), capture_output=True, text=True)
        if result.returncode != 0:
            return f"pagefind failed ({result.returncode}) on shard {number}: {result.stderr or result.stdout}"
        return None

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        failures = [failure for failure in pool.map(index_shard, range(len(shards))) if failure]
    if failures:
        raise SearchIndexError("; ".join(failures))
    if not (site / "pagefind" / "pagefind.js").is_file():
        raise SearchIndexError("pagefind wrote no pagefind/pagefind.js")
    (site / "pagefind" / "shards.json").write_text(
        json.dumps([shard_folder(n) for n in range(1, len(shards))]), encoding="utf-8")


if __name__ == "__main__":  # python -m generator.release.search SITE
    index_site(Path(sys.argv[1]), Path("node_modules"))
