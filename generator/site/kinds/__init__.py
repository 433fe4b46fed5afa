"""The page kinds, one module each (``KIND``, a ``base.PageKind``), in the order pages are made.

``SITE`` kinds make the pages shared by the site, ``VARIANT`` kinds a variant's own pages;
the comparison and the check pages are made by ``generator.site.pages.iter_pages`` around them
(see their modules). Adding a kind: a module here, its name in ``KINDS``, a template.
"""

from __future__ import annotations

from . import (
    begrippen,
    checks,
    comparison,
    home,
    inwerken,
    kader,
    listings,
    roles,
    situations,
    tool,
    variant,
    versions,
)

KINDS = tuple(module.KIND for module in (
    home, listings, kader, begrippen, variant, tool, inwerken, versions, roles, situations, comparison, checks))
SITE = tuple(kind for kind in KINDS if kind.site is not None)
VARIANT = tuple(kind for kind in KINDS if kind.variant is not None)
