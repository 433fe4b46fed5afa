"""Which package runs this adapter: MkDocs, or ProperDocs.

ProperDocs (``properdocs`` on PyPI) is MkDocs 1.x continued by its former maintainers, with the
same API under its own package name: once ``properdocs.replacement`` is imported, every
``mkdocs.*`` import of the process is ``properdocs.*`` (``engines.properdocs`` does that first).
So the adapter's imports stay ``mkdocs.*`` and serve both; what differs is named here: the
package (its loggers are ``properdocs.*``, where the warnings that strict mode counts go) and
its name and version, which the site's "Over dit handboek" page shows.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

import mkdocs

PACKAGE: str = mkdocs.__name__
"""``mkdocs``, or ``properdocs`` when ProperDocs runs the adapter."""

NAMES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs"}


def logger(name: str = "") -> logging.Logger:
    """The host's logger ``name`` (``""``: its root, where strict mode counts the warnings)."""
    return logging.getLogger(f"{PACKAGE}.{name}" if name else PACKAGE)


def built_with(theme: str) -> dict[str, str]:
    """What built the site, for ``steps.template_extra``: the host with its version, and the
    distribution that provides the theme ``theme`` (``mkdocs-material 9.8.1``), by its entry point."""
    provider = ""
    for group in (f"{PACKAGE}.themes", "mkdocs.themes"):
        found = [point.dist for point in entry_points(group=group) if point.name == theme and point.dist is not None]
        if found:
            provider = f"{found[0].name} {found[0].version}"
            break
    return {"engine": f"{NAMES[PACKAGE]} {mkdocs.__version__}", "theme": provider}
