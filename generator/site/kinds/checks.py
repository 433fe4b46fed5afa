"""The "Kwaliteitscheck" pages (``generator.site.checkpages``): the overview, its A-Z
listing pages and a page per variant; they shard themselves (``render_check_pages``)."""

from __future__ import annotations

from .base import PageKind

KIND = PageKind("checks", ("checks_overview.md.j2", "checks_listing.md.j2", "checks_variant.md.j2"), "some")
