"""SIGTERM ends a build as Ctrl-C does: through every ``finally``, so that its folders go.

A CI job's time-out or ``kill`` sends SIGTERM, whose default ends the process on the spot and
leaves a build's staging and temporary folders behind. Both engines set this handler for the
length of a build (``exit_on_sigterm``; the MkDocs plugin from ``on_startup`` to
``on_shutdown``, with ``install`` and ``restore``), in the main thread and only over the
default (``mkdocs serve``, a test or a caller with a handler of its own keeps theirs). It raises
``SystemExit``; Python drops an exception a handler raises in a few places (a finaliser, say), so
the steps of a build check again (``stop_if_terminated``). Forked workers
(``model.forking.fork_map``) set every handler back to the default before they let a signal in,
so this one never runs in them (D37). Nothing can clean up after SIGKILL.
"""

from __future__ import annotations

import contextlib
import signal
import threading

_terminated = 0
"""The signal that ended this build (0: none)."""


def _exit(signum, frame) -> None:
    global _terminated
    _terminated = signum
    raise SystemExit(128 + signum)


def install():
    """Set the handler; return the one it replaced, to give to ``restore`` (None: not set,
    because this is not the main thread or SIGTERM has a handler already)."""
    global _terminated
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        return None
    _terminated = 0
    return signal.signal(signal.SIGTERM, _exit)


def restore(before) -> None:
    """Put back what ``install`` replaced (nothing, if it set nothing)."""
    if before is not None:
        signal.signal(signal.SIGTERM, before)


@contextlib.contextmanager
def exit_on_sigterm():
    """The handler for the length of the block."""
    before = install()
    try:
        yield
    finally:
        restore(before)


def stop_if_terminated() -> None:
    """Raise the ``SystemExit`` of a SIGTERM whose handler's exception was dropped."""
    if _terminated:
        raise SystemExit(128 + _terminated)
