"""The two languages say the same things: headings, citations, drugs, tables, lists, figures
and numbers match section by section (a section is the text under one heading)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from . import languages
from .diagnostics import Diagnostic
from .project import Project
from .scanner import Citation, Page

# A number stands alone: not glued to Latin letters or digits (PIK3CA, H1047R, p110 are names).
_NUMBER = re.compile(r"(?<![A-Za-z0-9.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![A-Za-z0-9])")
_NCT = re.compile(r"NCT\d{8}")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S", re.M)
_TABLE_DELIM = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", re.M)
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_FIGURE = re.compile(r"!\[")
# Roman numerals count as the numbers they stand for; where a language writes them (Chinese trial
# phases Ⅲ期, English disease stages II–III) is in its data file.
_ROMAN = {"Ⅰ": "1", "Ⅱ": "2", "Ⅲ": "3", "Ⅳ": "4", "I": "1", "II": "2", "III": "3", "IV": "4"}


@dataclass
class Section:
    title: str  # "" for the text before the first heading
    level: int
    start: int
    end: int
    line: int


def sections(page: Page) -> list[Section]:
    heads = page.headings
    out = [Section("", 0, page.body_start, heads[0].start if heads else len(page.text), 1)]
    for i, h in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else len(page.text)
        out.append(Section(h.title, h.level, h.start, end, h.line))
    return out


@functools.cache
def _months(lang: str) -> tuple[dict[str, str], re.Pattern[str] | None]:
    """The language's month words (March, Mar.) -> their number; they count as numbers."""
    months = dict(languages.get(lang).months)
    if not months:
        return months, None
    words = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    return months, re.compile(r"\b(" + words + r")\.?(?=\s+\d)", re.I)


@functools.cache
def _roman(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """Where the language writes numbers as Roman numerals (Ⅲ期, stage II–III), and each numeral."""
    spec = languages.get(lang).roman_numerals
    if not spec:
        return None
    return re.compile(spec["where"]), re.compile(spec["numeral"])


def numbers(text: str, lang: str) -> Counter[str]:
    found: Counter[str] = Counter()
    roman = _roman(lang)
    if roman:
        where, numeral = roman
        for m in where.finditer(text):
            found.update(_ROMAN[r] for r in numeral.findall(m.group(0)))
        text = where.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    found.update(m.group(0) for m in _NCT.finditer(text))
    months, month_re = _months(lang)
    if month_re:
        found.update(months[m.group(1).lower()] for m in month_re.finditer(text))
    for m in _NUMBER.finditer(text):
        found[m.group(1).replace(",", "") + (m.group(2) or "")] += 1
    return found


def structure(masked: str) -> dict[str, int]:
    delims = len(_TABLE_DELIM.findall(masked))
    rows = len(_TABLE_ROW.findall(masked)) - delims
    return {"tables": delims, "table rows": max(rows, 0), "list items": len(_LIST_ITEM.findall(masked)),
            "figures": len(_FIGURE.findall(masked))}


def _first_keys(citations: list[Citation]) -> list[str]:
    seen, out = set(), []
    for c in citations:
        for k in c.keys:
            if k not in seen:
                seen.add(k)
                out.append(k)
    return out


def check(project: Project) -> list[Diagnostic]:
    """Each translation against the page in the default language, page by page."""
    langs = project.settings.languages
    if len(langs) < 2:
        return []
    base = project.settings.default_language
    out = []
    for other in langs:
        if other == base:
            continue
        for rel in project.page_paths(base):
            a, b = project.pages.get((base, rel)), project.pages.get((other, rel))
            if a is None or b is None or project.generated_kind(a) or project.generated_kind(b):
                continue
            out += project.per_page(("parity", other, rel), (a, b),
                                    functools.partial(check_pair, project, (base, rel, a), (other, rel, b)))
    return out


class Pair:
    """A page in the default language (``a``) and its translation (``b``); errors are reported in ``b``."""

    def __init__(self, project: Project, left: tuple[str, str, Page], right: tuple[str, str, Page]) -> None:
        self.project = project
        self.lang_a, self.rel, self.a = left
        self.lang_b, _, self.b = right

    @functools.cached_property
    def prose(self) -> tuple[str, str]:
        return self.a.prose(), self.b.prose()

    def error(self, offset: int, code: str, message: str, hint: str) -> Diagnostic:
        return self.b.error(offset, code, message, hint)

    def where(self, x: Section) -> str:
        return f"{self.a.path}:{x.line}"


def check_pair(project: Project, left: tuple[str, str, Page], right: tuple[str, str, Page]) -> list[Diagnostic]:
    """Headings first: with a different outline, sections cannot be paired; then each aspect of
    each pair of sections."""
    pair = Pair(project, left, right)
    out = headings(pair)
    if out:
        return out
    for x, y in zip(sections(pair.a), sections(pair.b), strict=True):
        for aspect in SECTION_ASPECTS:
            out += aspect(pair, x, y)
    return out


def headings(pair: Pair) -> list[Diagnostic]:
    """The same headings, at the same levels, in the same order (RK053)."""
    a, b = pair.a, pair.b
    ha = [h.level for h in a.headings]
    hb = [h.level for h in b.headings]
    if ha == hb:
        return []
    for i in range(max(len(ha), len(hb))):
        if i >= len(hb):
            h = a.headings[i]
            return [pair.error(len(b.text), "RK053",
                               f"heading '{'#' * h.level} {h.title}' at {a.path}:{h.line} has no counterpart here",
                               f"add the heading to {b.path} (same level and order as in {a.path})")]
        if i >= len(ha):
            h = b.headings[i]
            return [pair.error(h.start, "RK053", f"heading '{'#' * h.level} {h.title}' has no counterpart in {a.path}",
                               f"remove it or add the heading to {a.path}")]
        if ha[i] != hb[i]:
            h, g = b.headings[i], a.headings[i]
            return [pair.error(h.start, "RK053", f"heading is level {hb[i]} here but level {ha[i]} at {a.path}:{g.line}",
                               "the two pages need the same headings, at the same levels, in the same order")]
    return []


def _label(y: Section) -> str:
    return f"section '{y.title}'" if y.title else "the text before the first heading"


def citations(pair: Pair, x: Section, y: Section) -> list[Diagnostic]:
    """The same citations, as often, first cited in the same order (RK051)."""
    a, b, out = pair.a, pair.b, []
    where = pair.where(x)
    ca = [c for c in a.citations if x.start <= c.start < x.end]
    cb = [c for c in b.citations if y.start <= c.start < y.end]
    ka, kb = Counter(k for c in ca for k in c.keys), Counter(k for c in cb for k in c.keys)
    if any(k not in pair.project.bib.entries for k in (*ka, *kb)):
        return []  # an unknown key is reported once, as such; no cascade here
    for key in ka:
        if kb[key] < ka[key]:
            at = next(c for c in ca if key in c.keys)
            out.append(pair.error(y.start, "RK051", f"citation '{key}' is in {a.path}:{at.line} but not here"
                                  + (f" (cited {ka[key]} times there, {kb[key]} here)" if kb[key] else ""),
                                  f"cite [@{key}] in {_label(y)} of this page too"))
    for key in kb:
        if ka[key] < kb[key]:
            at = next(c for c in cb if key in c.keys)
            out.append(pair.error(at.start, "RK051",
                                  f"citation '{key}' is here but not in the matching section of {a.path} ({where})"
                                  + (f" (cited {kb[key]} times here, {ka[key]} there)" if ka[key] else ""),
                                  f"cite it in {a.path} too, or remove it here"))
    if ka == kb:
        fa, fb = _first_keys(ca), _first_keys(cb)
        if fa != fb:
            i = next(i for i, (p, q) in enumerate(zip(fa, fb, strict=True)) if p != q)
            at = next(c for c in cb if fb[i] in c.keys)
            out.append(pair.error(at.start, "RK051", f"citations are in a different order: '{fa[i]}' comes first "
                                  f"at this point in {a.path}, '{fb[i]}' here", "cite in the same order as the source page"))
    return out


def drugs(pair: Pair, x: Section, y: Section) -> list[Diagnostic]:
    """The same glossary entries named (RK052)."""
    project, out = pair.project, []
    where = pair.where(x)
    mentions_b = project.mentions[(pair.lang_b, pair.rel)]
    da = {m.drug for m in project.mentions[(pair.lang_a, pair.rel)] if m.drug and x.start <= m.start < x.end}
    db = {m.drug for m in mentions_b if m.drug and y.start <= m.start < y.end}
    for drug in sorted(da - db):
        name = project.glossary.drugs[drug].name(pair.lang_b)
        out.append(pair.error(y.start, "RK052", f"drug '{drug}' is named in {where} (section) but not here",
                              f"name it here too ('{name}')"))
    for drug in sorted(db - da):
        m = next(m for m in mentions_b if m.drug == drug and y.start <= m.start < y.end)
        out.append(pair.error(m.start, "RK052", f"drug '{m.text}' ({drug}) is named here but not in {where}",
                              f"name it in {pair.a.path} too, or remove it here"))
    return out


def layout(pair: Pair, x: Section, y: Section) -> list[Diagnostic]:
    """As many tables, table rows, list items and figures (RK054)."""
    sx, sy = structure(pair.a.masked[x.start:x.end]), structure(pair.b.masked[y.start:y.end])
    return [pair.error(y.start, "RK054", f"{_label(y)} has {sy[what]} {what}, {pair.where(x)} has {sx[what]}",
                       f"make the {what} match {pair.a.path}")
            for what in sx if sx[what] != sy[what]]


def figures(pair: Pair, x: Section, y: Section) -> list[Diagnostic]:
    """The same numbers (RK055)."""
    pa, pb = pair.prose
    na, nb = numbers(pa[x.start:x.end], pair.lang_a), numbers(pb[y.start:y.end], pair.lang_b)
    missing = sorted((na - nb).elements())
    extra = sorted((nb - na).elements())
    hint = "write the same figures in both languages (digits, not words)"
    out = []
    if missing:
        out.append(pair.error(y.start, "RK055",
                              f"number(s) {', '.join(missing)} in {pair.where(x)} (section) are missing here", hint))
    if extra:
        out.append(pair.error(y.start, "RK055",
                              f"number(s) {', '.join(extra)} here are not in {pair.where(x)} (section)", hint))
    return out


SECTION_ASPECTS: tuple[Callable[[Pair, Section, Section], list[Diagnostic]], ...] = (citations, drugs, layout, figures)
