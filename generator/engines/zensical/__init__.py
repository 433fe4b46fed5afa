"""Zensical as an engine (``generator.engines``): it reads ``mkdocs.yml`` but runs no MkDocs plugin.

So the build prepares what the ``meldcode`` plugin would have handed MkDocs, in a work folder
beside the site (same file system, so that the swap is a rename):

- ``docs/``: the hand-written pages of ``docs_dir``, every generated page (its finished HTML
  blocks replaced by placeholders, ``steps.HtmlBlocks``; the blocks kept in ``blocks/``) and the
  runtime files (``steps.runtime``: Pyodide, the slim standard library, diff-match-patch);
- ``overrides/``: ``theme.custom_dir`` (``site_overrides/``) with ``OVERRIDES`` over it, what
  Zensical needs beside it (see ``OVERRIDES``);
- ``mkdocs.yml``: the read config with these folders, no plugins (Zensical's own search off:
  the site has Pagefind), and in ``extra`` what the plugin puts there (``steps.template_extra``).

Zensical builds ``site/`` there; then each page gets its HTML blocks back and its abbreviations
explained (in its ``<article>``, as the plugin does to a page's content), the pages marked for
search are indexed by Pagefind (``steps.index``) and the site is swapped in (``release.atomic``).
Zensical's differences from MkDocs, and what is done about each: guides/engines.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import yaml

from ...build import signals, steps
from ...build.options import BuildOptions, read_config
from ...model.forking import WorkerLost, fork_map
from ...release.atomic import staging_beside, swap_in
from ...release.search import MARK

OVERRIDES = Path(__file__).with_name("overrides")
"""Templates that Zensical needs over ``site_overrides/``: Zensical 0.0.73 turns a single
``theme.palette`` into a list, so the header would show a colour toggle and an inline script
(which the CSP blocks); these partials are empty."""

BUILT_WITH = {"engine": f"Zensical {version('zensical')}", "theme": ""}
"""What the "Over dit handboek" page names (``steps.template_extra``); the theme is Zensical's own."""

MAX_FILES = 63_365
"""The most files Zensical 0.0.73 (and 0.1.4) builds from a docs folder: with one more, both its
threads wait on each other after a CPU second, forever (decisions/D40-zensical-hang.md; the
synthetic handbook reaches it at 3,713 protocols)."""

_ARTICLE = re.compile(r"(<article\b[^>]*>)(.*?)(</article>)", re.DOTALL)


def build(config_file: Path, site_dir: Path | None = None, *, cache: Path | None = None,
          before_swap=None) -> None:
    """Build the site of ``config_file`` with Zensical into ``site_dir`` (default: its ``site_dir``),
    atomically: a failed build leaves the earlier site as it was and no folder behind.
    ``cache`` is not used: Zensical builds the whole site every time (D29).
    ``before_swap``: called with the finished site before it is swapped in (the PDFs)."""
    config_file = Path(config_file)
    root = config_file.parent
    config = read_config(config_file)
    options = BuildOptions.from_config(config, root)
    site_dir = Path(site_dir) if site_dir is not None else root / config.get("site_dir", "site")
    day = steps.today(options)
    handbook = steps.load_sources(options)
    report = steps.check(handbook, day, options)
    files = steps.runtime(options)
    before = signals.install()  # SIGTERM raises SystemExit, so that `finally` removes the work folder
    work = staging_beside(site_dir, "zensical")
    try:
        docs = work / "docs"
        shutil.copytree(root / config.get("docs_dir", "docs"), docs)
        pages_dir, pages = steps.render(handbook, report, day, options, folder=work / "pages")
        _place_pages(pages_dir, pages, docs, work / "blocks", steps.workers(options))
        shutil.rmtree(pages_dir)
        for site_path, source in files.files:
            target = docs / site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        theme = dict(config.get("theme") or {})
        if theme.get("custom_dir"):
            shutil.copytree(root / theme["custom_dir"], work / "overrides")
        shutil.copytree(OVERRIDES, work / "overrides", dirs_exist_ok=True)
        theme["custom_dir"] = "overrides"
        derived = {**config, "docs_dir": "docs", "site_dir": "site", "theme": theme,
                   "plugins": [{"search": {"enabled": False}}],
                   "extra": {**(config.get("extra") or {}), **steps.template_extra(day, files, built_with=BUILT_WITH)}}
        (work / "mkdocs.yml").write_text(yaml.safe_dump(derived, allow_unicode=True, sort_keys=False), encoding="utf-8")
        if error := too_many_files(sum(len(names) for _, _, names in os.walk(docs))):
            raise steps.BuildError(error)
        result = subprocess.run([sys.executable, "-m", "zensical", "build", "--config-file", "mkdocs.yml"]
                                + (["--strict"] if config.get("strict") else []),
                                cwd=work, capture_output=True, text=True)
        if result.returncode != 0 or not (work / "site").is_dir():
            raise steps.BuildError(f"zensical build failed:\n{result.stdout}{result.stderr}".rstrip())
        site = work / "site"
        indexed = _finish_pages(site, work / "blocks", handbook, steps.workers(options))
        steps.index(site, options, indexed)
        if before_swap is not None:
            before_swap(site)
        signals.stop_if_terminated()
        swap_in(site, site_dir)
    except WorkerLost as exc:
        raise steps.BuildError(f"meldcode: {exc}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
        signals.restore(before)


def too_many_files(count: int) -> str | None:
    """Why Zensical cannot build a docs folder of ``count`` files (None: it can): past
    ``MAX_FILES`` it would hang at once, so the build stops instead."""
    if count <= MAX_FILES:
        return None
    return (f"{count:,} files in its docs folder (more than {MAX_FILES:,}): Zensical 0.0.73 would hang "
            f"(decisions/D40-zensical-hang.md); build with MkDocs or ProperDocs (--engine mkdocs, "
            f"--engine properdocs)")


def html_path(markdown_path: str) -> str:
    """Where a page's HTML goes with ``use_directory_urls`` (``a/b.md`` -> ``a/b/index.html``)."""
    stem = markdown_path.removesuffix(".md")
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"


def _place_pages(pages_dir: Path, pages: list[str], docs: Path, blocks: Path, workers: int) -> None:
    for path in pages:
        if (docs / path).exists():
            raise steps.BuildError(f"{path}: generated page would replace a hand-written file in docs/")
    count = max(1, workers)
    fork_map(_place_shard, (pages_dir, sorted(pages), docs, blocks), [(i, count) for i in range(count)], count)


def _place_shard(job: tuple, shard: tuple[int, int]) -> None:
    pages_dir, pages, docs, blocks = job
    index, count = shard
    for path in pages[index::count]:
        source = pages_dir / path
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not path.endswith(".md"):
            shutil.copyfile(source, target)
            continue
        markdown, kept = steps.HtmlBlocks.stash(source.read_text(encoding="utf-8"))
        target.write_text(markdown, encoding="utf-8")
        if kept:
            sidecar = blocks / f"{html_path(path)}.json"
            sidecar.parent.mkdir(parents=True, exist_ok=True)
            sidecar.write_text(json.dumps(kept), encoding="utf-8")


def _finish_pages(site: Path, blocks: Path, handbook, workers: int) -> list[str]:
    """Put each page's HTML blocks back and explain its abbreviations; the pages marked for search."""
    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    count = max(1, workers)
    parts = fork_map(_finish_shard, (site, blocks, steps.Abbreviations(handbook), pages),
                     [(i, count) for i in range(count)], count)
    return sorted(path for part in parts for path in part)


def _finish_shard(job: tuple, shard: tuple[int, int]) -> list[str]:
    site, blocks, abbreviations, pages = job
    index, count = shard
    marked = []
    for path in pages[index::count]:
        if path.startswith("assets/"):
            continue
        file = site / path
        html = file.read_text(encoding="utf-8")
        sidecar = blocks / f"{path}.json"
        kept = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else []

        def finish(match: re.Match, kept=kept) -> str:
            return match.group(1) + abbreviations.explain(steps.HtmlBlocks.restore(match.group(2), kept)) + match.group(3)

        new = _ARTICLE.sub(finish, html, count=1)
        if new != html:
            file.write_text(new, encoding="utf-8")
        if MARK in new:
            marked.append(path)
    return marked

