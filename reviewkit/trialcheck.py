"""Pages agree with trials.yml: every trial named by NCT number has an entry, and a hazard ratio
stated in a sentence (or table row) that names exactly one trial is one listed for that trial.

The text read is the scanner's prose (code, comments, tags, link targets and citations blanked,
offsets kept), so what is checked is what readers read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, error
from .trials import NCT_IN_TEXT, Trial, Trials

if TYPE_CHECKING:
    from .project import Project
    from .scanner import Page

_NUM = r"(\d+(?:\.\d+)?)"
# 'HR 0.65', 'adjusted HR 0.66', 'hazard ratio, 0.65', 'HR for death 0.67', 'HR=0.65', '风险比0.65',
# '风险比为0.65', '风险比（HR）为0.43', '风险比［HR］0.65'. A hazard-ratio word directly followed
# by its number; 'HR-positive' and 'HR阳性' have no number and are never claims.
_HR = re.compile(
    r"(?<![A-Za-z])(?:HR|[Hh]azard ratio|风险比)"
    r"(?:\s*[\[（(［]\s*HR\s*[\]）)］])?"
    r"(?:\s+for\s+(?:death|(?:disease\s+)?progression\s+or\s+death))?"
    r"\s*(?:[=:：,，]|为|was|of|is)?\s*" + _NUM + r"(?![\d.]*\s*%)")
# The confidence interval right after it: ' (95% CI 0.50–0.85)', ', 95% CI 0.50 to 0.85', '，95% CI 0.32–0.59'.
_CI = re.compile(r"\s*[,，;；(（\[]?\s*95\s*%\s*(?:CI|置信区间)\s*[,:：]?\s*" + _NUM
                 + r"\s*(?:–|-|—|to|至|~|～)\s*" + _NUM)
# A sentence ends at . ! ? followed by space, or at a Chinese full stop; a line is never crossed.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？])")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CELL_HR = re.compile(r"^\s*" + _NUM + r"\s*(?:[(（]\s*" + _NUM + r"\s*(?:–|-|—|to|至|~|～)\s*" + _NUM + r"\s*[)）])?\s*$")


@dataclass(frozen=True)
class Claim:
    start: int  # offset of the hazard ratio's number in the page text
    hr: float
    ci: tuple[float, float] | None


def claims(text: str) -> list[Claim]:
    """Hazard ratios stated in a piece of prose, each with its CI when one follows."""
    out = []
    for m in _HR.finditer(text):
        ci = None
        c = _CI.match(text, m.end())
        if c:
            ci = (float(c.group(1)), float(c.group(2)))
        out.append(Claim(m.start(1), float(m.group(1)), ci))
    return out


def units(prose: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, list item or table row: a line is split at sentence ends."""
    pos = 0
    for line in prose.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        if line.lstrip().startswith("|"):
            yield start, start + len(line)
            continue
        cut = start
        for m in _SENTENCE_END.finditer(line):
            end = start + m.start()
            if end > cut:
                yield cut, end
            cut = start + m.end()
        if cut < start + len(line):
            yield cut, start + len(line)


Names = list[tuple[str, str, re.Pattern[str]]]  # (trial, the name or NCT number as written, its pattern)


def _name_patterns(trials: Trials) -> Names:
    pats = []
    for t in trials.trials.values():
        pats.append((t.id, t.id, re.compile(r"(?<![A-Za-z0-9-])" + re.escape(t.id) + r"(?![A-Za-z0-9])")))
        pats.append((t.id, t.nct, re.compile(re.escape(t.nct))))
    return pats


def _named(text: str, patterns: Names) -> set[str]:
    # a plain substring test first: most sentences name no trial, and a regex search is 100x slower
    return {tid for tid, literal, rx in patterns if literal in text and rx.search(text)}


def _table_claims(prose: str) -> list[Claim]:
    """Cells under a column headed 'HR' or '风险比': '0.65 (0.50–0.85)'."""
    out = []
    lines = prose.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    columns = None
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("|"):
            columns = None
            continue
        if i + 1 < len(lines) and _TABLE_SEP.match(lines[i + 1]) and columns is None:
            cells = _cells(line)
            columns = {j for j, (_, cell) in enumerate(cells) if re.search(r"(?<![A-Za-z])HR(?![A-Za-z])|风险比", cell)}
            continue
        if _TABLE_SEP.match(line) or not columns:
            continue
        for j, (col, cell) in enumerate(_cells(line)):
            if j in columns:
                m = _CELL_HR.match(cell)
                if m:
                    ci = (float(m.group(2)), float(m.group(3))) if m.group(2) else None
                    out.append(Claim(offsets[i] + col + m.start(1), float(m.group(1)), ci))
    return out


def _cells(line: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    parts = line.split("|")
    for k, part in enumerate(parts):
        if 0 < k < len(parts) - 1 or (k == len(parts) - 1 and part.strip()):
            out.append((pos, part))
        pos += len(part) + 1
    if line.lstrip().startswith("|"):
        return out
    return [(0, parts[0])] + out


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def listed(trial: Trial, lang: str | None = None) -> str:
    """The trial's hazard ratios as the hint shows them."""
    parts = []
    for r in trial.results:
        if r.hr is None:
            continue
        cohort = (lang and r.cohort.get(lang)) or next(iter(r.cohort.values()), "")
        ci = f" ({_fmt(r.ci[0])}–{_fmt(r.ci[1])})" if r.ci else ""
        parts.append(f"{r.endpoint} {cohort}: HR {_fmt(r.hr)}{ci} [{r.cite}]")
    return "; ".join(parts) if parts else "no hazard ratio"


def prose_agrees(project: Project) -> list[Diagnostic]:
    trials = project.trials
    if trials is None or not trials.trials:
        return []
    patterns = _name_patterns(trials)
    out = []
    for (lang, rel), page in project.pages.items():
        out += project.per_page(("prose_agrees", lang, rel), (page,),
                                functools.partial(_page_agrees, trials, patterns, lang, page))
    return out


def _page_agrees(trials: Trials, patterns: Names, lang: str, page: Page) -> list[Diagnostic]:
    tpath = trials.path
    out: list[Diagnostic] = []
    prose = page.prose()
    found = [(c, False) for c in claims(prose)] + [(c, True) for c in _table_claims(prose)]
    if not found:
        return out
    spans = list(units(prose))
    for claim, _in_table in found:
        unit = next(((a, b) for a, b in spans if a <= claim.start < b), None)
        if unit is None:
            continue
        named = _named(prose[unit[0]:unit[1]], patterns)
        if len(named) != 1:
            continue  # no trial, or several: the figure cannot be attributed
        trial = trials.trials[named.pop()]
        same_hr = [r for r in trial.results if r.hr is not None and abs(r.hr - claim.hr) < 1e-9]
        line, col = page.position(claim.start)
        if not same_hr:
            out.append(error(page.path, line, col, "RK098",
                             f"HR {_fmt(claim.hr)} for {trial.id} is not a figure {tpath} lists for it",
                             f"{tpath}:{trial.line} lists {listed(trial, lang)}; correct the sentence, "
                             f"or add the result with its source to {tpath}"))
            continue
        if claim.ci and not any(r.ci and all(abs(a - b) < 1e-9 for a, b in zip(r.ci, claim.ci)) for r in same_hr):
            out.append(error(page.path, line, col, "RK098",
                             f"HR {_fmt(claim.hr)} for {trial.id}: 95% CI {_fmt(claim.ci[0])}–{_fmt(claim.ci[1])} "
                             f"is not the interval {tpath} lists",
                             f"{tpath}:{trial.line} lists {listed(trial, lang)}"))
    return out


def coverage(project: Project) -> list[Diagnostic]:
    """Every NCT number named on a page or in the glossary has an entry in trials.yml."""
    trials = project.trials
    if trials is None:
        return []
    known = trials.by_nct()
    tpath = trials.path
    out = []
    for page in project.pages.values():
        for m in NCT_IN_TEXT.finditer(page.masked):
            if m.group(0) not in known:
                line, col = page.position(m.start())
                out.append(error(page.path, line, col, "RK099",
                                 f"trial {m.group(0)} is named here but has no entry in {tpath}",
                                 f"add an entry with nct: {m.group(0)} to {tpath} "
                                 "(see 'Adding a trial' in CONTRIBUTING.md)"))
    gloss = project.glossary
    for drug in gloss.drugs.values():
        for t in drug.trials:
            entry = known.get(t.nct)
            line = drug.lines.get("trials", drug.line)
            if entry is None:
                out.append(error(gloss.path, line, 1, "RK099",
                                 f"entry '{drug.id}': trial {t.name} ({t.nct}) has no entry in {tpath}",
                                 f"add an entry with nct: {t.nct} to {tpath}"))
            elif entry.id != t.name:
                out.append(error(gloss.path, line, 1, "RK099",
                                 f"entry '{drug.id}': {t.nct} is '{entry.id}' in {tpath}, not '{t.name}'",
                                 f"use the same name in both files ({tpath}:{entry.line})"))
    return out
