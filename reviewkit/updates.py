"""updates.yml: the substantive changes to the review, newest first, for the "What's new" page
and the Atom feed. Data in the repository, not hand-written HTML."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from xml.sax.saxutils import escape

import yaml

from .diagnostics import Diagnostic
from .textpos import NotUtf8, decode

PATH = "updates.yml"
FIELDS = {"date", "en", "zh", "pages"}


@dataclass(frozen=True)
class Update:
    date: datetime.date
    en: str
    zh: str
    pages: tuple[str, ...]
    line: int


def load(root: str, page_names: set) -> tuple[list[Update], list[Diagnostic]]:
    full = os.path.join(root, PATH)
    if not os.path.exists(full):
        return [], []
    problems: list[Diagnostic] = []

    def err(line, message, hint):
        problems.append(Diagnostic(PATH, line, 1, "error", "RK090", message, hint))

    try:
        with open(full, "rb") as fh:
            text = decode(fh.read())
        root_node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, NotUtf8) as exc:
        mark = getattr(exc, "problem_mark", None)
        err(mark.line + 1 if mark else getattr(exc, "line", 1), f"cannot read updates: {getattr(exc, 'problem', exc)}",
            "each update is a '- date: ...' item with en, zh and pages")
        return [], problems
    if root_node is None:
        return [], []
    if not isinstance(root_node, yaml.SequenceNode):
        err(1, "updates.yml must be a list of updates", "start each update with '- date: YYYY-MM-DD'")
        return [], problems
    out = []
    for node in root_node.value:
        line = node.start_mark.line + 1
        item = yaml.SafeLoader("").construct_document(node) if isinstance(node, yaml.MappingNode) else None
        if not isinstance(item, dict) or set(item) != FIELDS:
            err(line, f"each update needs exactly the fields {', '.join(sorted(FIELDS))}",
                "e.g. - {date: 2026-11-25, en: ..., zh: ..., pages: [trials.md]}")
            continue
        if not isinstance(item["date"], datetime.date) or not all(isinstance(item[k], str) and item[k].strip()
                                                                  for k in ("en", "zh")):
            err(line, "an update needs a date (YYYY-MM-DD) and text in en and zh", "fill in all three")
            continue
        pages = item["pages"] if isinstance(item["pages"], list) else None
        if pages is None or not all(isinstance(p, str) and p in page_names for p in pages):
            err(line, f"update pages must list existing pages, got {item['pages']!r}",
                f"use file names such as {', '.join(sorted(page_names)[:3])}")
            continue
        out.append(Update(item["date"], item["en"].strip(), item["zh"].strip(), tuple(pages), line))
    out.sort(key=lambda u: u.date, reverse=True)
    return out, problems


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
        text = u.zh if lang == "zh" else u.en
        page = u.pages[0][:-3] if u.pages else "whats-new"
        href = f"{base}{'' if page == 'index' else page + '/'}"
        parts += ["<entry>", f"<title>{escape(text.split('。')[0].split('. ')[0][:120])}</title>",
                  f"<id>{escape(base or 'urn:reviewkit:' + lang + ':')}update-{u.date.isoformat()}-{n}</id>",
                  f'<link href="{escape(href or "./")}"/>', f"<updated>{u.date.isoformat()}T00:00:00Z</updated>",
                  f"<summary>{escape(text)}</summary>", "</entry>"]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"
