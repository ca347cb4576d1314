"""references.bib: parsed once with pybtex, validated, and turned into plain records.

Records hold Unicode text (LaTeX escapes decoded, protected capitals kept); HTML escaping
happens only when rendering.
"""

from __future__ import annotations

import functools
import re
from collections.abc import KeysView
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import filecache
from .diagnostics import Diagnostic, error, not_utf8
from .textpos import NotUtf8, decode

if TYPE_CHECKING:
    from pybtex.database import Person
# pybtex itself is imported where a file is parsed: a build that reads the parsed project from
# the cache never needs it (its import alone is a twentieth of a second).

REQUIRED = {
    "article": ("author", "title", "journal", "year"),
    "book": ("title", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "techreport": ("title", "institution", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "misc": ("title",),
    "online": ("title", "url"),
}
# Fields a reference shows or the checks read; anything else in an export is ignored.
SHOWN = frozenset({"author", "editor", "title", "journal", "booktitle", "publisher", "institution", "school",
                   "howpublished", "note", "year", "volume", "number", "pages", "doi", "pmid", "url", "urldate",
                   "crossref"})
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^\d{1,8}$")
_ENTRY_HEAD = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^\s,{}()]*)", re.M)
# Formatting commands Zotero and others emit; their argument is kept as plain text.
_KNOWN_COMMANDS = re.compile(r"\\(?:textit|emph|textbf|textup|textsc|textrm|textsuperscript|textsubscript|mkbibemph|url|nolinkurl)\s*(?=\{)")  # noqa: E501
_LEFTOVER_COMMAND = re.compile(r"\\[A-Za-z]+")



@functools.cache
def _backend() -> Any:
    from pybtex.backends.plaintext import Backend

    return Backend()

PARSE_COUNT = 0  # how many times a bib file was parsed in this process (the benchmark reads it)


@dataclass(frozen=True)
class Entry:
    key: str
    type: str
    line: int
    authors: tuple[str, ...]  # "André F", NLM order
    more_authors: bool  # 'and others' in the list
    fields: tuple[tuple[str, str], ...]  # lower-case name -> Unicode text
    # the same people, structured for exports: (family, given, suffix, is an organisation)
    names: tuple[tuple[str, str, str, bool], ...] = ()
    names_role: str = "author"  # "editor" when a book names only editors

    def get(self, name: str, default: str = "") -> str:
        for k, v in self.fields:
            if k == name:
                return v
        return default


@dataclass(frozen=True)
class Bibliography:
    path: str
    entries: dict[str, Entry]  # key -> Entry, in file order
    problems: tuple[Diagnostic, ...]

    def keys(self) -> KeysView[str]:
        return self.entries.keys()


def load(path: str, root: str) -> Bibliography:
    """Parse ``path`` (relative to ``root``) unless it is unchanged since the last parse."""
    return filecache.parsed(root, path, parse, lambda: Bibliography(path, {}, (
        error(path, 0, 0, "RK028", "bibliography file not found",
                   f"create {path} or fix the 'bibliography' setting"),)))


def parse(path: str, data: bytes) -> Bibliography:
    import pybtex.errors
    from pybtex.database.input.bibtex import Parser
    from pybtex.scanner import PybtexSyntaxError

    global PARSE_COUNT
    PARSE_COUNT += 1
    try:
        text = decode(data)
    except NotUtf8 as exc:
        return Bibliography(path, {}, (not_utf8(path, exc, "save the file as UTF-8 (Zotero: Better BibTeX, UTF-8 export)"),))
    problems: list[Diagnostic] = []
    heads = _entry_heads(text, path, problems)
    parser = Parser()
    with pybtex.errors.capture() as captured:
        try:
            db = parser.parse_string(text)
        except PybtexSyntaxError as exc:  # unrecoverable: reported like the others
            captured.append(exc)
            db = parser.data
        except Exception as exc:  # pybtex has a few bare raises on odd input
            captured.append(exc)
            db = parser.data
    syntax = [p for p in (_syntax_problem(path, text, exc, heads) for exc in captured) if p]
    problems.extend(syntax)
    starts = sorted(line for line, _ in heads.values()) + [10**9]
    broken = {max(s for s in starts if s <= p.line) for p in syntax if p.line >= starts[0]}
    entries: dict[str, Entry] = {}
    raw = db.entries
    for key in raw:
        if key.lower() not in heads:
            continue  # pybtex's name for a key-less entry, reported above
        line = heads[key.lower()][0]
        # an entry with a syntax error gets that one message, not a cascade of missing fields
        entries[key] = _record(path, key, raw[key], raw, line, problems, validate=line not in broken)
    _check_dois(path, entries, problems)
    return Bibliography(path, entries, tuple(problems))


def _entry_heads(text: str, path: str, problems: list[Diagnostic]) -> dict[str, Any]:
    """Line of each entry (pybtex keeps none), and keys that appear twice, ignoring case."""
    heads: dict[str, tuple[int, str]] = {}
    line, last = 1, 0
    for m in _ENTRY_HEAD.finditer(text):
        kind, key = m.group(1).lower(), m.group(2)
        line += text.count("\n", last, m.start())  # counted incrementally: a 10 MB file stays linear
        last = m.start()
        if kind in ("string", "comment", "preamble"):
            continue
        if not key:
            problems.append(error(path, line, 1, "RK020", f"@{kind} entry has no key",
                                       "give the entry a key: @article{smith2020title, ...}"))
            continue
        if key.lower() in heads:
            first_line, first_key = heads[key.lower()]
            same = "the same key" if first_key == key else f"key '{first_key}' (keys ignore case)"
            problems.append(error(path, line, 1, "RK021",
                                       f"duplicate key '{key}': {same} is already used at line {first_line}",
                                       "merge the two entries or rename one key"))
            continue
        heads[key.lower()] = (line, key)
    return heads


def _syntax_problem(path: str, text: str, exc: Exception, heads: dict[str, Any]) -> Diagnostic | None:
    from pybtex.scanner import PybtexSyntaxError

    message = str(exc)
    if "repeated bibliography entry" in message:
        return None  # already reported, with its line, by _entry_heads
    line = getattr(exc, "lineno", None) or 0
    col = 1
    if isinstance(exc, PybtexSyntaxError):
        try:
            _, line, col = exc.parser.get_error_context(exc.error_context_info)
            col = (col or 0) + 1
        except Exception:
            pass
        message = re.sub(r"^syntax error in line \d+: ", "", message)
        message = message[0].lower() + message[1:] if message else message
        hint = "check the braces, commas and quotes of the entry above this line"
        opened = [(ln, key) for ln, key in heads.values() if ln <= (line or 0)]
        if "premature end of file" in message and opened:
            line, key = max(opened)
            col = 1
            message = f"entry '{key}' is not closed before the end of the file"
            hint = "a '{' in this entry has no matching '}'"
    else:
        hint = "see the BibTeX entry format in the contributor guide"
    return error(path, line or 0, col, "RK020", f"BibTeX syntax error: {message}", hint)


_LATEX = re.compile(r"[\\~$%&]")


def _latex(value: str) -> str:
    if not _LATEX.search(value):
        # most fields: no commands, only braces protecting capitals ({PIK3CA}) and dashes to typeset;
        # pybtex would give the same text, 50 times slower
        return value.replace("{", "").replace("}", "").replace("---", "\u2014").replace("--", "\u2013")
    value = _KNOWN_COMMANDS.sub("", value)
    # render() with a backend made once: render_as() looks the backend up among entry points each call
    from pybtex.richtext import Text

    return Text.from_latex(value).render(_backend())


def _record(path: str, key: str, pyb: Any, raw: Any, line: int, problems: list[Diagnostic],
            validate: bool = True) -> Entry:
    fields = {k.lower(): v for k, v in pyb.fields.items()}
    persons = list(pyb.persons.get("author", [])) or list(pyb.persons.get("editor", []))
    role = "author" if pyb.persons.get("author") else "editor"
    parent_key = fields.get("crossref")
    if parent_key:
        parent = raw.get(parent_key)
        if parent is None:
            problems.append(error(path, line, 1, "RK029",
                                       f"entry '{key}' has crossref '{parent_key}', which is not in the file",
                                       f"add an entry '{parent_key}' or remove the crossref field"))
        else:
            for k, v in parent.fields.items():
                fields.setdefault(k.lower(), v)
            if not persons:
                persons = list(parent.persons.get("author", []))
    text_fields = {}
    for name, value in fields.items():
        if name not in SHOWN:
            continue  # abstracts, keywords, files: never shown, so never decoded
        rendered = " ".join(_latex(value).split())
        left = _LEFTOVER_COMMAND.search(rendered)
        if left and name not in ("url", "doi"):
            problems.append(error(path, line, 1, "RK019",
                                       f"entry '{key}': LaTeX command {left.group(0)} in field '{name}' cannot be rendered",
                                       "write the character itself (UTF-8 is fine) or wrap the text in {braces}"))
        text_fields[name] = rendered
    authors, names = [], []
    more = False
    for person in persons:
        if str(person).strip().lower() == "others":
            more = True
            continue
        authors.append(_nlm_name(person))
        names.append(_structured_name(person))
    if persons:
        text_fields.setdefault("author", ", ".join(authors))
    entry = Entry(key, pyb.type.lower(), line, tuple(authors), more, tuple(text_fields.items()),
                  tuple(names), role)
    if validate:
        _validate(path, entry, problems)
    return entry


def _nlm_name(person: Person) -> str:
    last = " ".join(_latex(p) for p in person.prelast_names + person.last_names)
    given = [_latex(p) for p in person.first_names + person.middle_names]
    initials = "".join(part[0] for name in given for part in re.split(r"[-\s.]+", name) if part)
    lineage = " ".join(_latex(p) for p in person.lineage_names)
    return " ".join(x for x in (last, initials, lineage) if x)


def _structured_name(person: Person) -> tuple[str, str, str, bool]:
    """(family, given, suffix, organisation): '{ClinicalTrials.gov}', braced whole, is an organisation."""
    parts = person.prelast_names + person.last_names
    organisation = (len(parts) == 1 and not person.first_names and not person.middle_names
                    and parts[0].startswith("{") and parts[0].endswith("}"))
    family = " ".join(_latex(p) for p in parts)
    given = " ".join(_latex(p) for p in person.first_names + person.middle_names)
    suffix = " ".join(_latex(p) for p in person.lineage_names)
    return (family, given, suffix, organisation)


def _validate(path: str, entry: Entry, problems: list[Diagnostic]) -> None:
    required = REQUIRED.get(entry.type, ("title",))
    missing = [f for f in required if not entry.get(f)]
    if entry.type == "book" and not (entry.get("author") or entry.get("editor")):
        missing.insert(0, "author")
    if missing:
        problems.append(error(path, entry.line, 1, "RK022",
                                   f"@{entry.type} '{entry.key}' is missing required field(s): {', '.join(missing)}",
                                   "add the field(s) from the publication itself (its journal page or PubMed record)"))
    doi = entry.get("doi")
    if doi and not DOI.match(doi):
        problems.append(error(path, entry.line, 1, "RK023",
                                   f"entry '{entry.key}': malformed DOI '{doi}'",
                                   "a DOI looks like 10.1056/NEJMoa1813904 (no 'https://doi.org/' prefix)"))
    pmid = entry.get("pmid")
    if pmid and not PMID.match(pmid):
        problems.append(error(path, entry.line, 1, "RK024",
                                   f"entry '{entry.key}': malformed PMID '{pmid}'",
                                   "a PMID is 1 to 8 digits, e.g. 31091374"))
    url = entry.get("url")
    if url and not re.match(r"^https?://", url, re.I):
        problems.append(error(path, entry.line, 1, "RK027",
                                   f"entry '{entry.key}': url must start with http:// or https://",
                                   "give the web address of the publication, or remove the url field"))


def _check_dois(path: str, entries: dict[str, Entry], problems: list[Diagnostic]) -> None:
    seen: dict[str, str] = {}
    for entry in entries.values():
        doi = entry.get("doi").lower()
        if not doi:
            continue
        if doi in seen:
            problems.append(error(path, entry.line, 1, "RK025",
                                       f"DOI {entry.get('doi')} is under two keys: '{seen[doi]}' and '{entry.key}'",
                                       f"keep one entry and cite '{seen[doi]}' everywhere"))
        else:
            seen[doi] = entry.key
