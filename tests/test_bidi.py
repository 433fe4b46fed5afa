"""A phone number is drawn in the order it is dialled, whatever text stands before it (issue 33).

Right-to-left letters before a number make the bidirectional algorithm draw its digit groups
from right to left: after a Hebrew organisation name, "06 1234 5678" showed as "5678 1234 06"
and dialled 0612345678. Each number a reader dials or copies is isolated from its
surroundings (``dir="ltr"`` on a phone link, ``<bdi dir="ltr">`` around a number as text or in
protocol Markdown); this test asks Chromium where it draws each digit.

The smallest site that shows it: one variant, whose contact has a Hebrew organisation and a
phone, whose step 1 has a Hebrew letter before a Markdown phone link and before a number in
its text, and whose Veilig Thuis region's name ends in a Hebrew letter (the tool page, the
contact card and the comparison show it before the region's number).
"""

from __future__ import annotations

import shutil

import pytest

from conftest import PROTOCOLS, serve

HEBREW_ORGANISATION = "בית ספר השלום"
CONTACT_PHONE = "06 1234 5678"
LINKED = "2000 0800"
"""A Markdown link's text; ``׳`` (U+05F3, HEBREW PUNCTUATION GERESH) before it looks like an apostrophe."""
IN_TEXT = "036 123 45 67"
REGION_PHONE = "088 - 222 05 00"
REGION_NAME = "Veilig Thuis Flevoland ש"

# (page, number, how many visible places at least): every visible place of each number is checked.
EXPECTED = [
    ("varianten/prisma-almere/", CONTACT_PHONE, 1),
    ("varianten/prisma-almere/", LINKED, 1),
    ("varianten/prisma-almere/", IN_TEXT, 1),
    ("varianten/prisma-almere/", REGION_PHONE, 1),
    ("varianten/prisma-almere/afwegingskader/", REGION_PHONE, 1),
    ("varianten/prisma-almere/afwegingskader/", CONTACT_PHONE, 1),
    ("vergelijken/", REGION_PHONE, 1),
]

DIGITS_DRAWN = """(number) => {
    // Every place the page's text holds `number`: per digit, in the order it is written (and
    // dialled), the line it is drawn on and its left edge. Hidden places draw nothing.
    const places = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        for (let at = node.data.indexOf(number); at >= 0; at = node.data.indexOf(number, at + 1)) {
            const digits = [];
            for (let i = at; i < at + number.length; i++) {
                if (!/[0-9]/.test(node.data[i])) continue;
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const box = range.getBoundingClientRect();
                digits.push({digit: node.data[i], top: Math.round(box.top), left: box.left, width: box.width});
            }
            if (digits.every((d) => d.width > 0)) {
                places.push({digits, around: node.parentElement.parentElement.textContent.trim().slice(0, 160)});
            }
        }
    }
    return places;
}"""


@pytest.fixture(scope="module")
def rtl_site(build, tmp_path_factory):
    root = tmp_path_factory.mktemp("bidi")
    protocols = root / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    for path in (protocols / "variants").glob("*.yaml"):
        if path.name != "prisma-almere-2021.yaml":
            path.unlink()
    variant = protocols / "variants" / "prisma-almere-2021.yaml"
    text = variant.read_text(encoding="utf-8")
    for old, new in [
        ("    organisation: De Driemaster\n", f'    organisation: "{HEBREW_ORGANISATION}"\n    phone: "{CONTACT_PHONE}"\n'),
        ("      concreet mogelijk, wordt opgenomen.\n",
         f"      concreet mogelijk, wordt opgenomen.\n\n      Bel ׳[{LINKED}](tel:{LINKED.replace(' ', '')}) of"
         f" ש {IN_TEXT} voor advies.\n"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    variant.write_text(text, encoding="utf-8")
    contacts = protocols / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    assert "    name: Veilig Thuis Flevoland\n" in text
    contacts.write_text(text.replace("    name: Veilig Thuis Flevoland\n", f"    name: {REGION_NAME}\n", 1),
                        encoding="utf-8")
    site = root / "site"
    result = build(site, protocols=protocols)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_every_number_is_drawn_in_the_order_it_is_dialled(rtl_site, browser):
    server, base = serve(rtl_site)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    problems, seen = [], []
    try:
        for path, number, at_least in EXPECTED:
            page.goto(base + path, wait_until="load")
            places = page.evaluate(DIGITS_DRAWN, number)
            seen.append((path, number, len(places)))
            if len(places) < at_least:
                problems.append(f"{path}: {number!r} shown {len(places)} times, expected {at_least}")
            for place in places:
                drawn = [(d["top"], d["left"]) for d in place["digits"]]
                if drawn != sorted(drawn):  # a line down, or further right on the same line
                    shown = "".join(d["digit"] for d in sorted(place["digits"], key=lambda d: (d["top"], d["left"])))
                    problems.append(f"{path}: {number!r} drawn as {shown!r} in {place['around']!r}")
    finally:
        page.close()
        server.shutdown()
    assert problems == [], "\n".join(problems)
    assert all(count >= 1 for _, _, count in seen), seen
