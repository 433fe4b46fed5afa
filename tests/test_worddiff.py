"""One set of rules for the word diff: Python (version pages) and the browser (comparison).

The same pairs go to ``generator.site.diff.word_diff`` and, under Node.js, to
``docs/assets/vergelijken/worddiff.js``; every segment must be the same.
"""

from __future__ import annotations

import itertools
import json
import math
import shutil
import subprocess

import pytest
from bounded import GENEROUS, finishes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.model.loader import load
from generator.site.diff import MAX_WORD_PAIRS, Segment, reader_text, word_diff

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js")


def js_word_diff(pairs: list[tuple[str, str]], timeout: float | None = None) -> list[list[Segment]]:
    try:
        result = subprocess.run(
            [NODE, str(ROOT / "tests" / "worddiff.mjs")], input=json.dumps(pairs), capture_output=True, text=True,
            cwd=ROOT, check=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"worddiff.js still running after {timeout} s")
    return [[Segment(s["op"], s["text"]) for s in segments] for segments in json.loads(result.stdout)]


def seed_pairs() -> list[tuple[str, str]]:
    """Every step text of every seed protocol against the same field of each other one."""
    handbook = load(ROOT / "protocols")
    variants = [handbook.versions(vid)[-1] for vid in handbook.variant_ids]
    pairs = []
    for one, other in itertools.combinations(variants, 2):
        for a, b in zip(one.steps, other.steps, strict=True):
            pairs += [(a.wat, b.wat), (a.wie, b.wie), (reader_text(a.hoe), reader_text(b.hoe))]
    return pairs


HAND = [
    ("", ""),
    ("", "alleen nieuw"),
    ("alleen oud", ""),
    ("De Leerkracht meldt", "de leerkracht meldt"),  # case is no difference
    ("intern begeleider,  directie", "intern\tbegeleider, directie\n"),  # white space is no difference
    ("IB'er en directie", "IB’er en directie"),  # a different apostrophe is
    ("Veilig Thuis (088-2000)", "Veilig Thuis 0800-2000"),
    ("a b c a b c", "c b a c b a"),
    ("één twee drie", "Één twee vier"),
    ("x\u00a0y", "x y"),  # no-break space separates words, as str.split() says
    ("x\ufeffy", "x y"),  # a byte-order mark does not
    ("x\x1cy", "x y"),
]


def test_hand_made_pairs_give_the_same_segments_in_python_and_javascript():
    assert js_word_diff(HAND) == [word_diff(a, b) for a, b in HAND]


def test_hand_made_pairs_follow_the_rules():
    assert word_diff("De Leerkracht meldt", "de leerkracht meldt") == [Segment("same", "de leerkracht meldt")]
    assert word_diff("intern begeleider,  directie", "intern\tbegeleider, directie\n") == [
        Segment("same", "intern begeleider, directie")]
    assert word_diff("IB'er en directie", "IB’er en directie") == [
        Segment("delete", "IB'er"), Segment("insert", "IB’er"), Segment("same", "en directie")]
    assert word_diff("", "alleen nieuw") == [Segment("insert", "alleen nieuw")]


def test_every_seed_text_pair_gives_the_same_segments_in_python_and_javascript():
    pairs = seed_pairs()
    assert len(pairs) == 10 * 5 * 3
    python = [word_diff(a, b) for a, b in pairs]
    assert js_word_diff(pairs) == python
    assert sum(map(len, python)) > len(pairs)  # the pairs do differ, not only "same" segments


WORDS = st.sampled_from(
    ["de", "De", "leerkracht", "Leerkracht", "intern", "begeleider", "directie", "IB’er", "ouders", "meldt",
     "Veilig", "Thuis", "0800-2000", "(stap", "5)", "één", "Één", "zorg", "team", "en", "of", ",", "-"])
TEXT = st.lists(WORDS, max_size=30).map(" ".join)


@settings(max_examples=1, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=300, max_size=300))
def test_random_pairs_give_the_same_segments_in_python_and_javascript(pairs):
    assert js_word_diff(pairs) == [word_diff(a, b) for a, b in pairs]


# ---------------------------------------------------------------- the limit (issue 20)


def _words(prefix: str, count: int) -> str:
    return " ".join(f"{prefix}{i}" for i in range(count))


SIDE = math.isqrt(MAX_WORD_PAIRS)
SHARED = " ".join(["de leerkracht"] * 2000)
"""4,000 words both texts start and end with: they are no work for the diff and do not count."""

AT_THE_LIMIT = [
    (_words("a", SIDE), _words("b", SIDE)),
    (f"{SHARED} {_words('a', SIDE)} {SHARED} x", f"{SHARED} {_words('b', SIDE)} {SHARED} X"),
    (_words("a", 10), " ".join(["b"] * (MAX_WORD_PAIRS // 10))),
    (_words("a", SIDE), ""),
    # More distinct words than the diff has codes for (6,400), but few of them differ.
    (_words("w", 7000), _words("w", 6999) + " anders"),
]
PAST_THE_LIMIT = [
    (_words("a", SIDE), _words("b", SIDE + 1)),
    (f"{SHARED} {_words('a', SIDE + 1)} {SHARED}", f"{SHARED} {_words('b', SIDE)} {SHARED}"),
    (_words("a", 10), " ".join(["b"] * (MAX_WORD_PAIRS // 10 + 1))),
    # Within the limit, but more distinct words differ than the diff has codes for.
    (_words("a", 150), _words("b", 6300)),
]


def test_the_limit_is_a_square_of_whole_words():
    assert SIDE * SIDE == MAX_WORD_PAIRS


def test_at_the_limit_the_words_are_marked():
    for old, new in AT_THE_LIMIT:
        segments = word_diff(old, new)
        assert {s.op for s in segments} <= {"same", "delete", "insert"} and any(s.op != "same" for s in segments)
        assert " ".join(s.text for s in segments if s.op != "delete") == " ".join(new.split())
    assert word_diff(_words("w", 7000), _words("W", 7000)) == [Segment("same", _words("W", 7000))]


def test_past_the_limit_both_texts_are_given_whole_and_unmarked():
    for old, new in PAST_THE_LIMIT:
        assert word_diff(old, new) == [Segment("old", " ".join(old.split())), Segment("new", " ".join(new.split()))]


def test_python_and_javascript_draw_the_limit_at_the_same_place():
    pairs = AT_THE_LIMIT + PAST_THE_LIMIT + [(_words("w", 7000), _words("W", 7000))]
    assert js_word_diff(pairs, timeout=GENEROUS) == [word_diff(a, b) for a, b in pairs]


LONG_TEXTS = """
import random
rng = random.Random(20)
vocabulary = [f"woord{i}" for i in range(200)]
old, new = (" ".join(rng.choice(vocabulary) for _ in range(49_000)) for _ in range(2))
"""
"""Two texts of 49,000 words from 200 (so within the 6,400 codes), different throughout: a
diff of every pair of their words would take half an hour in Python, minutes in Node.js."""


def test_two_long_different_texts_finish_in_python_and_javascript():
    out = finishes(LONG_TEXTS + "from generator.site.diff import word_diff\n"
                   "print(' '.join(s.op for s in word_diff(old, new)))\n")
    assert out.split() == ["old", "new"]
    texts: dict = {}
    exec(LONG_TEXTS, texts)
    old, new = texts["old"], texts["new"]
    assert js_word_diff([(old, new)], timeout=GENEROUS) == [[Segment("old", old), Segment("new", new)]]
