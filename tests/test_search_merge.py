"""The merge of search parts joins each word's pages as bytes (``release.search``): the bytes
must decode to the pages a merged index lists, with page numbers of any size."""

from __future__ import annotations

import random

import cbor2
import pytest

from generator.release.search import _encode_pages, _join_encoded, _size


def part_pages(rng: random.Random, pages_in_part: int) -> list[list]:
    """A word's pages in a part as Pagefind writes them: [page number delta, locations, meta]."""
    numbers = sorted(rng.sample(range(pages_in_part), rng.randint(1, min(40, pages_in_part))))
    pages, previous = [], 0
    for number in numbers:
        locations = sorted(rng.sample(range(100_000), rng.randint(1, 30)))
        meta = [rng.choice([-1, -2, 0, 3])] if rng.random() < 0.3 else []
        pages.append([number - previous, locations, meta])
        previous = number
    return pages


def absolute(pages: list[list], offset: int) -> list[tuple]:
    found, number = [], offset
    for delta, *rest in pages:
        number += delta
        found.append((number, *map(tuple, rest)))
    return found


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("pages_in_part", [5, 30, 300, 70_000])
def test_joined_bytes_decode_to_each_part_s_pages_moved_up_by_its_offset(seed, pages_in_part):
    rng = random.Random(seed)
    parts = [part_pages(rng, pages_in_part) if rng.random() < 0.7 else [] for _ in range(rng.randint(1, 6))]
    offsets = [i * pages_in_part for i in range(len(parts))]
    data, size = _join_encoded([(offset, _encode_pages(pages)) for offset, pages in zip(offsets, parts, strict=True)])

    joined = cbor2.loads(data)
    expected = [entry for offset, pages in zip(offsets, parts, strict=True) for entry in absolute(pages, offset)]
    assert absolute(joined, 0) == expected
    assert size == sum(_size(pages) for pages in parts)
    # The same bytes as encoding the decoded list: what a whole build writes
    assert cbor2.dumps(joined) == data
