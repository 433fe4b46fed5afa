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
import filecmp
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path


def write_file(target: Path, text: str, *, replace: bool = True) -> None:
    """``text`` into the file ``target``, whole or not at all: written beside it first, then
    renamed over it (``replace``), or linked in only where no file is (else ``FileExistsError``:
    nothing written)."""
    import contextlib
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        (os.replace if replace else os.link)(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):  # renamed into place, or never made it there
            os.unlink(temporary)


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


INDEX = "pagefind"
"""The search index's folder: its files are named by their content, but for a few fixed names."""
INDEX_ENTRY = f"{INDEX}/pagefind-entry.json"
"""Names the index's metadata file: once it is replaced, a search uses the new index."""


def publish_changes(new: Path, target: Path, *, gone: set[str] = frozenset()) -> dict[str, tuple[int, int] | None]:
    """Put the files of ``new`` (a build that made only what changed; ``build.cache``) into the
    site at ``target``, each file replaced in one rename, and remove ``gone`` (site-relative
    files no longer made; a PDF beside a gone page goes with it) and the search index's files
    the new index no longer names. Returns what changed: {site-relative path: (size, mtime_ns),
    or None for a file removed}.

    Not one swap of the whole site (``swap_in``): at 7,000 variants the site has some 127,000
    files in 105,000 folders, and giving a new folder a link to each took longer than the rest
    of such a build (D34). Everything that can fail (pages, search index, PDFs) is made in
    ``new`` first; only then is the site changed, in an order a reader cannot tell from one
    step: the search index's new files (new names), other files, the index's entry, the pages,
    and last what is gone. A file with the same bytes is left as it is."""
    real = Path(os.path.realpath(target))
    files = []
    base = len(str(new)) + 1
    for folder, _dirs, names in os.walk(new):
        files += [os.path.join(folder, name)[base:] for name in names]

    def order(path: str) -> tuple[int, str]:
        if path == INDEX_ENTRY:
            return 2, path
        if path.startswith(f"{INDEX}/"):
            return 0, path
        return (3 if path.endswith(".html") else 1), path

    changed: dict[str, tuple[int, int] | None] = {}
    for path in sorted(files, key=order):
        source, destination = new / path, real / path
        if os.path.lexists(destination) and filecmp.cmp(source, destination, shallow=False):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, destination)
        stat = os.lstat(destination)
        changed[path] = (stat.st_size, stat.st_mtime_ns)
    made_index = {path for path in files if path.startswith(f"{INDEX}/")}
    if made_index:
        index = real / INDEX
        for folder, _dirs, names in os.walk(index):
            for name in names:
                path = os.path.relpath(os.path.join(folder, name), real).replace(os.sep, "/")
                if path not in made_index:
                    os.unlink(real / path)
                    changed[path] = None
    for path in sorted(gone):
        folder = (real / path).parent
        doomed = [real / path]
        if path.endswith("/index.html") and folder.is_dir():
            doomed += [pdf for pdf in folder.glob("*.pdf")]
        for file in doomed:
            if os.path.lexists(file):
                os.unlink(file)
                changed[file.relative_to(real).as_posix()] = None
        while folder != real and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return changed


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[0]).is_dir():
        print("usage: python -m generator.release.atomic NEW TARGET (NEW: a built site folder)", file=sys.stderr)
        return 2
    swap_in(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
