"""References in the formats reference managers read: CSL-JSON, BibTeX and RIS.

One converter, ``csl_item``, turns an entry into CSL-JSON; the CSL formatter (``csl``) reads the
same items, so what is downloaded is what is shown. ``downloads`` writes the files.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
from typing import TYPE_CHECKING, Any

from .bibliography import Entry

if TYPE_CHECKING:
    from pybtex.database import Person
# pybtex is imported where BibTeX is written: a build whose downloads come from the cache skips it.

# BibTeX type -> (CSL type, RIS type). @misc with a web address is a web page.
TYPES = {
    "article": ("article-journal", "JOUR"),
    "book": ("book", "BOOK"),
    "incollection": ("chapter", "CHAP"),
    "inproceedings": ("paper-conference", "CPAPER"),
    "techreport": ("report", "RPRT"),
    "phdthesis": ("thesis", "THES"),
    "online": ("webpage", "ELEC"),
    "misc": ("document", "GEN"),
}


def web_address(entry: Entry) -> str:
    """The entry's URL: ``url``, or ``howpublished = {\\url{...}}`` as Zotero and others write it."""
    for name in ("url", "howpublished"):
        value = entry.get(name)
        if re.match(r"^https?://\S+$", value, re.I):
            return value
    return ""


def _types(entry: Entry) -> tuple[str, str]:
    if entry.type == "misc" and web_address(entry):
        return TYPES["online"]
    return TYPES.get(entry.type, TYPES["misc"])


def _names(entry: Entry) -> list[dict]:
    out = []
    for family, given, suffix, organisation in entry.names:
        if organisation or not given:
            out.append({"literal": family})
        else:
            out.append({k: v for k, v in (("family", family), ("given", given), ("suffix", suffix)) if v})
    return out


def _container(entry: Entry) -> str:
    return entry.get("journal") or entry.get("booktitle")


def _publisher(entry: Entry) -> str:
    return entry.get("publisher") or entry.get("institution") or entry.get("school")


@functools.cache
def csl_item(entry: Entry) -> dict:
    """The entry as a CSL-JSON item (https://citationstyles.org/; the schema's variable names).
    Cached: treat the result as read-only."""
    item: dict = {"id": entry.key, "type": _types(entry)[0]}
    names = _names(entry)
    if names:
        item[entry.names_role] = names
    for var, value in (("title", entry.get("title")), ("container-title", _container(entry)),
                       ("publisher", _publisher(entry)), ("volume", entry.get("volume")),
                       ("issue", entry.get("number")), ("page", entry.get("pages").replace("\u2013", "-")),
                       ("DOI", entry.get("doi")), ("PMID", entry.get("pmid")), ("URL", web_address(entry)),
                       ("note", entry.get("note"))):
        if value:
            item[var] = value
    seen = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", entry.get("urldate"))  # when a web address was read
    if seen:
        item["accessed"] = {"date-parts": [[int(part) for part in seen.groups()]]}
    year = entry.get("year")
    if year.isdigit():
        item["issued"] = {"date-parts": [[int(year)]]}
    elif year:
        item["issued"] = {"literal": year}
    return item


def csl_json(entries: list[Entry]) -> str:
    return json_array([csl_json_record(e) for e in entries])


def csl_json_record(entry: Entry) -> str:
    """One item as it stands in an indented array: kept per reference, as the other records are."""
    return textwrap.indent(json.dumps(csl_item(entry), ensure_ascii=False, indent=2), "  ")


def json_array(records: list[str]) -> str:
    """The same text as ``json.dumps(items, indent=2)``, from records made by ``csl_json_record``."""
    return "[\n" + ",\n".join(records) + "\n]\n" if records else "[]\n"


# ---- BibTeX ----

_BIBTEX_FIELDS = ("title", "journal", "booktitle", "publisher", "institution", "school", "year", "volume",
                  "number", "pages", "doi", "pmid", "url", "urldate", "note")


def _person(family: str, given: str, suffix: str, organisation: bool) -> Person:
    from pybtex.database import Person

    if organisation or not given:
        return Person(last="{" + family + "}")  # braces: one name, never split into first and last
    return Person(last=family, first=given, lineage=suffix)


def _bibtex_value(name: str, value: str) -> str:
    value = value.replace("{", "").replace("}", "")
    if name == "pages":
        return value.replace("\u2013", "--")
    if name == "title":
        return "{" + value + "}"  # keep the capitals as written (PIK3CA, mTOR)
    return value


_SPECIAL = re.compile(r"[\\%&$#_~^]")


@functools.cache
def _writer_class() -> Any:
    from pybtex.database.output.bibtex import Writer

    class _Writer(Writer):
        """pybtex's writer, with plain text passed through: its LaTeX encoder took 2 ms a reference
        (10 s for a 5,000-reference bibliography), for text that has nothing to encode."""

        def _encode(self, text: str) -> str:
            return super()._encode(text) if _SPECIAL.search(text) else text

    return _Writer


def _to_bibtex(key: str, kind: str, fields: Any, persons: Any) -> str:
    from pybtex.database import BibliographyData
    from pybtex.database import Entry as PybtexEntry

    data = BibliographyData()
    data.add_entry(key, PybtexEntry(kind, fields=fields, persons=persons))
    return _writer_class()(encoding="UTF-8").to_string(data)


def bibtex(entries: list[Entry]) -> str:
    return "\n".join(bibtex_record(e) for e in entries)


@functools.cache
def bibtex_record(entry: Entry) -> str:
    fields = [(name, _bibtex_value(name, entry.get(name))) for name in _BIBTEX_FIELDS if entry.get(name)]
    address = web_address(entry)
    if address and not entry.get("url"):
        fields.append(("url", address))
    kind = "misc" if entry.type == "online" else entry.type
    persons = {entry.names_role: [_person(*n) for n in entry.names]} if entry.names else {}
    if entry.more_authors and persons:
        from pybtex.database import Person

        persons[entry.names_role].append(Person("others"))  # BibTeX's 'and others'

    return _to_bibtex(entry.key, kind, fields, persons)


# ---- RIS (EndNote, NoteExpress, Zotero, Mendeley) ----

def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


@functools.cache
def ris_record(entry: Entry) -> str:
    lines = [_ris_line("TY", _types(entry)[1])]
    for family, given, suffix, organisation in entry.names:
        name = family if organisation or not given else f"{family}, {given}" + (f", {suffix}" if suffix else "")
        lines.append(_ris_line("AU" if entry.names_role == "author" else "ED", name))
    pages = re.split(r"\s*[-\u2013]+\s*", entry.get("pages"), maxsplit=1) if entry.get("pages") else []
    for tag, value in (("TI", entry.get("title")), ("T2", _container(entry)), ("PB", _publisher(entry)),
                       ("PY", entry.get("year")), ("VL", entry.get("volume")), ("IS", entry.get("number")),
                       ("SP", pages[0] if pages else ""), ("EP", pages[1] if len(pages) > 1 else ""),
                       ("DO", entry.get("doi")), ("UR", web_address(entry)), ("Y2", entry.get("urldate")),
                       # PubMed's own RIS puts the PMID in AN (accession number)
                       ("AN", entry.get("pmid")), ("N1", entry.get("note"))):
        if value:
            lines.append(_ris_line(tag, value))
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def ris(entries: list[Entry]) -> str:
    return "\n".join(ris_record(e) for e in entries)


# ---- the cited page itself ----

def page_bibtex(key: str, authors: str, title: str, work: str, year: str, version: str, url: str) -> str:
    fields = [("title", "{" + title + "}"), ("howpublished", work), ("year", year), ("note", version)]
    if url:
        fields.append(("url", url))
    return _to_bibtex(key, "misc", fields, {"author": [_person(authors, "", "", True)]})


def page_ris(authors: str, title: str, work: str, date: str, version: str, url: str) -> str:
    lines = [_ris_line("TY", "ELEC"), _ris_line("AU", authors), _ris_line("TI", title), _ris_line("T2", work),
             _ris_line("PY", date[:4]), _ris_line("DA", date.replace("-", "/")), _ris_line("N1", version)]
    if url:
        lines.append(_ris_line("UR", url))
    return "\n".join(lines + ["ER  - "]) + "\n"
