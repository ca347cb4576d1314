"""updates.yml: the substantive changes to the review, newest first, for the "What's new" page
and the Atom feed. Data in the repository, not hand-written HTML."""

from __future__ import annotations

import datetime
import functools
import html
import os
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from .diagnostics import Diagnostic, error, yaml_error
from .textpos import NotUtf8, decode

# xml.sax.saxutils.escape (&, <, >) without importing xml.sax and urllib on every build
escape = functools.partial(html.escape, quote=False)

PATH = "updates.yml"
DEFAULT_LANGUAGES = ("en", "zh")


def fields(langs: tuple[str, ...] = DEFAULT_LANGUAGES) -> set[str]:
    """date, pages, and the text in each language under its code."""
    return {"date", "pages", *langs}


FIELDS = fields()


@dataclass(frozen=True)
class Update:
    date: datetime.date
    texts: Mapping[str, str]  # language -> what changed
    pages: tuple[str, ...]
    line: int

    def text(self, lang: str) -> str:
        return self.texts.get(lang) or next(iter(self.texts.values()))

    def __getattr__(self, attr: str) -> str:
        # updates.yml's field names read as attributes too: update.en, update.zh
        if not attr.startswith("_") and attr in self.texts:
            return self.texts[attr]
        raise AttributeError(attr)


def load(root: str, page_names: set[str],
         languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> tuple[list[Update], list[Diagnostic]]:
    """The updates, newest first, and the problems found; ``languages``: the default first."""
    wanted = fields(languages)
    full = os.path.join(root, PATH)
    if not os.path.exists(full):
        return [], []
    problems: list[Diagnostic] = []

    def err(line: int, message: str, hint: str) -> None:
        problems.append(error(PATH, line, 1, "RK090", message, hint))

    try:
        with open(full, "rb") as fh:
            text = decode(fh.read())
        root_node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, NotUtf8) as exc:
        return [], [yaml_error(PATH, exc, "RK090", "cannot read updates: {problem}",
                               f"each update is a '- date: ...' item with {', '.join(languages)} and pages")]
    if root_node is None:
        return [], []
    if not isinstance(root_node, yaml.SequenceNode):
        err(1, "updates.yml must be a list of updates", "start each update with '- date: YYYY-MM-DD'")
        return [], problems
    out = []
    for node in root_node.value:
        line = node.start_mark.line + 1
        item = yaml.SafeLoader("").construct_document(node) if isinstance(node, yaml.MappingNode) else None
        if not isinstance(item, dict) or set(item) != wanted:
            err(line, f"each update needs exactly the fields {', '.join(sorted(wanted))}",
                "e.g. - {date: 2026-11-25, " + "".join(f"{c}: ..., " for c in languages) + "pages: [trials.md]}")
            continue
        if not isinstance(item["date"], datetime.date) or not all(isinstance(item[k], str) and item[k].strip()
                                                                  for k in languages):
            err(line, f"an update needs a date (YYYY-MM-DD) and text in {_and(list(languages))}",
                "fill in all of them")
            continue
        pages = item["pages"] if isinstance(item["pages"], list) else None
        if pages is None or not all(isinstance(p, str) and p in page_names for p in pages):
            err(line, f"update pages must list existing pages, got {item['pages']!r}",
                f"use file names such as {', '.join(sorted(page_names)[:3])}")
            continue
        out.append(Update(item["date"], {c: item[c].strip() for c in languages}, tuple(pages), line))
    out.sort(key=lambda u: u.date, reverse=True)
    return out, problems


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def atom(updates: list[Update], lang: str, title: str, site_url: str, prefix: str) -> str:
    """An Atom feed. Links are absolute when the site URL is known, else relative to the feed."""
    base = (site_url.rstrip("/") + "/" + prefix) if site_url else ""
    newest = updates[0].date.isoformat() if updates else "1970-01-01"
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
             f"<title>{escape(title)}</title>",
             f'<id>{escape(base + "feed.xml" if base else "urn:reviewkit:" + lang + ":feed")}</id>',
             f'<link rel="alternate" href="{escape(base or "./")}whats-new/"/>',
             f"<updated>{newest}T00:00:00Z</updated>",
             "<author><name>The review's contributors</name></author>"]
    for n, u in enumerate(updates):
        text = u.text(lang)
        page = u.pages[0][:-3] if u.pages else "whats-new"
        href = f"{base}{'' if page == 'index' else page + '/'}"
        parts += ["<entry>", f"<title>{escape(text.split('。')[0].split('. ')[0][:120])}</title>",
                  f"<id>{escape(base or 'urn:reviewkit:' + lang + ':')}update-{u.date.isoformat()}-{n}</id>",
                  f'<link href="{escape(href or "./")}"/>', f"<updated>{u.date.isoformat()}T00:00:00Z</updated>",
                  f"<summary>{escape(text)}</summary>", "</entry>"]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"
