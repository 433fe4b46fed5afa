"""What changed, for whom, and until when (README, "Versions, changes and editions"; D33): the
"Wijzigingen" page and the Atom feeds (read by feedparser), the "Lees opnieuw" period, review
dates and owner on the variant page, and the notice on the role pages whose steps changed.

A 2024 version of the Prisma protocol is added to a copy of protocols/ (as tests/test_versions.py
does): only step 2 changes, and its wie names other roles than before.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import feedparser
import pytest

from conftest import PROTOCOLS, read_yaml
from generator.checks import run_checks
from generator.model.loader import SourceError, load
from generator.site.pages import render_pages

OLD = "prisma-almere-2021.yaml"
OLD_WIE = "Leerkracht intern begeleider en School-maatschappelijk werker of zorg team"
NEW_WIE = "Leerkracht en aandachtsfunctionaris"
NOTE = "Stap 2 aangepast: de aandachtsfunctionaris."
ROLES = read_yaml(PROTOCOLS / "roles.yaml")["roles"]


def _with_new_version(protocols, extra: str = "") -> None:
    text = (protocols / "variants" / OLD).read_text(encoding="utf-8")
    text = text.replace('version: "september-2021"', 'version: "augustus-2024"')
    text = text.replace("valid_from: 2021-09-01", f"valid_from: 2024-08-01\nchange_note: \"{NOTE}\"\n{extra}")
    assert OLD_WIE in text
    text = text.replace(f"wie: {OLD_WIE}", f"wie: {NEW_WIE}")
    (protocols / "variants" / "prisma-almere-2024.yaml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def handbook(tmp_path_factory):
    protocols = tmp_path_factory.mktemp("changes") / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    _with_new_version(protocols, "lees_opnieuw: true\nvastgesteld: 2024-07-02\neigenaar: directie\n"
                                 "herzien_voor: 2025-08-01")
    return load(protocols)


def pages_on(handbook, day: dt.date, **options) -> dict[str, str]:
    return {p.path: p.content for p in render_pages(handbook, run_checks(handbook, day), day, **options)}


@pytest.fixture(scope="module")
def pages(handbook):
    return pages_on(handbook, dt.date(2024, 9, 15))


def _rows(markdown: str) -> list[str]:
    return re.findall(r'<tr><th scope="row".*?</tr>', markdown)


def test_the_changes_page_lists_the_new_version_first_with_date_note_and_diff(pages):
    page = pages["wijzigingen/index.md"]
    rows = _rows(page)
    assert len(rows) == 6  # the five seeds and the new version
    first = rows[0]
    assert "Meldcode stappenplan" in first or "Prisma" in first
    assert "1 augustus 2024" in first and "augustus-2024" in first
    assert "Stap 2 aangepast: de aandachtsfunctionaris." in first
    assert 'href="../varianten/prisma-almere/versies/augustus-2024/verschil/"' in first
    assert "Lees deze versie helemaal opnieuw." in first
    # Newest first, by month, the undated seeds last.
    headings = re.findall(r"^## (.+)$", page, flags=re.M)
    assert headings == ["Augustus 2024", "September 2021", "Oktober 2018", "Zonder datum"]
    assert "Nieuw in het handboek." in rows[1]  # the 2021 version: the first of its protocol
    assert "[Atom-feed van het hele handboek](feed.xml)" in page


def _feed(text: str):
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


@pytest.mark.parametrize("path", ["wijzigingen/feed.xml", "varianten/prisma-almere/feed.xml"])
def test_both_feeds_list_the_new_version_with_its_date_and_note(pages, path):
    feed = _feed(pages[path])
    entry = feed.entries[0]
    assert entry.title.endswith(": versie augustus-2024")
    assert entry.updated_parsed[:3] == (2024, 8, 1)
    assert NOTE in entry.summary and "1 augustus 2024" in entry.summary and "vervangt versie september-2021" in entry.summary
    assert entry.id.startswith("tag:") and entry.id.endswith("varianten/prisma-almere/versies/augustus-2024/")
    links = {link.rel: link.href for link in entry.links}
    assert links["related"].endswith("versies/augustus-2024/verschil/")
    assert feed.feed.updated_parsed[:3] == (2024, 8, 1)  # the newest entry's date, not the clock
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids))


def test_the_variant_feed_holds_only_its_own_versions(pages):
    feed = _feed(pages["varianten/prisma-almere/feed.xml"])
    assert [e.title.rsplit(" ", 1)[-1] for e in feed.entries] == ["augustus-2024", "september-2021"]
    handbook_feed = _feed(pages["wijzigingen/feed.xml"])
    # The undated seeds cannot be dated in a feed; the dated ones are there, newest first.
    assert [e.updated_parsed[:3] for e in handbook_feed.entries] == [(2024, 8, 1), (2021, 9, 1), (2018, 10, 30)]


def test_feeds_are_the_same_on_another_day_and_absolute_under_a_site_url(handbook, pages):
    later = pages_on(handbook, dt.date(2025, 3, 1))
    assert later["wijzigingen/feed.xml"] == pages["wijzigingen/feed.xml"]
    hosted = pages_on(handbook, dt.date(2025, 3, 1), site_url="https://handboek.example.nl/")
    feed = _feed(hosted["varianten/prisma-almere/feed.xml"])
    assert feed.entries[0].link == "https://handboek.example.nl/varianten/prisma-almere/versies/augustus-2024/"
    assert feed.entries[0].id == "tag:handboek.example.nl,2026:varianten/prisma-almere/versies/augustus-2024/"
    relative = _feed(pages["varianten/prisma-almere/feed.xml"])
    assert relative.entries[0].link == "versies/augustus-2024/"  # resolved by the reader against the feed


XML_TEXT = '<x a="1">&amp; ]]> <![CDATA[ &#xFFFE; &e; <!-- -- \U0001F600 \uFFFD \'"'
"""What XML reads as markup, references or a section end, and characters beyond the first plane."""


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_every_feed_is_xml_with_each_text_as_written(tmp_path):
    """Title, version and change note full of what XML reads as markup: both feeds parse (etree,
    sax, feedparser) and their titles and summary hold the texts exactly as written."""
    import xml.etree.ElementTree as ET
    import xml.sax

    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    _with_new_version(protocols)
    new = protocols / "variants" / "prisma-almere-2024.yaml"
    title, version, note = f"Prisma {XML_TEXT}", "2024 <&>]]>'\"", f"Stap 2 {XML_TEXT}"
    text = new.read_text(encoding="utf-8")
    text = text.replace("title: Meldcode stappenplan Prisma (september 2021)", f"title: {_yaml_string(title)}")
    text = text.replace('version: "augustus-2024"', f"version: {_yaml_string(version)}")
    text = text.replace(f'change_note: "{NOTE}"', f"change_note: {_yaml_string(note)}")
    new.write_text(text, encoding="utf-8")
    pages = pages_on(load(protocols), dt.date(2024, 9, 15))
    feeds = [path for path in pages if path.endswith(".xml")]
    assert len(feeds) == 6
    for path in feeds:
        xml.sax.parseString(pages[path].encode("utf-8"), xml.sax.ContentHandler())
        _feed(pages[path])
        root = ET.fromstring(pages[path].encode("utf-8"))
        entries = root.findall("{http://www.w3.org/2005/Atom}entry")
        mine = [e for e in entries if e.findtext("{http://www.w3.org/2005/Atom}title").startswith("Prisma <x")]
        assert len(mine) == (1 if path in ("wijzigingen/feed.xml", "varianten/prisma-almere/feed.xml") else 0), path
        for entry in mine:
            assert entry.findtext("{http://www.w3.org/2005/Atom}title") == f"{title}: versie {version}"
            assert f"Wijziging: {note}" in entry.findtext("{http://www.w3.org/2005/Atom}summary")
    assert "Wijzigingen in het protocol " + title == ET.fromstring(
        pages["varianten/prisma-almere/feed.xml"].encode("utf-8")).findtext("{http://www.w3.org/2005/Atom}title")


@pytest.mark.parametrize("field", ["title", "version", "change_note"])
@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0"])
def test_a_text_that_loads_never_breaks_a_feed(tmp_path, field, char):
    """A character XML 1.0 cannot carry (or Unicode calls no character) in a title, version or
    change note made every feed unreadable while ``check`` and the build passed: the sources
    are refused, or else every feed still parses."""
    import xml.etree.ElementTree as ET

    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    _with_new_version(protocols)
    new = protocols / "variants" / "prisma-almere-2024.yaml"
    escape = f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"
    old = {"title": "title: Meldcode stappenplan Prisma (september 2021)",
           "version": 'version: "augustus-2024"', "change_note": f'change_note: "{NOTE}"'}[field]
    new.write_text(new.read_text(encoding="utf-8").replace(old, f'{field}: "Prisma 2024 {escape} stap 2"'),
                   encoding="utf-8")
    try:
        handbook = load(protocols)
    except SourceError as exc:
        assert "prisma-almere-2024.yaml" in str(exc) and f"U+{ord(char):04X}" in str(exc)
        return
    pages = pages_on(handbook, dt.date(2024, 9, 15))
    for path in [path for path in pages if path.endswith(".xml")]:
        ET.fromstring(pages[path].encode("utf-8"))


def _banner(markdown: str) -> bool:
    return '!!! warning "Lees dit protocol opnieuw, helemaal"' in markdown


@pytest.mark.parametrize("day, shown", [
    (dt.date(2024, 7, 31), False),  # not yet in force
    (dt.date(2024, 8, 1), True),
    (dt.date(2024, 10, 31), True),  # three months: to the day before 1 November
    (dt.date(2024, 11, 1), False),
])
def test_the_read_again_banner_shows_for_three_months(handbook, day, shown):
    pages = pages_on(handbook, day)
    assert _banner(pages["varianten/prisma-almere/index.md"]) is shown
    assert not _banner(pages["varianten/prisma-almere/versies/september-2021/index.md"])


def test_review_date_and_owner_near_the_top_of_the_variant_page(handbook, pages):
    page = pages["varianten/prisma-almere/index.md"]
    facts = page[:page.index("## Stappenplan")]
    assert "<dt>Vastgesteld</dt>\n<dd>2 juli 2024</dd>" in facts
    assert "<dt>Eigenaar</dt>\n<dd>Directie</dd>" in facts
    assert "<dt>Herzien vóór</dt>\n<dd>1 augustus 2025</dd>" in facts
    overdue = pages_on(handbook, dt.date(2025, 8, 2))["varianten/prisma-almere/index.md"]
    assert "1 augustus 2025 <strong>(deze datum is voorbij)</strong>" in overdue
    assert "Het protocol noemt geen datum waarop het opnieuw bekeken wordt." in pages["varianten/consent/index.md"]


def _names(text: str, role: dict) -> bool:
    """A role's words searched one by one (not with the generator's matcher)."""
    low = " ".join(text.replace("\u2019", "'").lower().split())
    return any(re.search(r"(?<!\w)" + re.escape(" ".join(w.lower().split())) + r"(?!\w)", low) for w in role["words"])


def test_the_role_notice_appears_only_for_roles_whose_steps_changed(handbook, pages):
    new = handbook.current("prisma-almere", dt.date(2024, 9, 15))
    step_wie = {s.number: s.wie for s in new.steps}
    pages_of = {role["id"]: pages.get(f"varianten/prisma-almere/wat-doe-ik-als-{role['id']}.md") for role in ROLES}
    with_page = {rid for rid, page in pages_of.items() if page}
    # Only step 2 changed: a role's part changed exactly when step 2's wie names it, before or after.
    changed = {role["id"] for role in ROLES if _names(OLD_WIE, role) or _names(NEW_WIE, role)} & with_page
    assert changed and with_page - changed  # both kinds are there
    for role_id in with_page:
        page = pages_of[role_id]
        assert ("Uw deel is gewijzigd op 1 augustus 2024" in page) is (role_id in changed), role_id
    for role_id in changed:
        diff = pages[f"varianten/prisma-almere/versies/augustus-2024/verschil-wat-doe-ik-als-{role_id}.md"]
        numbers = [int(n) for n in re.findall(r"^## Stap (\d)$", diff, flags=re.M)]
        role = next(r for r in ROLES if r["id"] == role_id)
        old_wie = {**step_wie, 2: OLD_WIE}
        assert numbers == [n for n in range(1, 6) if _names(step_wie[n], role) or _names(old_wie[n], role)]
        assert "<del>" in diff and "<ins>" in diff
        assert f'href="../versies/augustus-2024/verschil-wat-doe-ik-als-{role_id}/"' in pages_of[role_id]
    assert not any(p.startswith("varianten/prisma-almere/versies/augustus-2024/verschil-wat-doe-ik-als-")
                   and p.rsplit("-als-", 1)[1][:-3] not in changed for p in pages)


def test_an_unknown_owner_and_a_reread_without_a_note_are_refused(tmp_path):
    protocols = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    file = protocols / "variants" / "levwn.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace('version: "1"', 'version: "1"\neigenaar: concierge'), encoding="utf-8")
    with pytest.raises(SourceError, match=r"levwn\.yaml:7: eigenaar: unknown role 'concierge' \(known in roles\.yaml: leerkracht, "):
        load(protocols)
    file.write_text(text.replace('version: "1"', 'version: "1"\nlees_opnieuw: true'), encoding="utf-8")
    with pytest.raises(SourceError, match=r"lees_opnieuw.*needs a change_note"):
        load(protocols)


# ------------------------------------------------------------------ the built site

SITE_URL = "https://handboek.example.nl/"


@pytest.fixture(scope="module")
def hosted(build, tmp_path_factory):
    """The site with the new version, built as of 15 September 2024 for a handbook at SITE_URL."""
    tmp = tmp_path_factory.mktemp("hosted")
    protocols = tmp / "protocols"
    shutil.copytree(PROTOCOLS, protocols)
    _with_new_version(protocols, "lees_opnieuw: true\neigenaar: directie\nherzien_voor: 2025-08-01")
    site = tmp / "site"
    result = build(site, protocols=protocols, env={"MELDCODE_BUILD_DATE": "2024-09-15", "MELDCODE_SITE_URL": SITE_URL})
    assert result.returncode == 0, result.stderr
    return site


NEW_PAGES = ["wijzigingen/", "varianten/prisma-almere/", "varianten/prisma-almere/versies/",
             "varianten/prisma-almere/wat-doe-ik-als-leerkracht/",
             "varianten/prisma-almere/versies/augustus-2024/verschil-wat-doe-ik-als-leerkracht/"]


def test_the_built_feeds_are_atom_with_absolute_links_and_every_page_links_them(hosted):
    for path in ("wijzigingen/feed.xml", "varianten/prisma-almere/feed.xml"):
        feed = _feed((hosted / path).read_text(encoding="utf-8"))
        assert feed.entries[0].link == SITE_URL + "varianten/prisma-almere/versies/augustus-2024/"
        assert feed.feed.id.startswith("tag:handboek.example.nl,2026:")
    head = (hosted / "varianten" / "prisma-almere" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate feed" type="application/atom+xml" title="Wijzigingen in het Meldcode-handboek" ' \
           'href="../../wijzigingen/feed.xml">' in head
    assert '<link rel="alternate feed" type="application/atom+xml" title="Wijzigingen in dit protocol" href="feed.xml">' in head
    other = (hosted / "begrippen" / "index.html").read_text(encoding="utf-8")
    assert 'href="../wijzigingen/feed.xml"' in other and "Wijzigingen in dit protocol" not in other
    note = re.search(r'<div class="print-note">(.*?)</div>', head, flags=re.S).group(1)
    assert "Protocol: versie augustus-2024." in note and "gebouwd op 15 september 2024" in note
    assert f"kijk op {SITE_URL}varianten/prisma-almere/ of er een nieuwere versie is" in note


@pytest.mark.browser
def test_the_new_pages_pass_axe_and_fit_360_px(hosted, browser):
    from axe import violations
    from conftest import serve
    from narrow import overflow

    server, url = serve(hosted)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    found = {}
    for path in NEW_PAGES:
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        if problems := overflow(page) + violations(page):
            found[path] = problems[:5]
    context.close()
    server.shutdown()
    assert found == {}
