"""What `mkdocs serve` shows while the review has errors: a box at the top of each page that has
some, and a site-wide notice with the count and the errors of files that are not pages.

A build never uses this: it stops on the first error report, as before. The preview exists so
that the contributor with a mistake in their page can still see the page and the mistake.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping

from . import languages
from .diagnostics import Diagnostic
from .scanner import Page


def words(lang: str) -> Mapping[str, str]:
    """The preview's words, from the language's file (section ``preview``): {n} errors, {k} of them
    on this page. Hints and locations are shown as the command line prints them."""
    return languages.get(lang).section("preview")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def by_page(errors: list[Diagnostic], page_files: dict[str, tuple[str, str]]
            ) -> tuple[dict[tuple[str, str], list[Diagnostic]], list[Diagnostic]]:
    """({(lang, rel): [errors]}, [errors of other files]); ``page_files`` maps a page's file path
    ('docs/zh/pathway.md') to its (lang, rel)."""
    pages: dict[tuple[str, str], list[Diagnostic]] = {}
    others: list[Diagnostic] = []
    for d in errors:
        key = page_files.get(d.path)
        if key is None:
            others.append(d)
        else:
            pages.setdefault(key, []).append(d)
    return pages, others


def known_citations(page: Page, entries: Mapping[str, object]) -> Page:
    """The page with only the citations whose keys all exist: the others stay as written,
    so the reader sees where the unknown key is, and the rest of the page renders."""
    kept = [c for c in page.citations if all(k in entries for k in c.keys)]
    return page if len(kept) == len(page.citations) else dataclasses.replace(page, citations=kept)


def _item(d: Diagnostic, lang: str) -> str:
    hint = f'<br><span class="rk-error-hint">{esc(words(lang)["hint"])}{esc(d.hint)}</span>' if d.hint else ""
    return (f'<li><code>{esc(d.location())}</code> {esc(d.message)} '
            f'<span class="rk-error-code">[{esc(d.code)}]</span>{hint}</li>')


def box_html(errors: list[Diagnostic], lang: str) -> str:
    """The box at the top of a page with errors (empty when it has none)."""
    if not errors:
        return ""
    w = words(lang)
    items = "".join(_item(d, lang) for d in errors)
    return (f'<div class="rk-errors" role="alert" data-pagefind-ignore="all">'
            f'<p><strong>{esc(w["box"].format(n=len(errors)))}</strong></p><ul>{items}</ul></div>\n')


def notice_html(total: int, here: int, others: list[Diagnostic], other_pages: list[str], lang: str) -> str:
    """The site-wide notice: how many errors, how many on this page, the errors no page can show,
    and which other pages have some."""
    if not total:
        return ""
    w = words(lang)
    text = f'<strong>{esc(w["notice"].format(n=total))}</strong>'
    if here:
        text += " " + esc(w["here"].format(k=here))
    parts = [f"<p>{text}</p>"]
    if others:
        parts.append(f'<p>{esc(w["elsewhere"])}</p><ul>{"".join(_item(d, lang) for d in others)}</ul>')
    if other_pages:
        listed = ", ".join(f"<code>{esc(p)}</code>" for p in other_pages)
        parts.append(f'<p>{esc(w["pages"])} {listed}</p>')
    return f'<div class="rk-error-notice" role="status" data-pagefind-ignore="all">{"".join(parts)}</div>'


class Preview:
    """The errors of one serve rebuild, ready to be shown page by page."""

    def __init__(self, errors: list[Diagnostic], page_files: dict[str, tuple[str, str]]):
        self.errors = list(errors)
        self.page_files = page_files
        self.pages, self.others = by_page(self.errors, page_files)

    def box(self, lang: str, rel: str) -> str:
        return box_html(self.pages.get((lang, rel), []), lang)

    def notice(self, lang: str, rel: str | None) -> str:
        here = len(self.pages.get((lang, rel), [])) if rel is not None else 0
        paths = {key: path for path, key in self.page_files.items()}
        other_pages = sorted(paths[key] for key in self.pages if key != (lang, rel))
        return notice_html(len(self.errors), here, self.others, other_pages, lang)
