"""Search on the built review, as a reader meets it: typed into the header box, in each language."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from searching import QUERIES, download_to_first_results, is_right, other_language, run_query


def test_the_index_is_built_per_language_by_mkdocs_build(real_site):
    for lang, bundle in (("en", real_site / "pagefind"), ("zh", real_site / "zh" / "pagefind")):
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert set(entry["languages"]) == {lang}, entry  # each language's pages, and only those
        assert entry["languages"][lang]["page_count"] >= 14, entry
        names = json.loads((bundle / "drug-names.json").read_text(encoding="utf-8"))
        assert names["names"]["阿培利司"] == names["names"]["piqray"] == names["names"]["solar-1"] == "alpelisib"
        assert names["drugs"]["alpelisib"] == {"en": "alpelisib", "zh": "阿培利司"}
        # the search box of the language's pages asks its own index
        home = (real_site / ("" if lang == "en" else lang) / "pathway" / "index.html").read_text(encoding="utf-8")
        assert 'data-rk-search="../pagefind/"' in home
    assert not (real_site / "search" / "search_index.json").exists()  # no second, whole-site index


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_right_result_comes_first_and_only_in_the_language_read(page, served_site, lang):
    wrong, mixed = [], []
    for query, expected in QUERIES[lang]:
        results = run_query(page, served_site.url, lang, query)
        if not is_right(results, lang, expected):
            wrong.append((query, results[0] if results else None))
        mixed += [(query, url) for url in other_language(results, lang)]
    assert wrong == [], wrong
    assert mixed == [], mixed
    outside = [u for u in page.requests if urlparse(u).hostname not in ("127.0.0.1", None)
               and not u.startswith(("data:", "blob:"))]
    assert outside == []


@pytest.mark.parametrize("lang,query", [("en", "hyperglycaemia"), ("en", "alpelisib"), ("en", "PTEN loss"),
                                        ("zh", "高血糖"), ("zh", "阿培利司"), ("zh", "氟维司群")])
def test_excerpts_read_as_prose_without_reference_text(page, served_site, lang, query):
    run_query(page, served_site.url, lang, query)
    # every page's prose, not the bibliography, which is made of reference text
    excerpts = page.locator(".md-search-result__item:not(:has(a[href*='/bibliography/'])) "
                            ".md-search-result__article p").all_inner_texts()
    assert any(e.strip() for e in excerpts), "no excerpt"
    for text in excerpts:
        for leak in ("PMID", "doi:", "et al", "Clin Cancer Res", "N Engl J Med", "¶", "How to cite", "如何引用"):
            assert leak not in text, (query, text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_reference_text_is_found_only_on_the_bibliography(page, served_site, lang):
    # Oliveira M, an author of CAPItello-291: cited on several pages, listed on one.
    results = run_query(page, served_site.url, lang, "Oliveira")
    pages = {urlparse(item[0]).path for item in results}
    assert pages == {"/bibliography/" if lang == "en" else "/zh/bibliography/"}, pages


@pytest.mark.parametrize("lang,query", [("en", "alpelisib"), ("zh", "阿培利司")])
def test_download_before_first_results_is_small(browser, served_site, lang, query):
    # The search code and the index chunks for one word, not the whole index: at most 300 KB as a
    # host that gzips sends it (about 220 KB measured for 阿培利司 in November 2026). Sent plain,
    # the result fragments grow with the pages (about 290 KB): room to 320 KB.
    assert download_to_first_results(browser, served_site, lang, query, gzipped=True) <= 300_000
    assert download_to_first_results(browser, served_site, lang, query) <= 320_000


def test_keyboard_opens_searches_moves_and_closes(page, served_site):
    page.goto(served_site.url + "/")
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    assert box.evaluate("el => el === document.activeElement")
    assert box.get_attribute("aria-label")
    box.press_sequentially("metformin", delay=20)
    page.locator(".md-search-result__link").first.wait_for(timeout=15000)
    page.keyboard.press("ArrowDown")
    first = page.locator(".md-search-result__link").first
    assert first.evaluate("el => el === document.activeElement")
    page.keyboard.press("ArrowUp")
    assert box.evaluate("el => el === document.activeElement")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.keyboard.press("/")
    box.press("Enter")
    page.wait_for_url("**/glossary/#drug-metformin")  # a drug's name: its glossary entry


@pytest.mark.parametrize("lang,query", [("en", "metformin"), ("zh", "二甲双胍")])
def test_search_open_with_results_has_no_serious_axe_violations(page, served_site, lang, query):
    from axe_playwright_python.sync_playwright import Axe

    run_query(page, served_site.url, lang, query)
    assert page.locator(".md-search-result__link").first.is_visible()
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == [], bad


@pytest.mark.parametrize("lang,query", [("en", "alpelisib"), ("zh", "PIK3CA突变")])
def test_search_on_a_phone(browser, served_site, lang, query):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(served_site.url + ("/" if lang == "en" else "/zh/"))
    page.locator("label.md-header__button[for=__search]").tap()
    box = page.locator("input.md-search__input")
    assert box.is_visible()
    box.press_sequentially(query, delay=20)
    box.press("End")
    first = page.locator(".md-search-result__link").first
    first.wait_for(timeout=15000)
    right = first.evaluate("el => el.getBoundingClientRect().right")
    assert first.is_visible() and right <= 391
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    context.close()


def test_a_failed_index_says_what_to_do(monkeypatch, tmp_path):
    import sys

    from reviewkit import search

    monkeypatch.setattr(search, "command", lambda site, glob: [sys.executable, "-m", "no_such_indexer"])
    with pytest.raises(search.SearchIndexError, match=r"pip install -r requirements.txt"):
        search.build_index(str(tmp_path))


def test_a_rebuild_reuses_the_index_of_a_language_whose_pages_did_not_change(tmp_path):
    import os

    from conftest import build, make_site

    site = make_site(tmp_path / "site")
    out = site / "site"

    def entry(lang_dir):
        path = out / lang_dir / "pagefind" / "pagefind-entry.json"
        return path.stat().st_ino, json.loads(path.read_text(encoding="utf-8"))

    assert build(site).returncode == 0
    first = {d: entry(d) for d in ("", "zh")}
    assert build(site).returncode == 0  # nothing changed: both indexes come from the cache
    assert len(list((site / ".cache" / "reviewkit-search").rglob("pagefind-entry.json"))) == 2  # one a language
    for d in ("", "zh"):
        ino, data = entry(d)
        assert data == first[d][1]
        assert os.stat(out / d / "pagefind" / "pagefind-entry.json").st_nlink == 2  # the cached file itself
    # a Chinese page changes: its index is built again, the English one is still the cached one
    page = site / "docs" / "zh" / "pathway.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n新增一句。\n", encoding="utf-8")
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert entry("")[1] == first[""][1]
    assert entry("zh")[1]["languages"]["zh"]["hash"] != first["zh"][1]["languages"]["zh"]["hash"]
    names = json.loads((out / "zh" / "pagefind" / "drug-names.json").read_text(encoding="utf-8"))
    assert names["names"]["阿培利司"] == "alpelisib"  # written after the index, whether built or reused
