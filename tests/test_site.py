"""The passing fixture site, built for real with mkdocs build --strict; its HTML inspected."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def article(html: str) -> str:
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


def cites(html: str) -> list[str]:
    """The visible text of each citation marker, e.g. '[1–3]'."""
    out = []
    for m in re.finditer(r'<span class="rk-cite" id="cite-\d+">(.*?)<span class="rk-tip"', html, re.S):
        out.append(re.sub(r"<[^>]+>", "", m.group(1)))
    return out


def test_citations_numbered_by_first_appearance_with_ranges_and_locators(good_site):
    html = article(read(good_site, "index.html"))
    assert cites(html) == ["[1]", "[1–3]", "[see 4, p. 5]", "[2, fig. 2]", "[3]"]


def test_each_number_links_to_its_entry_in_the_reference_list(good_site):
    html = article(read(good_site, "index.html"))
    assert '<h2 id="references">References' in html
    for n in range(1, 5):
        assert f'<li id="ref-{n}" value="{n}">' in html
        assert f'href="#ref-{n}"' in html
    # the list is in citation order: André first, Browne fourth
    items = re.findall(r'<li id="ref-(\d)" value="\d">(\w+)', html)
    assert items == [("1", "André"), ("2", "Turner"), ("3", "Baselga"), ("4", "Browne")]
    # each entry links back to where it is first cited
    assert re.search(r'<li id="ref-4".*?href="#cite-3"', html)


def test_tooltip_carries_the_full_reference_for_hover_and_focus(good_site):
    html = article(read(good_site, "index.html"))
    first = re.search(r'<span class="rk-cite" id="cite-1">.*?</span></span>', html, re.S).group(0)
    assert 'aria-describedby="cite-tip-1"' in first
    assert 'role="tooltip" id="cite-tip-1"' in first
    assert "André F, Ciruelos E, Rubovszky G, Campone M, Loibl S, Rugo HS, et al." in first
    css = read(good_site, "assets/reviewkit.css")
    assert ".rk-cite:focus-within .rk-tip" in css and ".rk-cite:hover .rk-tip" in css


def test_reference_style_keeps_capitals_and_decodes_latex(good_site):
    html = article(read(good_site, "index.html"))
    assert "Alpelisib for PIK3CA-Mutated, Hormone Receptor-Positive Advanced Breast Cancer." in html
    # NLM (Citing Medicine) through CSL: the last page abbreviated, as PubMed prints it
    assert " N Engl J Med. 2019;380(20):1929–40. " in html
    assert 'doi:<a href="https://doi.org/10.1056/NEJMoa1813904">' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/31091374/">PMID: 31091374</a>' in html
    assert "Baselga J," in html and "Browne IM, Okines AFC." in html
    # Browne has no PMID: no PubMed link in its entry
    browne = re.search(r'<li id="ref-4".*?</li>', html, re.S).group(0)
    assert "pubmed" not in browne


def test_chinese_pages_use_chinese_labels(good_site):
    html = article(read(good_site, "zh/index.html"))
    assert "参考文献" in html
    # GB/T 7714-2015: the first three authors, then 'et al.' for a Western reference; type marker [J]
    assert ("ANDRÉ F, CIRUELOS E, RUBOVSZKY G, et al. Alpelisib for PIK3CA-Mutated, Hormone Receptor-Positive "
            "Advanced Breast Cancer[J]. N Engl J Med, 2019, 380(20): 1929-1940. DOI:") in html
    assert cites(html) == ["[1]", "[1–3]", "[see 4, p. 5]", "[2, fig. 2]", "[3]"]


def test_what_is_not_a_citation_stays_as_written(good_site):
    html = article(read(good_site, "index.html"))
    assert "[@notacitation]" in html
    assert "<code>[@inlinecode]</code>" in html
    assert "[@incode]" in html and "@decorator" in html
    assert "<!-- [@incomment] -->" in html  # an HTML comment stays a comment
    assert "editor@example.org" in html and "@someone" in html
    assert "https://example.org/[@inurl]" in html
    assert html.count('class="rk-cite"') == 5


def test_first_drug_mention_links_to_the_glossary_with_a_definition(good_site):
    html = article(read(good_site, "index.html"))
    assert html.count('id="mention-alpelisib"') == 1
    link = re.search(r'<span class="rk-term" id="mention-alpelisib">(.*?)</span></span>', html, re.S).group(1)
    assert 'href="glossary/#drug-alpelisib"' in link
    assert "An oral inhibitor of the p110α subunit" in link
    assert "[@" not in link
    # a drug inside a table cell is linked too; inside a heading it never is
    assert 'id="mention-everolimus"' in html
    zh = article(read(good_site, "zh/index.html"))
    assert re.search(r'id="mention-alpelisib"><a class="rk-drug" href="glossary/#drug-alpelisib"[^>]*>阿培利司</a>', zh)
    assert "口服PI3K p110α亚基抑制剂" in zh


def test_drug_inside_chinese_text_is_recognised(good_site):
    zh = article(read(good_site, "zh/pathway/index.html"))
    assert re.search(r'<a class="rk-drug" href="\.\./glossary/#drug-everolimus"[^>]*>依维莫司</a>', zh)
    assert re.search(r'<a class="rk-drug" href="\.\./glossary/#drug-fulvestrant"[^>]*>氟维司群</a>', zh)


def test_glossary_pages_sorted_with_anchors_and_backlinks(good_site):
    en = article(read(good_site, "glossary/index.html"))
    ids = re.findall(r'<h2 id="drug-([a-z-]+)"', en)
    assert ids == ["alpelisib", "capivasertib", "everolimus", "fulvestrant"]
    zh = article(read(good_site, "zh/glossary/index.html"))
    # by pinyin: a(培利司) f(氟) k(卡) y(依)
    assert re.findall(r'<h2 id="drug-([a-z-]+)"', zh) == ["alpelisib", "fulvestrant", "capivasertib", "everolimus"]
    assert 'href="../pathway/#mention-everolimus"' in en
    assert 'href="../#mention-alpelisib"' in en
    # definitions keep their citations, numbered on the glossary page
    assert "<h2 id=\"references\">References" in en


def test_bibliography_lists_each_cited_reference_once_with_backlinks(good_site):
    en = article(read(good_site, "bibliography/index.html"))
    assert en.count("Browne IM, Okines AFC.") == 1
    browne = re.search(r"<li id=\"bib-\d+\">Browne IM.*?</li>", en, re.S).group(0)
    assert 'href="../#cite-3"' in browne and "Fixture review › Evidence" in browne
    assert 'href="../pathway/#cite-1"' in browne and "The pathway › Signalling" in browne
    zh = article(read(good_site, "zh/bibliography/index.html"))
    assert "测试综述 › 证据" in zh


def test_language_switcher_lands_on_the_same_page(good_site):
    en = read(good_site, "pathway/index.html")
    assert '<a href="../zh/pathway/" hreflang="zh"' in en
    zh = read(good_site, "zh/pathway/index.html")
    assert '<a href="../../pathway/" hreflang="en"' in zh


def test_chinese_interface_strings(good_site):
    zh = read(good_site, "zh/index.html")
    assert '<html lang="zh"' in zh
    assert "搜索" in zh  # Material's Chinese UI


def test_edit_link_points_at_the_language_file(good_site):
    zh = read(good_site, "zh/pathway/index.html")
    assert 'href="https://github.com/example/review/edit/main/docs/zh/pathway.md"' in zh


def test_search_index_per_language_without_tooltips(good_site):

    for lang, bundle in (("en", "pagefind/"), ("zh", "zh/pagefind/")):
        entry = json.loads(read(good_site, bundle + "pagefind-entry.json"))
        assert set(entry["languages"]) == {lang}
        names = json.loads(read(good_site, bundle + "drug-names.json"))
        assert names["names"]["阿培利司"] == "alpelisib"
    assert "search/search_index.json" not in {str(p.relative_to(good_site)) for p in good_site.rglob("*.json")}


class _Loads(HTMLParser):
    """Collects every URL the browser would fetch by itself (not links a reader clicks)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {
                "stylesheet", "preload", "prefetch", "icon", "modulepreload", "preconnect", "dns-prefetch"}:
            self.urls.append(a["href"])
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])


def third_party_loads(site: Path) -> list[str]:
    bad = []
    for path in site.rglob("*"):
        if path.suffix == ".html":
            parser = _Loads()
            parser.feed(path.read_text(encoding="utf-8"))
            bad += [f"{path}: {u}" for u in parser.urls if re.match(r"^(https?:)?//", u)]
        elif path.suffix in (".css", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for m in re.finditer(r"(?:@import\s+|url\()\s*['\"]?((?:https?:)?//[^'\")\s]+)", text):
                bad.append(f"{path}: {m.group(1)}")
    return bad


def test_nothing_is_loaded_from_a_third_party_host(good_site):
    assert third_party_loads(good_site) == []
    # the scanner itself finds a remote load when there is one
    probe = good_site.parent / "probe"
    probe.mkdir(exist_ok=True)
    (probe / "x.html").write_text('<link rel="stylesheet" href="https://fonts.googleapis.com/css">')
    assert third_party_loads(probe) != []


def test_glossary_target_in_each_language(good_site):
    en = article(read(good_site, "glossary/index.html"))
    zh = article(read(good_site, "zh/glossary/index.html"))
    assert re.search(r"<strong>Target</strong>: PI3Kα \(p110α\)</li>", en)
    assert re.search(r"<strong>靶点</strong>[:：] ?PI3Kα（p110α）</li>", zh)
    assert re.search(r"<strong>靶点</strong>[:：] ?雌激素受体</li>", zh)


def test_transliteration_note_qualifies_the_chinese_name(good_site):
    zh = article(read(good_site, "zh/glossary/index.html"))
    en = article(read(good_site, "glossary/index.html"))
    # alpelisib's Chinese name is a transliteration: the note sits next to 阿培利司, never next to the INN
    assert "<strong>中文名</strong>：阿培利司（音译名，非官方名称）</li>" in zh
    assert "<strong>英文名</strong>：alpelisib</li>" in zh
    assert "alpelisib（音译名" not in zh
    assert "<strong>Chinese name</strong>: 阿培利司 (transliteration, not an official name)</li>" in en
    # a name from the regulator carries no note
    assert "<strong>英文名</strong>：capivasertib</li>" in zh and "卡匹色替（音译名" not in zh


def test_chinese_pages_use_full_width_punctuation_in_what_the_engine_adds(good_site):
    zh = article(read(good_site, "zh/glossary/index.html"))
    assert re.search(r"<strong>(类别|靶点|别名|获批情况|提及页面)</strong>：", zh)
    assert not re.search(r"</strong>[:;,]", zh), "a half-width mark after a glossary label"
    bib = article(read(good_site, "zh/bibliography/index.html"))
    assert '<span class="rk-cited-on">被引用于：' in bib and "引用位置" not in bib
    page = read(good_site, "zh/pathway/index.html")
    tip = re.search(r'<span class="rk-tip" role="tooltip" id="drug-tip-[a-z-]+" [^>]*><b>[^<]+</b>(.)', page)
    assert tip and tip.group(1) == "："


def test_chinese_cite_box_follows_gbt_7714(good_site):
    zh = read(good_site, "zh/pathway/index.html")
    box = re.search(r'<p class="rk-cite-text">(.*?)</p>', zh).group(1)
    # 主要责任者. 题名[EB/OL]//整体题名. (更新日期)[引用日期]. 网址.
    assert re.match(r"动态综述贡献者\. [^\[]+\[EB/OL\]//ER阳性、HER2阴性晚期乳腺癌对PI3K/AKT/mTOR通路抑制剂的耐药：动态综述\. "
                    r"\(\d{4}-\d\d-\d\d\)\[引用日期\]", box), box
    en = read(good_site, "pathway/index.html")
    assert "[EB/OL]" not in re.search(r'<p class="rk-cite-text">(.*?)</p>', en).group(1)


def test_glossary_approvals_in_each_language(good_site):
    en = article(read(good_site, "glossary/index.html"))
    zh = article(read(good_site, "zh/glossary/index.html"))
    assert re.search(r"<strong>Approvals</strong>: FDA 2023: with fulvestrant <span class=\"rk-cite\"", en)
    assert re.search(r"<strong>获批情况</strong>：FDA 2023：联合氟维司群 <span class=\"rk-cite\"", zh)
