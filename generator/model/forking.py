"""Work shared by forked processes that inherit what it needs instead of receiving a copy.

The handbook, a check report or MkDocs' loaded configuration would each have to be
pickled for every process of a pool; a forked process has them already. Used by
the checks (``run_checks``), the page writer and the MkDocs page builder.

Nothing here can wait forever (D37). Each worker is a process forked for its share of the
parts; it sends its results back through a pipe of its own and exits. The caller reads every
pipe until its worker has closed it, by exiting or by dying, and then reaps that worker: a
worker that dies (SIGKILL, the kernel's out-of-memory killer) is a ``WorkerLost`` as soon as it
is seen. SIGINT and SIGTERM are held for the whole of ``fork_map``: no handler of theirs runs
in the middle of it (a build's raises ``SystemExit``, which used to cut a fork or a clean-up in
two). One that comes is seen within ``_POLL`` seconds; the workers are killed and reaped, the
pipes closed, and its handler runs as the signals are let in again, on the way out. A worker
starts with them held too, sets every signal handler Python code installed back to the
system's default, and only then lets them in: a signal ends a worker at any moment, and never
runs a handler of the process that forked it. (``multiprocessing.Pool`` hung on both: a worker
that died was replaced and its part waited for forever, and ``terminate()`` waited forever on a
worker that had caught its SIGTERM in an at-fork hook.) Held for the calling thread only: a
build forks from its only thread.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

P = TypeVar("P")
R = TypeVar("R")

_HELD = {signal.SIGINT, signal.SIGTERM}
_READ_SIZE = 1 << 20
_POLL = 0.05
"""Seconds between two looks for a signal that came while the workers run."""


class WorkerLost(RuntimeError):
    """A forked worker ended without sending its results (killed by a signal, or exited)."""


class _RemoteTraceback(Exception):
    """A worker's traceback, as the ``__cause__`` of the exception it raised."""

    def __str__(self) -> str:
        return self.args[0]


def default_workers() -> int:
    """One process per core (at most 4): the work is CPU-bound pure Python."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def fork_map(function: Callable[[Any, P], R], job: Any, parts: Sequence[P], workers: int) -> list[R]:
    """``[function(job, part) for part in parts]``, in up to ``workers`` forked processes; only
    the parts and the results are pickled. One part, or one worker, runs in this process.
    A worker's exception is raised here (its traceback as the cause); a worker that ends
    without its results is a ``WorkerLost``. SIGINT and SIGTERM are held meanwhile: one that
    comes stops the workers, and its handler then runs as ``fork_map`` returns."""
    if workers <= 1 or len(parts) <= 1:
        return [function(job, part) for part in parts]
    count = min(workers, len(parts))
    before = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # the handler of a signal that came runs here
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        shares = _run(function, job, parts, count, before)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)  # ... and of one that came meanwhile here
    if shares is None:
        raise WorkerLost("the forked workers were stopped by a signal whose handler did not end the build")
    results: list[Any] = [None] * len(parts)
    for index, share in shares.items():
        results[index::count] = share
    return results


def _run(function: Callable, job: Any, parts: Sequence, count: int, mask: set) -> dict[int, list] | None:
    """The workers' results by share, with SIGINT and SIGTERM held; None if one of them came.
    Every worker is reaped, and every pipe closed, however this ends."""
    running: dict[int, tuple[int, int]] = {}
    """Each worker not yet reaped: pid -> (its pipe's reading end, its share)."""
    try:
        for index in range(count):
            read, write = os.pipe()
            try:
                pid = os.fork()
            except BaseException:
                os.close(read)
                os.close(write)
                raise
            if pid == 0:
                _work(function, job, [parts[i] for i in range(index, len(parts), count)], write, mask,
                      [read, *(fd for fd, _ in running.values())])
            os.close(write)
            running[pid] = (read, index)
        return _collect(running, count)
    finally:
        for pid, (read, _index) in running.items():
            os.close(read)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _work(function: Callable, job: Any, parts: list, write: int, mask: set, inherited: list[int]) -> NoReturn:
    """A worker: its signal handlers the system's defaults, then the signals let in (``mask``, as
    before ``fork_map``), then its parts; the results (or what went wrong) pickled into ``write``;
    never returns."""
    status = 1
    try:
        for number in signal.valid_signals():
            with contextlib.suppress(OSError, ValueError):
                if callable(signal.getsignal(number)):  # a handler of the parent's Python code
                    signal.signal(number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for fd in inherited:
            os.close(fd)
        try:
            payload = pickle.dumps((True, [function(job, part) for part in parts]), pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - every failure goes to the caller
            payload = _failure(exc)
        _flush()
        with open(write, "wb") as stream:
            stream.write(payload)
        status = 0
    finally:
        os._exit(status)


def _failure(exc: BaseException) -> bytes:
    text = "".join(traceback.format_exception(exc))
    if not isinstance(exc, Exception):  # SystemExit, KeyboardInterrupt: not the caller's to raise
        exc = WorkerLost(f"a forked worker stopped: {type(exc).__name__}: {exc}")
    try:
        return pickle.dumps((False, exc, text), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an exception that does not pickle
        return pickle.dumps((False, WorkerLost(f"a forked worker failed: {type(exc).__name__}: {exc}"), text))


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def _collect(running: dict[int, tuple[int, int]], count: int) -> dict[int, list] | None:
    """Read every worker's pipe to its end and reap the worker: {share: its results}; None as
    soon as SIGINT or SIGTERM is waiting. The first worker that failed or was lost raises."""
    received: dict[int, list[bytes]] = {pid: [] for pid in running}
    shares = {}
    with selectors.DefaultSelector() as selector:
        for pid, (read, _index) in running.items():
            selector.register(read, selectors.EVENT_READ, pid)
        wait = 0.001
        while selector.get_map():
            ready = selector.select(wait)
            wait = min(2 * wait, _POLL)  # soon after the start, then at most every _POLL seconds
            if _signal_waits():
                return None
            for key, _events in ready:
                pid = key.data
                chunk = os.read(key.fd, _READ_SIZE)
                if chunk:
                    received[pid].append(chunk)
                    continue
                selector.unregister(key.fd)
                read, index = running.pop(pid)
                os.close(read)
                _, status = os.waitpid(pid, 0)  # its end of the pipe is closed: it has ended, or is ending
                shares[index] = _result(b"".join(received.pop(pid)), status, index, count)
    return shares


def _signal_waits() -> bool:
    """Whether SIGINT or SIGTERM came (held) and is not ignored."""
    return any(signal.getsignal(number) != signal.SIG_IGN for number in signal.sigpending() & _HELD)


def _result(payload: bytes, status: int, index: int, count: int) -> list:
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        raise WorkerLost(f"forked worker {index + 1} of {count} was killed by {name} before it sent its results")
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or not payload:
        raise WorkerLost(f"forked worker {index + 1} of {count} exited (status {code}) without its results")
    try:
        message = pickle.loads(payload)  # noqa: S301 - from our own child, through a pipe
    except Exception as exc:  # noqa: BLE001 - a result that does not unpickle
        raise WorkerLost(f"forked worker {index + 1} of {count} sent results that cannot be read: {exc}") from None
    if message[0] is True:
        return message[1]
    _, exc, text = message
    exc.__cause__ = _RemoteTraceback(f"\n\"\"\"\n{text}\"\"\"")
    raise exc
