"""HTML and Markdown escaping, and the placeholders our HTML waits in until Markdown has run."""

from __future__ import annotations

import html
import re

from .scanner import scan


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def escape_md(text: str) -> str:
    # entities are decoded first so '&lt;script&gt;' shows as the text '<script>', never as a tag
    text = html.escape(html.unescape(text), quote=False)
    return re.sub(r"([\\`*_{}\[\]#|!])", r"\\\1", text)


def md_text(text: str) -> str:
    """Glossary text is data, not Markdown: HTML-escape it and neutralise Markdown's markup,
    keeping its [@key] citations so they are numbered like any other."""
    page = scan("", text)
    out, pos = [], 0
    for cite in page.citations:
        out.append(escape_md(text[pos:cite.start]))
        out.append(text[cite.start:cite.end])
        pos = cite.end
    out.append(escape_md(text[pos:]))
    return "".join(out)


class Rendered:
    """Markdown with short placeholders, and the HTML each stands for.

    Our HTML is put in after Markdown has run (``finish``): Python-Markdown never has to parse
    thousands of inline tags, and nothing of ours can be mistaken for Markdown.
    """

    def __init__(self) -> None:
        self.markdown = ""
        self.fragments: dict[str, str] = {}
        self.cited: list[str] = []  # keys of the references the page lists, in order (its downloads)

    def hold(self, html_text: str, block: bool = False) -> str:
        key = f"rkph{len(self.fragments):05d}{'b' if block else 'i'}x"
        self.fragments[key] = html_text
        return key

    def finish(self, html_text: str) -> str:
        if not self.fragments:
            return html_text

        def put(m: re.Match[str]) -> str:
            return self.fragments.get(m.group(1), m.group(0))

        html_text = re.sub(r"<p>(rkph\d{5}bx)</p>", put, html_text)
        return re.sub(r"(rkph\d{5}[bi]x)", put, html_text)
