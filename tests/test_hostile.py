"""Hostile and broken input: an exact error with its place and fix, or correct inert HTML.
Never a traceback; the exit code is non-zero exactly when an error is reported."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE, build, check, errors_of, make_site
from reviewkit import bibliography, glossary
from reviewkit.scanner import scan

BIB = (FIXTURE / "references.bib").read_text(encoding="utf-8")
GLOSSARY = (FIXTURE / "glossary.yml").read_text(encoding="utf-8")
EN_P = (FIXTURE / "docs/en/pathway.md").read_text(encoding="utf-8")
ZH_P = (FIXTURE / "docs/zh/pathway.md").read_text(encoding="utf-8")

GOOD = """@article{x2020y,
  author = {Smith, Jane},
  title = {A Title},
  journal = {J},
  year = {2020},
}
"""


def bib_errors(data: bytes) -> list[str]:
    return [d.format().split(" [RK")[0] for d in bibliography.parse("references.bib", data).problems]


def gloss_errors(text: str | bytes) -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return [d.format().split(" [RK")[0] for d in glossary.parse("glossary.yml", data).problems]


# ---- BibTeX ----

BIB_CASES = [
    ("unbalanced braces", GOOD.replace("{A Title}", "{A {Title}"),
     ["references.bib:1:1: error: BibTeX syntax error: entry 'x2020y' is not closed before the end of the file"]),
    ("missing comma", GOOD.replace("{Smith, Jane},", "{Smith, Jane}"),
     ["references.bib:3:3: error: BibTeX syntax error: '}' expected"]),
    ("entry with no key", "@article{,\n  title = {T},\n}\n",
     ["references.bib:1:1: error: @article entry has no key",
      "references.bib:1:10: error: BibTeX syntax error: entry key expected"]),
    ("duplicate keys differing in case", GOOD + GOOD.replace("x2020y", "X2020Y"),
     ["references.bib:7:1: error: duplicate key 'X2020Y': key 'x2020y' (keys ignore case) is already used at line 1"]),
    ("empty file", "", []),
    ("unknown latex command", GOOD.replace("{A Title}", r"{A \frobnicate{Title}}"),
     ["references.bib:1:1: error: entry 'x2020y': LaTeX command \\frobnicate in field 'title' cannot be rendered"]),
    ("javascript url", GOOD.replace("year = {2020},", "year = {2020},\n  url = {javascript:alert(1)},"),
     ["references.bib:1:1: error: entry 'x2020y': url must start with http:// or https://"]),
    ("data url as doi", GOOD.replace("year = {2020},", "year = {2020},\n  doi = {data:text/html,<script>x</script>},"),
     ["references.bib:1:1: error: entry 'x2020y': malformed DOI 'data:text/html,<script>x</script>'"]),
    ("crossref to a missing entry", GOOD.replace("year = {2020},", "year = {2020},\n  crossref = {nowhere},"),
     ["references.bib:1:1: error: entry 'x2020y' has crossref 'nowhere', which is not in the file"]),
]


@pytest.mark.parametrize("name,text,expected", BIB_CASES, ids=[c[0] for c in BIB_CASES])
def test_bibtex(name, text, expected):
    assert bib_errors(text.encode("utf-8")) == expected


def test_bibtex_not_utf8():
    assert bib_errors(GOOD.encode("utf-8").replace(b"Smith", b"Sm\xe9th")) == [
        "references.bib:2:15: error: file is not valid UTF-8"]


def test_bibtex_string_macros_comments_and_crossref_resolve():
    text = ("@string{nejm = {N Engl J Med}}\n@comment{anything goes}\n"
            "@proceedings{conf, title = {Proc}, year = {2021}, publisher = {P}}\n"
            "@inproceedings{p2021x, author = {Lee, Ann}, title = {Talk}, crossref = {conf}, booktitle = {Book}}\n"
            "@article{a2020b, author = {Doe, J}, title = {T}, journal = nejm, year = 2020}\n")
    bib = bibliography.parse("references.bib", text.encode())
    assert [p.format() for p in bib.problems] == []
    assert bib.entries["a2020b"].get("journal") == "N Engl J Med"
    assert bib.entries["p2021x"].get("year") == "2021"


def test_bibtex_500_authors_and_10_mb():
    authors = " and ".join(f"Author{i}, A" for i in range(500))
    one = GOOD.replace("{Smith, Jane}", "{" + authors + "}")
    bib = bibliography.parse("references.bib", one.encode())
    from reviewkit import csl, exports

    entry = bib.entries["x2020y"]
    html = csl.format_item(csl.load(csl.DEFAULT_STYLE, "."), exports.csl_item(entry), entry.more_authors)
    assert html.startswith("Author0 A, Author1 A, Author2 A, Author3 A, Author4 A, Author5 A, et al.")
    # 10 MB as a library export looks: a thousand entries with long abstracts
    abstract = "  abstract = {" + "Resistance to PI3K inhibitors. " * 330 + "},\n"
    big = "".join(GOOD.replace("x2020y", f"k{i}").replace("  year", abstract + "  year") for i in range(1000))
    assert len(big) > 10_000_000
    parsed = bibliography.parse("references.bib", big.encode())
    assert len(parsed.entries) == 1000 and not parsed.problems


# ---- glossary YAML ----

ENTRY = GLOSSARY.split("capivasertib:")[0]
GLOSS_CASES = [
    ("tabs", ENTRY.replace("  zh: 阿培利司", "\tzh: 阿培利司"),
     ["glossary.yml:3:1: error: YAML error: found a tab character that violates indentation"]),
    ("duplicate id", ENTRY + ENTRY,
     ["glossary.yml:14:1: error: drug id 'alpelisib' appears twice (first at line 1)"]),
    ("duplicate field", ENTRY.replace("  zh: 阿培利司\n", "  zh: 阿培利司\n  zh: 阿佩利司\n"),
     ["glossary.yml:4:1: error: entry 'alpelisib': field 'zh' appears twice"]),
    ("wrong type", ENTRY.replace("synonyms_en: [BYL719]", "synonyms_en: BYL719"),
     ["glossary.yml:5:1: error: entry 'alpelisib': field 'synonyms_en' must be a list"]),
    ("list where a mapping belongs", "- alpelisib\n- capivasertib\n",
     ["glossary.yml:1:1: error: the glossary must be a mapping of drug ids to entries"]),
    ("no chinese name", ENTRY.replace("  zh: 阿培利司\n", ""),
     ["glossary.yml:1:1: error: entry 'alpelisib' is missing field(s): zh"]),
    ("no chinese target", re.sub(r"  target_zh: .*\n", "", ENTRY),
     ["glossary.yml:1:1: error: entry 'alpelisib' is missing field(s): target_zh"]),
    ("unknown field", ENTRY.replace("  target_en:", "  targte: x\n  target_en:"),
     ["glossary.yml:8:1: error: entry 'alpelisib': unknown field 'targte'"]),
    ("malformed nct", ENTRY.replace("NCT02437318", "NCT0243731"),
     ["glossary.yml:12:1: error: entry 'alpelisib': malformed NCT number 'NCT0243731'"]),
    ("same name in two entries", ENTRY + ENTRY.replace("alpelisib:", "other:", 1).replace("en: alpelisib", "en: other"),
     ["glossary.yml:14:1: error: name '阿培利司' belongs to both 'alpelisib' and 'other'",
      "glossary.yml:14:1: error: name 'BYL719' belongs to both 'alpelisib' and 'other'"]),
]


@pytest.mark.parametrize("name,text,expected", GLOSS_CASES, ids=[c[0] for c in GLOSS_CASES])
def test_glossary(name, text, expected):
    assert gloss_errors(text) == expected


def test_glossary_billion_laughs_is_refused_before_expansion():
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 30):
        prev = chr(96 + i) if i < 27 else f"x{i}"
        name = chr(97 + i) if i < 26 else f"x{i + 1}"
        bomb += f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    assert gloss_errors(bomb) == ["glossary.yml:2:8: error: YAML aliases (*name) are not allowed in the glossary"]


# ---- Markdown ----

def page_errors(text: str) -> list[str]:
    return [p.format().split(" [RK")[0] for p in scan("p.md", text).problems]


MD_CASES = [
    ("unterminated fence", "# T\n\n```\ncode [@k]\n", ["p.md:3:1: error: code fence is never closed"]),
    ("invalid front matter", "---\ntitle: [x\n---\n# T\n", ["p.md:3:1: error: front matter is not valid YAML: "
                                                             "expected ',' or ']', but got '<stream end>'"]),
    ("front matter not a mapping", "---\n- a\n---\n# T\n",
     ["p.md:2:1: error: front matter must be a mapping of 'key: value' lines"]),
    ("citation in a heading", "## Results [@k]\n", ["p.md:1:12: error: citation inside a heading"]),
    ("citation in link text", "[trial [@k]](https://x.org)\n", ["p.md:1:8: error: citation inside a link's text"]),
    ("empty page", "", []),
]


@pytest.mark.parametrize("name,text,expected", MD_CASES, ids=[c[0] for c in MD_CASES])
def test_markdown(name, text, expected):
    assert page_errors(text) == expected


def test_nested_brackets_and_split_citations():
    page = scan("p.md", "A [see [@a]] and [@b;\n  @c] and [[@d]]\n")
    assert [c.keys for c in page.citations] == [("a",), ("b", "c"), ("d",)]


def test_5_mb_page_scans():
    text = "# Big\n\n" + "Alpelisib works [@a]. `code [@x]` more text.\n\n" * 110_000
    assert len(text.encode()) > 5_000_000
    page = scan("p.md", text)
    assert len(page.citations) == 110_000


# ---- whole runs: exit code, file names, injection ----

def test_not_utf8_page_and_crlf_bom_pages(tmp_path):
    site = make_site(tmp_path / "site", {
        "docs/en/pathway.md": ("\ufeff" + EN_P).replace("\n", "\r\n"),
        "docs/zh/pathway.md": ZH_P.encode("utf-8").replace("信号常".encode(), b"\xff\xfe"),
    })
    result = check(site)
    assert result.returncode == 1
    assert errors_of(result.stdout) == ["docs/zh/pathway.md:5:5: error: file is not valid UTF-8"]
    assert "Traceback" not in result.stdout + result.stderr


def test_unsafe_html_in_a_page_is_an_error(tmp_path):
    site = make_site(tmp_path / "site", {
        "docs/en/pathway.md": EN_P + '\n<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">\n\n'
                              "[click](javascript:alert(1))\n\n`<script>` in code is fine.\n",
        "docs/zh/pathway.md": ZH_P + '\n<svg onload="alert(1)"></svg>\n',
    })
    result = check(site)
    assert result.returncode == 1
    found = [e for e in errors_of(result.stdout) if "unsafe HTML" in e]
    assert found == ["docs/en/pathway.md:8:1: error: unsafe HTML: raw <script> element",
                     "docs/en/pathway.md:10:1: error: unsafe HTML: event-handler attribute onerror=",
                     "docs/en/pathway.md:12:7: error: unsafe HTML: javascript: link",
                     "docs/zh/pathway.md:8:1: error: unsafe HTML: event-handler attribute onload="]


def test_bad_settings_in_mkdocs_yml(tmp_path):
    site = make_site(tmp_path / "site")
    cfg = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (site / "mkdocs.yml").write_text(cfg.replace("bibliography: references.bib", "bibliography: ../../etc/passwd")
                                     .replace("allowlist: drug-allowlist.txt", "alowlist: x"), encoding="utf-8")
    result = check(site)
    assert result.returncode == 1
    assert errors_of(result.stdout) == [
        "mkdocs.yml:1:1: error: extra.reviewkit.bibliography has an unusable value '../../etc/passwd'",
        "mkdocs.yml:1:1: error: unknown setting extra.reviewkit.alowlist"]


INJECT_BIB = BIB + r"""
@article{evil2024x,
  author  = {<img src=x onerror=alert(1)>, Eve and Mallory, M},
  title   = {<script>alert(1)</script> "><svg onload=alert(2)> \&lt;b\&gt;bold\&lt;/b\&gt;},
  journal = {J <iframe src=javascript:alert(3)>},
  year    = {2024},
  url     = {https://example.org/a"onmouseover="alert(4)},
}
"""
INJECT_GLOSSARY = GLOSSARY.replace(
    "definition_en: An injected drug that degrades the oestrogen receptor.",
    "definition_en: '<script>alert(5)</script> \"><svg onload=alert(6)> &lt;img src=x onerror=alert(7)&gt;'")


def test_injection_comes_out_as_inert_text(tmp_path):
    site = make_site(tmp_path / "site", {
        "references.bib": INJECT_BIB,
        "glossary.yml": INJECT_GLOSSARY,
        "docs/en/pathway.md": EN_P + "\nA hostile entry [@evil2024x].\n",
        "docs/zh/pathway.md": ZH_P + "\n一条恶意条目[@evil2024x]。\n",
        "docs/en/über lange Seite mit Leerzeichen und Unicode ünïcödé " + "x" * 60 + ".md": "# Long\n\nText.\n",
        "docs/zh/über lange Seite mit Leerzeichen und Unicode ünïcödé " + "x" * 60 + ".md": "# 长\n\n文字。\n",
    })
    result = build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    out = site / "site"
    for rel in ("pathway/index.html", "zh/pathway/index.html", "glossary/index.html", "bibliography/index.html"):
        html = (out / rel).read_text(encoding="utf-8")
        body = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
        # the previews' words: our own JSON data block, never executed; anything else is injected
        body = re.sub(r'<script type="application/json" id="rk-words">[^<]*</script>', "", body)
        assert not re.search(r"<(script|iframe|svg|img)\b", body, re.I), rel
        for tag in re.findall(r"<[^>]+>", body):
            assert not re.search(r"\son[a-z]+\s*=", tag), (rel, tag)
            assert "javascript:" not in tag.lower(), (rel, tag)
    pathway = (out / "pathway/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pathway
    glossary_html = (out / "glossary/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in glossary_html
    assert "&lt;img src=x onerror=alert(7)&gt;" in glossary_html
    long_name = "über lange Seite mit Leerzeichen und Unicode ünïcödé " + "x" * 60
    assert (out / long_name / "index.html").exists()


# ---- property-based: the scanner on arbitrary text ----

FRAGMENTS = st.sampled_from(["[@a]", "[@b; @c]", "`", "```\n", "    ", "\n", "\n\n", "<!--", "-->", "[", "]", "(",
                             ")", "@", "\\", "# ", "| x |", "https://x.org/", "---\n", "对", "耐药", "~~~\n", "!", "[^1]:"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join))
def test_scanner_never_raises_and_positions_are_inside_the_file(text):
    page = scan("p.md", text)
    lines = text.split("\n")
    for cite in page.citations:
        for item in cite.items:
            assert 1 <= item.line <= len(lines)
            assert 1 <= item.col <= len(lines[item.line - 1]) + 1
            assert text[item.offset:item.offset + len(item.key)] == item.key
    for problem in page.problems:
        assert 0 <= problem.line <= len(lines)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60), st.sampled_from(["`", "```", "~~~"]))
def test_no_citation_is_found_inside_code(body, fence):
    if fence == "`":
        text = f"before `{body.replace('`', '')} [@incode]` after"
    else:
        clean = "\n".join(line for line in body.replace(fence[0], "").split("\n"))
        text = f"before\n\n{fence}\n{clean}\n[@incode]\n{fence}\n\nafter"
    page = scan("p.md", text)
    assert "incode" not in [k for c in page.citations for k in c.keys]
