"""MkDocs as the engine: ``mkdocs build`` with the ``meldcode`` plugin (``plugin.py``), which
takes the steps of ``generator.build.steps`` from MkDocs' events; ``pages.py`` builds the
generated pages with MkDocs' own page steps in forked workers. The same adapter runs on
ProperDocs, MkDocs' API under another name (``engines.properdocs``; ``host.py`` names what differs)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from ...build.steps import BuildError


def build(config_file: Path, site_dir: Path | None = None, *, cache: Path | None = None,
          before_swap=None) -> None:
    """What ``mkdocs build`` does (``mkdocs.__main__.build_command``), by MkDocs' public API: the
    ``meldcode`` plugin in ``config_file`` takes the steps above."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from . import host

    logger = host.logger()
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), **({"site_dir": str(site_dir)} if site_dir else {}))
        plugin = config.plugins["meldcode"]
        if cache is not None:
            from ...build.cache import BuildCache

            plugin.cache = BuildCache(cache)
        plugin.before_swap = before_swap
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config, dirty=False)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError, PluginError) as exc:
        raise BuildError(str(exc)) from None
