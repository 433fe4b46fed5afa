"""``fork_map`` always ends: SIGTERM at any moment, a worker lost to SIGKILL, a worker that fails.

Each case runs in a process of its own with a hard time limit, so that a hang fails the test
instead of hanging the suite. SIGTERM is handled as a build handles it (``build.signals``:
``SystemExit``), and each round checks that no worker outlived ``fork_map``.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

from conftest import ROOT

LIMIT = 20
"""Seconds a case may take; far more than any needs."""

ROUNDS = 300

STRESS = textwrap.dedent("""
    import json, os, random, signal, sys, time
    from generator.build import signals
    from generator.model.forking import fork_map

    def work(job, part):
        delay, size = part
        time.sleep(delay)
        return b"x" * size

    def leftover():
        try:
            return os.waitpid(-1, os.WNOHANG)  # (0, 0): a child still runs; (pid, status): one not reaped
        except ChildProcessError:
            return None

    signals.install()  # as a build does: SIGTERM raises SystemExit
    rng = random.Random(int(sys.argv[2]))
    # SIGTERM reaches this process only while fork_map runs: the loop's own steps are not under test.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    fds = sorted(os.listdir("/proc/self/fd"))
    print("ready", flush=True)
    done = stopped = 0
    for _ in range(int(sys.argv[1])):
        count = rng.randint(2, 4)
        parts = [(rng.choice((0, 0, 0.001, 0.004)), rng.choice((1, 1, 300_000))) for _ in range(count)]
        try:
            try:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
                result = fork_map(work, None, parts, count)
            finally:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
            assert result == [b"x" * size for _, size in parts], "wrong results"
            done += 1
        except SystemExit:
            stopped += 1
        assert leftover() is None, f"a worker outlived fork_map: {leftover()}"
    assert sorted(os.listdir("/proc/self/fd")) == fds, "fork_map left file descriptors open"
    print(json.dumps({"done": done, "stopped": stopped}), flush=True)
""")


def _python(script: str, *args: str) -> subprocess.Popen:
    """``script`` in a process group of its own: a worker that outlives it (and holds its
    pipes open) is killed with it."""
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def _end(proc: subprocess.Popen) -> tuple[bool, str, str]:
    """Wait up to ``LIMIT`` s: (whether it hung and was killed, stdout, stderr)."""
    try:
        out, err = proc.communicate(timeout=LIMIT)
        return False, out, err
    except subprocess.TimeoutExpired:
        _kill(proc)
        out, err = proc.communicate()
        return True, out, err


def test_fork_map_ends_whenever_sigterm_arrives():
    """Hundreds of ``fork_map`` calls, with SIGTERM sent at random moments: while workers are
    forked, set up, working, sending results, being reaped. Every call returns its results or
    raises SystemExit, leaves no worker and no open pipe, and the whole run ends."""
    proc = _python(STRESS, str(ROUNDS), "1")
    try:
        assert proc.stdout.readline() == "ready\n", proc.stderr.read()
        rng = random.Random(2)
        deadline = time.monotonic() + LIMIT
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(rng.uniform(0, 0.04))
            proc.send_signal(signal.SIGTERM)
        hung = proc.poll() is None
        if hung:
            _kill(proc)
        out, err = proc.communicate()
    finally:
        if proc.poll() is None:
            _kill(proc)
    assert not hung, f"fork_map hung under SIGTERM (killed after {LIMIT} s): {out[-500:]} {err[-2000:]}"
    assert proc.returncode == 0, err[-3000:]
    counts = json.loads(out.splitlines()[-1])
    assert counts["done"] + counts["stopped"] == ROUNDS
    # Both outcomes happened often, or the test did not test what it says.
    assert counts["done"] >= ROUNDS // 10 and counts["stopped"] >= ROUNDS // 10, counts


LOSES = textwrap.dedent("""
    import os, signal, sys, time
    from generator.model.forking import fork_map

    def work(job, part):
        if part == 1:
            {how}
        time.sleep(0.2)
        return part

    try:
        fork_map(work, None, [0, 1, 2], 3)
    except BaseException as exc:
        print(f"{{type(exc).__name__}}: {{exc}}", flush=True)
        try:
            os.waitpid(-1, os.WNOHANG)
            print("a worker outlived fork_map", flush=True)
        except ChildProcessError:
            pass
        sys.exit(1)
    print("returned", flush=True)
""")


def _loses(how: str) -> tuple[bool, int, str, str]:
    proc = _python(LOSES.format(how=how))
    hung, out, err = _end(proc)
    return hung, proc.returncode, out, err


def test_a_worker_killed_by_sigkill_is_an_error_not_a_hang():
    hung, code, out, err = _loses("os.kill(os.getpid(), signal.SIGKILL)")
    assert not hung, f"fork_map waited forever for a worker killed by SIGKILL: {err[-2000:]}"
    assert code == 1, out + err
    assert "SIGKILL" in out and "outlived" not in out, out + err


def test_a_worker_that_exits_without_its_result_is_an_error():
    hung, code, out, err = _loses("os._exit(0)")
    assert not hung, f"fork_map waited forever for a worker that exited: {err[-2000:]}"
    assert code == 1, out + err
    assert "without" in out and "outlived" not in out, out + err


def test_a_worker_s_exception_is_raised_in_the_caller():
    hung, code, out, err = _loses("raise ValueError('part 1 is wrong')")
    assert not hung, err[-2000:]
    assert code == 1, out + err
    assert out.startswith("ValueError: part 1 is wrong") and "outlived" not in out, out + err
