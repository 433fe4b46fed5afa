"""The engines that turn the generated Markdown into HTML, chosen by name.

Each engine is a module (or package) here with one function::

    build(config_file: Path, site_dir: Path | None, *, cache: Path | None, before_swap) -> None

which builds the whole site atomically and raises ``generator.build.steps.BuildError`` when it
fails. The engines take the shared steps from ``generator.build``; nothing below this package
imports it (CONTRIBUTING, "Layers"). ProperDocs, MkDocs' API under another package name, runs
the MkDocs adapter (``engines.properdocs`` imports ``engines.mkdocs``); no other engine imports
another.
"""

from __future__ import annotations

import importlib
from pathlib import Path

ENGINES = ("properdocs", "mkdocs", "zensical")
"""The engines by name; the first is the default: ProperDocs, the maintained MkDocs 1.x, which
builds the MkDocs site byte for byte but for its name (D43). (This module loads no rendering
library until ``build`` runs: ``python -m generator check`` imports it for these names.)"""


def build(config_file: Path, site_dir: Path | None = None, engine: str = ENGINES[0], *,
          cache: Path | None = None, pdfs: bool = False) -> None:
    """Build the whole site from ``config_file`` (``mkdocs.yml``) into ``site_dir`` (default:
    its ``site_dir``) with ``engine``, atomically; ``BuildError`` if it fails (nothing changed).

    ``cache``: a folder where the build keeps what the next one needs to make only what an edit
    of a variant changed (``build.cache``; MkDocs and ProperDocs, Zensical builds whole). ``pdfs``: print
    each version's PDF (``release.pdf``) into the site before it is swapped in."""
    from ..build.steps import BuildError, print_pdfs  # the rendering libraries, only when building

    if engine not in ENGINES:
        raise BuildError(f"unknown engine '{engine}' (one of: {', '.join(ENGINES)})")
    module = importlib.import_module(f"{__name__}.{engine}")
    module.build(config_file, site_dir, cache=cache, before_swap=print_pdfs if pdfs else None)
