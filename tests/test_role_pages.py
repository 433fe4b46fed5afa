"""The built site, read as HTML: role pages, the contact card, the begrippenlijst,
abbreviations explained in place and sources named by title, never by file name.

Expected roles per step are derived here from the YAML sources (each word of
roles.yaml searched on its own, not with the generator's matcher); one case per
variant is written out by hand from the seed documents.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import PROTOCOLS, read_yaml, variant_files
from htmltext import page_text, squash

VARIANTS = {data["id"]: data for data in (read_yaml(p) for p in variant_files())}
ROLES = read_yaml(PROTOCOLS / "roles.yaml")["roles"]
BEGRIPPEN = read_yaml(PROTOCOLS / "begrippen.yaml")["terms"]
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def _normal(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").lower().split())


def _names(text: str, role: dict) -> bool:
    text = _normal(text)
    return any(re.search(r"(?<!\w)" + re.escape(_normal(word)) + r"(?!\w)", text) for word in role["words"])


def _expected() -> dict[tuple[str, str], list[int]]:
    """(variant id, role id) -> the step numbers whose wie names the role."""
    found = {}
    for variant_id, data in VARIANTS.items():
        for role in ROLES:
            steps = [step["number"] for step in data["steps"] if _names(step["wie"], role)]
            if steps:
                found[(variant_id, role["id"])] = steps
    return found


EXPECTED = _expected()


def _role_page(site_dir, variant_id, role_id) -> Path:
    return site_dir / "varianten" / variant_id / f"wat-doe-ik-als-{role_id}" / "index.html"


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_seeds_name_roles_in_every_variant():
    assert {variant_id for variant_id, _ in EXPECTED} == set(VARIANTS)
    assert len(EXPECTED) >= 20


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=[f"{v}-{r}" for v, r in sorted(EXPECTED)])
def test_role_page_lists_exactly_the_steps_whose_wie_names_the_role(site_dir, key):
    variant_id, role_id = key
    data = VARIANTS[variant_id]
    html = _role_page(site_dir, variant_id, role_id).read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r'<h2 id="stap-(\d)"', html)]
    assert numbers == EXPECTED[key]
    sections = re.findall(r'<section class="role-step".*?</section>', html, flags=re.S)
    assert len(sections) == len(numbers)
    variant_html = (site_dir / "varianten" / variant_id / "index.html").read_text(encoding="utf-8")
    for number, section in zip(numbers, sections, strict=True):
        step = data["steps"][number - 1]
        text = _compact(re.sub(r"<[^>]+>", "", section))
        assert _compact(f"Stap {number}: {step['wat']}") in text.replace("&amp;", "&")
        assert _compact(step["wie"]) in text
        assert "<mark>" in section  # the role, marked in the protocol's own wie
        assert f'href="../#stap-{number}"' in section and f'id="stap-{number}"' in variant_html


@pytest.mark.parametrize("variant_id", sorted(VARIANTS))
def test_variant_page_links_its_role_pages_and_no_others(site_dir, variant_id):
    html = (site_dir / "varianten" / variant_id / "index.html").read_text(encoding="utf-8")
    line = re.search(r'<p class="role-links">.*?</p>', html, flags=re.S).group(0)
    linked = re.findall(r'href="wat-doe-ik-als-([a-z-]+)/"', line)
    assert linked == [role["id"] for role in ROLES if (variant_id, role["id"]) in EXPECTED]
    pages = {p.parent.name.removeprefix("wat-doe-ik-als-")
             for p in (site_dir / "varianten" / variant_id).glob("wat-doe-ik-als-*/index.html")}
    assert pages == set(linked)
    assert html.index('class="role-links"') < html.index('<h2 id="stappenplan"')  # near the top


# One case per variant, written out by hand from the seed documents:
# (variant, role, steps, words of the wie that are marked, a sentence of hoe shown).
HAND = [
    ("flevoland-kwaliteitskaart", "intern-begeleider", [1, 2, 3, 4, 5], "intern begeleider",
     "Dit wordt bij VT geregistreerd op naam van de directie of IB’er."),  # 000_*, stap 2
    ("vo-brochure", "mentor", [1, 2, 3, 5], "mentoren",
     "Dat kan de mentor zelf zijn, maar vaker is dat de zorgcoördinator, aandachtfunctionaris of schoolleider."),  # 001_*, stap 5
    ("levwn", "intern-begeleider", [1, 2, 3, 5], "IB-er",
     "De IB-er stelt de directeur van het vermoeden op de hoogte (zorgteam)."),  # 002_*, stap 2
    ("prisma-almere", "schoolmaatschappelijk-werker", [2], "School-maatschappelijk werker",
     "De leerkracht en de intern begeleider bespreken de signalen met de Schoolmaatschappelijk werker of het zorg team."),  # 003_*
    ("consent", "bevoegd-gezag", [4], "bevoegd gezag",
     "Het bevoegd gezag van mijn school is op de hoogte (de schoolleider)."),  # 004_*, afweging 1
]


@pytest.mark.parametrize("case", HAND, ids=[c[0] for c in HAND])
def test_a_role_page_in_the_protocols_own_words(site_dir, case):
    variant_id, role_id, steps, marked, sentence = case
    html = _role_page(site_dir, variant_id, role_id).read_text(encoding="utf-8")
    assert [int(n) for n in re.findall(r'<h2 id="stap-(\d)"', html)] == steps
    assert re.search(r"<mark>(?:<abbr[^>]*>)?" + re.escape(marked) + r"(?:</abbr>)?</mark>", html)
    items = [_compact(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li>(.*?)</li>", html, flags=re.S)]
    assert _compact(sentence) in items


@pytest.fixture(scope="module")
def print_page(browser):
    """One tab for every role page's print: a new tab per page cost more CPU than its PDF."""
    page = browser.new_page()
    page.emulate_media(media="print")
    yield page
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("key", sorted(EXPECTED), ids=[f"{v}-{r}" for v, r in sorted(EXPECTED)])
def test_a_role_page_prints_on_one_a4_page(print_page, base_url, key):
    import io

    from pypdf import PdfReader

    variant_id, role_id = key
    print_page.goto(f"{base_url}varianten/{variant_id}/wat-doe-ik-als-{role_id}/")
    reader = PdfReader(io.BytesIO(print_page.pdf(format="A4", prefer_css_page_size=True)))
    assert len(reader.pages) == 1  # the seeds' role pages fit one A4
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595) < 3 and abs(height - 842) < 3
    text = squash(reader.pages[0].extract_text())
    assert "Wat doe ik als" in text and "Zoeken" not in text  # the page, not the site's chrome
    for number in EXPECTED[key]:
        assert f"Stap {number}" in text


# ------------------------------------------------------------------ contact card


@pytest.mark.parametrize("variant_id", sorted(VARIANTS))
@pytest.mark.parametrize("page", ["index.html", "afwegingskader/index.html"])
def test_contact_card_on_the_variant_page_and_in_its_tool(site_dir, variant_id, page):
    data = VARIANTS[variant_id]
    html = (site_dir / "varianten" / variant_id / page).read_text(encoding="utf-8")
    card = re.search(r'<section class="contact-card".*?</section>', html, flags=re.S).group(0)
    text = squash(re.sub(r"<[^>]+>", " ", card))
    contacts = read_yaml(PROTOCOLS / "contacts.yaml")
    assert "Wie bel ik?" in text and 'href="tel:112"' in card
    assert contacts["national"]["phone"] in text
    region = data["veilig_thuis"]["region"]
    if region:
        facts = contacts["veilig_thuis_regions"][region]
        assert facts["name"] in text and facts["phone"] in text
        if facts.get("melding_portal"):
            assert facts["melding_portal"] in text
    for key in ("phone_as_written", "website_as_written"):
        if data["veilig_thuis"].get(key):
            assert data["veilig_thuis"][key] in text
    assert _compact(data["melding"]["door"]) in _compact(text)
    for contact in data.get("contacts", []):
        assert contact["name"] in text
        if contact.get("email"):
            assert f'href="mailto:{contact["email"]}"' in card


# ------------------------------------------------------------------ begrippen and abbreviations


def test_begrippen_page_has_every_term_with_its_source(site_dir):
    text = page_text(site_dir / "begrippen" / "index.html")
    sources = read_yaml(PROTOCOLS / "sources.yaml")["sources"]
    for term in BEGRIPPEN:
        assert squash(term["term"]) in text
        assert _compact(term["definition"]) in _compact(text)
        for source_id in re.findall(r"\[\[([^\]]+)\]\]", term["reference"]):
            assert squash(sources[source_id]["name"]) in text
    amk = next(t for t in BEGRIPPEN if "AMK" in t.get("abbreviations", []))
    assert "Bestaat niet meer." in text and squash(amk["replaced_by"]) in text
    nav = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="begrippen/"' in nav


class _Article(HTMLParser):
    """Text of <article> outside <abbr> (and code, script, style), and each <abbr>."""

    SKIP = {"code", "pre", "script", "style", "kbd", "samp", "template", "textarea", "svg"}

    def __init__(self):
        super().__init__()
        self.depth = self.skip = 0
        self.abbr = None
        self.outside: list[str] = []
        self.abbrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        elif tag in self.SKIP:
            self.skip += 1
        elif tag == "abbr":
            self.abbr = [dict(attrs).get("title"), ""]

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        elif tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag == "abbr" and self.abbr:
            self.abbrs.append(tuple(self.abbr))
            self.abbr = None

    def handle_data(self, data):
        if self.abbr is not None:
            self.abbr[1] += data
        elif self.depth and not self.skip:
            self.outside.append(data)
        self.outside.append(" ")


def test_every_abbreviation_is_explained_where_it_occurs(site_dir):
    glossary = {a: t.get("tooltip") or t["term"] for t in BEGRIPPEN for a in t.get("abbreviations", [])}
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(glossary, key=len, reverse=True))) + r")(?!\w)")
    seen: dict[str, int] = {}
    pages = sorted(p for p in site_dir.rglob("*.html") if "assets" not in p.parts)
    for page in pages:
        article = _Article()
        article.feed(page.read_text(encoding="utf-8"))
        unexplained = pattern.findall("".join(article.outside))
        assert unexplained == [], f"{page.relative_to(site_dir)}: {unexplained}"
        for title, word in article.abbrs:
            assert glossary[word] == title, (page, word)
            seen[word] = seen.get(word, 0) + 1
    # The seeds use these abbreviations; each is explained on the pages that use it.
    for word in ("AMK", "VT", "IB-er", "IB’er", "ZAT", "CJG", "AVG", "HG"):
        assert seen.get(word), word


def test_no_page_shows_a_source_file_name(site_dir):
    """Every built file a reader can reach (HTML, the search index's page fragments, the JSON fragments)."""
    texts = [p for p in site_dir.rglob("*") if p.suffix in {".html", ".json", ".xml", ".txt", ".md"}
             and "pyodide" not in p.parts]
    assert any(p.suffix == ".json" and "vergelijken" in p.parts for p in texts)
    found = {str(p.relative_to(site_dir)): SEED_FILE.findall(p.read_text(encoding="utf-8")) for p in texts}
    # Pagefind's fragments (what a search result shows of a page) are gzipped JSON.
    fragments = sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert fragments
    for fragment in fragments:
        text = gzip.decompress(fragment.read_bytes()).decode("utf-8")
        found[str(fragment.relative_to(site_dir))] = SEED_FILE.findall(text)
    assert {k: v for k, v in found.items() if v} == {}
