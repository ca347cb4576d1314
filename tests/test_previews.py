"""Citation and drug previews a reader can use: inside the viewport, dismissible with Escape,
hoverable, and on a phone a panel over the text that keeps the reading position. Both languages."""

from __future__ import annotations

import pytest

from conftest import ROOT

PAGES = ["approved-inhibitors/", "management/", "trials/"]


def _open_each(pg, selector: str) -> tuple[int, int]:
    """Focus every preview's link by keyboard; count those shown partly outside the viewport."""
    total = outside = 0
    width = pg.evaluate("document.documentElement.clientWidth")
    height = pg.evaluate("document.documentElement.clientHeight")
    links = pg.locator(f"{selector} > a, {selector} > .rk-drug")
    for i in range(links.count()):
        link = links.nth(i)
        link.focus()
        tip = link.locator("xpath=..").locator(".rk-tip")
        if not tip.is_visible():
            continue
        box = tip.bounding_box()
        total += 1
        if box["x"] < 0 or box["x"] + box["width"] > width + 0.5 or box["y"] < 0 or box["y"] + box["height"] > height + 0.5:
            outside += 1
    return total, outside


@pytest.mark.parametrize("prefix", ["", "zh/"])
@pytest.mark.parametrize("size", [(1280, 900), (640, 450)], ids=["desktop", "200-percent-zoom"])
def test_previews_stay_inside_the_viewport(browser, server, prefix, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = context.new_page()
    shown = 0
    for path in PAGES:
        pg.goto(f"{server}/{prefix}{path}")
        for selector in (".rk-cite", ".rk-term"):
            total, outside = _open_each(pg, selector)
            assert outside == 0, f"{outside} of {total} previews on /{prefix}{path} leave the viewport"
            shown += total
    assert shown > 50  # the pages really have previews to test
    context.close()


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_rightmost_citation_is_shifted_into_view(page, server, prefix):
    page.goto(f"{server}/{prefix}management/")
    links = page.locator(".rk-cite > a")
    rightmost = max(range(links.count()), key=lambda i: links.nth(i).bounding_box()["x"])
    link = links.nth(rightmost)
    link.focus()
    tip = link.locator("xpath=..").locator(".rk-tip")
    box = tip.bounding_box()
    assert box["x"] + box["width"] <= page.evaluate("document.documentElement.clientWidth")
    assert box["x"] >= 0


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_escape_dismisses_and_keeps_focus(page, server, prefix):
    page.goto(f"{server}/{prefix}approved-inhibitors/")
    for selector in (".rk-cite > a", ".rk-term > .rk-drug"):
        link = page.locator(selector).first
        link.focus()
        tip = link.locator("xpath=..").locator(".rk-tip")
        assert tip.is_visible()
        page.keyboard.press("Escape")
        assert not tip.is_visible()
        assert link.evaluate("el => document.activeElement === el")
        # Tab away and back: it shows again
        page.keyboard.press("Tab")
        page.keyboard.press("Shift+Tab")
        assert tip.is_visible()


def test_pointer_can_move_onto_the_preview(page, server):
    page.goto(f"{server}/approved-inhibitors/")
    link = page.locator(".rk-cite > a").first
    link.hover()
    tip = link.locator("xpath=..").locator(".rk-tip")
    assert tip.is_visible()
    box = tip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_timeout(400)  # longer than the close delay
    assert tip.is_visible()
    page.mouse.move(1, 1)
    page.wait_for_timeout(400)
    assert not tip.is_visible()


def _phone(browser):
    return browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                               has_touch=True)


@pytest.mark.parametrize("prefix,label", [("", "All references on this page"), ("zh/", "查看本页全部参考文献")])
def test_tap_opens_a_panel_and_keeps_the_place(browser, server, prefix, label):
    context = _phone(browser)
    pg = context.new_page()
    pg.goto(f"{server}/{prefix}approved-inhibitors/")
    link = pg.locator(".rk-cite > a").nth(5)
    link.scroll_into_view_if_needed()
    before, url = pg.evaluate("window.scrollY"), pg.url
    link.tap()
    panel = pg.locator(".rk-panel")
    assert panel.is_visible()
    assert pg.evaluate("window.scrollY") == before and pg.url == url
    assert panel.locator("a[href*='doi.org'], a[href*='pubmed']").count() >= 1
    assert panel.get_by_text(label).is_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    ARTIFACTS = ROOT / "test-artifacts"
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"phone-reference-panel-{prefix.strip('/') or 'en'}.png"))
    # a tap outside closes it
    pg.mouse.click(195, 80)
    assert not panel.is_visible()
    assert pg.evaluate("window.scrollY") == before
    # the close button and Escape close it too
    link.tap()
    pg.locator(".rk-panel-close").tap()
    assert not panel.is_visible()
    link.tap()
    pg.keyboard.press("Escape")
    assert not panel.is_visible()
    # a drug term opens its glossary definition the same way
    term = pg.locator(".rk-term > .rk-drug").first
    term.scroll_into_view_if_needed()
    term.tap()
    assert panel.is_visible() and panel.locator("a[href*='glossary']").count() == 1
    context.close()


def test_without_javascript_citations_still_link_to_the_list(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.goto(f"{server}/approved-inhibitors/")
    link = pg.locator(".rk-cite > a").first
    href = link.get_attribute("href")
    link.hover()
    assert link.locator("xpath=..").locator(".rk-tip").is_visible()  # the CSS tooltip
    link.click()
    assert pg.url.endswith(href)
    context.close()


def test_previews_script_is_served_from_the_site(page, server):
    page.goto(f"{server}/")
    srcs = page.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    assert any(s.startswith(server) and s.endswith("assets/previews.js") for s in srcs)
    size = len((ROOT / "docs/assets/previews.js").read_bytes())
    assert size < 12_000  # a small enhancement, not a framework
