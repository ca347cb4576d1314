"""How a reference reads: an NLM/Vancouver-like style, declared as a list of parts.

Each part takes an entry and returns escaped HTML (or "" when the entry lacks it); the style
is the order of the parts. Another style is another list.
"""

from __future__ import annotations

import functools
import html
import re

from . import languages
from .bibliography import Entry

MAX_AUTHORS = 6


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def authors(entry: Entry, lang: str) -> str:
    names = list(entry.authors)
    if not names:
        return ""
    more = entry.more_authors or len(names) > MAX_AUTHORS
    shown = ", ".join(names[:MAX_AUTHORS])
    if more:
        shown += ", " + languages.get(lang).et_al
    return _esc(_sentence(shown))


def title(entry: Entry, lang: str) -> str:
    return _esc(_sentence(entry.get("title")))


def container(entry: Entry, lang: str) -> str:
    name = entry.get("journal") or entry.get("booktitle") or entry.get("publisher") \
        or entry.get("institution") or entry.get("howpublished")
    return f"<i>{_esc(_sentence(name))}</i>" if name else ""


def issue(entry: Entry, lang: str) -> str:
    """2019;380(20):1929–1940."""
    year = entry.get("year")
    out = year
    volume, number, pages = entry.get("volume"), entry.get("number"), entry.get("pages")
    if volume:
        out += f";{volume}"
        if number:
            out += f"({number})"
    elif number:
        out += f";({number})"
    if pages:
        out += f":{pages}" if (volume or number) else f";{pages}"
    return _esc(out + ".") if out else ""


def doi(entry: Entry, lang: str) -> str:
    value = entry.get("doi")
    # The bibliography check guarantees the 10.NNNN/... form; check again: never link anything else.
    if not value or not re.match(r"^10\.\d{4,9}/\S+$", value):
        return ""
    url = "https://doi.org/" + value
    return f'doi:<a href="{_esc(url)}">{_esc(value)}</a>'


def pmid(entry: Entry, lang: str) -> str:
    value = entry.get("pmid")
    if not value or not value.isdigit():
        return ""
    url = f"https://pubmed.ncbi.nlm.nih.gov/{value}/"
    return f'<a href="{_esc(url)}">PMID: {_esc(value)}</a>'


def url(entry: Entry, lang: str) -> str:
    value = entry.get("url")
    if not value or entry.get("doi") or not re.match(r"^https?://", value, re.I):
        return ""
    return f'<a href="{_esc(value)}">{_esc(value)}</a>'


def note(entry: Entry, lang: str) -> str:
    value = entry.get("note")
    return _esc(_sentence(value)) if value else ""


NLM = (authors, title, container, issue, note, doi, pmid, url)


@functools.lru_cache(maxsize=None)
def format_entry(entry: Entry, lang: str, style=NLM) -> str:
    return " ".join(part for part in (p(entry, lang) for p in style) if part)


def plain(entry: Entry, lang: str, style=NLM) -> str:
    """The same reference without markup, for tooltips' accessible text and feeds."""
    return html.unescape(re.sub(r"<[^>]+>", "", format_entry(entry, lang, style)))
