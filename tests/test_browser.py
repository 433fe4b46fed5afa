"""The real built site in real Chromium: clean pages, and the afwegingskader.

Every walk asserts the privacy promise: no cookies, Web Storage, IndexedDB,
Cache Storage or service worker; URL, title and history unchanged; no request
to another origin.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest

from conftest import PAGE_SHARDS, PROTOCOLS, built_pages, read_yaml, shard, variant_files
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


@pytest.mark.parametrize("part", range(PAGE_SHARDS))
def test_every_page_loads_with_no_foreign_request_and_no_console_error(context, base_url, site_dir, part):
    page = context.new_page()
    watch = Watch(page, base_url)
    paths = built_pages(site_dir)
    assert len(paths) >= 2 + 2 * len(VARIANTS)
    # A tool page is left at "load", its engine still starting: that every variant's engine
    # starts and asks nothing of another origin, test_every_path_of_the_kader_for_every_variant shows.
    for path in shard(paths, part):
        page.goto(base_url + path, wait_until="load")
        assert page.locator("html").get_attribute("lang") == "nl"
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


QUESTIONS = {q["id"]: q for q in KADER["questions"]}


def rotating(*cases, start=0):
    """Each case with a variant of its own, in turn from VARIANTS[start]: the tool's controls,
    nodes and routing are the same on every variant's page (test_site.py,
    ..._so_one_variant_stands_for_all), so a behaviour needs one variant, and every variant still
    takes part in some."""
    params = []
    for n, case in enumerate(cases, start=start):
        variant = VARIANTS[n % len(VARIANTS)]
        params.append(pytest.param(variant, case, id=f"{variant['id']}-{case}"))
    return params
ROUTES = {q["id"]: {a["label"]: a["next"] for a in q["answers"]} for q in KADER["questions"]}
TOOL = "varianten/{}/afwegingskader/"
# One path that asks every question (Ja, Nee, Ja, Ja, Ja), with where each answer leads.
LONGEST = [("vermoeden-wegen", "Ja"), ("veiligheid", "Nee"), ("hulp-mogelijk", "Ja"),
           ("hulp-aanvaard", "Ja"), ("resultaat", "Ja")]


def _open(context, base_url, variant, hold_engine=False):
    """The tool page; with hold_engine, Pyodide's .wasm waits until release() is called."""
    page = context.new_page()
    watch = Watch(page, base_url)
    held, released = [], []
    if hold_engine:
        page.route("**/*.wasm", lambda route: route.continue_() if released else held.append(route))
    page.goto(base_url + TOOL.format(variant["id"]))
    root = page.locator("[data-afwegingskader]")
    page.title_before = page.title()
    page.history_before = page.evaluate("history.length")

    def release():
        released.append(True)
        for route in held:
            route.continue_()

    return page, root, watch, release


def _settled(root):
    root.locator(":scope[data-settled='true']").wait_for(timeout=10000)


def _button(page, label):
    return page.locator("[data-afweging-current]").get_by_role("button", name=re.compile(rf"^{label}\b"))


def _answer(page, label):
    """A deliberate click: after the question has been on screen for a moment."""
    _settled(page.locator("[data-afwegingskader]"))
    _button(page, label).click()


def expect_node(root, node_id):
    root.locator(f":scope[data-node='{node_id}']").wait_for(timeout=10000)


def _shows(page, root, node_id):
    """The screen shows exactly this node: data-node, and the visible heading of that node."""
    expect_node(root, node_id)
    heading = page.locator("[data-afweging-current] h2")
    assert heading.count() == 1 and heading.is_visible()
    text = " ".join(heading.inner_text().split())
    if node_id in QUESTIONS:
        q = QUESTIONS[node_id]
        assert text == f"Vraag {q['number']} van {len(QUESTIONS)}: {q['title']} {' '.join(q['text'].split())}", text
    else:
        assert text == f"Uitkomst: {OUTCOMES[node_id]['title']}", text


def _unchanged(page, context, url):
    assert page.url == url
    assert page.title() == page.title_before
    assert page.evaluate("history.length") == page.history_before
    _privacy(page, context)


def _expected_outcome_text(variant, outcome_id) -> list[str]:
    outcome = OUTCOMES[outcome_id]
    expected = [" ".join(outcome["text"].split())]
    region = variant["veilig_thuis"].get("region")
    phone = CONTACTS["veilig_thuis_regions"][region]["phone"] if region else CONTACTS["national"]["phone"]
    expected.append(phone)
    if outcome["kind"] == "melden":
        expected.append(" ".join(variant["melding"]["door"].split()))
    # The afwegingsverslag: which protocol, which version, and no names.
    expected += ["Afwegingsverslag", " ".join(variant["title"].split()), str(variant["version"]),
                 "Dit verslag bevat geen namen"]
    return expected


@pytest.mark.parametrize("variant, how", [(v, "pointer" if n == 0 else "keyboard") for n, v in enumerate(VARIANTS)],
                         ids=[f'{v["id"]}-{"pointer" if n == 0 else "keyboard"}' for n, v in enumerate(VARIANTS)])
def test_every_path_of_the_kader_for_every_variant(context, base_url, variant, how):
    """Every path and its outcome in each variant's words; by pointer (each click after the
    question has been on screen a moment) on one variant, by keyboard on the others."""
    page, root, watch, _ = _open(context, base_url, variant)

    def choose(name):
        if how == "pointer":
            _settled(root)
            page.get_by_role("button", name=name).click()
        else:
            page.get_by_role("button", name=name).press("Enter")

    url = page.url
    root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)
    live = page.locator("[data-afweging-current]")
    assert live.get_attribute("aria-live") == "polite"
    for answers, outcome_id in EXPECTED_PATHS.items():
        if page.get_by_role("button", name="Opnieuw beginnen").is_visible():
            choose("Opnieuw beginnen")
        _shows(page, root, "vermoeden-wegen")
        node = "vermoeden-wegen"
        for label in answers:
            if how == "pointer":
                _answer(page, label)
            else:
                _button(page, label).press("Enter")
            node = ROUTES[node][label]
            _shows(page, root, node)
        assert node == outcome_id
        text = " ".join(live.inner_text().split())
        for expected in _expected_outcome_text(variant, outcome_id):
            assert expected in text, (answers, expected)
        # "Uw antwoorden": each question with its answer and a Wijzig button naming it.
        rows = live.locator(".afweging__summary-row")
        assert rows.count() == len(answers)
        for number, (row, label) in enumerate(zip(rows.all(), answers, strict=True), start=1):
            assert row.locator("dd").first.inner_text() == label
            assert row.get_by_role("button", name=f"Wijzig antwoord op vraag {number}").count() == 1
        assert page.get_by_role("button", name="Verslag afdrukken").is_visible()
        _unchanged(page, context, url)
    assert watch.foreign == [] and watch.errors == []
    assert root.get_attribute("data-engine") == "ready"


def test_question_four_yes_shows_what_to_do_with_question_five(context, base_url):
    page, root, _, _ = _open(context, base_url, VARIANTS[0])
    root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)
    for label in ("Ja", "Nee", "Ja", "Ja"):
        _answer(page, label)
    _shows(page, root, "resultaat")
    text = " ".join(page.locator("[data-afweging-current]").inner_text().split())
    assert "Vraag 5 van 5" in text and "benoem casemanager" in text and "termijn" in text
    _settled(root)
    page.get_by_role("button", name="Vorige vraag").click()
    _shows(page, root, "hulp-aanvaard")
    # Back marks the answer given there.
    assert "Uw eerdere antwoord" in _button(page, "Ja").inner_text()


# ------------------------------------------------------------ one answer per question


def _box_centre(locator):
    """Where a pointer would click this element, in the viewport, scrolled into view."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("variant, phase", rotating("starting", "ready"))
def test_a_double_click_on_each_question_answers_only_that_question(context, base_url, variant, phase):
    page, root, watch, _ = _open(context, base_url, variant, hold_engine=phase == "starting")
    url = page.url
    if phase == "ready":
        root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)
    for node, label in LONGEST:
        _shows(page, root, node)
        _settled(root)
        _button(page, label).dblclick()
        _settled(root)  # the second click had every chance to count
        _shows(page, root, ROUTES[node][label])
    assert root.get_attribute("data-engine") == ("loading" if phase == "starting" else "ready")
    _unchanged(page, context, url)
    assert watch.foreign == [] and watch.errors == []


def _open_with_time_standing_still(context, base_url, variant):
    """The tool page with the engine held and the page's clock stopped before it loads: whatever
    the machine's speed, every click falls in the first moment after a node appears, until
    ``page.clock.run_for`` moves time on."""
    page = context.new_page()
    watch = Watch(page, base_url)
    page.clock.install(time=datetime.datetime(2026, 1, 5, 9, 0))
    page.clock.pause_at(datetime.datetime(2026, 1, 5, 9, 0, 1))
    held = []
    page.route("**/*.wasm", lambda route: held.append(route))
    page.goto(base_url + TOOL.format(variant["id"]))
    page.title_before, page.history_before = page.title(), page.evaluate("history.length")
    return page, page.locator("[data-afwegingskader]"), watch


@pytest.mark.parametrize("variant", VARIANTS[:2], ids=[v["id"] for v in VARIANTS[:2]])
def test_a_click_at_first_paint_answers_question_one(context, base_url, variant):
    """The page shows question 1 (the static kader), the tool swaps in its own copy of it, and the
    reader clicks Ja at once: the same question was on screen, so the click counts (D16)."""
    page, root, watch = _open_with_time_standing_still(context, base_url, variant)
    _shows(page, root, "vermoeden-wegen")  # swapped in: the tool's own buttons
    page.mouse.click(*_box_centre(_button(page, "Ja")))
    _shows(page, root, "veiligheid")
    assert root.get_attribute("data-settled") == "false"  # question 2 is new: its guard runs
    _unchanged(page, context, page.url)
    assert watch.foreign == [] and watch.errors == []


def test_a_click_dropped_by_the_guard_is_shown_and_announced(context, base_url):
    """A click on question 2 in the first moment after it appeared (the second of two quick
    clicks) does not count; the reader is told so, in a live region that was on the page (empty)
    before, and told nothing once a click counts. Question 2 opens at the top of the window, not
    under the pointer, so the second click is aimed at its Ja."""
    page, root, watch = _open_with_time_standing_still(context, base_url, VARIANTS[0])
    _shows(page, root, "vermoeden-wegen")
    page.clock.run_for(1000)  # question 1 has been read
    notice = page.locator("[data-afwegingskader] [role='status']").filter(has_text="Klik nog een keer")
    assert notice.count() == 0
    page.evaluate("""() => {
        for (const el of document.querySelectorAll("[data-afwegingskader] [role=status]"))
            if (el.getClientRects().length && !el.textContent.trim()) el.dataset.testEmptyLiveRegion = "";
    }""")
    page.mouse.click(*_box_centre(_button(page, "Ja")))
    _shows(page, root, "veiligheid")
    page.mouse.click(*_box_centre(_button(page, "Ja")))  # time stands still: question 2 is new
    _shows(page, root, "veiligheid")  # the second click did not answer question 2 ...
    assert notice.count() == 1 and notice.is_visible()  # ... and the reader sees why
    # ... and hears it: the words went into a live region that was rendered, empty, before.
    assert notice.evaluate("el => el.hasAttribute('data-test-empty-live-region')")
    page.clock.run_for(1000)
    page.mouse.click(*_box_centre(_button(page, "Nee")))
    _shows(page, root, "hulp-mogelijk")
    assert notice.count() == 0
    _unchanged(page, context, page.url)
    assert watch.foreign == [] and watch.errors == []


@pytest.mark.parametrize("variant", VARIANTS[2:3], ids=[v["id"] for v in VARIANTS[2:3]])
def test_ja_then_nee_while_the_engine_starts_keeps_to_the_question_shown(context, base_url, variant):
    page, root, watch, release = _open(context, base_url, variant, hold_engine=True)
    url = page.url
    _shows(page, root, "vermoeden-wegen")  # in the HTML, at once
    _settled(root)
    _box_centre(_button(page, "Nee"))  # both buttons in view
    ja, nee = _box_centre(_button(page, "Ja")), _box_centre(_button(page, "Nee"))
    page.mouse.click(*ja)
    page.mouse.click(*nee)  # a change of mind, where question 1's Nee was
    _shows(page, root, "veiligheid")  # moved on at once, without the engine
    assert root.get_attribute("data-engine") == "loading"
    _settled(root)
    _shows(page, root, "veiligheid")  # the Nee did not answer question 2
    release()
    root.locator(":scope:not([data-engine='loading'])").wait_for(timeout=60000)
    assert root.get_attribute("data-engine") == "ready"  # the engine's replay landed on question 2
    _shows(page, root, "veiligheid")
    _answer(page, "Nee")
    _shows(page, root, "hulp-mogelijk")
    _unchanged(page, context, url)
    assert watch.foreign == [] and watch.errors == []


@pytest.mark.parametrize("variant", VARIANTS, ids=[v["id"] for v in VARIANTS])
def test_the_engine_replays_every_path_onto_the_node_shown(context, base_url, variant):
    """Walk every path (and back, change, restart) before the engine runs; then it must agree."""
    page, root, watch, release = _open(context, base_url, variant, hold_engine=True)
    url = page.url

    def press(label):  # by keyboard: no settling needed, every press is deliberate
        _button(page, label).press("Enter")

    for answers, outcome_id in EXPECTED_PATHS.items():
        node = "vermoeden-wegen"
        for label in answers:
            press(label)
            node = ROUTES[node][label]
            expect_node(root, node)
        assert node == outcome_id
        page.get_by_role("button", name="Wijzig antwoord op vraag 1").press("Enter")
        expect_node(root, "vermoeden-wegen")
    press("Ja")
    press("Nee")
    page.get_by_role("button", name="Vorige vraag").press("Enter")
    press("Ja")
    _shows(page, root, "direct-melden")
    assert root.get_attribute("data-engine") == "loading"
    release()
    root.locator(":scope:not([data-engine='loading'])").wait_for(timeout=60000)
    assert root.get_attribute("data-engine") == "ready"
    _shows(page, root, "direct-melden")
    _unchanged(page, context, url)
    assert watch.foreign == [] and watch.errors == []


def _tampered_table(tamper):
    """A route handler that serves the tool page with its embedded table changed by ``tamper``."""
    def handler(route):
        response = route.fetch()
        html = response.text()
        found = re.search(r"(<script type=\"application/json\" data-afweging-table>)(.*?)(</script>)", html, re.S)
        table = json.loads(found.group(2))
        tamper(table)
        changed = json.dumps(table).replace("<", "\\u003c")
        route.fulfill(response=response, body=html[:found.start(2)] + changed + html[found.end(2):])
    return handler


def test_the_page_only_looks_up_in_the_engines_table(context, base_url):
    """The glue holds no rule: what the table says a command does, the page does, for answer,
    back, change and restart alike (the engine, held back, would refuse these steps)."""
    variant = VARIANTS[1]

    def tamper(table):
        states = table["states"]
        states["1.0"]["go"]["back hulp-mogelijk"] = "1.0.1.1.0"  # "Vorige vraag" to an outcome
        states["1.0.1.1.0"]["go"]["change veiligheid melden-geen-resultaat"] = "1.2"  # "Wijzig" to another
        states["1.2"]["go"]["restart"] = "1.0.1"  # "Opnieuw beginnen" to question 4

    context.route("**/" + TOOL.format(variant["id"]), _tampered_table(tamper))
    page, root, watch, _ = _open(context, base_url, variant, hold_engine=True)
    for label in ("Ja", "Nee"):
        _button(page, label).press("Enter")
    _shows(page, root, "hulp-mogelijk")
    page.get_by_role("button", name="Vorige vraag").press("Enter")
    _shows(page, root, "melden-geen-resultaat")
    page.get_by_role("button", name="Wijzig antwoord op vraag 2").press("Enter")
    _shows(page, root, "direct-melden")
    rows = page.locator("[data-afweging-current] .afweging__summary-row")
    assert [" ".join(r.locator("dd").first.inner_text().split()) for r in rows.all()] == ["Ja", "Twijfel"]
    page.get_by_role("button", name="Opnieuw beginnen").press("Enter")
    _shows(page, root, "hulp-aanvaard")
    assert root.get_attribute("data-engine") == "loading"
    assert watch.foreign == [] and watch.errors == []


def test_the_first_question_answers_before_the_themes_scripts_have_loaded(context, base_url):
    """The tool's buttons work as soon as they are visible: the glue does not wait for the
    theme's bundle at the end of the page (held back here until the walk is done)."""
    page = context.new_page()
    watch = Watch(page, base_url)
    held = []
    page.route("**/assets/javascripts/bundle.*.min.js", lambda route: held.append(route))
    page.goto(base_url + TOOL.format(VARIANTS[2]["id"]), wait_until="commit")
    root = page.locator("[data-afwegingskader]")
    _button(page, "Ja").press("Enter", timeout=15000)
    _shows(page, root, "veiligheid")
    _button(page, "Nee").press("Enter")
    _shows(page, root, "hulp-mogelijk")
    # The theme's bundle has not run (its globals are not there; the parser may not even have
    # asked for it yet: so no assertion on `held`).
    assert page.evaluate("typeof window.document$") == "undefined"
    for route in held:
        route.continue_()
    assert watch.foreign == []


def test_an_engine_that_disagrees_with_the_page_stops_the_walk(context, base_url):
    """If the table in the page and the engine ever differ, the page says so and goes no further."""
    variant = VARIANTS[0]

    def tamper(table):  # question 2's Nee leads where its Ja does
        table["states"]["1"]["go"]["answer veiligheid Nee"] = table["states"]["1"]["go"]["answer veiligheid Ja"]

    context.route("**/" + TOOL.format(variant["id"]), _tampered_table(tamper))
    page, root, _, release = _open(context, base_url, variant, hold_engine=True)
    _answer(page, "Ja")
    _answer(page, "Nee")
    expect_node(root, "direct-melden")  # the tampered table
    release()
    root.locator(":scope[data-engine='error']").wait_for(timeout=60000)
    status = page.locator("[data-afweging-status]")
    assert status.is_visible() and "Er ging iets mis" in status.inner_text()
    assert not page.locator("[data-afweging-current]").is_visible()
    assert not page.locator("[data-afweging-current] button").first.is_visible()


@pytest.mark.parametrize("variant", VARIANTS[3:4], ids=[v["id"] for v in VARIANTS[3:4]])
def test_many_fast_clicks_after_ready_never_skip_a_question(context, base_url, variant):
    page = context.new_page()
    watch = Watch(page, base_url)
    # The page's clock stands still during each burst, however slow this machine is: every
    # click of a burst falls within the moment after a question appears.
    page.clock.install()
    page.goto(base_url + TOOL.format(variant["id"]))
    page.title_before, page.history_before = page.title(), page.evaluate("history.length")
    root = page.locator("[data-afwegingskader]")
    root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)
    for node, label in LONGEST[:3]:
        _shows(page, root, node)
        now = datetime.datetime.fromtimestamp(page.evaluate("Date.now()") / 1000)
        page.clock.pause_at(now + datetime.timedelta(seconds=1))  # the question has been read
        assert root.get_attribute("data-settled") == "true"
        spot = _box_centre(_button(page, label))
        for _ in range(12):
            page.mouse.click(*spot)
            page.wait_for_timeout(25)
        page.clock.run_for(1000)
        _shows(page, root, ROUTES[node][label])
    assert root.get_attribute("data-engine") == "ready"
    _unchanged(page, context, page.url)
    assert watch.foreign == [] and watch.errors == []


@pytest.mark.parametrize("variant, phase", rotating("starting", "ready", start=2))
def test_enter_pressed_or_held_never_skips_a_question(context, base_url, variant, phase):
    page, root, watch, _ = _open(context, base_url, variant, hold_engine=phase == "starting")
    url = page.url
    if phase == "ready":
        root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)
    # Pressed repeatedly on question 1's Ja ...
    _button(page, "Ja").focus()
    for _ in range(6):
        page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    _shows(page, root, "veiligheid")
    # ... and held down on question 2's Nee (auto-repeat).
    _button(page, "Nee").focus()
    for _ in range(10):
        page.keyboard.down("Enter")
    page.keyboard.up("Enter")
    page.wait_for_timeout(300)
    _shows(page, root, "hulp-mogelijk")
    assert root.get_attribute("data-engine") == ("loading" if phase == "starting" else "ready")
    _unchanged(page, context, url)
    assert watch.foreign == [] and watch.errors == []


# Chromium's "Fast 3G" and "Slow 4G" presets (DevTools), in bytes per second.
THROTTLE = {
    "fast-3g": {"offline": False, "latency": 562.5, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8},
    "slow-4g": {"offline": False, "latency": 150, "downloadThroughput": 4e6 / 8, "uploadThroughput": 3e6 / 8},
}


@pytest.mark.parametrize("variant, profile", rotating(*sorted(THROTTLE), start=3))
def test_a_throttled_network_never_holds_an_answer_back(context, base_url, variant, profile):
    page = context.new_page()
    watch = Watch(page, base_url)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", THROTTLE[profile])
    page.goto(base_url + TOOL.format(variant["id"]))
    page.title_before, page.history_before = page.title(), page.evaluate("history.length")
    root = page.locator("[data-afwegingskader]")
    _settled(root)
    _box_centre(_button(page, "Nee"))  # both buttons in view
    ja, nee = _box_centre(_button(page, "Ja")), _box_centre(_button(page, "Nee"))
    page.mouse.click(*ja)
    page.mouse.click(*nee)
    _settled(root)
    _shows(page, root, "veiligheid")
    _answer(page, "Nee")
    _shows(page, root, "hulp-mogelijk")
    _settled(root)
    _button(page, "Nee").dblclick()
    _settled(root)
    _shows(page, root, "melden-geen-hulp-mogelijk")
    assert root.get_attribute("data-engine") == "loading"  # all of it before the engine could start
    assert page.locator("[data-afweging-status]").is_hidden()  # and nothing alarming
    _unchanged(page, context, page.url)
    assert watch.foreign == [] and watch.errors == []


SLOW_START = {"offline": False, "latency": 150, "downloadThroughput": 40e6 / 8, "uploadThroughput": 10e6 / 8}
"""Slow enough that the engine (megabytes of Pyodide) is still loading when two answers are given
right after the page loads, fast enough to be ready within seconds (slow-4g took 50 s here)."""


def test_after_a_throttled_start_the_engine_confirms_the_walk(context, base_url):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_START)
    # not until "load": the page's preloads of the engine's files delay it, and the point is to
    # answer while they are still on their way
    page.goto(base_url + TOOL.format(VARIANTS[0]["id"]), wait_until="domcontentloaded", timeout=60000)
    root = page.locator("[data-afwegingskader]")
    for label in ("Ja", "Nee"):
        _answer(page, label)
    assert root.get_attribute("data-engine") == "loading"
    root.locator(":scope:not([data-engine='loading'])").wait_for(timeout=120000)
    assert root.get_attribute("data-engine") == "ready"
    _shows(page, root, "hulp-mogelijk")


def test_wijzig_returns_to_the_question_with_the_earlier_answer_marked(context, base_url):
    variant = VARIANTS[0]
    page, root, watch, _ = _open(context, base_url, variant)
    url = page.url
    root.locator(":scope[data-engine='ready']").wait_for(timeout=60000)
    for label in ("Ja", "Nee", "Ja", "Nee"):
        _answer(page, label)
    _shows(page, root, "melden-hulp-niet-aanvaard")
    _settled(root)
    page.get_by_role("button", name="Wijzig antwoord op vraag 2").click()
    _shows(page, root, "veiligheid")
    assert page.evaluate("document.activeElement.textContent").startswith("Vraag 2 van 5")
    earlier = page.locator("[data-afweging-current] .afweging__answer--earlier")
    assert earlier.count() == 1 and earlier.get_attribute("data-answer") == "Nee"
    assert "Uw eerdere antwoord" in earlier.inner_text()
    # The same answer again: the questions after it are asked again.
    _answer(page, "Nee")
    _shows(page, root, "hulp-mogelijk")
    assert page.locator("[data-afweging-current] .afweging__answer--earlier").count() == 0
    _answer(page, "Nee")
    _shows(page, root, "melden-geen-hulp-mogelijk")
    # Another answer: continues from there, and the summary holds only the path taken.
    _settled(root)
    page.get_by_role("button", name="Wijzig antwoord op vraag 2").click()
    _answer(page, "Ja")
    _shows(page, root, "direct-melden")
    rows = page.locator("[data-afweging-current] .afweging__summary-row")
    assert [" ".join(r.locator("dd").first.inner_text().split()) for r in rows.all()] == ["Ja", "Ja"]
    _unchanged(page, context, url)
    assert watch.foreign == [] and watch.errors == []


@pytest.mark.parametrize("how", ["no-webassembly", "wasm-download-fails"])
def test_without_the_engine_the_walk_goes_on_without_alarm(context, base_url, how):
    page = context.new_page()
    watch = Watch(page, base_url)
    if how == "no-webassembly":
        page.add_init_script("delete globalThis.WebAssembly")
    else:
        page.route("**/*.wasm", lambda route: route.abort())
    url = base_url + TOOL.format(VARIANTS[0]["id"])
    page.goto(url)
    page.title_before, page.history_before = page.title(), page.evaluate("history.length")
    root = page.locator("[data-afwegingskader]")
    if how == "no-webassembly":
        root.locator(":scope[data-engine='failed']").wait_for(timeout=60000)
    for label in ("Ja", "Ja"):
        _answer(page, label)
    _shows(page, root, "direct-melden")
    assert root.get_attribute("data-engine") in ("loading", "failed")  # never started, never needed
    assert page.locator("[data-afweging-status]").is_hidden()
    _unchanged(page, context, url)
    assert watch.foreign == []


def test_without_javascript_the_static_kader_is_there_without_dead_controls(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + TOOL.format(VARIANTS[0]["id"]))
    nodes = page.locator("[data-afweging-nodes] section")
    assert nodes.count() == len(KADER["questions"]) + len(KADER["outcomes"])
    assert page.locator("[data-afweging-nodes] section:visible").count() == 1
    assert page.locator(".afweging button:visible").count() == 0  # no button does anything here
    for name in ("Vorige vraag", "Opnieuw beginnen", "Verslag afdrukken"):
        assert not page.get_by_text(name, exact=True).is_visible(), name
    assert "112" in page.locator(".afweging__contact").inner_text()
    page.locator("section:visible a", has_text=re.compile(r"^Nee")).click()
    assert "Geen actie nodig" in page.locator("[data-afweging-nodes] section:visible").inner_text()
    context.close()


def test_keyboard_only_completes_a_path(context, base_url):
    page, root, _, _ = _open(context, base_url, VARIANTS[0])
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
