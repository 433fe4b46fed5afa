"""Replace a built site as a whole, or not at all.

A build writes into a fresh folder beside the site (``staging_beside``) and only
a finished build is swapped in (``swap_in``): a failed build (a bad source, a
strict-mode warning, two pages on one URL, a PDF that did not print) leaves the
earlier site exactly as it was. Used by the MkDocs plugin for every
``mkdocs build`` and by ``make build`` around the PDFs:

    python -m generator.release.atomic NEW TARGET
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path


def staging_beside(target: Path, purpose: str = "building") -> Path:
    """A new empty folder next to ``target`` (same file system, so renaming is cheap)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name.lstrip('.')}.{purpose}-"))


def swap_in(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is: two renames, then the old site is deleted."""
    old = None
    if target.exists() or target.is_symlink():
        old = staging_beside(target, "old")
        os.replace(target, old)  # onto the empty folder just made
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[0]).is_dir():
        print("usage: python -m generator.release.atomic NEW TARGET (NEW: a built site folder)", file=sys.stderr)
        return 2
    swap_in(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
