"""Shows each bad-file guard of the importer failing its test when the guard is gone (issue 32).

Run ``.venv/bin/python tests/mutate_intake.py``: in a scratch checkout of HEAD (``git worktree
add --detach``, this tree's .venv linked in) each guard of ``generator/intake`` is disabled in
turn and the test that covers it is run; every line must say FAILS. Exit 1 if a guard's test
still passes without it (the test does not prove the guard). Not part of ``make test``: it runs
pytest 13 times (about 40 s).
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

R, D = "generator/intake/read.py", "generator/intake/draft.py"
MUTANTS = [
    ("unknown extension", R, "    if suffix not in FORMATS:\n        raise", "    if False:\n        raise", "picture.png"),
    ("size limit", R, "    if size > MAX_BYTES:", "    if False:", "over_the_size_limit"),
    ("empty file", R, "    if size == 0:", "    if False:", "empty.txt"),
    ("password / old Word", R, "    if found == \"ole\" and suffix", "    if False and suffix", "protected.docx"),
    ("damaged zip", R, "    if found == \"damaged zip\":", "    if False:", "damaged.docx"),
    ("extension lies (pdf as docx)", R, "    if found == expected:\n        return suffix",
     "    if True:\n        return suffix", "lies.docx"),
    ("extension lies (text as pdf)", R, "    if found == expected:\n        return suffix",
     "    if True:\n        return suffix", "lies.pdf"),
    ("encrypted pdf", R, "        if \"password\" in message.lower():", "        if False:", "encrypted.pdf"),
    ("damaged pdf", R, "        raise IntakeError(f\"{path}: the PDF cannot be read",
     "        raise RuntimeError(f\"{path}: the PDF cannot be read", "damaged.pdf"),
    ("scan without text layer", R, "    if chars_total < MIN_CHARS_PER_PAGE", "    if False:  #", "scan.pdf"),
    ("id in use", D, "        if users or target.exists():", "        if False:", "levwn"),
    ("id in use inside another file", D, "        if users or target.exists():", "        if target.exists():", "consent"),
    ("malformed id", D, "    if not re.fullmatch(SLUG_PATTERN, variant_id)",
     "    if False and not re.fullmatch(SLUG_PATTERN, variant_id)", "Niet"),
]
TESTS = "tests/test_import.py"


def main() -> int:
    tree = Path(tempfile.mkdtemp(prefix="meldcode-mutants-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--quiet", "--detach", str(tree), "HEAD"], cwd=ROOT, check=True)
    survived = 0
    try:
        (tree / ".venv").symlink_to(ROOT / ".venv")
        env = {**os.environ, "MELDCODE_SEEDS": os.environ.get("MELDCODE_SEEDS", str(ROOT.parent / "shared" / "seeds"))}
        for name, path, old, new, select in MUTANTS:
            file = tree / path
            original = file.read_text(encoding="utf-8")
            if original.count(old) != 1:
                raise SystemExit(f"{path}: the guard '{name}' is no longer written as {old!r}: update this list")
            file.write_text(original.replace(old, new), encoding="utf-8")
            run = subprocess.run([str(tree / ".venv/bin/pytest"), "-q", "-p", "no:randomly", "-n", "0", TESTS,
                                  "-k", select], cwd=tree, capture_output=True, text=True, env=env)
            file.write_text(original, encoding="utf-8")
            failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
            verdict = "FAILS" if run.returncode == 1 and failed else "SURVIVES"
            survived += verdict == "SURVIVES"
            print(f"{name:32} {verdict}: {(failed or run.stdout.splitlines() or [''])[-1][:120]}", flush=True)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
        shutil.rmtree(tree.parent, ignore_errors=True)
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
