"""A build that fails, is interrupted or is terminated leaves no folder behind.

The plugin renders the generated pages into a temporary folder (``meldcode-pages-*``
in the system's temporary folder, ``on_pre_build``) and builds the site into a
staging folder beside ``site_dir`` (``on_config``). Both go, however the build ends;
only a SIGKILL cannot be cleaned up after.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from conftest import ROOT
from generator.build import steps as build


def _plugin(monkeypatch, tmp_path: Path, protocols: Path):
    """The meldcode plugin of mkdocs.yml, configured as `mkdocs build` does, with its own
    temporary folder (``tmp_path/tmp``) and site folder (``tmp_path/out/site``)."""
    monkeypatch.setenv("MELDCODE_PROTOCOLS", str(protocols))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "out" / "site"))
    plugin = config.plugins["meldcode"]
    plugin.on_startup(command="build", dirty=False)
    config = plugin.on_config(config)
    assert [p.name for p in (tmp_path / "out").iterdir()][0].startswith(".site.building-"), "test set-up"
    return plugin, config


def _writes_then_fails(error: BaseException):
    def write_pages(folder: Path, *args, **kwargs):
        (folder / "varianten").mkdir()
        (folder / "varianten" / "index.md").write_text("# Half\n", encoding="utf-8")
        raise error
    return write_pages


def _shutdown(plugin) -> None:
    """What MkDocs does last, whatever happened (``mkdocs build``: a ``finally``)."""
    if hasattr(plugin, "on_shutdown"):
        plugin.on_shutdown()


def test_a_failed_write_of_the_pages_leaves_no_folder(monkeypatch, tmp_path, protocols):
    """Disk full, or a name too long: a clear error, and neither folder is left."""
    plugin, config = _plugin(monkeypatch, tmp_path, protocols)
    monkeypatch.setattr(build, "write_pages", _writes_then_fails(
        OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(PluginError, match="cannot write the generated pages: .*No space left on device"):
        plugin.on_pre_build(config=config)
    plugin.on_build_error(error=PluginError("as MkDocs calls it"))
    _shutdown(plugin)
    assert list((tmp_path / "tmp").iterdir()) == []
    assert list((tmp_path / "out").iterdir()) == []


def test_an_interrupted_write_of_the_pages_leaves_no_folder(monkeypatch, tmp_path, protocols):
    """Ctrl-C: MkDocs calls no on_build_error for a KeyboardInterrupt, only on_shutdown."""
    plugin, config = _plugin(monkeypatch, tmp_path, protocols)
    monkeypatch.setattr(build, "write_pages", _writes_then_fails(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        plugin.on_pre_build(config=config)
    _shutdown(plugin)
    assert list((tmp_path / "tmp").iterdir()) == []
    assert list((tmp_path / "out").iterdir()) == []


def test_a_terminated_build_leaves_no_folder(protocols, tmp_path):
    """SIGTERM (a CI job's time-out, `kill`) while the pages are being rendered or built."""
    temp, out = tmp_path / "tmp", tmp_path / "out"
    temp.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out / "site")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols), "TMPDIR": str(temp)},
    )
    try:
        for _ in range(1200):  # until the pages folder exists (a minute at most)
            if any(p.name.startswith("meldcode-pages-") for p in temp.iterdir()) or build.poll() is not None:
                break
            time.sleep(0.05)
        assert build.poll() is None, "test set-up: the build ended before it could be terminated"
        build.send_signal(signal.SIGTERM)
        _, stderr = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode != 0, stderr[-3000:]
    assert [p.name for p in temp.iterdir() if p.name.startswith("meldcode-pages-")] == [], stderr[-2000:]
    assert not out.exists() or list(out.iterdir()) == [], stderr[-2000:]


LOSES_A_WORKER = """
import os, signal, sys
from generator import cli
from generator.build import steps
from generator.site import writer

steps.workers = lambda options: 2  # forked workers, on any machine
write_shard = writer._write_shard


def dies(job, shard):
    if shard[0] == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return write_shard(job, shard)


writer._write_shard = dies
sys.exit(cli.main(["build", "-d", sys.argv[1]]))
"""


def test_a_build_that_loses_a_worker_ends_with_an_error(protocols, tmp_path):
    """A worker killed by SIGKILL (the kernel's out-of-memory killer, say) while the pages are
    written: the build says so and ends, leaving no folder, instead of waiting for it forever."""
    temp, out = tmp_path / "tmp", tmp_path / "out"
    temp.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-c", LOSES_A_WORKER, str(out / "site")], cwd=ROOT, text=True, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "MELDCODE_PROTOCOLS": str(protocols), "TMPDIR": str(temp)},
    )
    try:
        _, stderr = build.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)  # the build and any worker it left
        build.communicate()
        pytest.fail("the build waited for a worker killed by SIGKILL (killed after 60 s)")
    assert build.returncode == 1, stderr[-3000:]
    assert "cannot write the generated pages" in stderr and "killed by SIGKILL" in stderr, stderr[-3000:]
    assert [p.name for p in temp.iterdir() if p.name.startswith("meldcode-pages-")] == [], stderr[-2000:]
    assert not out.exists() or list(out.iterdir()) == [], stderr[-2000:]
