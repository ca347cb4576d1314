"""One broken fixture per failure: the build and the check stop with the exact message, once."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURE, build, check, errors_of, make_site

EN = (FIXTURE / "docs/en/index.md").read_text(encoding="utf-8")
ZH = (FIXTURE / "docs/zh/index.md").read_text(encoding="utf-8")
BIB = (FIXTURE / "references.bib").read_text(encoding="utf-8")
GLOSSARY = (FIXTURE / "glossary.yml").read_text(encoding="utf-8")
ZH_PATHWAY = (FIXTURE / "docs/zh/pathway.md").read_text(encoding="utf-8")
EN_PATHWAY = (FIXTURE / "docs/en/pathway.md").read_text(encoding="utf-8")


def without_entry(bib: str, key: str) -> str:
    return re.sub(r"@article\{" + key + r",.*?\n\}\n", "", bib, flags=re.S)


CASES = {
    "unknown key": (
        {"docs/zh/pathway.md": ZH_PATHWAY.replace("[@browne2024resistance]", "[@browne2042resistance]")},
        ["docs/zh/pathway.md:5:13: error: unknown citation key 'browne2042resistance'"],
        "did you mean 'browne2024resistance'?",
    ),
    "deleted bib entry": (
        {"references.bib": without_entry(BIB, "browne2024resistance")},
        ["docs/en/index.md:7:7: error: unknown citation key 'browne2024resistance'",
         "docs/en/pathway.md:5:38: error: unknown citation key 'browne2024resistance'",
         "docs/zh/index.md:7:7: error: unknown citation key 'browne2024resistance'",
         "docs/zh/pathway.md:5:13: error: unknown citation key 'browne2024resistance'"],
        "add an entry with this key to references.bib",
    ),
    "bib syntax error": (
        {"references.bib": BIB.replace("year    = {2019},\n  volume  = {380},", "year    = {2019}\n  volume  = {380},")},
        ["references.bib:7:3: error: BibTeX syntax error: '}' expected"],
        "check the braces, commas and quotes",
    ),
    "duplicate key": (
        {"references.bib": BIB + BIB.split("@article{browne2024resistance", 1)[0].split("\n", 1)[1]
            .replace("andre2019alpelisib", "Andre2019Alpelisib")},
        ["references.bib:43:1: error: duplicate key 'Andre2019Alpelisib': key 'andre2019alpelisib' (keys ignore case) "
         "is already used at line 2"],
        "merge the two entries or rename one key",
    ),
    "missing field": (
        {"references.bib": BIB.replace("  journal = {Cancers},\n", "")},
        ["references.bib:13:1: error: @article 'browne2024resistance' is missing required field(s): journal"],
        "add the field(s)",
    ),
    "malformed doi": (
        {"references.bib": BIB.replace("{10.3390/cancers16122259}", "{https://doi.org/10.3390/cancers16122259}")},
        ["references.bib:13:1: error: entry 'browne2024resistance': malformed DOI "
         "'https://doi.org/10.3390/cancers16122259'"],
        "a DOI looks like 10.1056/NEJMoa1813904",
    ),
    "malformed pmid": (
        {"references.bib": BIB.replace("{31091374}", "{PMID31091374}")},
        ["references.bib:2:1: error: entry 'andre2019alpelisib': malformed PMID 'PMID31091374'"],
        "a PMID is 1 to 8 digits",
    ),
    "doi under two keys": (
        {"references.bib": BIB.replace("{10.1056/NEJMoa1109653}", "{10.1056/NEJMoa1813904}")},
        ["references.bib:33:1: error: DOI 10.1056/NEJMoa1813904 is under two keys: 'andre2019alpelisib' "
         "and 'baselga2012everolimus'"],
        "keep one entry",
    ),
    "missing english page": (
        {"docs/en/pathway.md": None},
        ["docs/zh/pathway.md: error: page is missing: docs/zh/pathway.md has no en version to translate from"],
        "create docs/en/pathway.md",
    ),
    "unknown drug by INN stem": (
        {"docs/en/pathway.md": EN_PATHWAY + "\nOsimertinib is not discussed here.\n",
         "docs/zh/pathway.md": ZH_PATHWAY + "\nOsimertinib不在此讨论。\n"},
        ["docs/en/pathway.md:8:1: error: drug 'Osimertinib' is not in glossary.yml",
         "docs/zh/pathway.md:8:1: error: drug 'Osimertinib' is not in glossary.yml"],
        "add an entry to glossary.yml",
    ),
    "unknown drug by code": (
        {"docs/en/pathway.md": EN_PATHWAY + "\nThe AKT inhibitor MK-2206 was tested early.\n",
         "docs/zh/pathway.md": ZH_PATHWAY + "\nAKT抑制剂MK-2206曾在早期被测试。\n"},
        ["docs/en/pathway.md:8:19: error: drug 'MK-2206' is not in glossary.yml",
         "docs/zh/pathway.md:8:7: error: drug 'MK-2206' is not in glossary.yml"],
        "add an entry to glossary.yml",
    ),
    "unknown drug by chinese suffix": (
        {"docs/en/pathway.md": EN_PATHWAY + "\nOsimertinib is not discussed here.\n",
         "docs/zh/pathway.md": ZH_PATHWAY + "\n本文不讨论奥希替尼。\n",
         "drug-allowlist.txt": "MCF-7  # cell line\nOsimertinib  # probe for this test\n"},
        ["docs/zh/pathway.md:8:6: error: drug '奥希替尼' is not in glossary.yml"],
        "add an entry to glossary.yml",
    ),
    "glossary cites unknown key": (
        {"glossary.yml": GLOSSARY.replace("[@turner2023capivasertib].", "[@turner2023capivasertibb].")},
        ["glossary.yml:24:1: error: entry 'capivasertib', definition_en: unknown citation key 'turner2023capivasertibb'"],
        "did you mean 'turner2023capivasertib'?",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_check_reports_exact_message(tmp_path, name):
    changes, expected, hint = CASES[name]
    site = make_site(tmp_path / "site", changes)
    result = check(site)
    assert result.returncode == 1, result.stdout + result.stderr
    assert errors_of(result.stdout) == expected
    assert f"hint: {hint}" in result.stdout or hint in result.stdout


@pytest.mark.parametrize("name", ["deleted bib entry", "missing english page", "unknown drug by chinese suffix"])
def test_build_stops_with_each_message_once(tmp_path, name):
    changes, expected, _ = CASES[name]
    site = make_site(tmp_path / "site", changes)
    result = build(site)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    for message in expected:
        assert out.count(message) == 1, out
    assert "nothing was published" in out
    assert not (site / "site" / "zh").exists()


def test_check_passes_on_the_fixture(tmp_path):
    result = check(make_site(tmp_path / "site"))
    assert result.returncode == 0, result.stdout
    assert "0 error(s)" in result.stderr


def test_uncited_entry_is_a_warning_in_check_output_only(tmp_path):
    extra = BIB + """
@article{hopkins2018suppression,
  author  = {Hopkins, Benjamin D. and Pauli, Chantal and Du, Xing and others},
  title   = {Suppression of Insulin Feedback Enhances the Efficacy of {PI3K} Inhibitors},
  journal = {Nature},
  year    = {2018},
  volume  = {560},
  number  = {7719},
  pages   = {499--503},
  doi     = {10.1038/s41586-018-0343-4},
}
"""
    site = make_site(tmp_path / "site", {"references.bib": extra})
    result = check(site)
    assert result.returncode == 0
    assert "references.bib:44:1: warning: entry 'hopkins2018suppression' is cited nowhere" in result.stdout
    assert build(site).returncode == 0


def test_github_annotations(tmp_path):
    changes, expected, _ = CASES["unknown key"]
    site = make_site(tmp_path / "site", changes)
    result = check(site, env={"GITHUB_ACTIONS": "true"})
    assert ("::error file=docs/zh/pathway.md,line=5,col=13,title=RK010::unknown citation key "
            "'browne2042resistance' — hint: did you mean 'browne2024resistance'?") in result.stdout
