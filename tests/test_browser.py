"""A real browser against the real server: Debian's Chromium driven by Playwright.

The README's test command installs Chromium when it is missing.  Without it the
test is skipped on a user's machine and fails in CI (CI=true), where it must run.
"""
from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import HOSTILE_IDS, ROOT, serving

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("AKHBAR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _need_chromium():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: the test command should have installed it")
        pytest.skip("Chromium is not installed (the README's test command installs it: apt-get install chromium)")


@pytest.fixture(scope="module")
def server(sample_index, tmp_path_factory):
    with serving(sample_index, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                               headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="ar")
    yield context.new_page()
    context.close()


def test_type_arabic_query_see_rtl_highlighted_results_and_filter_by_facet(server, page, tmp_path):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/")
    page.fill("input[name=q]", "حفتر")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("li.hit")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('li.hit')).direction") == "rtl"
    hits = page.locator("li.hit")
    total_before = hits.count()
    assert total_before >= 2  # the four articles are in two stories and on two rows
    assert page.locator("li.hit mark").count() >= total_before  # every hit shows highlighted matches
    assert "حفتر" in page.locator("li.hit mark").first.inner_text()

    # facet: the first place that is not on every hit
    link = page.locator("section.facet-persons a", has_text="عبد الحميد الدبيبة")
    link.click()
    page.wait_for_selector("a.chip.active")
    assert "f=person" in page.url
    assert page.locator("li.hit").count() < total_before
    for i in range(page.locator("li.hit").count()):
        assert "عبد الحميد الدبيبة" in page.locator("li.hit").nth(i).inner_text()

    # removing the filter brings every result back
    page.locator("a.chip.active").click()
    page.wait_for_selector("li.hit")
    assert page.locator("li.hit").count() == total_before
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)
    assert not errors, errors  # no CSP violations or script errors


def test_every_result_link_opens_its_own_article_whatever_the_id(hostile_ids_index, page, tmp_path_factory):
    """Ids such as «..», «.» and «../../etc/passwd»: the browser resolves each link the page
    makes (dot segments and all) and lands on that article."""
    with serving(hostile_ids_index, tmp_path_factory.mktemp("ids-server")) as url:
        for n, doc_id in enumerate(HOSTILE_IDS):
            page.goto(url + "/search?q=طرابلس&group=off")  # their texts differ only by id: one story
            page.locator("li.hit h2 a", has_text=f"خبر عن طرابلس {n}").first.click()
            page.wait_for_selector("article.article h1")
            assert page.locator("article.article h1").inner_text() == f"خبر عن طرابلس {n}", doc_id
            assert doc_id in page.locator("article.article .body").inner_text()


AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
#: The pages checked: home, results (with facets, exports and feed links), an article, an error,
#: a grouped story row with the timeline by outlet, an article with its story and related articles.
AXE_PAGES = ["/", "/search?q=حفتر", "/search?q=طرابلس&f=place:طرابلس&sort=date", "/article?id={first}&q=حفتر",
             "/search?q=قزقزقز", "/article?id=no-such-article", "/no-such-page",
             "/search?q=الوفد المصري طرابلس&series=on&share=on", "/article?id=001_03dfe024d18c3b2a"]


@pytest.fixture(scope="module")
def axe_page(browser):
    """A page whose context lets the test inject axe-core despite the app's CSP (script-src 'self')."""
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is missing at {AXE}: the test command installs it (npm ci in tests/axe)")
        pytest.skip("axe-core is not installed (cd tests/axe && npm ci)")
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="ar", bypass_csp=True)
    yield context.new_page()
    context.close()


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:3]} for v in result["violations"]]


def test_pages_have_no_serious_accessibility_violations(server, axe_page, tmp_path):
    """axe-core on the home, results, article and error pages: no serious or critical violation."""
    import json
    import urllib.request

    with urllib.request.urlopen(server + "/search?q=%D8%AD%D9%81%D8%AA%D8%B1&format=json") as r:
        first = json.load(r)["results"][0]["id"]
    checked, minor = 0, []
    for path in AXE_PAGES:
        axe_page.goto(server + path.format(first=first))
        violations = _axe(axe_page)
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not serious, (path, serious)
        minor += [(path, v["id"], v["impact"]) for v in violations]
        checked += 1
    assert checked == len(AXE_PAGES)
    print(f"\naxe-core: {checked} pages, no serious or critical violation; minor/moderate: {minor or 'none'}")


def test_search_box_shows_its_focus_and_pages_fit_a_phone(server, axe_page, tmp_path):
    """Keyboard focus on the search box is visible (an outline), and at 375 px wide nothing
    scrolls sideways on the results and article pages (screenshots in the test's tmp folder)."""
    axe_page.set_viewport_size({"width": 1280, "height": 1000})
    axe_page.goto(server + "/")
    axe_page.focus("a.brand")
    axe_page.keyboard.press("Tab")  # from the brand link to the box, as a keyboard user moves
    focused = axe_page.evaluate("document.activeElement.name")
    assert focused == "q"
    style = axe_page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                              " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()")
    assert (style[0] != "none" and style[1] != "0px") or style[2] != "none", style
    axe_page.set_viewport_size({"width": 375, "height": 800})
    for name, path in (("results", "/search?q=حفتر"), ("article", "/search?q=الوفد المصري")):
        axe_page.goto(server + path)
        if name == "article":
            axe_page.locator("li.hit h2 a").first.click()
            axe_page.wait_for_selector("article.article h1")
        width = axe_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (name, width)
        axe_page.screenshot(path=str(tmp_path / f"phone-{name}.png"), full_page=True)


def test_suggestions_list_by_keyboard_runs_the_name_filter(server, page, tmp_path):
    """Typing «حف» opens the listbox (combobox pattern: aria-expanded, options, active descendant);
    Down then Enter picks «خليفة حفتر» and runs its person filter; Escape closes the list."""
    page.goto(server + "/")
    box = page.locator("input[role=combobox]")
    box.click()
    box.type("حف", delay=50)
    page.wait_for_selector("#suggestions [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    options = page.locator("#suggestions [role=option]")
    assert "خليفة حفتر" in options.first.inner_text()
    assert page.evaluate("getComputedStyle(document.getElementById('suggestions')).direction") == "rtl"
    page.screenshot(path=str(tmp_path / "suggestions.png"))
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "suggestion-0"
    assert options.first.get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and page.locator("#suggestions").is_hidden()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_selector("a.chip.active")
    assert "f=person" in page.url and page.locator("li.hit").count() == 3  # 4 articles, 3 stories
    assert "4 نتيجة في 3 قصة" in page.locator(".summary .count").inner_text()


def test_a_story_row_opens_its_whole_story_and_the_timeline_adds_up(server, page, tmp_path):
    """The sample's Tripoli story (000, 001, 002) is one row with the other outlets listed; its
    link opens the article page's story (first report marked) and related articles; the
    timeline's bars and table count the dated matches; group=off lists every article."""
    query = "الوفد المصري طرابلس"
    page.goto(server + "/search?q=" + query)
    page.wait_for_selector("li.hit")
    assert page.locator("li.hit").count() == 3
    also = page.locator("li.hit .also")
    assert also.count() == 1 and also.locator("li").count() == 2
    assert "القصة كاملة: 3 مقالات" in also.inner_text()
    assert page.locator("svg.timeline-chart rect").count() == 2  # 27 and 28 December 2020
    page.locator("section.timeline details summary").click()
    counts = [int(c) for c in page.locator(".timeline-table tbody td").all_inner_texts()]
    assert sum(counts) == 3  # the dated matches (003 and 004 state only a year)
    assert "2 دون يوم معروف" in page.locator("section.timeline").inner_text()
    page.screenshot(path=str(tmp_path / "results-stories.png"), full_page=True)

    also.locator("a.story-link").click()
    page.wait_for_selector("#story")
    items = page.locator("#story li")
    assert items.count() == 3 and page.locator("#story .badge.first").count() == 1
    assert "CNN" in items.first.inner_text()  # 000, CNN on 27 December 2020, reported it first
    assert page.locator("section.related li").count() >= 1
    page.screenshot(path=str(tmp_path / "article-story.png"), full_page=True)

    page.goto(server + "/search?q=" + query + "&group=off")
    page.wait_for_selector("li.hit")
    assert page.locator("li.hit").count() == 5 and page.locator(".also").count() == 0


def test_the_empty_search_box_lays_its_arabic_hint_out_right_to_left(server, page):
    """The placeholder of an empty box (``dir=auto`` reads no text there) runs right to left, and typed
    Latin text still runs left to right (issue #31: the hint broke apart where «person:» met Arabic)."""
    page.goto(server + "/")
    box = page.locator("input[name=q]")
    assert box.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "\u2066person:حفتر\u2069" in box.get_attribute("placeholder")
    box.fill("Haftar")
    assert box.evaluate("e => getComputedStyle(e).direction") == "ltr"


@pytest.fixture(scope="module")
def house_server(tmp_path_factory):
    """An index of two outlets that spell one name two ways (tests/test_variants.py)."""
    from index.builder import build_index
    from tests.test_variants import write_house_collection

    tmp = tmp_path_factory.mktemp("house")
    build_index([write_house_collection(tmp / "news.jsonl")], tmp / "ix", progress=False, workers=1)
    with serving(tmp / "ix", tmp) as url:
        yield url


def test_the_page_says_what_other_spellings_it_searched_and_can_search_as_typed(house_server, axe_page, tmp_path):
    """«ترمب» finds both outlets' articles; the page says it searched «ترامب» too, in a right-to-left line
    an assistive reader reads (axe), and its link searches the word as typed (one outlet's articles)."""
    axe_page.goto(house_server + "/search?q=" + "ترمب")
    note = axe_page.locator("p.variants")
    assert "«ترامب»" in note.inner_text() and "ترمب" in note.inner_text()
    assert axe_page.evaluate("getComputedStyle(document.querySelector('p.variants')).direction") == "rtl"
    assert "العربية" in axe_page.inner_text("body") and "سكاي نيوز عربية" in axe_page.inner_text("body")
    serious = [v for v in _axe(axe_page) if v["impact"] in ("serious", "critical")]
    assert serious == []
    axe_page.screenshot(path=str(tmp_path / "variants.png"), full_page=True)
    note.locator("a").click()
    axe_page.wait_for_load_state()
    assert "variants=off" in axe_page.url and axe_page.locator("p.variants").count() == 0
    hits = axe_page.locator("li.hit")
    assert hits.count() >= 1 and "سكاي نيوز عربية" not in " ".join(hits.all_inner_texts())
