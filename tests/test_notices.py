"""notices.yml: checked like any project file, and a retracted paper must be called so where it is cited."""

from __future__ import annotations

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
