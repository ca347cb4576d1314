"""Where pages live and what they are called: MkDocs' URLs, relative links, titles, sections."""

from __future__ import annotations

import functools
import posixpath
from urllib.parse import quote

from .scanner import Page


def page_url(rel: str) -> str:
    """MkDocs' directory URL of a page file: 'a/b.md' -> 'a/b/', 'index.md' -> ''."""
    stem = rel[:-3] if rel.endswith(".md") else rel
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def relative(from_rel: str, to_rel: str, anchor: str = "") -> str:
    path = _relative(from_rel, to_rel)
    return path + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)  # one path per pair of pages, whatever the anchors
def _relative(from_rel: str, to_rel: str) -> str:
    src, dst = page_url(from_rel), page_url(to_rel)
    path = posixpath.relpath(dst or ".", src or ".")
    return "./" if path == "." else quote(path.rstrip("/")) + "/"


def title(page: Page, rel: str) -> str:
    """The page's title: front matter, else its first level-1 heading, else its file name."""
    if isinstance(page.front_matter.get("title"), str):
        return page.front_matter["title"]
    for h in page.headings:
        if h.level == 1:
            return h.title
    return rel


def section_at(page: Page, offset: int) -> str:
    """Title of the section (level 2 or deeper) holding ``offset``; "" before the first."""
    found = ""
    for h in page.headings:
        if h.start <= offset and h.level >= 2:
            found = h.title
        elif h.start > offset:
            break
    return found
