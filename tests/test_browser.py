"""A real browser against the real server: Debian's Chromium driven by Playwright.

The README's test command installs Chromium when it is missing.  Without it the
test is skipped on a user's machine and fails in CI (CI=true), where it must run.
"""
from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import HOSTILE_IDS, serving

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
def page(tmp_path_factory):
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                                     headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="ar")
        pg = context.new_page()
        yield pg
        browser.close()


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
    assert total_before >= 4
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
            page.goto(url + "/search?q=طرابلس")
            page.locator("li.hit h2 a", has_text=f"خبر عن طرابلس {n}").first.click()
            page.wait_for_selector("article.article h1")
            assert page.locator("article.article h1").inner_text() == f"خبر عن طرابلس {n}", doc_id
            assert doc_id in page.locator("article.article .body").inner_text()
