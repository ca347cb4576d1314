"""The built review in a real browser (Playwright driving Chromium), as readers use it."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"


def test_citation_hover_focus_and_click(page, server):
    page.goto(f"{server}/approved-inhibitors/")
    cite = page.locator(".rk-cite").first
    tip = cite.locator(".rk-tip")
    assert not tip.is_visible()
    cite.locator("a").first.hover()
    assert tip.is_visible()
    assert "N Engl J Med" in tip.inner_text() or "doi" in tip.inner_text().lower()
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)  # previews.js closes after a short delay, so the pointer can reach the preview
    assert not tip.is_visible()
    cite.locator("a").first.focus()
    assert tip.is_visible()
    href = cite.locator("a").first.get_attribute("href")
    cite.locator("a").first.click()
    assert page.url.endswith(href)
    assert page.locator(href).is_visible()


def test_bibliography_backlink_returns_to_the_citing_place(page, server):
    page.goto(f"{server}/bibliography/")
    link = page.locator(".rk-cited-on a").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    anchor = "#" + target.split("#", 1)[1]
    assert page.url.endswith(anchor)
    assert page.locator(anchor).count() == 1


@pytest.mark.parametrize("path", ["/pathway/", "/zh/pathway/"])
def test_drug_tooltip_in_both_languages(page, server, path):
    page.goto(server + path)
    term = page.locator(".rk-term").first
    term.locator("a").hover()
    tip = term.locator(".rk-tip")
    assert tip.is_visible() and len(tip.inner_text()) > 20
    if path.startswith("/zh/"):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in term.locator("a").inner_text())


def test_language_switcher_keeps_the_page(page, server):
    page.goto(f"{server}/approved-inhibitors/")
    page.locator(".md-select__link[hreflang=zh]").first.evaluate("a => a.click()")
    page.wait_for_url("**/zh/approved-inhibitors/")
    page.locator(".md-select__link[hreflang=en]").first.evaluate("a => a.click()")
    page.wait_for_url(f"{server}/approved-inhibitors/")


PAGES = ["/", "/approved-inhibitors/", "/trials/", "/glossary/", "/bibliography/",
         "/zh/", "/zh/approved-inhibitors/", "/zh/trials/", "/zh/glossary/", "/zh/bibliography/"]


@pytest.mark.parametrize("path", PAGES)
def test_no_request_leaves_localhost(page, server, path):
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    outside = [u for u in page.requests if urlparse(u).hostname not in ("127.0.0.1", None)
               and not u.startswith(("data:", "blob:"))]
    assert outside == []


@pytest.mark.parametrize("path", PAGES)
def test_accessibility_no_serious_violations(page, server, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + path)
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == [], bad


@pytest.mark.parametrize("path", ["/approved-inhibitors/", "/zh/approved-inhibitors/", "/trials/", "/zh/trials/",
                                  "/management/", "/zh/pathway/"])
def test_phone_has_no_horizontal_scroll_and_tables_scroll_inside(browser, server, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    pg.goto(server + path)
    width = pg.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    for table in pg.locator(".md-typeset table").all():
        box = table.evaluate("t => { const w = t.closest('.md-typeset__scrollwrap') || t.parentElement;"
                             " return [w.getBoundingClientRect().right, getComputedStyle(w).overflowX]; }")
        assert box[0] <= 391 and box[1] in ("auto", "scroll"), box
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_screenshots(browser, server, lang):
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = "" if lang == "en" else "/zh"
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})):
        context = browser.new_context(viewport=viewport)
        pg = context.new_page()
        pg.goto(f"{server}{prefix}/approved-inhibitors/")
        out = ARTIFACTS / f"approved-inhibitors-{lang}-{name}.png"
        pg.screenshot(path=str(out), full_page=False)
        assert out.stat().st_size > 10_000
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_print_stylesheet_gives_clean_text_with_references_and_full_urls(page, server, lang):
    prefix = "" if lang == "en" else "/zh"
    page.goto(f"{server}{prefix}/approved-inhibitors/")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator("ol.rk-refs").is_visible()
    after = page.evaluate("() => getComputedStyle(document.querySelector("
                          "'.rk-refs a[href^=\"https://doi.org\"]'), '::after').content")
    assert "https://doi.org/" in after
    assert not page.locator(".rk-tip").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 800, "height": 1100})
    page.screenshot(path=str(ARTIFACTS / f"print-preview-{lang}.png"), full_page=False)
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 20_000


@pytest.mark.parametrize("prefix", ["", "/zh"])
def test_forest_plot_and_trials_tables_fit_a_phone(browser, server, prefix):
    """At 390 px the plot is shown near its natural size (labels readable) and every table row is a
    card inside the screen: nothing reaches past the right edge."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    pg.goto(f"{server}{prefix}/approved-inhibitors/")
    svg = pg.locator("svg.rk-forest")
    box = svg.bounding_box()
    assert svg.get_attribute("role") == "img" and 320 <= box["width"] <= 390 and box["x"] + box["width"] <= 390, box
    label = pg.locator("svg.rk-forest text").first.bounding_box()
    assert label["height"] >= 11, label  # about 12 px text on the phone, not shrunk to fit
    for path in ("/approved-inhibitors/", "/trials/"):
        pg.goto(f"{server}{prefix}{path}")
        assert pg.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        rights = pg.locator("table.rk-trials td").evaluate_all("tds => tds.map(t => t.getBoundingClientRect().right)")
        assert rights and max(rights) <= 390, max(rights)
        if path == "/trials/":
            details = pg.locator("details.rk-trial").first
            details.locator("summary").click()
            assert details.locator("dl").is_visible()
            assert details.evaluate("d => d.getBoundingClientRect().right") <= 390
            closed = pg.locator("details.rk-trial").nth(1)
            assert not closed.locator("dl").is_visible()
            pg.emulate_media(media="print")  # on paper every trial's details are open
            assert closed.locator("dl").is_visible()
            pg.emulate_media(media="screen")
    context.close()
