"""Work shared by forked processes that inherit what it needs instead of receiving a copy.

The handbook, a check report or MkDocs' loaded configuration would each have to be
pickled for every process of a pool; a forked process has them already. Used by
the checks (``run_checks``), the page writer and the MkDocs page builder.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

P = TypeVar("P")
R = TypeVar("R")

_JOB: tuple | None = None
"""The function and the job of the running ``fork_map``: set before the fork, inherited."""


def default_workers() -> int:
    """One process per core (at most 4): the work is CPU-bound pure Python."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _run(part: Any) -> Any:
    function, job = _JOB
    return function(job, part)


def fork_map(function: Callable[[Any, P], R], job: Any, parts: Sequence[P], workers: int) -> list[R]:
    """``[function(job, part) for part in parts]``, in up to ``workers`` forked processes; only
    the parts and the results are pickled. One part, or one worker, runs in this process."""
    global _JOB
    if workers <= 1 or len(parts) <= 1:
        return [function(job, part) for part in parts]
    _JOB = (function, job)
    try:
        with _signals_held():  # a SIGTERM raised inside the pool's start would leave it running
            pool = multiprocessing.get_context("fork").Pool(min(workers, len(parts)))
        try:
            return pool.map(_run, parts)
        finally:
            with _signals_held():
                pool.terminate()
    finally:
        _JOB = None


_HELD = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_held():
    """SIGINT and SIGTERM wait until the pool has started or stopped: an exception raised by their
    handlers inside it (the MkDocs plugin's SIGTERM raises SystemExit) leaves the pool's own thread
    starting new workers that nobody stops, which outlive the build and keep its pipes open."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _unhold_in_child() -> None:
    """A worker forked while the signals are held gets them as any process does."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)


os.register_at_fork(after_in_child=_unhold_in_child)
