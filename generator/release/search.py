"""The site's search index: Pagefind, run over the built HTML.

Pagefind (npm ``pagefind``, pinned in ``package-lock.json``; its binary ships
inside the registry package) writes ``pagefind/`` into the site: a small
entry file, an index split into chunks by word and one fragment per page.
A search in the browser loads only the chunks for its words and the
fragments of the results it shows, so what a reader downloads does not grow
with the number of protocols (see CONTRIBUTING, D26). Only pages marked
``data-pagefind-body`` are indexed (``site_overrides/main.html``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LANGUAGE = "nl"
"""Every page is Dutch: one index, with Pagefind's Dutch stemming."""
GLOB = "**/index.html"
"""Pages only: not 404.html, which is served for any missing address."""


class SearchIndexError(Exception):
    pass


def pagefind_command(node_modules: Path) -> list[str]:
    runner = node_modules / "pagefind" / "lib" / "runner" / "bin.cjs"
    if not runner.is_file():
        raise SearchIndexError(
            f"{runner} is missing; run 'npm ci' (make does this) to install the Pagefind pinned in package-lock.json"
        )
    return ["node", str(runner)]


def index_site(site: Path, node_modules: Path) -> None:
    """Write ``site/pagefind/``; a failing Pagefind fails the build with its own message."""
    command = pagefind_command(node_modules) + [
        "--site", str(site), "--glob", GLOB, "--force-language", LANGUAGE, "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not (site / "pagefind" / "pagefind.js").is_file():
        raise SearchIndexError(f"pagefind failed ({result.returncode}): {result.stderr or result.stdout}")


if __name__ == "__main__":  # python -m generator.release.search SITE
    index_site(Path(sys.argv[1]), Path("node_modules"))
