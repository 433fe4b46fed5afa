"""The real built site in real Chromium: clean pages, and the afwegingskader.

Every walk asserts the privacy promise: no cookies, Web Storage, IndexedDB,
Cache Storage or service worker; URL, title and history unchanged; no request
to another origin.
"""

from __future__ import annotations

import re

import pytest

from conftest import PROTOCOLS, read_yaml, variant_files
from test_engine import EXPECTED_PATHS

pytestmark = pytest.mark.browser

KADER = read_yaml(PROTOCOLS / "afwegingskader.yaml")
CONTACTS = read_yaml(PROTOCOLS / "contacts.yaml")
VARIANTS = [read_yaml(path) for path in variant_files()]
OUTCOMES = {o["id"]: o for o in KADER["outcomes"]}


class Watch:
    """Records what a page asks for and complains about."""

    def __init__(self, page, base_url):
        self.base_url = base_url
        self.foreign: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _request(self, request):
        if not request.url.startswith(self.base_url) and not request.url.startswith(("data:", "blob:")):
            self.foreign.append(request.url)


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="nl-NL")
    yield context
    context.close()


def _pages(site_dir):
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        yield "" if rel == "." else rel + "/"


def test_every_page_loads_with_no_foreign_request_and_no_console_error(context, base_url, site_dir):
    page = context.new_page()
    watch = Watch(page, base_url)
    paths = list(_pages(site_dir))
    assert len(paths) >= 2 + 2 * len(VARIANTS)
    for path in paths:
        page.goto(base_url + path, wait_until="load")
        assert page.locator("html").get_attribute("lang") == "nl"
        if path.endswith("afwegingskader/") and path.startswith("varianten/"):
            page.locator('[data-afwegingskader]:not([data-engine="loading"])').wait_for(timeout=60000)
            assert page.locator("[data-afwegingskader]").get_attribute("data-engine") == "ready", path
    assert watch.foreign == []
    assert watch.errors == []


def _privacy(page, context):
    assert context.cookies() == []
    stored = page.evaluate(
        """async () => ({
            local: localStorage.length,
            session: sessionStorage.length,
            idb: (await indexedDB.databases()).length,
            caches: (await caches.keys()).length,
            workers: (await navigator.serviceWorker.getRegistrations()).length,
        })"""
    )
    assert stored == {"local": 0, "session": 0, "idb": 0, "caches": 0, "workers": 0}


def _answer(page, label):
    current = page.locator("[data-afweging-current]")
    current.get_by_role("button", name=re.compile(rf"^{label}\b")).click()


def _expected_outcome_text(variant, outcome_id) -> list[str]:
    outcome = OUTCOMES[outcome_id]
    expected = [" ".join(outcome["text"].split())]
    if outcome["kind"] == "melden":
        region = variant["veilig_thuis"].get("region")
        phone = CONTACTS["veilig_thuis_regions"][region]["phone"] if region else CONTACTS["national"]["phone"]
        expected += [" ".join(variant["melding"]["door"].split()), phone]
    return expected


@pytest.mark.parametrize("variant", VARIANTS, ids=[v["id"] for v in VARIANTS])
def test_every_path_of_the_kader_for_every_variant(context, base_url, variant):
    page = context.new_page()
    watch = Watch(page, base_url)
    url = f"{base_url}varianten/{variant['id']}/afwegingskader/"
    page.goto(url)
    root = page.locator("[data-afwegingskader]")
    root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)
    title, history = page.title(), page.evaluate("history.length")
    live = page.locator("[data-afweging-current]")
    assert live.get_attribute("aria-live") == "polite"
    for answers, outcome_id in EXPECTED_PATHS.items():
        page.get_by_role("button", name="Opnieuw beginnen").click()
        expect_node(root, "vermoeden-wegen")
        for number, label in enumerate(answers, start=1):
            live.get_by_role("heading", name=re.compile(rf"^Vraag {number}:")).wait_for(timeout=10000)
            _answer(page, label)
        expect_node(root, outcome_id)
        text = " ".join(live.inner_text().split())
        for expected in _expected_outcome_text(variant, outcome_id):
            assert expected in text, (answers, expected)
        assert text.count("Antwoord:") == len(answers)  # the path taken is shown
        assert page.get_by_role("button", name="Uitkomst afdrukken").is_visible()
        assert page.url == url and page.title() == title and page.evaluate("history.length") == history
        _privacy(page, context)
    assert watch.foreign == [] and watch.errors == []


def expect_node(root, node_id):
    root.locator(f":scope[data-node='{node_id}']").wait_for(timeout=10000)


def test_question_four_yes_shows_what_to_do_with_question_five(context, base_url):
    page = context.new_page()
    page.goto(f"{base_url}varianten/{VARIANTS[0]['id']}/afwegingskader/")
    page.locator("[data-afwegingskader][data-engine='ready']").wait_for(timeout=60000)
    for label in ("Ja", "Nee", "Ja", "Ja"):
        _answer(page, label)
    expect_node(page.locator("[data-afwegingskader]"), "resultaat")
    text = " ".join(page.locator("[data-afweging-current]").inner_text().split())
    assert "Vraag 5" in text and "benoem casemanager" in text and "termijn" in text
    page.get_by_role("button", name="Vorige vraag").click()
    expect_node(page.locator("[data-afwegingskader]"), "hulp-aanvaard")


def test_an_answer_before_the_engine_is_ready_is_applied_when_it_is(context, base_url):
    page = context.new_page()
    page.goto(f"{base_url}varianten/{VARIANTS[0]['id']}/afwegingskader/", wait_until="domcontentloaded")
    root = page.locator("[data-afwegingskader]")
    assert "Vraag 1" in page.locator("[data-afweging-current]").inner_text()  # in the HTML, at once
    assert root.get_attribute("data-engine") == "loading"
    _answer(page, "Ja")
    expect_node(root, "veiligheid")
    assert root.get_attribute("data-engine") == "ready"


def test_without_webassembly_the_static_kader_works(context, base_url):
    page = context.new_page()
    watch = Watch(page, base_url)
    page.route("**/*.wasm", lambda route: route.abort())
    url = f"{base_url}varianten/{VARIANTS[0]['id']}/afwegingskader/"
    page.goto(url)
    root = page.locator("[data-afwegingskader]")
    root.locator(":scope[data-engine='failed']").wait_for(timeout=60000)
    status = page.locator("[data-afweging-status]")
    assert status.is_visible() and "kon niet starten" in status.inner_text()
    history = page.evaluate("history.length")
    nodes = page.locator("[data-afweging-nodes]")
    nodes.locator("section:visible a", has_text=re.compile(r"^Ja")).click()
    nodes.locator("section:visible a", has_text=re.compile(r"^Ja")).click()  # question 2: ja
    visible = nodes.locator("section:visible")
    assert visible.count() == 1 and "Direct melden" in visible.inner_text()
    assert page.url == url and page.evaluate("history.length") == history
    _privacy(page, context)
    assert watch.foreign == []


def test_without_javascript_the_static_kader_is_there(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}varianten/{VARIANTS[0]['id']}/afwegingskader/")
    nodes = page.locator("[data-afweging-nodes] section")
    assert nodes.count() == len(KADER["questions"]) + len(KADER["outcomes"])
    assert page.locator("[data-afweging-nodes] section:visible").count() == 1
    page.locator("section:visible a", has_text=re.compile(r"^Nee")).click()
    assert "Geen actie nodig" in page.locator("[data-afweging-nodes] section:visible").inner_text()
    context.close()


def test_keyboard_only_completes_a_path(context, base_url):
    page = context.new_page()
    page.goto(f"{base_url}varianten/{VARIANTS[0]['id']}/afwegingskader/")
    root = page.locator("[data-afwegingskader]")
    root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)

    def press_answer(label):
        for _ in range(80):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.dataset.answer || ''")
            if focused == label:
                page.keyboard.press("Enter")
                return
        raise AssertionError(f"no answer {label} reachable by Tab")

    for label in ("Ja", "Nee", "Nee"):
        press_answer(label)
        page.wait_for_timeout(50)
    expect_node(root, "melden-geen-hulp-mogelijk")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.startswith("Uitkomst")  # focus moved to the outcome
