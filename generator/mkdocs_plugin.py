"""The thin MkDocs adapter: sources in, virtual pages and assets out.

All the work is in ``loader`` and ``pages``; this class only hands their
result to MkDocs. Sources are loaded and every page rendered in
``on_pre_build``, before MkDocs cleans the site directory, so a bad protocol
stops the build with nothing written.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .site import assets
from .loader import SourceError, load
from .site.pages import Page, nl_date, render_pages


class MeldcodeConfig(Config):
    protocols = c.Dir(exists=True, default="protocols")
    """Folder with the YAML sources."""
    node_modules = c.Type(str, default="node_modules")
    """Where npm installed the pinned packages (Pyodide, diff-match-patch) copied into the site."""
    build_date = c.Optional(c.Type(str))
    """ISO date to build as (which version is in force); default: today."""


class MeldcodePlugin(BasePlugin[MeldcodeConfig]):
    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.command = "build"

    def on_startup(self, *, command, dirty) -> None:
        self.command = command

    def _today(self) -> dt.date:
        value = self.config.build_date or os.environ.get("MELDCODE_BUILD_DATE")
        return dt.date.fromisoformat(value) if value else dt.date.today()

    def on_config(self, config):
        config.extra["build_date"] = nl_date(self._today())
        # `mkdocs serve` injects an inline live-reload script; only then does the
        # page's CSP allow inline scripts (see main.html). Built sites never do.
        config.extra["dev_server"] = self.command == "serve"
        return config

    def on_pre_build(self, *, config) -> None:
        try:
            handbook = load(self.config.protocols)
        except SourceError as exc:
            raise PluginError(str(exc)) from None
        self.pages = render_pages(handbook, today=self._today())
        try:
            assets.check(Path(self.config.node_modules))
        except assets.AssetError as exc:
            raise PluginError(str(exc)) from None

    def on_files(self, files: Files, *, config) -> Files:
        for page in self.pages:
            if files.get_file_from_path(page.path):
                raise PluginError(f"{page.path}: generated page would replace a hand-written file in docs/")
            file = File.generated(config, page.path, content=page.content)
            file.generated_by = "meldcode"
            files.append(file)
        for src_uri, path in assets.static_files(Path(self.config.node_modules)):
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        return files

    def on_serve(self, server, *, config, builder):
        server.watch(self.config.protocols)
        return server
