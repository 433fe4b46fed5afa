"""ProperDocs as the engine: the MkDocs adapter (``engines.mkdocs``: the ``meldcode`` plugin and
MkDocs' page steps) run on ProperDocs, MkDocs 1.x continued by its former maintainers.

ProperDocs is MkDocs' API under the package name ``properdocs``; ``properdocs.replacement``
makes every later ``mkdocs.*`` import of the process a ``properdocs.*`` one (its own command line
does this first, so that MkDocs plugins run on it), and it reads ``mkdocs.yml`` and the
``mkdocs.plugins`` entry points. So the adapter serves both (``engines.mkdocs.host`` names what
differs: the loggers, the name and version). Both are installed side by side; a process builds
with one of them, since a module of MkDocs already imported cannot become ProperDocs' afterwards.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from ..build.steps import BuildError


def take_over_mkdocs_imports() -> None:
    """Make every ``mkdocs.*`` import of this process ProperDocs' (``properdocs.replacement``);
    ``BuildError`` if MkDocs itself was loaded already."""
    loaded = sys.modules.get("mkdocs")
    if loaded is not None and loaded.__name__ != "properdocs":
        raise BuildError("ProperDocs cannot build in a process that has loaded MkDocs: "
                         "run `python -m generator build --engine properdocs` on its own")
    import properdocs.replacement  # noqa: F401 - the import is the switch

    # As `properdocs build` does: what a plugin logs as mkdocs.* counts as ProperDocs' own.
    legacy = logging.getLogger("mkdocs")
    legacy.parent, legacy.propagate = logging.getLogger("properdocs"), True


def build(config_file: Path, site_dir: Path | None = None, *, cache: Path | None = None,
          before_swap=None) -> None:
    """``properdocs build`` with the ``meldcode`` plugin, through the MkDocs adapter."""
    take_over_mkdocs_imports()
    from . import mkdocs

    mkdocs.build(config_file, site_dir, cache=cache, before_swap=before_swap)
