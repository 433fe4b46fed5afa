"""The Nu Html Checker (the W3C's validator, npm `vnu-jar`, run with Java) over a built site:
one run over every page, the themes' own errors (theme_html_errors.toml) set apart (D38)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import ROOT

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
THEME_ERRORS = Path(__file__).with_name("theme_html_errors.toml")
# One JVM for every page; the quick compiler only (half the CPU for a run of seconds), the serial
# collector (no threads beside other tests' workers) and the stack the checker asks for.
JAVA_OPTIONS = ("-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


@dataclass(frozen=True)
class Error:
    file: str
    line: int
    message: str
    markup: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} {self.markup!r}"


def html_files(site: Path) -> list[Path]:
    """Every HTML page of a built site (conftest.built_pages' pages, as files)."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "assets")


def errors(site: Path) -> list[Error]:
    """Every error the checker reports on the site's pages (warnings and notes left out)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java not found: run 'make java' (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} is missing: run 'make setup' (npm ci)")
    files = html_files(site)
    assert files, site
    result = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--exit-zero-always",
         "--stdout", *map(str, files)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    found = []
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] == "info":
            continue
        path = Path(message.get("url", "").removeprefix("file:"))
        extract, start = message.get("extract", ""), message.get("hiliteStart", 0)
        found.append(Error(
            file=path.relative_to(site).as_posix() if path.is_relative_to(site) else str(path),
            line=message.get("lastLine", 0),
            message=message["message"],
            markup=extract[start:start + message.get("hiliteLength", 0)],
        ))
    return found


def theme_errors(engine: str) -> list[dict]:
    """The entries of theme_html_errors.toml for an engine; fails when the installed theme is not
    the version they were reviewed for."""
    entries = [e for e in tomllib.loads(THEME_ERRORS.read_text(encoding="utf-8"))["error"] if e["engine"] == engine]
    for entry in entries:
        installed = version(entry["package"])
        if installed != entry["version"]:
            pytest.fail(f"{THEME_ERRORS.name}: {entry['package']} is {installed}, its entries were reviewed for "
                        f"{entry['version']}: check each against the new theme, then update the version")
    return entries


def ours(site: Path, engine: str) -> tuple[list[Error], list[str]]:
    """The errors on the site that are not the theme's, and the theme entries nothing matched."""
    allowed = theme_errors(engine)
    used = set()
    remaining = []
    for error in errors(site):
        match = next(((i, error.markup) for i, e in enumerate(allowed)
                      if error.message == e["message"] and error.markup in e["markup"]), None)
        if match is None:
            remaining.append(error)
        else:
            used.add(match)
    unused = [f"{e['message']} {markup}" for i, e in enumerate(allowed) for markup in e["markup"]
              if (i, markup) not in used]
    return remaining, unused


def report(remaining: list[Error]) -> str:
    """Each error on a line of its own, with file, line and message, then their number."""
    return "\n" + "\n".join(map(str, remaining)) + f"\n{len(remaining)} HTML errors of ours"
