"""One set of rules for the word diff: Python (version pages) and the browser (comparison).

The same pairs go to ``generator.site.diff.word_diff`` and, under Node.js, to
``docs/assets/vergelijken/worddiff.js``; every segment must be the same.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.loader import load
from generator.site.diff import Segment, reader_text, word_diff

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js")


def js_word_diff(pairs: list[tuple[str, str]]) -> list[list[Segment]]:
    result = subprocess.run(
        [NODE, str(ROOT / "tests" / "worddiff.mjs")], input=json.dumps(pairs), capture_output=True, text=True,
        cwd=ROOT, check=True,
    )
    return [[Segment(s["op"], s["text"]) for s in segments] for segments in json.loads(result.stdout)]


def seed_pairs() -> list[tuple[str, str]]:
    """Every step text of every seed protocol against the same field of each other one."""
    handbook = load(ROOT / "protocols")
    variants = [handbook.versions(vid)[-1] for vid in handbook.variant_ids]
    pairs = []
    for one, other in itertools.combinations(variants, 2):
        for a, b in zip(one.steps, other.steps):
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
