"""references.bib against the publisher's record: what counts as the same title, author, journal."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from ..bibliography import Entry
from . import crossref

TITLE_THRESHOLD = 90  # rapidfuzz ratio (0-100) of the normalised titles; typesetting differs, words do not
_TAG = re.compile(r"<[^>]+>")
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]+")
_STOP = {"of", "the", "and", "for", "in", "on", "de", "la", "und", "&"}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def norm(text: str) -> str:
    """Case, accents, LaTeX braces, HTML tags, dashes and punctuation out; words kept."""
    text = _TAG.sub("", text or "")
    text = _DASHES.sub("-", text.replace("{", "").replace("}", ""))
    text = _ascii(text).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def same_title(ours: str, theirs: list[str]) -> bool:
    a = norm(ours)
    return any(fuzz.ratio(a, norm(t)) >= TITLE_THRESHOLD for t in theirs if t)


def family(nlm_name: str) -> str:
    """'Ruiz Borrego M' -> 'Ruiz Borrego'; a group author stays whole."""
    parts = nlm_name.split()
    if len(parts) > 1 and re.fullmatch(r"[A-Z]{1,4}", parts[-1]):
        parts = parts[:-1]
    return " ".join(parts)


def same_person(ours: str, theirs: str) -> bool:
    a, b = norm(ours).replace(" ", ""), norm(theirs).replace(" ", "")
    return bool(a) and bool(b) and (a == b or a in b or b in a)


def _is_abbreviation(abbr: str, full: str) -> bool:
    """'J Clin Oncol' abbreviates 'Journal of Clinical Oncology': each word a prefix, in order."""
    short = [w for w in norm(abbr).split() if w not in _STOP]
    long = [w for w in norm(full).split() if w not in _STOP]
    if not short or len(short) != len(long):
        return False
    return all(whole.startswith(part) for part, whole in zip(short, long))


def same_journal(ours: str, names: list[str]) -> bool:
    a = norm(ours)
    for name in names:
        b = norm(name)
        if a == b or (b and _is_abbreviation(ours, name)) or (b and fuzz.ratio(a, b) >= 92):
            return True
    return False


def _pages(value: str) -> tuple[str, str]:
    value = _DASHES.sub("-", value or "").replace(" ", "").lower()
    first, _, last = value.partition("-")
    if last.isdigit() and first.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last  # 1929-40 -> 1929-1940
    return first, last


def compare(entry: Entry, message: dict) -> list[str]:
    """Differences between a references.bib entry and its Crossref record, as sentences."""
    out = []
    titles = [crossref.title(message)]
    sub = crossref.first(message.get("subtitle"))
    if sub:
        titles.append(f"{titles[0]}: {_TAG.sub('', sub)}")
    if entry.get("title") and titles[0] and not same_title(entry.get("title"), titles):
        out.append(f"title differs: references.bib has “{entry.get('title')}”, Crossref has “{titles[-1]}”")
    authors = [a for a in message.get("author") or [] if isinstance(a, dict)]
    if entry.authors and authors:
        theirs = authors[0].get("family") or authors[0].get("name") or ""
        if theirs and not same_person(family(entry.authors[0]), theirs):
            out.append(f"first author differs: references.bib has {family(entry.authors[0])}, Crossref has {theirs}")
    years = crossref.years(message)
    if entry.get("year") and years and entry.get("year") not in years:
        out.append(f"year differs: references.bib has {entry.get('year')}, Crossref has {'/'.join(sorted(years))}")
    journals = [j for f in ("container-title", "short-container-title") for j in (message.get(f) or []) if j]
    if entry.get("journal") and journals and not same_journal(entry.get("journal"), journals):
        out.append(f"journal differs: references.bib has {entry.get('journal')}, Crossref has {journals[0]}")
    volume = str(message.get("volume") or "")
    if entry.get("volume") and volume and norm(entry.get("volume")) != norm(volume):
        out.append(f"volume differs: references.bib has {entry.get('volume')}, Crossref has {volume}")
    pages = str(message.get("page") or message.get("article-number") or "")
    if entry.get("pages") and pages and _pages(entry.get("pages")) != _pages(pages):
        ours_first, _ = _pages(entry.get("pages"))
        theirs_first, theirs_last = _pages(pages)
        # Crossref often gives only the first page of a range
        if not (ours_first == theirs_first and not theirs_last):
            out.append(f"pages differ: references.bib has {entry.get('pages')}, Crossref has {pages}")
    return out
