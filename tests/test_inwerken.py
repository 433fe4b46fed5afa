"""The inwerken page and the tool's first screen in Chromium, on the shared seed site.

Every variant's self-check answered by pointer and by keyboard, with JavaScript and without;
the verdict said in a live region; nothing stored, sent or put in the URL; axe 0 and nothing
past the edge of a 360 px phone with every answer open; the leesbevestiging on one A4 with its
version line. And for every variant, where the tool's question 1 and its first answer stand on
a phone and a laptop (issue 34). One browser context per viewport; the variants are looped
inside, so that the module stays a few seconds.
"""

from __future__ import annotations

import io
import itertools
import re

import pytest
from playwright.sync_api import expect

from axe import violations
from conftest import PROTOCOLS, read_yaml, variant_files
from htmltext import squash
from narrow import overflow

pytestmark = pytest.mark.browser

VARIANTS = [read_yaml(path) for path in variant_files()]
CONTACTS = read_yaml(PROTOCOLS / "contacts.yaml")
KADER = read_yaml(PROTOCOLS / "afwegingskader.yaml")
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
PAGE = "varianten/{}/inwerken/"
TOOL = "varianten/{}/afwegingskader/"
BOUNDS = {"phone": (740, 1700), "laptop": (800, 1200)}
"""Where the tool's question 1 ("Vraag 1 van 5") and its first answer must end, from the top of
the page: in the first phone screen and within 1,700 px; on a laptop 800 and 1,200 px."""


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    yield context
    context.close()


class Watch:
    def __init__(self, page, base_url):
        self.foreign, self.errors = [], []
        page.on("request", lambda r: r.url.startswith(base_url) or r.url.startswith(("data:", "blob:"))
                or self.foreign.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))


def _nothing_kept(page, context, url, history):
    assert context.cookies() == []
    assert page.evaluate("""async () => ({
        local: localStorage.length, session: sessionStorage.length,
        idb: (await indexedDB.databases()).length, caches: (await caches.keys()).length,
        workers: (await navigator.serviceWorker.getRegistrations()).length})""") == \
        {"local": 0, "session": 0, "idb": 0, "caches": 0, "workers": 0}
    assert page.url == url and page.evaluate("history.length") == history


def _options(page):
    return page.locator("details[data-selfcheck-option]")


def _check_answer(option, scripted: bool) -> str:
    """The answer just opened says right or not and quotes the protocol; with JavaScript its
    question's live region (role=status) says the verdict. The verdict, for the caller."""
    shown = option.evaluate("""d => {
        const verdict = d.querySelector('[data-verdict]'), quote = d.querySelector('.selfcheck__quote q');
        const status = d.closest('li.selfcheck__question').querySelector('[data-selfcheck-status]');
        return {open: d.open, verdict: verdict.checkVisibility() && verdict.innerText,
                quote: quote.checkVisibility(), role: status.getAttribute('role'), status: status.textContent};
    }""")
    said = squash(shown["verdict"] or "")
    assert shown["open"] and shown["quote"] and said.startswith(("Goed.", "Niet goed.")), shown
    assert shown["role"] == "status"
    status = option.locator("xpath=ancestor::li[contains(@class, 'selfcheck__question')]//*[@data-selfcheck-status]")
    if scripted:  # the toggle event comes in a task of its own, after the click
        expect(status).to_have_text(said)
    else:
        assert shown["status"] == ""
    return said


def test_every_variant_answered_by_pointer_and_by_keyboard_storing_nothing(phone, base_url):
    page = phone.new_page()
    watch = Watch(page, base_url)
    for variant in VARIANTS:
        url = base_url + PAGE.format(variant["id"])
        page.goto(url)
        history = page.evaluate("history.length")
        # Acute danger first: 112 and Veilig Thuis in view on a phone, before scrolling.
        for link in page.locator(".inwerken .afweging__contact a").all()[:2]:
            box = link.bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], variant["id"]
        options = _options(page)
        assert options.count() >= 6, variant["id"]
        right = 0
        for index in range(options.count()):  # by pointer
            option = options.nth(index)
            option.locator("summary").click()
            right += _check_answer(option, scripted=True).startswith("Goed.")
        assert right == page.locator(".selfcheck__question:has(details)").count()  # one right answer each
        page.reload()
        # By keyboard: from the self-check's heading, Tab reaches each answer in turn; Enter opens
        # the first of each question (every answer opened by pointer above).
        page.evaluate("(h) => { h.tabIndex = -1; h.focus(); }", page.locator("#test-uzelf").element_handle())
        firsts = set(page.evaluate("""[...document.querySelectorAll('details[data-selfcheck-option]')]
            .flatMap((d, i) => d.parentElement.previousElementSibling ? [] : [i])"""))
        for index in range(options.count()):
            for _ in range(30):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.matches('details[data-selfcheck-option] > summary')"):
                    break
            focused = page.evaluate("[...document.querySelectorAll('details[data-selfcheck-option]')]"
                                    ".indexOf(document.activeElement.parentElement)")
            assert focused == index, (variant["id"], index, focused)
            if index in firsts:
                page.keyboard.press("Enter")
                _check_answer(options.nth(index), scripted=True)
        _nothing_kept(page, phone, url, history)
        # Print button: shown by the script, a button that prints (no page of its own).
        assert page.get_by_role("button", name="Leesbevestiging afdrukken").is_visible()
    assert watch.foreign == [] and watch.errors == []
    page.close()


def test_without_javascript_every_question_answers_and_nothing_dead_shows(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    for variant in VARIANTS:
        url = base_url + PAGE.format(variant["id"])
        page.goto(url)
        history = page.evaluate("history.length")
        for question in page.locator(".selfcheck__question:has(details)").all():  # one answer each
            option = question.locator("details[data-selfcheck-option]").first
            option.locator("summary").click()
            _check_answer(option, scripted=False)
        assert not page.get_by_role("button", name="Leesbevestiging afdrukken").is_visible()
        assert page.url == url and page.evaluate("history.length") == history and context.cookies() == []
    context.close()


def test_axe_and_360_px_with_every_answer_open(phone, base_url):
    page = phone.new_page()
    for variant in VARIANTS:
        page.goto(base_url + PAGE.format(variant["id"]))
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.removeAttribute('name'); d.open = true; })")
        assert violations(page) == [], variant["id"]
        assert overflow(page) == [], variant["id"]
    page.close()


def test_the_leesbevestiging_prints_alone_on_one_a4_with_its_version(phone, base_url):
    from pypdf import PdfReader

    page = phone.new_page()
    for variant in VARIANTS:
        page.goto(base_url + PAGE.format(variant["id"]))
        page.emulate_media(media="print")
        reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
        assert len(reader.pages) == 1, (variant["id"], len(reader.pages))
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3
        text = squash(reader.pages[0].extract_text())
        assert "Leesbevestiging meldcode-protocol" in text and squash(variant["title"]) in text
        assert f"Versie {variant['version']}, geldig vanaf" in text, text
        for field in ("Naam", "Functie", "Datum", "Handtekening"):
            assert field in text
        assert "Test uzelf" not in text and "Wie bel ik?" not in text  # the form alone
        page.emulate_media(media="screen")
    page.close()


def _first_screen(page) -> dict:
    """Where the tool's question 1, its first answer and what stands around them end (px from
    the top of the page), as the reader first sees it."""
    return page.evaluate("""() => {
        const root = document.querySelector('[data-afwegingskader]');
        const shown = (el) => el.checkVisibility();
        const bottom = (el) => el.getBoundingClientRect().bottom + scrollY;
        const top = (el) => el.getBoundingClientRect().top + scrollY;
        const question = [...root.querySelectorAll('.afweging__progress')].find(shown);
        const node = question.closest('[data-kind="question"]');
        const answer = [...node.querySelectorAll('.afweging__answers :is(a, button)')].find(shown);
        return {
            progress: question.textContent.trim(), question: bottom(question), answer: bottom(answer),
            answerTop: top(answer), acute: bottom(root.querySelector('.afweging__contact')),
            notes: [...node.querySelectorAll('.afweging__note')].map(n => [n.querySelector('.admonition-title').textContent, bottom(n)]),
            after: ['.afweging__privacy', '#wie-bel-ik', '.situation-entry'].map(s => top(document.querySelector(s))),
        };
    }""")


def test_the_tool_asks_its_first_question_in_the_first_screen(phone, base_url):
    """The walk answers from the page's own table at once (D15), so the engine is not loaded here."""
    page = phone.new_page()
    page.route("**/assets/pyodide/**", lambda route: route.abort())
    before = [n["title"] for n in KADER["notes"] if n["placement"] == "voor_vraag_1"]
    for (viewport, (first, answer_bound)), variant in itertools.product(BOUNDS.items(), VARIANTS):
        page.set_viewport_size(PHONE if viewport == "phone" else LAPTOP)
        page.goto(base_url + TOOL.format(variant["id"]))
        at = _first_screen(page)
        assert at["progress"].startswith("Vraag 1 van"), at
        assert at["question"] <= first, (variant["id"], viewport, at)
        assert at["answer"] <= answer_bound, (variant["id"], viewport, at)
        # One line for acute danger above it; what must be read before question 1 stays before
        # its answers, unfolded; the rest comes after the tool, not gone.
        assert at["acute"] < at["question"]
        assert [title for title, _ in at["notes"]] == before
        assert all(end <= at["answerTop"] for _, end in at["notes"])
        assert all(start > at["answer"] for start in at["after"]), at
        assert re.search(r"Bel 112\b", squash(page.locator(".afweging__contact").inner_text()))
    page.close()
