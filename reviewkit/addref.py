"""python -m reviewkit add doi:… | pmid:… — a complete references.bib entry from the record itself.

Crossref gives a DOI's record, PubMed a PMID's; each fills what the other lacks (the PMID of a DOI,
NLM's journal abbreviation). Nothing is written unless the record was read and the new file parses.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable

from . import bibliography
from .watch import crossref, pubmed
from .watch.http import Client, FetchError
from .watch.services import Services

MAX_AUTHORS = 6  # the site's entries list six authors, then 'and others'
_STOP = {"a", "an", "the", "of", "on", "in", "for", "and", "to", "with", "from", "at", "by", "as", "is", "are"}
_TAG = re.compile(r"<[^>]+>")


class AddError(Exception):
    pass


def parse_identifier(text: str) -> tuple[str, str]:
    text = text.strip()
    low = text.lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi.org/", "doi:"):
        if low.startswith(prefix):
            text = text[len(prefix):].strip()
            if not bibliography.DOI.match(text):
                raise AddError(f"'{text}' is not a DOI (a DOI looks like 10.1056/NEJMoa1813904)")
            return "doi", text
    if low.startswith("pmid:"):
        text = text[5:].strip()
        if not bibliography.PMID.match(text):
            raise AddError(f"'{text}' is not a PMID (1 to 8 digits)")
        return "pmid", text
    if bibliography.DOI.match(text):
        return "doi", text
    if bibliography.PMID.match(text):
        return "pmid", text
    raise AddError(f"'{text}' is neither doi:10.… nor pmid:…")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def make_key(family: str, year: str, title: str, taken: Iterable[str]) -> str:
    """firstauthorYEARfirstword, as the site's keys are (rugo2021alpelisib); when that key is taken,
    the next word of the title is added (the contributor guide's rule), then a letter."""
    name = re.sub(r"[^a-z]", "", _ascii(family).lower()) or "anon"
    words = [re.sub(r"[^a-z0-9]", "", _ascii(w).lower()) for w in re.split(r"\s+", _TAG.sub("", title))]
    # articles and prepositions are skipped: maehama1998tumor for "The tumor suppressor..."
    words = [w for w in words if w and w not in _STOP]
    lowered = {k.lower() for k in taken}
    key = f"{name}{year}"
    for word in words or [""]:
        key += word
        if key.lower() not in lowered:
            return key
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if (key + letter).lower() not in lowered:
            return key + letter
    raise AddError(f"no free key starting with {key}")


def _latex_escape(text: str) -> str:
    return re.sub(r"([&%$#_])", r"\\\1", text)


def protect_title(title: str) -> str:
    """Braces around words whose capitals must survive a style that lower-cases titles: PIK3CA, BYLieve, mTOR."""
    title = _latex_escape(" ".join(_TAG.sub("", title).split()).rstrip("."))

    def guard(m: re.Match[str]) -> str:
        word = m.group(0)
        return "{" + word + "}" if re.search(r"[A-Z]", word[1:]) else word

    # hyphenated words are guarded part by part: {PIK3CA}-Mutated, as the site writes them
    return re.sub(r"[^\s()\[\]:;,.?!\"“”'\-\u2010-\u2015]+", guard, title)


def _given(given: str) -> str:
    """'AJ' (initials run together) or 'A J' -> 'A. J.'; full names unchanged."""
    given = given.strip()
    if re.fullmatch(r"[A-Z]{2,3}", given):
        return " ".join(f"{c}." for c in given)
    return " ".join(f"{t}." if re.fullmatch(r"[A-Z]", t) else t for t in given.split())


def _bib_name(family: str, given: str) -> str:
    family, given = _latex_escape(family), _latex_escape(_given(given))
    if not given:
        return "{" + family + "}"  # a group author stays one name
    return f"{family}, {given}"


def _pages(value: str) -> str:
    return re.sub(r"\s*[-\u2013\u2014]+\s*", "--", value.strip())


def record_from(kind: str, ident: str, client: Client, services: Services) -> dict:
    """The fields of the new entry; raises FetchError when a service cannot be asked."""
    message, record = None, None
    if kind == "doi":
        message = crossref.fetch(client, services, ident)
        if message is None:
            raise AddError(f"Crossref does not know DOI {ident}: check it on the publisher's page")
        pmid = pubmed.esearch_doi(client, services, ident)
        if pmid:
            record = pubmed.fetch(client, services, [pmid]).get(pmid)
    else:
        record = pubmed.fetch(client, services, [ident]).get(ident)
        if record is None:
            raise AddError(f"PubMed has no record {ident}: check the PMID")
        if record.doi:
            message = crossref.fetch(client, services, record.doi)
    fields: dict = {}
    if message:
        authors = [(a.get("family") or a.get("name") or "", a.get("given") or "")
                   for a in message.get("author") or [] if isinstance(a, dict)]
        fields.update(authors=[a for a in authors if a[0]], title=crossref.title(message),
                      journal=crossref.first(message.get("short-container-title"))
                      or crossref.first(message.get("container-title")),
                      year=min(crossref.years(message) or {""}), volume=str(message.get("volume") or ""),
                      number=str(message.get("issue") or ""),
                      pages=str(message.get("page") or message.get("article-number") or ""),
                      doi=str(message.get("DOI") or (ident if kind == "doi" else "")))
        issued = crossref._date(message.get("issued") or {})
        if issued[:4].isdigit():
            fields["year"] = issued[:4]
    if record:
        fields.setdefault("authors", record.authors)
        if not fields.get("authors"):
            fields["authors"] = record.authors
        for name in ("title", "year", "volume", "pages"):
            if not fields.get(name):
                fields[name] = getattr(record, name)
        if not fields.get("number"):
            fields["number"] = record.issue
        if record.journal_abbrev:
            fields["journal"] = record.journal_abbrev  # NLM's abbreviation, the site's style
        elif not fields.get("journal"):
            fields["journal"] = record.journal
        fields["pmid"] = record.pmid
        if not fields.get("doi"):
            fields["doi"] = record.doi
    fields["journal"] = (fields.get("journal") or "").replace(".", "")
    return fields


def entry_text(key: str, f: dict) -> str:
    authors = [_bib_name(a, g) for a, g in f.get("authors") or []]
    if len(authors) > MAX_AUTHORS:
        authors = authors[:MAX_AUTHORS] + ["others"]
    rows = [("author", " and ".join(authors)), ("title", protect_title(f.get("title", ""))),
            ("journal", _latex_escape(f.get("journal", ""))), ("year", f.get("year", "")),
            ("volume", f.get("volume", "")), ("number", f.get("number", "")),
            ("pages", _pages(f.get("pages", ""))), ("doi", f.get("doi", "")), ("pmid", f.get("pmid", ""))]
    body = "\n".join(f"  {name:<7} = {{{value}}}," for name, value in rows if value)
    return f"@article{{{key},\n{body}\n}}\n"


def add(root: str, bib_path: str, identifier: str, client: Client, services: Services, dry_run: bool = False) -> tuple[int, str]:
    """(exit status, message)."""
    try:
        kind, ident = parse_identifier(identifier)
    except AddError as exc:
        return 2, f"error: {exc}"
    bib = bibliography.load(bib_path, root)
    for entry in bib.entries.values():
        if kind == "doi" and entry.get("doi").lower() == ident.lower():
            return 1, f"error: DOI {ident} is already in {bib_path} as '{entry.key}' (line {entry.line}); cite [@{entry.key}]"
        if kind == "pmid" and entry.get("pmid") == ident:
            return 1, f"error: PMID {ident} is already in {bib_path} as '{entry.key}' (line {entry.line}); cite [@{entry.key}]"
    try:
        fields = record_from(kind, ident, client, services)
    except AddError as exc:
        return 1, f"error: {exc}; {bib_path} was not changed"
    except FetchError as exc:
        return 4, f"error: offline or the service did not answer ({exc}); {bib_path} was not changed"
    for entry in bib.entries.values():  # the other identifier may be there already
        if fields.get("doi") and entry.get("doi").lower() == fields["doi"].lower():
            return 1, f"error: DOI {fields['doi']} (of {kind.upper()} {ident}) is already in {bib_path} as '{entry.key}'"
        if fields.get("pmid") and entry.get("pmid") == fields["pmid"]:
            return 1, f"error: PMID {fields['pmid']} (of DOI {ident}) is already in {bib_path} as '{entry.key}'"
    if not fields.get("title") or not fields.get("authors") or not fields.get("year"):
        return 1, f"error: the record of {ident} lacks a title, authors or year; add the entry by hand"
    first = fields["authors"][0][0]
    key = make_key(first, fields["year"], fields["title"], bib.entries.keys())
    text = entry_text(key, fields)
    path = os.path.join(root, bib_path)
    with open(path, encoding="utf-8") as fh:
        old = fh.read()
    new = old.rstrip("\n") + "\n\n" + text
    check = bibliography.parse(bib_path, new.encode("utf-8"))
    mine = [p for p in check.problems if key in p.message]
    if key not in check.entries or mine:
        return 1, "error: the new entry would not parse; nothing was written\n" + "\n".join(p.format() for p in mine)
    if not dry_run:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(new)
    return 0, (f"added '{key}' to {bib_path}:\n" if not dry_run else f"would add '{key}':\n") + text + \
        f"cite it as [@{key}]"
