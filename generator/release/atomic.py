"""Replace a built site as a whole, or not at all.

A build writes into a fresh folder beside the site (``staging_beside``) and only
a finished build is swapped in (``swap_in``): a failed build (a bad source, a
strict-mode warning, two pages on one URL, a PDF that did not print) leaves the
earlier site exactly as it was. Used by the MkDocs plugin for every
``mkdocs build`` and by ``make build`` around the PDFs:

    python -m generator.release.atomic NEW TARGET

A site folder that is a symbolic link stays that link (a web server may serve
the folder it names, or the link): the folder it points to is what is replaced,
built beside that folder, on its file system.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path


def staging_beside(target: Path, purpose: str = "building") -> Path:
    """A new empty folder next to ``target``, or next to the folder ``target`` links to (same
    file system, so renaming is cheap). Made as any folder is (not 0700 like a temporary
    folder), since it becomes the site."""
    real = Path(os.path.realpath(target))
    real.parent.mkdir(parents=True, exist_ok=True)
    while True:
        folder = real.parent / f".{real.name.lstrip('.')}.{purpose}-{secrets.token_hex(4)}"
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def swap_in(new: Path, target: Path, *, remove_old_later: bool = False) -> None:
    """Put ``new`` where ``target`` is (where it links to): two renames, then the old site is deleted.
    A ``new`` on another file system is first copied beside the target. ``remove_old_later``: the
    old site is deleted by a process of its own that outlives this one (at 7,000 variants deleting
    it takes half a minute, while the new site is already in place)."""
    real = Path(os.path.realpath(target))
    new = _beside(new, real)
    old = None
    if os.path.lexists(real):
        old = staging_beside(real, "old")
        os.replace(real, old)  # onto the empty folder just made
    os.replace(new, real)
    if old is None:
        return
    if remove_old_later:
        subprocess.Popen(["rm", "-rf", "--", str(old)], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        shutil.rmtree(old)


def _beside(new: Path, real: Path) -> Path:
    """``new``, moved next to ``real`` if it is elsewhere (copied, from another file system)."""
    if Path(os.path.realpath(new)).parent == real.parent:
        return new
    moved = staging_beside(real)
    try:
        os.replace(new, moved)  # onto the empty folder just made
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            moved.rmdir()
            raise
        try:
            shutil.copytree(new, moved, symlinks=True, dirs_exist_ok=True)
        except BaseException:
            shutil.rmtree(moved, ignore_errors=True)
            raise
        shutil.rmtree(new)
    return moved


def link_unchanged(old: Path, new: Path, *, skip: set[str] = frozenset(), skip_folders: set[str] = frozenset()) -> int:
    """Give ``new`` every file of ``old`` it does not have yet, as a hard link (a build that
    made only what changed; ``build_cache``): no byte is copied, and nothing ever writes into a
    linked file (a page or PDF made again is a new file). ``skip``: site-relative files that are
    gone (a page no longer made; a PDF beside it goes with it); ``skip_folders``: top-level
    folders made whole again (the search index). Returns how many files were linked."""
    gone_pages = {path.rpartition("/")[0] for path in skip if path.endswith("/index.html")}
    linked = 0
    base = len(str(old)) + 1
    for folder, dirs, names in os.walk(old):
        relative = folder[base:]
        if not relative:
            dirs[:] = [d for d in dirs if d not in skip_folders]
        target = new / relative
        for name in names:
            path = f"{relative}/{name}" if relative else name
            if path in skip or (name.endswith(".pdf") and relative in gone_pages):
                continue
            destination = target / name
            if os.path.lexists(destination):
                continue
            target.mkdir(parents=True, exist_ok=True)
            os.link(os.path.join(folder, name), destination, follow_symlinks=False)
            linked += 1
    return linked


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[0]).is_dir():
        print("usage: python -m generator.release.atomic NEW TARGET (NEW: a built site folder)", file=sys.stderr)
        return 2
    swap_in(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
