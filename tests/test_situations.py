""""Waar gaat uw zorg over?": situations as data, passages marked in each protocol and
checked by the loader, one page per variant and situation, the entry on the variant and
tool pages, the rows of the comparison.

Which protocol answers which situation is written out here by hand from the seed
documents (shared/seeds), with one sentence of each answer; every marked passage must
stand in its seed document word for word. The pages are rendered once (no build);
tests/test_situation_pages.py opens the built site in Chromium.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest
from pydantic import ValidationError

from conftest import PROTOCOLS, SEEDS, assert_refused, line_of, read_yaml
from generator.checks import run_checks
from generator.model.loader import SourceError, load
from generator.model.passages import blocks, passages
from generator.model.sources import PassageRef, Situations
from generator.site.diff import reader_text
from generator.site.pages import render_pages
from generator.site.templating import passage_html

DATE = dt.date(2026, 11, 23)
SILENT = "Het protocol van uw school beschrijft deze situatie niet."
SITUATIONS = [s["id"] for s in read_yaml(PROTOCOLS / "situaties.yaml")["situations"]]
CONTACTS = read_yaml(PROTOCOLS / "contacts.yaml")
VGV = "vgv-eergerelateerd-geweld-huwelijksdwang-seksueel-misbruik"

# Per variant, the situations its protocol answers, read in the seed documents; the
# home situation is the meldcode itself (every protocol's five steps).
COVERED = {
    # 004_*: step 1 (l.429-441: a medewerker; leerlingen onderling), step 2 "Noodsituaties"
    # (l.492-504), step 3 item 4 (l.523-529: vóór het gesprek met spoed Veilig Thuis).
    "consent": {"acuut-gevaar", "zorg-over-de-thuissituatie", "zorg-over-een-medewerker",
                "tussen-leerlingen-onderling", VGV},
    # 002_*: step 1 (l.32-34: signals about a beroepskracht go to the leidinggevende or directie).
    "levwn": {"zorg-over-de-thuissituatie", "zorg-over-een-medewerker"},
    # 001_*: "moet onmiddellijk gemeld worden" (l.289), meld- en aangifteplicht (l.86-88),
    # seksueel misbruik a form of kindermishandeling (l.76).
    "vo-brochure": {"acuut-gevaar", "zorg-over-de-thuissituatie", "zorg-over-een-medewerker", VGV},
    # 003_* and 000_*: the five steps only.
    "prisma-almere": {"zorg-over-de-thuissituatie"},
    "flevoland-kwaliteitskaart": {"zorg-over-de-thuissituatie"},
}

# (variant, situation, a sentence of the answer, copied by hand from the seed document)
HAND = [
    ("consent", "acuut-gevaar",
     "Komt men daar, op basis van de signalen, tot het oordeel dat onmiddellijke actie geboden is, dan kunt u zo "
     "nodig in hetzelfde gesprek een melding doen"),
    ("consent", "zorg-over-een-medewerker",
     "dan dient dit onmiddellijk te worden gemeld bij de schooldirectie en het bestuur. In dat geval in het "
     "stappenplan niet van toepassing."),
    ("consent", "tussen-leerlingen-onderling",
     "Signalen van geweld tussen leerlingen onderling vallen niet onder het stappenplan van de meldcode."),
    ("consent", VGV,
     "of eer gerelateerd geweld neemt u vóórafgaand aan het gesprek met spoed contact op met Veilig Thuis."),
    ("levwn", "zorg-over-een-medewerker",
     "Betreffende signalen huiselijk geweld of kindermishandeling gepleegd door een beroepskracht, meld de "
     "signalen dan bij de leidinggevende of de directie, conform de interne richtlijnen."),
    ("vo-brochure", "acuut-gevaar",
     "Wanneer er vermoedens zijn van ernstig, acuut of structureel geweld moet onmiddellijk gemeld worden bij "
     "Veilig Thuis."),
    ("vo-brochure", "zorg-over-een-medewerker",
     "ook een meld- en aangifteplicht bij seksueel geweld en seksuele intimidatie binnen het onderwijs."),
    ("vo-brochure", VGV,
     "Ook seksueel misbruik, verwaarlozing en getuige zijn van huiselijk geweld zijn vormen van "
     "kindermishandeling."),
]


def squash(text: str) -> str:
    return " ".join(text.split())


def text_of(html: str) -> str:
    return squash(re.sub(r"<[^>]+>", " ", html).replace("&#95;", "_"))


@pytest.fixture(scope="module")
def handbook():
    return load(PROTOCOLS)


@pytest.fixture(scope="module")
def pages(handbook) -> dict[str, str]:
    return {page.path: page.content for page in render_pages(handbook, run_checks(handbook, DATE), DATE)}


# ------------------------------------------------------------------ the seeds


def test_the_seeds_answer_exactly_the_situations_read_by_hand(handbook):
    assert set(COVERED) == set(handbook.variant_ids)
    for variant_id, expected in COVERED.items():
        variant = handbook.current(variant_id, DATE)
        marked = {sid for sid in SITUATIONS if passages(variant, sid)}
        assert marked | {"zorg-over-de-thuissituatie"} == expected, variant_id


def test_every_marked_passage_stands_in_its_seed_document_word_for_word(handbook):
    """Shown verbatim: the passage's words, in order, are the source document's own."""
    count = 0
    for variant_id in handbook.variant_ids:
        variant = handbook.current(variant_id, DATE)
        source = squash((SEEDS / variant.source.document).read_text(encoding="utf-8"))
        for situation_id in SITUATIONS:
            for passage in passages(variant, situation_id):
                words = reader_text(passage.text)
                assert len(words) > 20 and words in source, (variant_id, situation_id, words[:80])
                count += 1
    assert count >= 12


def test_who_acts_is_in_the_words_of_the_passages(handbook):
    named = 0
    for variant_id in handbook.variant_ids:
        variant = handbook.current(variant_id, DATE)
        for situation_id, answer in variant.situations.items():
            if answer.wie:
                text = squash(" ".join(p.text for p in passages(variant, situation_id)))
                assert answer.wie in text, (variant_id, situation_id, answer.wie)
                named += 1
    assert named >= 6


@pytest.mark.parametrize("case", HAND, ids=[f"{c[0]}-{c[1]}" for c in HAND])
def test_a_situation_page_in_the_protocols_own_words(pages, case):
    variant_id, situation_id, sentence = case
    page = pages[f"varianten/{variant_id}/{situation_id}.md"]
    assert sentence in text_of(page)
    assert SILENT not in page


# ------------------------------------------------------------------ the pages


@pytest.mark.parametrize("variant_id", sorted(COVERED))
def test_every_variant_has_every_situation_page_and_silences_say_so(pages, handbook, variant_id):
    variant = handbook.current(variant_id, DATE)
    for situation_id in SITUATIONS:
        page = pages[f"varianten/{variant_id}/{situation_id}.md"]
        text = text_of(page)
        found = passages(variant, situation_id)
        for passage in found:  # the protocol's Markdown, rendered as on its own page, linked to its place
            assert str(passage_html(passage)) in page
        if situation_id in COVERED[variant_id]:
            assert SILENT not in text
            assert 'class="contact-card"' not in page
        else:
            assert found == []
            # Silent: it says so, then the national text, then who to ask from the protocol's own wie.
            assert text.count(SILENT) == 1
            consult = variant.steps[1]
            assert squash(consult.wie) in text
            assert page.index(SILENT) < page.index('id="landelijk"') < page.index('id="wie-kunt-u-vragen"')
            assert 'class="contact-card"' in page
        # Every situation read from public sources has national text, each with its source's name.
        assert 'id="landelijk"' in page and "(Bron: " in text


def test_passages_link_to_their_place_on_the_variant_page(pages, handbook):
    variant = handbook.current("consent", DATE)
    variant_page = pages["varianten/consent/index.md"]
    expected = {"acuut-gevaar": ["stap-2"], "zorg-over-een-medewerker": ["stap-1", "onderdeel-3-3", "onderdeel-5"],
                "tussen-leerlingen-onderling": ["stap-1"], VGV: ["stap-3", "onderdeel-3-1"]}
    for situation_id, anchors in expected.items():
        page = pages[f"varianten/consent/{situation_id}.md"]
        assert re.findall(r'class="situation-passage__place">[^<]*<a href="\.\./#([a-z0-9-]+)"', page) == anchors
        for anchor in anchors:
            assert f'id="{anchor}"' in variant_page or "{ #" + anchor + " }" in variant_page, anchor
    # The headings of sections and items carry those ids: "Definities" is the third section.
    assert "## Definities { #onderdeel-3 }" in variant_page
    assert "### medewerker { #onderdeel-3-3 }" in variant_page
    assert variant.sections[2].items[2].title == "medewerker"


def test_the_home_situation_is_the_five_steps_and_the_afwegingskader(pages, handbook):
    for variant_id in COVERED:
        variant = handbook.current(variant_id, DATE)
        page = pages[f"varianten/{variant_id}/zorg-over-de-thuissituatie.md"]
        links = re.findall(r'<a href="\.\./#stap-(\d)">', page)
        assert links == ["1", "2", "3", "4", "5"]
        for step in variant.steps:
            assert squash(step.wie) in text_of(page)
        assert 'href="../afwegingskader/"' in page


@pytest.mark.parametrize("page_name", ["index.md", "afwegingskader.md"])
def test_the_entry_heads_the_variant_page_and_follows_its_tool(pages, page_name):
    for variant_id in COVERED:
        page = pages[f"varianten/{variant_id}/{page_name}"]
        entry = re.search(r'<nav class="situation-entry".*?</nav>', page, flags=re.S).group(0)
        prefix = "" if page_name == "index.md" else "../"
        assert re.findall(r'<li[^>]*><a href="([^"]+)"', entry) == [f"{prefix}{s}/" for s in SITUATIONS]
        # Acute danger first, with 112 and Veilig Thuis's national number and hours from contacts.yaml.
        first = re.search(r"<li.*?</li>", entry, flags=re.S).group(0)
        assert "Acuut gevaar" in first
        for phone in (CONTACTS["emergency"]["phone"], CONTACTS["national"]["phone"]):
            assert f'href="tel:{re.sub(r"[^0-9+]", "", phone)}" dir="ltr">{phone}</a>' in first
        assert CONTACTS["national"]["hours"] in first
        if page_name == "index.md":  # at the top: before the facts and the step table
            assert page.index('class="situation-entry"') < page.index("Wie bel ik?")
            assert page.index("\n# ") < page.index('class="situation-entry"')
        else:  # after the tool, whose question 1 comes first (issue 34); there, not gone
            assert page.index("data-afweging-nodes") < page.index('class="situation-entry"')
        assert "<script" not in entry and "<form" not in entry  # plain links


def test_the_entry_takes_its_numbers_from_contacts_yaml(tmp_path):
    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    contacts = protocols / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(text.replace('phone: "112"', 'phone: "911"').replace('phone: "0800-2000"\n  source: \'[[consent',
                                                                           'phone: "0800-1234"\n  source: \'[[consent'),
                        encoding="utf-8")
    handbook = load(protocols)
    page = next(p.content for p in render_pages(handbook, run_checks(handbook, DATE), DATE)
                if p.path == "varianten/levwn/index.md")
    entry = re.search(r'<nav class="situation-entry".*?</nav>', page, flags=re.S).group(0)
    assert 'href="tel:911" dir="ltr">911</a>' in entry and 'href="tel:08001234" dir="ltr">0800-1234</a>' in entry
    assert "112" not in entry and "0800-2000" not in entry


def test_role_pages_link_the_situations(pages):
    role_pages = [path for path in pages if "/wat-doe-ik-als-" in path]
    assert len(role_pages) >= 20
    for path in role_pages:
        assert all(f'href="../{s}/"' in pages[path] for s in SITUATIONS), path


def test_version_pages_have_no_entry(pages):
    """A stable page of a version shows that version; the situation pages show the version in force."""
    for path, content in pages.items():
        if "/versies/" in path:
            assert "situation-entry" not in content, path


def test_the_comparison_has_a_row_per_situation(pages):
    page = pages["vergelijken/index.md"]
    for situation_id in SITUATIONS:
        row = re.search(rf'<tr data-key="situatie-{situation_id}".*?</tr>', page, flags=re.S).group(0)
        covered = re.findall(r'data-situation="[^"]+" data-covered="(ja|nee)"', row)
        labels = re.findall(r'data-label="([^"]+)"', row)
        assert len(covered) == len(labels) == len(COVERED)
    # Cells say where the protocol answers it and who acts, or that it does not (written out by hand).
    row = re.search(r'data-key="situatie-zorg-over-een-medewerker".*?</tr>', page, flags=re.S).group(0)
    cells = [text_of(cell) for cell in re.findall(r'data-covered="(?:ja|nee)">(.*?)</td>', row, flags=re.S)]
    assert cells == [
        "Ja: stap 1; onderdeel “Definities”, “medewerker”; onderdeel “Tot slot”. Wie: de schooldirectie en het bestuur",
        "Nee, het protocol beschrijft dit niet",
        "Ja: stap 1. Wie: de leidinggevende of de directie",
        "Nee, het protocol beschrijft dit niet",
        "Ja: onderdeel “Wat is kindermishandeling?”. Wie: niet genoemd",
    ]
    fragment = json.loads(pages["vergelijken/varianten/prisma-almere.json"])["html"]
    row = re.search(r'<tr data-key="situatie-acuut-gevaar".*?</tr>', fragment, flags=re.S).group(0)
    assert '<td data-label="Meldcode stappenplan Prisma (september 2021)" ' \
           'data-situation="acuut-gevaar" data-covered="nee">Nee, het protocol beschrijft dit niet</td>' in row


def test_situation_pages_are_not_searched_and_name_their_variant(pages):
    for variant_id in COVERED:
        for situation_id in SITUATIONS:
            page = pages[f"varianten/{variant_id}/{situation_id}.md"]
            assert "search:\n  exclude: true" in page
            assert '<a href="../">' in page


# ------------------------------------------------------------------ the blocks of a text


def test_the_blocks_are_the_top_level_ones_and_every_list_item_with_the_words_a_reader_sees():
    text = ("Een **vette** alinea,\nover twee regels.\n\n  \n1. punt een\n   vervolg\n2. punt twee\n   - sub\n\n"
            "> Een citaat\n> - met een lijst\n\n```\ncode\n\nmet een lege regel\n```\n\n[r]: https://x.nl\n\n---\n")
    assert [(b.kind, b.lines, b.words) for b in blocks(text)] == [
        ("paragraph_open", (0, 2), "Een vette alinea, over twee regels."),
        ("list_item_open", (4, 6), "punt een vervolg"),
        ("list_item_open", (6, 9), "punt twee sub"),  # an item's lines end at the next block
        ("list_item_open", (7, 9), "sub"),
        ("blockquote_open", (9, 11), "Een citaat met een lijst"),  # its list is part of the quote
        ("fence", (12, 17), "code met een lege regel"),
        ("hr", (20, 21), ""),  # the reference definition is no block
    ]


# ------------------------------------------------------------------ the model and the loader


@pytest.mark.parametrize("data, message", [
    ({}, "either a step or a section"),
    ({"step": 1, "section": "Tot slot"}, "either a step or a section"),
    ({"step": 1, "item": "medewerker"}, "'item' belongs to a section"),
    ({"step": 6}, "less than or equal to 5"),
    ({"step": 1, "begint": "  "}, "at least 1 character"),
    # The counts are gone, with a message that says what replaces them.
    ({"step": 1, "paragraph": 9}, "'paragraph' is gone: passages are no longer counted; name the block by its "
                                  "first words with 'begint'"),
    ({"step": 3, "list_item": 4}, "'list_item' is gone"),
    ({"section": 3}, "a section is named by its title now, not by its number"),
    ({"section": "Definities", "item": 3}, "an item is named by its title now, not by its number"),
])
def test_a_passage_reference_names_one_place(data, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        PassageRef.model_validate(data)


@pytest.mark.parametrize("bad_id", ["afwegingskader", "kwaliteitscheck", "versies", "wat-doe-ik-als-mentor"])
def test_a_situation_may_not_take_another_pages_name(bad_id):
    data = read_yaml(PROTOCOLS / "situaties.yaml")
    data["situations"][1]["id"] = bad_id
    with pytest.raises(ValidationError, match="name of another page"):
        Situations.model_validate(data)


def test_situation_ids_are_unique():
    data = read_yaml(PROTOCOLS / "situaties.yaml")
    data["situations"][1]["id"] = data["situations"][0]["id"]
    with pytest.raises(ValidationError, match="used twice"):
        Situations.model_validate(data)


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")




# (case, file, old, new, snippet on the line the error must name, words in the message)
BROKEN = [
    # A block named by words it does not begin with, or by words that begin several blocks.
    ("begint-missing", "consent-2018.yaml", '"Signalen van geweld tussen leerlingen onderling"',
     '"Signalen van geweld tussen kinderen"', "Signalen van geweld tussen kinderen",
     ["situations.tussen-leerlingen-onderling.passages[0].begint",
      "no block of step 1 (its hoe) begins with 'Signalen van geweld tussen kinderen'",
      "its blocks begin: 'Breng de signalen die een vermoeden van huiselijk ...'"]),
    ("begint-inside-a-block", "consent-2018.yaml", '"Indien de signalen duiden op kindermishandeling gepleegd',
     '"gepleegd', "begint: \"gepleegd door een medewerker", ["passages[0].begint", "no block of step 1"]),
    ("begint-ambiguous", "consent-2018.yaml", '"Bij signalen die wijzen op acuut en zodanig ernstig geweld"',
     '"Indien"', 'begint: "Indien"',
     ["situations.acuut-gevaar.passages[0].begint", "'Indien' begins 2 blocks of step 2 (its hoe)",
      "at lines 11, 15 of that text", "ambiguous; give more of the first words"]),
    # Sections and items by their titles: exactly one of each.
    ("section-missing", "vo-brochure.yaml", '"De meldcode in de ondersteuningsroute van de school"',
     '"De meldcode in de ondersteuningsroute"', '- section: "De meldcode in de ondersteuningsroute"',
     ["situations.acuut-gevaar.passages[0].section",
      "the protocol has no section titled 'De meldcode in de ondersteuningsroute'",
      "'De meldcode in de ondersteuningsroute van de school'"]),
    ("section-twice", "vo-brochure.yaml", "title: De school is belangrijk", "title: Wat is kindermishandeling?",
     '- section: "Wat is kindermishandeling?"',
     ["situations.zorg-over-een-medewerker.passages[0].section",
      "the protocol has 2 sections titled 'Wat is kindermishandeling?' (numbers 1, 2)"]),
    ("item-missing", "consent-2018.yaml", 'item: "medewerker"', 'item: "medewerkers"', 'item: "medewerkers"',
     ["situations.zorg-over-een-medewerker.passages[1].item",
      "section 'Definities' has no item titled 'medewerkers'", "4 items: 'huiselijk geweld';"]),
    ("item-twice", "consent-2018.yaml", "- title: leerling", "- title: medewerker", 'item: "medewerker"',
     ["passages[1].item", "section 'Definities' has 2 items titled 'medewerker' (numbers 3, 4)"]),
    ("section-without-body", "consent-2018.yaml", '        item: "medewerker"\n', "", '- section: "Definities"',
     ["situations.zorg-over-een-medewerker.passages[1].section",
      "section 'Definities' has no text of its own, only 4 items: name one as 'item'"]),
    ("unknown-situation", "levwn.yaml", "  zorg-over-een-medewerker:\n", "  zorg-over-een-collega:\n",
     "zorg-over-een-collega:", ["unknown situation 'zorg-over-een-collega'", "situaties.yaml"]),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_a_passage_the_protocol_does_not_have_is_refused_with_file_andline_of(protocols, case):
    _, name, old, new, snippet, words = case
    file = protocols / "variants" / name
    _replace(file, old, new)
    assert_refused(protocols, file, snippet, words)


def test_a_situation_rule_must_name_a_situation(protocols):
    file = protocols / "checks.yaml"
    _replace(file, "situation: acuut-gevaar", "situation: acuut-gvaar")
    with pytest.raises(SourceError) as info:
        load(protocols)
    assert f"{file}:{line_of(file, 'acuut-gvaar')}: rules.acuut-gevaar-not-described.situation: unknown situation " \
        "'acuut-gvaar'" in str(info.value)


def test_situaties_yaml_cites_known_sources(protocols):
    _replace(protocols / "situaties.yaml", "[[politie-112]]", "[[politie-911]]")
    with pytest.raises(SourceError, match=r"situaties.yaml:\d+: situations\[0\].national\[0\].source: unknown source"):
        load(protocols)


def test_a_rule_of_kind_situation_names_its_situation(handbook):
    rule = handbook.checks.rules["medewerker-not-described"].model_dump()
    with pytest.raises(ValidationError, match="names its situation"):
        type(handbook.checks.rules["medewerker-not-described"]).model_validate({**rule, "situation": None})
    with pytest.raises(ValidationError, match="names its situation"):
        type(handbook.checks.rules["phone-invalid"]).model_validate(
            {**handbook.checks.rules["phone-invalid"].model_dump(), "situation": "acuut-gevaar"})
