"""Take the references away: each page's references, and the bibliography's, as BibTeX, RIS and
CSL-JSON, checked on the fixture site built for real against the keys each page cites."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pybtex.database import parse_string

from conftest import FIXTURE, build, make_site
from reviewkit import project as rk_project
from reviewkit import render
from reviewkit.bibliography_page import bibliography_keys

PAGES = ["index.md", "pathway.md", "glossary.md", "bibliography.md"]


@pytest.fixture(scope="module")
def model():
    return rk_project.load(str(FIXTURE))


def page_dir(site: Path, lang: str, rel: str) -> Path:
    return site / ("" if lang == "en" else lang) / render.page_url(rel)


def expected_keys(model, rel: str) -> list[str]:
    """The page's references as the site numbers them (the bibliography page: all it lists)."""
    if rel == "bibliography.md":
        return bibliography_keys(model, "en")
    return render.render(model, "en", rel).cited


def test_the_expected_keys_are_the_pages_citations(model):
    # the keys the files are checked against, taken apart from the renderer where possible
    assert expected_keys(model, "pathway.md") == list(render.numbering(model.pages[("en", "pathway.md")]))
    assert len(expected_keys(model, "index.md")) == 4
    assert expected_keys(model, "glossary.md")  # definitions and approvals cite papers


@pytest.mark.parametrize("rel", PAGES)
def test_each_page_offers_exactly_its_references_in_three_formats(good_site, model, rel):
    keys = expected_keys(model, rel)
    stem = rel[:-3]
    folder = good_site / "references"
    # BibTeX: parses with pybtex, the same keys in the page's order, DOI and PMID kept
    bib = parse_string((folder / f"{stem}.bib").read_text(encoding="utf-8"), "bibtex")
    assert list(bib.entries.keys()) == keys
    for key in keys:
        source = model.bib.entries[key]
        for field in ("doi", "pmid"):
            assert bib.entries[key].fields.get(field, "") == source.get(field)
    # RIS: one TY  - … ER  - record per reference
    ris = (folder / f"{stem}.ris").read_text(encoding="utf-8")
    records = re.findall(r"^TY  - (\w+)\n(.*?)^ER  - $", ris, re.S | re.M)
    assert len(records) == len(keys) == ris.count("\nER  - ") + ris.startswith("ER  - ")
    for (kind, body), key in zip(records, keys):
        source = model.bib.entries[key]
        assert kind == ("JOUR" if source.type == "article" else kind)
        if source.get("doi"):
            assert f"DO  - {source.get('doi')}\n" in body
        if source.get("pmid"):
            assert f"AN  - {source.get('pmid')}\n" in body
    # CSL-JSON: a list of items with the same ids
    items = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
    assert isinstance(items, list) and [i["id"] for i in items] == keys
    for item in items:
        source = model.bib.entries[item["id"]]
        assert item.get("DOI", "") == source.get("doi") and item.get("PMID", "") == source.get("pmid")


@pytest.mark.parametrize("rel", PAGES)
def test_both_languages_link_the_same_files_with_their_own_labels(good_site, rel):
    stem = rel[:-3]
    for lang, label in (("en", "Download these references: "), ("zh", "下载本页参考文献：")):
        if rel == "bibliography.md":
            label = {"en": "Download all references: ", "zh": "下载全部参考文献："}[lang]
        html = (page_dir(good_site, lang, rel) / "index.html").read_text(encoding="utf-8")
        box = re.search(r'<p class="rk-downloads" data-pagefind-ignore="all">([^<]*)(.*?)</p>', html).groups()
        assert box[0] == label
        hrefs = re.findall(r'href="([^"]+)"', box[1])
        assert [h.rsplit("/", 1)[1] for h in hrefs] == [f"{stem}.bib", f"{stem}.ris", f"{stem}.json"]
        for href in hrefs:  # relative links that lead to the one shared file
            target = (page_dir(good_site, lang, rel) / href).resolve()
            assert target == (good_site / "references" / href.rsplit("/", 1)[1]).resolve()
            assert target.is_file()


def test_the_cite_box_offers_the_page_as_bibtex_and_ris(good_site):
    import html as html_lib
    from urllib.parse import unquote

    for lang, title, label in (("en", "The pathway", "Download this citation: "),
                               ("zh", None, "下载本页引用信息：")):
        folder = page_dir(good_site, lang, "pathway.md")
        html = (folder / "index.html").read_text(encoding="utf-8")
        box = re.search(r'<aside class="rk-cite-box".*?</aside>', html, re.S).group(0)
        assert f'<p class="rk-downloads" data-pagefind-ignore="all">{label}<a href="data:application/x-bibtex;charset=utf-8,' in box
        # the page carries both records itself, saved under these names
        links = dict((name, unquote(html_lib.unescape(href)).partition(",")[2]) for href, name in
                     re.findall(r'<a href="(data:[^"]+)" download="([^"]+)"', box))
        assert sorted(links) == ["cite.bib", "cite.ris"]
        assert not (folder / "cite.bib").exists()
        bib = parse_string(links["cite.bib"], "bibtex")
        (entry,) = bib.entries.values()
        assert entry.fields["url"].endswith("pathway/")
        if title:
            assert entry.fields["title"] == "{" + title + "}"
        ris = links["cite.ris"]
        assert ris.startswith("TY  - ELEC\n") and ris.endswith("ER  - \n") and ris.count("TY  - ") == 1


def test_the_cite_box_dates_a_page_by_its_last_commit_and_an_edited_one_by_the_file(tmp_path):
    import datetime
    import os
    import subprocess

    site = make_site(tmp_path / "site")
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-03-05T10:00:00", "GIT_COMMITTER_DATE": "2024-03-05T10:00:00",
           "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "first"]):
        subprocess.run(cmd, cwd=site, env=env, check=True, capture_output=True)
    edited = site / "docs" / "en" / "pathway.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # not committed
    (site / "site").mkdir(exist_ok=True)
    result = build(site)
    assert result.returncode == 0, result.stderr

    def updated(lang: str, rel: str) -> str:
        html = (page_dir(site / "site", lang, rel) / "index.html").read_text(encoding="utf-8")
        return re.search(r'<p class="rk-updated">([^<]*)</p>', html).group(1)

    assert "2024-03-05" in updated("zh", "pathway.md")  # committed and clean: the commit's date
    assert datetime.date.today().isoformat() in updated("en", "pathway.md")  # edited since: the file's date
