"""The scanner, rule by rule, as a table of cases: (markdown, citations found as (line, col, keys))."""

from __future__ import annotations

import pytest

from reviewkit.scanner import scan

CASES = [
    # syntax
    ("one key", "See [@smith2020].", [(1, 5, ("smith2020",))]),
    ("several keys", "A [@a; @b; @c] b.", [(1, 3, ("a", "b", "c"))]),
    ("prefix and locator", "[see @key, p. 5]", [(1, 1, ("key",))]),
    ("figure locator", "x [@key, fig. 2]", [(1, 3, ("key",))]),
    ("suppress author", "x [-@key]", [(1, 3, ("key",))]),
    ("key punctuation", "[@doi:10.1/x.y; @a_b-c]", [(1, 1, ("doi:10.1/x.y", "a_b-c"))]),
    ("unicode key", "[@müller2020]", [(1, 1, ("müller2020",))]),
    ("split across lines", "[@a;\n@b]", [(1, 1, ("a", "b"))]),
    ("in a table cell", "| a | [@k] |\n|---|---|\n| b | c |", [(1, 7, ("k",))]),
    ("in a list", "- item [@k]", [(1, 8, ("k",))]),
    ("in an admonition", '!!! note "N"\n    Body [@k].', [(2, 10, ("k",))]),
    ("in a footnote", "Text[^1].\n\n[^1]: Note [@k].", [(3, 12, ("k",))]),
    ("chinese text", "对alpelisib耐药[@k]。", [(1, 13, ("k",))]),
    ("before a colon", "as follows [@k]:", [(1, 12, ("k",))]),
    # Pandoc's in-text form and braces
    ("in-text", "As @smith04 says, blah.", [(1, 4, ("smith04",))]),
    ("in-text with locator", "@doe99 [p. 33] says", [(1, 1, ("doe99",))]),
    ("in-text at sentence end", "Email me @someone.", [(1, 10, ("someone",))]),
    ("in-text in chinese", "如@juric2015convergent所述，", [(1, 2, ("juric2015convergent",))]),
    ("in-text braced key", "@{https://x.org/a?b=c} says", [(1, 1, ("https://x.org/a?b=c",))]),
    ("in-text in parentheses", "(@smith04)", [(1, 2, ("smith04",))]),
    ("in-text beside a citation", "@item1 [-@item2, p. 30] says", [(1, 1, ("item1",)), (1, 8, ("item2",))]),
    ("braced locator", "[@smith, {pp. iv, vi-xi, (xv)-(xvii)} with suffix here]", [(1, 1, ("smith",))]),
    ("braced locator after key", "[@smith{ii, A, D-Z}, with a suffix]", [(1, 1, ("smith",))]),
    ("empty braced locator", "[@smith{}, 99 years later]", [(1, 1, ("smith",))]),
    ("semicolon in braces", "[@a, {p. 1; p. 2}; @b]", [(1, 1, ("a", "b"))]),
    ("braced key", "[@{https://example.com/bib?name=foobar&date=2000}, p. 33]",
     [(1, 1, ("https://example.com/bib?name=foobar&date=2000",))]),
    ("suffix without comma", "[see @item1 p. 34-35]", [(1, 1, ("item1",))]),
    # not citations
    ("at inside a word", "user@host and x@y", []),
    ("email", "write to a@b.org and [x a@b.org]", []),
    ("decorator in code", "```python\n@decorator\ndef f(): pass\n```", []),
    ("decorator in inline code", "`@decorator`", []),
    ("in-text in a link text", "[see @handle](https://github.com/handle)", []),
    ("in-text in a link target", "[x](https://example.org/@key)", []),
    ("escaped at", r"\@key and \[@key]", []),
    ("escaped", r"\[@key]", []),
    ("inline code", "`[@key]` and ``x [@k] y``", []),
    ("fenced code", "```\n[@key]\n```", []),
    ("tilde fence", "~~~python\n[@key]\n~~~", []),
    ("indented code", "Para.\n\n    [@key]\n", []),
    ("html comment", "<!-- [@key] -->", []),
    ("multiline comment", "<!--\n[@key]\n-->", []),
    ("url", "https://example.org/[@key]", []),
    ("url in chinese", "见https://example.org/[@key]页面", []),
    ("link target", "[text](https://x.org/[@key])", []),
    ("link text is a handle", "[@handle](https://github.com/handle)", []),
    ("reference definition", "[ref]: https://x.org/[@key]", []),
    ("html attribute", '<a title="[@key]">x</a>', []),
    ("plain brackets", "[a; b] and [1]", []),
    ("front matter", "---\ntitle: '[@key]'\n---\n# T", []),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_citations(name, text, expected):
    page = scan("p.md", text)
    assert [(c.line, c.col, c.keys) for c in page.citations] == expected
    assert page.problems == []


def test_prefix_and_locator_are_kept():
    (cite,) = scan("p.md", "[see @key, p. 5; @b, fig. 2]").citations
    assert [(i.prefix, i.key, i.locator) for i in cite.items] == [("see", "key", "p. 5"), ("", "b", "fig. 2")]


def test_key_positions_point_at_the_key():
    page = scan("p.md", "x\n  A [@a; @bb]")
    assert [(i.line, i.col) for i in page.citations[0].items] == [(2, 7), (2, 11)]


PROBLEMS = [
    ("text after a key", "[@smith2020.]", "p.md:1:2: error: malformed citation '[@smith2020.]'"),
    ("two keys in one part", "[see @a and @b]", "p.md:1:6: error: malformed citation '[see @a and @b]'"),
    ("citation in a heading", "## Title [@k]", "p.md:1:10: error: citation inside a heading"),
    ("citation in link text", "[see [@k]](https://x.org)", "p.md:1:6: error: citation inside a link's text"),
    ("unterminated fence", "text\n```\n[@k]", "p.md:2:1: error: code fence is never closed"),
    ("unterminated comment", "a <!-- b [@k]", "p.md:1:3: error: HTML comment is never closed"),
    ("bad front matter", "---\ntitle: [a\n---\n# T", "p.md:3:1: error: front matter is not valid YAML"),
]


@pytest.mark.parametrize("name,text,message", PROBLEMS, ids=[p[0] for p in PROBLEMS])
def test_problems(name, text, message):
    page = scan("p.md", text)
    formatted = [p.format().split(" [RK")[0] for p in page.problems]
    assert any(f.startswith(message) for f in formatted), formatted
    assert page.citations == []


def test_headings_and_setext():
    page = scan("p.md", "# One\n\nTwo\n---\n\n### Three ###\n\n```\n# not\n```")
    assert [(h.level, h.title, h.line) for h in page.headings] == [(1, "One", 1), (2, "Two", 3), (3, "Three", 6)]


def test_crlf_and_bom_are_read_like_an_editor_shows_them():
    from reviewkit.textpos import decode

    text = decode("\ufeff# T\r\n\r\nSee [@k].\r\n".encode("utf-8"))
    (cite,) = scan("p.md", text).citations
    assert (cite.line, cite.col) == (3, 5)


def test_keys_mixed_with_plain_words_is_an_error():
    page = scan("p.md", "x [@a; unpublished data]")
    assert [p.format().split(" [RK")[0] for p in page.problems] == [
        "p.md:1:4: error: malformed citation '[@a; unpublished data]'"]


def test_every_code_has_an_entry_in_both_guides():
    import re
    from pathlib import Path

    from reviewkit.codes import CODES

    root = Path(__file__).resolve().parent.parent
    used = set(re.findall(r'"(RK\d{3})"', "".join(p.read_text(encoding="utf-8")
                                                  for p in (root / "reviewkit").rglob("*.py") if p.name != "codes.py")))
    assert len(used) > 30
    assert used <= set(CODES), f"register in reviewkit/codes.py: {sorted(used - set(CODES))}"
    codes = set(CODES)
    for guide in ("CONTRIBUTING.md", "CONTRIBUTING.zh.md"):
        text = (root / guide).read_text(encoding="utf-8")
        missing = [c for c in sorted(codes) if f'<a name="{c.lower()}"></a>{c}' not in text]
        assert missing == [], (guide, missing)
