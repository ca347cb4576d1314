"""The evidence watch and `add`, run for real against a local stand-in for the three services."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from watch_server import Services, crossref_work, pubmed_article, study, update

ROOT = Path(__file__).resolve().parent.parent

# Real records (their identifiers, titles and notices as the services publish them); the
# 'planted' entries use Crossref's test prefix 10.5555 and unassigned PMIDs: they are not papers.
BIB = r"""
@article{wakefield1998ileal,
  author  = {Wakefield, A. J. and Murch, S. H. and Anthony, A. and Linnell, J. and Casson, D. M. and Malik, M. and others},
  title   = {Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in children},
  journal = {Lancet},
  year    = {1998},
  volume  = {351},
  number  = {9103},
  pages   = {637--641},
  doi     = {10.1016/S0140-6736(97)11096-0},
  pmid    = {9500320},
}
@article{rugo2021alpelisib,
  author  = {Rugo, Hope S. and Lerebours, Florence and others},
  title   = {Alpelisib plus fulvestrant in {PIK3CA}-mutated, hormone receptor-positive advanced breast cancer after a {CDK4/6} inhibitor ({BYLieve}): one cohort of a phase 2, multicentre, open-label, non-comparative study},
  journal = {Lancet Oncol},
  year    = {2021},
  volume  = {22},
  number  = {4},
  pages   = {489--498},
  doi     = {10.1016/S1470-2045(21)00034-6},
  pmid    = {33794206},
}
@article{andre2019alpelisib,
  author  = {Andr{\'e}, Fabrice and Ciruelos, Eva and others},
  title   = {Alpelisib for {PIK3CA}-Mutated, Hormone Receptor-Positive Advanced Breast Cancer},
  journal = {N Engl J Med},
  year    = {2019},
  volume  = {380},
  number  = {20},
  pages   = {1929--40},
  doi     = {10.1056/NEJMoa1813904},
  pmid    = {31091374},
}
@article{turner2023capivasertib,
  author  = {Turner, Nicholas C. and others},
  title   = {Capivasertib in Hormone Receptor-Positive Advanced Breast Cancer},
  journal = {N Engl J Med},
  year    = {2023},
  volume  = {388},
  number  = {22},
  pages   = {2058--2070},
  doi     = {10.1056/NEJMoa2214131},
  pmid    = {37256976},
}
@article{bidard2022elacestrant,
  author  = {Bidard, Fran{\c{c}}ois-Cl{\'e}ment and others},
  title   = {Elacestrant (oral selective estrogen receptor degrader) Versus Standard Endocrine Therapy for Estrogen Receptor-Positive, Human Epidermal Growth Factor Receptor 2-Negative Advanced Breast Cancer: Results From the Randomized Phase {III} {EMERALD} Trial},
  journal = {J Clin Oncol},
  year    = {2022},
  volume  = {14},
  doi     = {10.1200/JCO.22.00338},
}
@article{jhaveri2025imlunestrant,
  author  = {Jhaveri, Komal L. and others},
  title   = {Imlunestrant with or without Abemaciclib in Advanced Breast Cancer},
  journal = {N Engl J Med},
  year    = {2025},
  doi     = {10.1056/NEJMoa2410858},
  pmid    = {39660834},
}
@article{planted2018corrected,
  author  = {Planted, A.},
  title   = {A planted record that received a correction},
  journal = {Test J},
  year    = {2018},
  doi     = {10.5555/planted-2018},
}
@article{planted2019concern,
  author  = {Planted, B.},
  title   = {A planted record with an expression of concern in PubMed},
  journal = {Test J},
  year    = {2019},
  pmid    = {99999902},
}
@article{planted2020gone,
  author  = {Planted, C.},
  title   = {A planted record whose DOI no longer resolves},
  journal = {Test J},
  year    = {2020},
  doi     = {10.5555/planted-gone},
}
@article{planted2021slow,
  author  = {Planted, D.},
  title   = {A planted record the service is too slow to return},
  journal = {Test J},
  year    = {2021},
  doi     = {10.5555/planted-slow},
}
@article{planted2022garbled,
  author  = {Planted, E.},
  title   = {A planted record answered with malformed JSON},
  journal = {Test J},
  year    = {2022},
  doi     = {10.5555/planted-garbled},
}
"""
KEYS = ["wakefield1998ileal", "rugo2021alpelisib", "andre2019alpelisib", "turner2023capivasertib",
        "bidard2022elacestrant", "jhaveri2025imlunestrant", "planted2018corrected", "planted2019concern",
        "planted2020gone", "planted2021slow", "planted2022garbled"]
NOTICES = """\
- key: rugo2021alpelisib
  type: expression_of_concern
  doi: 10.1016/S1470-2045(23)00673-3
  pmid: "38142701"
  date: "2024"
  acknowledged_in: [docs/en/index.md, docs/zh/index.md]
"""
MKDOCS = """\
site_name: watch fixture
docs_dir: docs
extra:
  reviewkit:
    bibliography: references.bib
    glossary: glossary.yml
    languages: [en, zh]
    default_language: en
    mailto: maintainers@example.org
"""


def make_project(tmp_path: Path, keys=KEYS, ncts=("NCT03056755", "NCT04305496", "NCT00000000"),
                 bib=BIB, notices=NOTICES) -> Path:
    site = tmp_path / "project"
    (site / "docs" / "en").mkdir(parents=True)
    (site / "docs" / "zh").mkdir(parents=True)
    (site / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (site / "references.bib").write_text(bib, encoding="utf-8")
    (site / "glossary.yml").write_text("{}\n", encoding="utf-8")
    if notices:
        (site / "notices.yml").write_text(notices, encoding="utf-8")
    cites = "; ".join(f"@{k}" for k in keys)
    trials = ", ".join(ncts)
    (site / "docs" / "en" / "index.md").write_text(
        f"# Fixture\n\nEvidence [{cites}]. Trials {trials}. BYLieve carries an Expression of Concern.\n", encoding="utf-8")
    (site / "docs" / "zh" / "index.md").write_text(
        f"# 测试\n\n证据[{cites}]。试验{trials}。BYLieve附有关注声明。\n", encoding="utf-8")
    checked = {"NCT03056755": "{checked: 2024-06-01, status: ACTIVE_NOT_RECRUITING}",
               "NCT04305496": "{checked: 2024-06-01, status: COMPLETED}"}
    (site / "registry-checks.yml").write_text("".join(f"{n}: {checked[n]}\n" for n in ncts if n in checked),
                                              encoding="utf-8")
    return site


def plant(server: Services) -> None:
    cr = server.crossref
    cr["10.1016/s0140-6736(97)11096-0"] = crossref_work(
        "10.1016/S0140-6736(97)11096-0",
        "RETRACTED: Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in children",
        [("Wakefield", "AJ"), ("Murch", "SH"), ("Anthony", "A")], "The Lancet", "The Lancet", 1998, "351", "9103",
        "637-641", month=2,
        updated_by=[update("10.1016/S0140-6736(04)15715-2", "correction", "Correction", "2004-03-06"),
                    update("10.1016/S0140-6736(10)60175-4", "retraction", "Retraction", "2010-02-06")])
    cr["10.1016/s1470-2045(21)00034-6"] = crossref_work(
        "10.1016/S1470-2045(21)00034-6",
        "Alpelisib plus fulvestrant in PIK3CA-mutated, hormone receptor-positive advanced breast cancer after a "
        "CDK4/6 inhibitor (BYLieve): one cohort of a phase 2, multicentre, open-label, non-comparative study",
        [("Rugo", "Hope S"), ("Lerebours", "Florence")], "The Lancet Oncology", "The Lancet Oncology", 2021, "22", "4",
        "489-498", month=4,
        updated_by=[update("10.1016/S1470-2045(23)00673-3", "expression_of_concern", "Expression of concern",
                           "2024-01-01")])
    cr["10.1056/nejmoa1813904"] = crossref_work(
        "10.1056/NEJMoa1813904", "Alpelisib for <i>PIK3CA</i>-Mutated, Hormone Receptor–Positive Advanced Breast Cancer",
        [("André", "Fabrice"), ("Ciruelos", "Eva"), ("Rubovszky", "Gabor"), ("Campone", "Mario"), ("Loibl", "Sibylle"),
         ("Rugo", "Hope S."), ("Iwata", "Hiroji")],
        "New England Journal of Medicine", "N Engl J Med", 2019, "380", "20", "1929-1940", month=5,
        publisher="Massachusetts Medical Society")
    cr["10.1056/nejmoa2214131"] = crossref_work(
        "10.1056/NEJMoa2214131", "Capivasertib in Hormone Receptor–Positive Advanced Breast Cancer",
        [("Turner", "Nicholas C.")], "New England Journal of Medicine", "N Engl J Med", 2023, "388", "22", "2058-2070",
        month=6, publisher="Massachusetts Medical Society")
    server.throttle.add("10.1056/nejmoa2214131")
    cr["10.1200/jco.22.00338"] = crossref_work(
        "10.1200/JCO.22.00338",
        "Elacestrant (oral selective estrogen receptor degrader) Versus Standard Endocrine Therapy for Estrogen "
        "Receptor–Positive, Human Epidermal Growth Factor Receptor 2–Negative Advanced Breast Cancer: Results From "
        "the Randomized Phase III EMERALD Trial",
        [("Bidard", "François-Clément")], "Journal of Clinical Oncology", "JCO", 2022, "40", "28", "3246-3256",
        month=10, publisher="American Society of Clinical Oncology (ASCO)")
    cr["10.1056/nejmoa2410858"] = crossref_work(
        "10.1056/NEJMoa2410858", "Imlunestrant with or without Abemaciclib in Advanced Breast Cancer",
        [("Jhaveri", "Komal L.")], "New England Journal of Medicine", "N Engl J Med", 2025, "392", "12", "1189-1202",
        month=3, publisher="Massachusetts Medical Society")
    cr["10.5555/planted-2018"] = crossref_work(
        "10.5555/planted-2018", "A planted record that received a correction", [("Planted", "A.")], "Test Journal",
        "Test J", 2018, updated_by=[update("10.5555/planted-correction", "correction", "Correction", "2026-10-01")])
    cr["10.5555/planted-slow"] = "slow"
    cr["10.5555/planted-garbled"] = "garbled"
    pm = server.pubmed
    pm["9500320"] = pubmed_article(
        "9500320", "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in "
        "children.", "Lancet (London, England)", "Lancet", "Lancet", "1998", "351", "9103", "637-41",
        doi="10.1016/s0140-6736(97)11096-0", authors=[("Wakefield", "A J"), ("Murch", "S H")],
        pub_types=("Journal Article", "Retracted Publication"),
        comments=[("RetractionIn", "Lancet. 2010 Feb 6;375(9713):445", "20137807")])
    pm["33794206"] = pubmed_article(
        "33794206", "Alpelisib plus fulvestrant in PIK3CA-mutated, hormone receptor-positive advanced breast cancer "
        "after a CDK4/6 inhibitor (BYLieve): one cohort of a phase 2, multicentre, open-label, non-comparative study.",
        "The Lancet. Oncology", "Lancet Oncol", "Lancet Oncol", "2021", "22", "4", "489-498",
        doi="10.1016/S1470-2045(21)00034-6", authors=[("Rugo", "Hope S")],
        comments=[("ExpressionOfConcernIn", "Lancet Oncol. 2024. doi: 10.1016/S1470-2045(23)00673-3.", "38142701")])
    pm["31091374"] = pubmed_article(
        "31091374", "Alpelisib for PIK3CA-Mutated, Hormone Receptor-Positive Advanced Breast Cancer.",
        "The New England journal of medicine", "N Engl J Med", "N Engl J Med", "2019", "380", "20", "1929-1940",
        doi="10.1056/NEJMoa1813904",
        authors=[("André", "Fabrice"), ("Ciruelos", "Eva"), ("Rubovszky", "Gabor"), ("Campone", "Mario"),
                 ("Loibl", "Sibylle"), ("Rugo", "Hope S"), ("Iwata", "Hiroji")],
        pub_types=("Clinical Trial, Phase III", "Journal Article", "Randomized Controlled Trial"))
    # DOI only in ELocationID; the reference list holds other works' DOIs, which must not be read
    pm["37256976"] = pubmed_article(
        "37256976", "Capivasertib in Hormone Receptor-Positive Advanced Breast Cancer.",
        "The New England journal of medicine", "N Engl J Med", "N Engl J Med", "2023", "388", "22", "2058-2070",
        eloc_doi="10.1056/NEJMoa2214131", authors=[("Turner", "Nicholas C")],
        references=[("André F, et al. N Engl J Med 2019.", "10.1056/NEJMoa1813904")])
    pm["39660834"] = pubmed_article(
        "39660834", "Imlunestrant with or without Abemaciclib in Advanced Breast Cancer.",
        "The New England journal of medicine", "N Engl J Med", "N Engl J Med", "2025", "392", "12", "1189-1202",
        doi="10.5555/another-doi", authors=[("Jhaveri", "Komal L")])
    pm["99999902"] = pubmed_article(
        "99999902", "A planted record with an expression of concern in PubMed.", "Test journal", "Test J", "Test J",
        "2019", authors=[("Planted", "B")],
        comments=[("ExpressionOfConcernIn", "Test J. 2026. Planted notice.", "99999903")])
    server.ctgov["NCT03056755"] = study("NCT03056755", "COMPLETED", "2025-03-10", "2024-10-15", "ACTUAL", "2025-03-10")
    server.ctgov["NCT04305496"] = study("NCT04305496", "COMPLETED", "2024-05-01", "2022-08-15", "ACTUAL", "2024-04-01")
    server.ctgov_rejected.add("NCT00000000")


def run_cli(site: Path, *args, env=None):
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full.pop("NCBI_API_KEY", None)
    return subprocess.run([sys.executable, "-m", "reviewkit", "--root", str(site), *args], capture_output=True,
                          text=True, env=full, timeout=120, cwd=site)


def watch(site, server, *extra):
    return run_cli(site, "watch", "--timeout", "1", "--retries", "1", *extra, env=server.env())


def finding_lines(report: str) -> dict:
    """Section heading -> the '- `subject`: ...' lines under it."""
    out, current = {}, None
    for line in report.splitlines():
        if line.startswith("## "):
            current = line[3:].split(" (")[0].split(":")[0]
            out[current] = []
        elif line.startswith("- `") and current:
            out[current].append(line)
    return out


@pytest.fixture()
def services():
    with Services() as server:
        plant(server)
        yield server


def test_watch_reports_exactly_the_planted_changes_then_serves_from_the_cache(tmp_path, services):
    site = make_project(tmp_path)
    first = watch(site, services)
    assert "Traceback" not in first.stderr, first.stderr
    assert first.returncode == 3, first.stdout + first.stderr
    sections = finding_lines(first.stdout)
    subjects = {name: sorted(line.split("`")[1] for line in lines) for name, lines in sections.items()}
    assert subjects == {
        "Needs attention": ["planted2018corrected", "planted2019concern", "wakefield1998ileal", "wakefield1998ileal"],
        "Could not check": ["planted2021slow", "planted2022garbled"],
        "To review": ["NCT00000000", "NCT03056755", "bidard2022elacestrant", "jhaveri2025imlunestrant",
                      "planted2020gone"],
        "Acknowledged notices": ["rugo2021alpelisib"],
    }, first.stdout
    text = first.stdout
    # each line says what changed and names its source record
    assert "retraction not yet acknowledged" in text and "10.1016/S0140-6736(10)60175-4" in text
    assert "PMID 20137807" in text and "Retracted Publication" in text
    assert "`wakefield1998ileal`: correction not yet acknowledged" in text
    assert "`planted2018corrected`: correction not yet acknowledged" in text and "10.5555/planted-correction" in text
    assert "`planted2019concern`: expression of concern not yet acknowledged" in text and "PMID 99999903" in text
    assert "`rugo2021alpelisib`: expression of concern, recorded in notices.yml" in text
    assert "volume differs: references.bib has 14, Crossref has 40" in text
    assert "DOI 10.5555/planted-gone is not known to Crossref (404)" in text
    assert "PubMed record 39660834 has DOI 10.5555/another-doi, references.bib has 10.1056/NEJMoa2410858" in text
    assert "no answer within 1 s" in text and "malformed JSON" in text
    assert ("`NCT03056755`: record changed since the site checked it on 2024-06-01 (registry-checks.yml): status "
            "changed from ACTIVE_NOT_RECRUITING to COMPLETED; status COMPLETED, primary completion 2024-10-15 "
            "(actual), results posted 2025-03-10") in text
    assert "`NCT00000000`: not found in the registry" in text
    assert services.base + "/crossref/works/10.1200/JCO.22.00338" in text  # the source record
    assert "Not an all-clear: 2 item(s) could not be checked." in text
    # the 429 was waited out and retried (no finding for turner2023capivasertib); Retry-After honoured
    assert "turner2023capivasertib" not in text
    hits = [p for p in services.log if "NEJMoa2214131" in p]
    assert len(hits) == 2, services.log
    assert not any("api_key" in line for line in services.log)
    first_counts = dict(services.hits)
    # 11 DOIs + the 429 retry + one retry of the slow answer; one efetch; one batch (400) + three single studies
    assert first_counts == {"crossref": 12, "pubmed": 1, "ctgov": 4}, first_counts

    services.hits.clear()
    second = watch(site, services)
    assert second.returncode == 3
    assert finding_lines(second.stdout) == sections
    # from the cache: only what failed is asked again (the slow answer twice, the malformed one once)
    assert dict(services.hits) == {"crossref": 3}, dict(services.hits)
    assert "3 request(s)" in second.stdout

    services.hits.clear()
    third = watch(site, services, "--refresh")
    assert dict(services.hits) == first_counts | {"crossref": 11}  # the 429 was planted once only
    assert third.returncode == 3


def test_acknowledged_notices_and_clean_records_exit_zero(tmp_path, services):
    site = make_project(tmp_path, keys=["rugo2021alpelisib", "andre2019alpelisib"], ncts=("NCT04305496",))
    result = watch(site, services)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Nothing new" in result.stdout and "rugo2021alpelisib" in result.stdout


def test_trial_check_dates_come_from_the_trials_file_mkdocs_yml_names(tmp_path, services):
    # The watch reads the trials file the site itself parses, wherever mkdocs.yml puts it; a stray
    # registry-checks.yml is ignored once the project has one.
    site = make_project(tmp_path, keys=["andre2019alpelisib"], ncts=("NCT03056755", "NCT04305496"))
    mkdocs = site / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "    trials: data/trials.yml\n", encoding="utf-8")
    (site / "data").mkdir()
    (site / "data" / "trials.yml").write_text("""\
- id: BYLieve
  nct: NCT03056755
  phase: "2"
  design: {en: Open-label, zh: 开放标签}
  arms: {en: alpelisib + fulvestrant, zh: 阿培利司 + 氟维司群}
  population: {en: PIK3CA-mutated, zh: PIK3CA突变}
  endpoints: {en: Alive without progression at 6 months, zh: 6个月时无进展生存}
  registry: {status: RECRUITING, updated: 2023-01-10, checked: 2024-02-01}
- id: CAPItello-291
  nct: NCT04305496
  phase: "3"
  design: {en: Double-blind, zh: 双盲}
  arms: {en: capivasertib + fulvestrant, zh: 卡匹色替 + 氟维司群}
  population: {en: After an aromatase inhibitor, zh: 芳香化酶抑制剂治疗后}
  endpoints: {en: PFS, zh: PFS}
""", encoding="utf-8")
    result = watch(site, services)
    assert "Traceback" not in result.stderr, result.stderr
    text = result.stdout
    assert ("`NCT03056755`: record changed since the site checked it on 2024-02-01 (data/trials.yml): status "
            "changed from RECRUITING to COMPLETED") in text, text
    assert "registry-checks.yml" not in text.split("`NCT03056755`")[1].split("\n")[0]
    # a trial with no registry block has no date: the finding says where to record one
    assert "`NCT04305496`: no last-checked date recorded (record registry.checked in data/trials.yml)" in text, text


def test_unacknowledged_notice_needs_attention(tmp_path, services):
    site = make_project(tmp_path, keys=["rugo2021alpelisib"], ncts=(), notices="")
    result = watch(site, services)
    assert result.returncode == 3
    assert "`rugo2021alpelisib`: expression of concern not yet acknowledged" in result.stdout


def test_malformed_xml_and_json_are_could_not_check_never_all_clear(tmp_path, services):
    services.pubmed_garbled = True
    services.ctgov_garbled = True
    site = make_project(tmp_path, keys=["andre2019alpelisib"], ncts=("NCT04305496",))
    result = watch(site, services)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = finding_lines(result.stdout)["Could not check"]
    assert len(lines) == 2, lines
    assert any("malformed XML" in line and "andre2019alpelisib" in line for line in lines), lines
    assert any("malformed JSON" in line and "NCT04305496" in line for line in lines), lines
    assert "Nothing new" not in result.stdout and "Not an all-clear" in result.stdout


def test_offline_is_could_not_check(tmp_path):
    site = make_project(tmp_path, keys=["andre2019alpelisib"], ncts=("NCT04305496",))
    dead = "http://127.0.0.1:9"  # discard port: nothing listens
    env = {"REVIEWKIT_CROSSREF_URL": dead, "REVIEWKIT_PUBMED_URL": dead, "REVIEWKIT_CTGOV_URL": dead}
    result = run_cli(site, "watch", "--timeout", "1", "--retries", "0", env=env)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert len(finding_lines(result.stdout)["Could not check"]) == 3
    assert "cannot connect" in result.stdout


def test_mailto_from_mkdocs_yml_and_ncbi_key():
    from reviewkit.watch.services import configure

    s = configure("maintainers@example.org", env={"NCBI_API_KEY": "secret"})
    assert s.crossref == "https://api.crossref.org" and s.crossref_params() == {"mailto": "maintainers@example.org"}
    assert s.ncbi_params() == {"tool": "reviewkit", "email": "maintainers@example.org", "api_key": "secret"}
    assert abs(s.limits["pubmed"].interval - 0.1) < 1e-9
    assert abs(configure("", env={}).limits["pubmed"].interval - 1 / 3) < 1e-9
    assert configure("a@b.org", env={"REVIEWKIT_MAILTO": "c@d.org"}).mailto == "c@d.org"


# ---- add ----

def test_add_by_doi_fills_pmid_and_refuses_a_duplicate(tmp_path, services):
    site = make_project(tmp_path, keys=[], ncts=(), bib="% fixture\n", notices="")
    result = run_cli(site, "add", "doi:10.1056/NEJMoa1813904", env=services.env())
    assert result.returncode == 0, result.stdout + result.stderr
    bib = (site / "references.bib").read_text(encoding="utf-8")
    assert "@article{andre2019alpelisib," in bib
    for line in ("author  = {André, Fabrice and Ciruelos, Eva and Rubovszky, Gabor and Campone, Mario and "
                 "Loibl, Sibylle and Rugo, Hope S. and others},",
                 "title   = {Alpelisib for {PIK3CA}-Mutated, Hormone Receptor–Positive Advanced Breast Cancer},",
                 "journal = {N Engl J Med},", "year    = {2019},", "volume  = {380},", "number  = {20},",
                 "pages   = {1929--1940},", "doi     = {10.1056/NEJMoa1813904},", "pmid    = {31091374},"):
        assert line in bib, bib
    check = run_cli(site, "check")
    assert "andre2019alpelisib" in check.stdout and "error" not in check.stdout.replace("0 error(s)", ""), check.stdout
    again = run_cli(site, "add", "pmid:31091374", env=services.env())
    assert again.returncode == 1
    assert "PMID 31091374 is already in references.bib as 'andre2019alpelisib'" in again.stderr
    assert (site / "references.bib").read_text(encoding="utf-8") == bib


def test_add_by_pmid_uses_crossref_too(tmp_path, services):
    site = make_project(tmp_path, keys=[], ncts=(), bib="% fixture\n", notices="")
    result = run_cli(site, "add", "pmid:9500320", env=services.env())
    assert result.returncode == 0, result.stdout + result.stderr
    bib = (site / "references.bib").read_text(encoding="utf-8")
    assert "@article{wakefield1998ileallymphoidnodular," in bib and "pmid    = {9500320}," in bib
    assert "doi     = {10.1016/S0140-6736(97)11096-0}," in bib and "journal = {Lancet}," in bib


def test_add_offline_changes_nothing(tmp_path):
    site = make_project(tmp_path, keys=[], ncts=(), bib="% fixture\n", notices="")
    dead = "http://127.0.0.1:9"
    env = {"REVIEWKIT_CROSSREF_URL": dead, "REVIEWKIT_PUBMED_URL": dead, "REVIEWKIT_CTGOV_URL": dead}
    result = run_cli(site, "add", "doi:10.1056/NEJMoa1813904", "--retries", "0", "--timeout", "1", env=env)
    assert result.returncode == 4
    assert "offline" in result.stderr and "was not changed" in result.stderr and "Traceback" not in result.stderr
    assert (site / "references.bib").read_text(encoding="utf-8") == "% fixture\n"


def test_add_refuses_a_doi_already_present(tmp_path):
    site = make_project(tmp_path, keys=[], ncts=(), notices="")
    result = run_cli(site, "add", "10.1056/nejmoa1813904")
    assert result.returncode == 1
    assert "already in references.bib as 'andre2019alpelisib'" in result.stderr


def test_client_retries_5xx_with_backoff_and_obeys_rate_headers(services):
    from reviewkit.watch import crossref
    from reviewkit.watch.http import Client, FetchError, RateLimit, _retry_after
    from reviewkit.watch.services import configure

    services.fail_once["10.1056/nejmoa1813904"] = 503
    pauses = []
    client = Client(None, sleep=pauses.append, backoff=0.5)
    config = configure("", env=services.env())
    message = crossref.fetch(client, config, "10.1056/NEJMoa1813904")
    assert message["volume"] == "380" and client.requests == 2 and 0.5 in pauses  # backoff, not hammering
    # x-rate-limit-limit 50 per 1s: at most one request every 20 ms from now on
    assert abs(config.limits["crossref"].interval - 0.2) < 1e-9  # our own 5/s is slower still
    limit = RateLimit(100)
    limit.obey_crossref({"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"})
    assert abs(limit.interval - 0.02) < 1e-9
    assert _retry_after("7") == 7.0 and _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert _retry_after("soon") is None
    services.throttle.add("10.1056/nejmoa2214131")
    patient = Client(None, max_wait=0.5, sleep=pauses.append)  # Retry-After: 1 is more than we may wait
    with pytest.raises(FetchError, match="asked to wait 1 s"):
        crossref.fetch(patient, config, "10.1056/NEJMoa2214131")
