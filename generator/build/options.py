"""The options of one build, whichever engine turns its pages into HTML.

The MkDocs plugin reads them from ``mkdocs.yml`` (``plugins: - meldcode:``), through
MkDocs' own config classes; ``python -m generator build`` reads the same entry with
``from_config_file`` for an engine that runs no MkDocs plugin (Zensical). Either way
the build gets a ``BuildOptions`` and checks it once (``today``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

from ..model.dates import build_date
from ..release.search import SHARD_PAGES
from ..site.overviews import OVERVIEW_PAGE_SIZE
from ..site.pages import COMPARE_PAGE_SIZE

PLUGIN = "meldcode"
"""The plugin's name in ``mkdocs.yml`` (its entry point in pyproject.toml)."""


class OptionError(ValueError):
    """An option has a value the build cannot use; the message names it."""


@dataclass(frozen=True)
class BuildOptions:
    protocols: Path = Path("protocols")
    """Folder with the YAML sources."""
    node_modules: Path = Path("node_modules")
    """Where npm installed the pinned packages (Pyodide, diff-match-patch, Pagefind)."""
    build_date: str | None = None
    """ISO date to build as (which version is in force); default: $MELDCODE_BUILD_DATE, else today."""
    compare_page_size: int = COMPARE_PAGE_SIZE
    """Variants per static comparison page, so that no page embeds them all."""
    overview_page_size: int = OVERVIEW_PAGE_SIZE
    """Variants per listing page (overviews by region, board, name), so no overview holds them all."""
    workers: int = 0
    """Processes that render and build the pages; 0: one per core."""
    search_index: bool = True
    """Run Pagefind over the built site (the search page needs its index)."""
    search_shard_pages: int = SHARD_PAGES
    """Pages per Pagefind run; more pages are indexed in parts and merged into one index (D26)."""
    site_url: str | None = None
    """The handbook's address (``mkdocs.yml``'s own ``site_url``, not a plugin option): the feeds'
    links and ids and the printed "newer version" line use it."""

    def today(self) -> dt.date:
        """Check every option; the build date (``OptionError`` names what is wrong)."""
        for name in ("compare_page_size", "overview_page_size", "search_shard_pages"):
            if getattr(self, name) < 1:
                raise OptionError(f"{PLUGIN}: {name} must be 1 or more")
        try:
            return build_date(self.build_date)
        except ValueError as exc:
            raise OptionError(str(exc)) from None

    def page_options(self) -> dict[str, int]:
        """The keyword arguments of ``site.pages.iter_pages`` that come from the options."""
        return {"compare_page_size": self.compare_page_size, "overview_page_size": self.overview_page_size,
                "site_url": self.site_url}

    @classmethod
    def from_mapping(cls, values: dict[str, Any], base: Path = Path()) -> BuildOptions:
        """Options from the plugin's entry in ``mkdocs.yml`` (paths relative to ``base``)."""
        known = {field.name: field for field in fields(cls)}
        unknown = sorted(set(values) - set(known) | ({"site_url"} & set(values)))
        if unknown:
            raise OptionError(f"{PLUGIN}: unknown option(s): {', '.join(unknown)}")
        options = cls()
        for name, value in values.items():
            default = getattr(options, name)
            if isinstance(default, Path):
                value = base / str(value)
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise OptionError(f"{PLUGIN}: {name} must be true or false")
            elif isinstance(default, int):
                try:
                    value = int(value)  # !ENV gives a string
                except (TypeError, ValueError):
                    raise OptionError(f"{PLUGIN}: {name} must be a whole number") from None
            elif value is not None:
                value = str(value)
            options = replace(options, **{name: value})
        return options

    @classmethod
    def from_config(cls, config: dict[str, Any], base: Path = Path()) -> BuildOptions:
        """Options from a read ``mkdocs.yml``: the plugin's entry and the site's address."""
        return replace(cls.from_mapping(plugin_entry(config), base), site_url=config.get("site_url") or None)

    @classmethod
    def from_config_file(cls, path: Path) -> BuildOptions:
        return cls.from_config(read_config(path), Path(path).parent)


class _Loader(yaml.SafeLoader):
    """``mkdocs.yml`` as MkDocs reads it: ``!ENV`` takes an environment variable."""


_Loader.add_constructor("!ENV", construct_env_tag)


def read_config(path: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as plain data, ``!ENV`` values resolved."""
    with open(path, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_Loader) or {}  # noqa: S506 - a SafeLoader with one tag


def plugin_entry(config: dict[str, Any]) -> dict[str, Any]:
    """The ``meldcode`` plugin's options in a read ``mkdocs.yml`` (empty if it has none)."""
    for entry in config.get("plugins") or []:
        if entry == PLUGIN:
            return {}
        if isinstance(entry, dict) and PLUGIN in entry:
            return dict(entry[PLUGIN] or {})
    return {}
