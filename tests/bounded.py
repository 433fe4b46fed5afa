"""Linear time without timing it: run a function on an input so large that quadratic time would
take many minutes, in a fresh interpreter, and fail if it has not finished after a generous
limit. A hang is the failure; how long a finished run took is never asserted."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

GENEROUS = 120
"""Seconds: a linear run takes about one on the shared 2-core build machine, a quadratic one
(the inputs below are chosen so) many minutes."""


def finishes(code: str, timeout: float = GENEROUS) -> str:
    """Run ``code`` in a fresh Python interpreter from the repository root; its stdout."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {timeout} s: not linear in its input\n{textwrap.dedent(code)}")
    assert result.returncode == 0, result.stderr
    return result.stdout
