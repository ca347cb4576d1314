"""notices.yml: checked like any project file, and a retracted paper must be called so where it is cited."""

from __future__ import annotations

import re

from conftest import check, errors_of, make_site

from reviewkit.checks import sentence_around

RETRACTED = """\
- key: andre2019alpelisib
  type: retraction
  doi: 10.5555/planted-retraction
  date: 2026-10
  acknowledged_in: [docs/en/index.md, docs/zh/index.md]
"""


def _edit(site, rel, old, new):
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_citing_a_retracted_paper_without_saying_so_fails(tmp_path):
    site = make_site(tmp_path / "site", {"notices.yml": RETRACTED})
    _edit(site, "docs/en/index.md", "survival in SOLAR-1 [", "survival in SOLAR-1, a report since retracted [")
    _edit(site, "docs/zh/index.md", "延长了无进展生存期[", "延长了无进展生存期（该报告已撤稿）[")
    result = check(site)
    assert result.returncode == 1
    rk111 = [line for line in result.stdout.splitlines() if "[RK111]" in line]
    # line 5 now says so; the sentence on line 6 cites the same paper and does not
    assert rk111 == [
        "docs/en/index.md:6:12: error: 'andre2019alpelisib' is retracted (notices.yml), but this sentence does not say so [RK111]",
        "docs/zh/index.md:6:3: error: 'andre2019alpelisib' is retracted (notices.yml), but this sentence does not say so [RK111]",
    ], result.stdout
    assert "hint: say it next to the citation" in result.stdout
    _edit(site, "docs/en/index.md", "Three trials\ntogether", "Three trials, one of them retracted,\ntogether")
    _edit(site, "docs/zh/index.md", "三项试验\n", "三项试验（其一已撤稿）\n")
    result = check(site)
    assert result.returncode == 0, result.stdout


def test_a_malformed_notices_file_is_reported_with_its_line(tmp_path):
    bad = RETRACTED.replace("type: retraction", "type: retracted").replace("key: andre2019alpelisib", "key: andre2019")
    bad += "- key: turner2023capivasertib\n  type: correction\n  date: 2026\n  acknowledged_in: [docs/en/index.md]\n"
    site = make_site(tmp_path / "site", {"notices.yml": bad})
    errors = errors_of(check(site).stdout)
    assert "notices.yml:1:1: error: notice for unknown citation key 'andre2019'" in errors
    assert "notices.yml:1:1: error: notice type 'retracted' is not one of retraction, expression_of_concern, correction" in errors
    assert "notices.yml:6:1: error: notice for 'turner2023capivasertib' has no doi, pmid or url" in errors
    assert ("notices.yml:6:1: error: docs/en/index.md is listed as acknowledging the correction for "
            "'turner2023capivasertib', but does not mention it") in errors


def test_the_sentence_around_a_citation():
    text = "First one. Second [@a] here. Third.\n\nNew paragraph [@b]"
    start = text.index("[@a]")
    assert sentence_around(text, start, start + 4) == " Second [@a] here."
    start = text.index("[@b]")
    assert sentence_around(text, start, start + 4) == "New paragraph [@b]"
    text = "它已撤稿。另一句[@c]。"
    start = text.index("[@c]")
    assert sentence_around(text, start, start + 4) == "另一句[@c]。"
    text = "It was retracted. [@d] Next."  # a citation after the full stop belongs to the sentence before
    start = text.index("[@d]")
    assert "retracted" in sentence_around(text, start, start + 4)


NOTED = """\
- key: andre2019alpelisib
  type: expression_of_concern
  doi: 10.5555/planted-eoc
  date: 2026-09
  acknowledged_in: [docs/en/index.md, docs/zh/index.md]
- key: turner2023capivasertib
  type: correction
  doi: 10.5555/planted-erratum
  date: 2026-10-01
  acknowledged_in: [docs/en/index.md, docs/zh/index.md]
"""
EOC = '<a class="rk-notice rk-notice-expression-of-concern" href="https://doi.org/10.5555/planted-eoc">{}</a>'
FIX = '<a class="rk-notice rk-notice-correction" href="https://doi.org/10.5555/planted-erratum">{}</a>'


def test_readers_see_the_notice_labels_in_both_languages(tmp_path):
    from conftest import build

    site = make_site(tmp_path / "site", {"notices.yml": NOTED})
    _edit(site, "docs/en/index.md", "frame the field.",
          "frame the field. The first carries an expression of concern; the second was corrected.")
    _edit(site, "docs/zh/index.md", "构成了该领域的证据。", "构成了该领域的证据。前者附有关注声明，后者已更正。")
    result = build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    out = site / "site"
    for lang, page, words in (("en", "index.html", ("Expression of concern", "Corrected")),
                              ("zh", "zh/index.html", ("关注声明", "已更正"))):
        html = (out / page).read_text(encoding="utf-8")
        eoc, fix = EOC.format(words[0]), FIX.format(words[1])
        refs = html.split('<ol class="rk-refs">', 1)[1].split("</ol>", 1)[0]
        andre = next(li for li in refs.split("<li ") if "NEJMoa1813904" in li)
        turner = next(li for li in refs.split("<li ") if "NEJMoa2214131" in li)
        assert eoc in andre and fix in turner and eoc not in turner, (lang, refs)
        tips = re.findall(r'<span class="rk-tip" role="tooltip" id="cite-tip-\d+"[^>]*>(.*?)</span></span>',
                          html, re.S)
        assert any(eoc in t and "NEJMoa1813904" in t for t in tips), (lang, tips)
        assert any(fix in t for t in tips), lang
        bib_page = "bibliography/index.html" if lang == "en" else "zh/bibliography/index.html"
        bib = (out / bib_page).read_text(encoding="utf-8")
        assert eoc in bib and fix in bib, lang
        assert refs.count('class="rk-notice ') == 2, lang  # only the noticed references carry a label


def test_retraction_label_in_both_languages():
    from reviewkit.notices import Notice, labels_html

    notice = Notice("k", "retraction", doi="10.5555/x")
    assert labels_html((notice,), "en") == \
        ' <a class="rk-notice rk-notice-retraction" href="https://doi.org/10.5555/x">Retracted</a>'
    assert ">已撤稿</a>" in labels_html((notice,), "zh")
    assert labels_html((), "en") == ""
