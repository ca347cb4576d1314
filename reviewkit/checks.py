"""Every check: pure functions from the project model to diagnostics."""

from __future__ import annotations

import functools
import re

from . import csl, evidence, languages, staleness, translation, trialcheck, trials
from . import notices as notices_mod
from .diagnostics import Diagnostic, error, unique, warning
from .project import Project, closest
from .scanner import Page, scan


def run(project: Project) -> list[Diagnostic]:
    """Every diagnostic, sorted and once each; computed once per model (each language build asks)."""
    if project._diagnostics is None:
        project._diagnostics = unique(run_all(project))
    return project._diagnostics


def run_all(project: Project) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    out += project.problems
    out += csl.problems(project.settings)
    out += project.bib.problems
    out += project.glossary.problems
    out += project.allow.problems
    for page in project.pages.values():
        out += page.problems
    out += citation_keys(project)
    out += glossary_keys(project)
    out += unknown_drugs(project)
    out += translation.missing_diagnostics(project)
    out += uncited(project)
    out += translation.parity_diagnostics(project)  # to-dos where the source page leads
    out += staleness.problems(project)
    out += evidence.check(project)
    out += unsafe_html(project)
    if project.trials is not None:
        out += project.trials.problems
        out += trials.validate(project.trials, project.settings.languages, project.bib.entries,
                               lambda key: _key_hint(project, key))
    out += trialcheck.coverage(project)
    out += trialcheck.prose_agrees(project)
    out += notice_checks(project)
    return out


def _key_hint(project: Project, key: str) -> str:
    keys = list(project.bib.keys())
    exact = [k for k in keys if k.lower() == key.lower()]
    if exact:
        return f"keys are case-sensitive: did you mean '{exact[0]}'?"
    near = closest(key, keys)
    if near:
        return "did you mean " + " or ".join(f"'{k}'" for k in near) + "?"
    return f"add an entry with this key to {project.settings.bibliography}"


def citation_keys(project: Project) -> list[Diagnostic]:
    out = []
    keys = project.bib.entries
    for page in project.pages.values():
        for cite in page.citations:
            for item in cite.items:
                if item.key not in keys:
                    out.append(error(page.path, item.line, item.col, "RK010",
                                          f"unknown citation key '{item.key}'", _key_hint(project, item.key)))
    return out


def glossary_keys(project: Project) -> list[Diagnostic]:
    out = []
    path = project.glossary.path
    keys = project.bib.entries
    for drug in project.glossary.drugs.values():
        for lang in project.settings.ordered_languages():
            lang_field = f"definition_{lang}"
            page = scan(path, drug.definition(lang))
            for problem in page.problems:
                out.append(error(path, drug.lines.get(lang_field, drug.line), 1, problem.code,
                                      f"entry '{drug.id}', {lang_field}: {problem.message}", problem.hint))
            for cite in page.citations:
                for item in cite.items:
                    if item.key not in keys:
                        out.append(error(path, drug.lines.get(lang_field, drug.line), 1, "RK035",
                                              f"entry '{drug.id}', {lang_field}: unknown citation key '{item.key}'",
                                              _key_hint(project, item.key)))
        for approval in drug.approvals:
            if approval.cite not in keys:
                out.append(error(path, drug.lines.get("approvals", drug.line), 1, "RK035",
                                      f"entry '{drug.id}', approvals: unknown citation key '{approval.cite}'",
                                      _key_hint(project, approval.cite)))
    return out


def unknown_drugs(project: Project) -> list[Diagnostic]:
    out = []
    names = [n for d in project.glossary.drugs.values() for n in d.names()]
    gloss = project.settings.glossary
    for key, page in project.pages.items():
        for m in project.mentions[key]:
            if m.drug is not None:
                continue
            line, col = page.position(m.start)
            near = closest(m.text, names, limit=1, cutoff=75)
            hint = f"did you mean '{near[0]}'? " if near else ""
            hint += (f"if it is a drug, add an entry to {gloss} (see 'Adding a drug' in CONTRIBUTING.md); "
                     f"if it is not, add it with a reason to {project.settings.allowlist}")
            out.append(error(page.path, line, col, "RK040",
                                  f"drug '{m.text}' is not in {gloss}", hint))
    return out


def cited_keys(project: Project) -> set[str]:
    cited = {item.key for page in project.pages.values() for c in page.citations for item in c.items}
    for drug in project.glossary.drugs.values():
        for text in drug.definitions.values():
            cited |= {i.key for c in scan("", text).citations for i in c.items}
        cited |= {a.cite for a in drug.approvals}
    for trial in (project.trials.trials.values() if project.trials else ()):
        cited |= {r.cite for r in trial.results}
        for texts in trial.texts().values():
            for text in texts.values():
                if isinstance(text, str):
                    cited |= {i.key for c in scan("", text).citations for i in c.items}
    return cited


def uncited(project: Project) -> list[Diagnostic]:
    cited = cited_keys(project)
    return [warning(project.bib.path, e.line, 1, "RK026",
                       f"entry '{e.key}' is cited nowhere", "cite it on a page or remove it")
            for e in project.bib.entries.values() if e.key not in cited]


# Raw HTML in a page may not run script in a reader's browser (pull requests come from strangers).
_UNSAFE_TAG = re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|base|meta|form)\b", re.I)
_UNSAFE_ATTR = re.compile(r"<[A-Za-z][^<>]*?\s(on[a-z]+)\s*=", re.I)
_UNSAFE_URL = re.compile(r"""(?:\]\(\s*<?|(?:href|src|action|formaction|xlink:href)\s*=\s*["']?)\s*(javascript|vbscript|data):""", re.I)  # noqa: E501


def unsafe_html(project: Project) -> list[Diagnostic]:
    out = []
    for page in project.pages.values():
        out += project.per_page(("unsafe_html", page.path), (page,), functools.partial(_unsafe_html, page))
    return out


def _unsafe_html(page: Page) -> list[Diagnostic]:
    out = []
    inert = _inert_mask(page)
    for rx, what, hint in (
        (_UNSAFE_TAG, "raw <{}> element", "remove it: pages may not embed scripts, frames or forms"),
        (_UNSAFE_ATTR, "event-handler attribute {}=", "remove it: pages may not run script"),
        (_UNSAFE_URL, "{}: link", "link to an http(s) address instead"),
    ):
        for m in rx.finditer(page.text):
            if inert[m.start()]:
                continue
            line, col = page.position(m.start())
            out.append(error(page.path, line, col, "RK080", f"unsafe HTML: {what.format(m.group(1).lower())}", hint))
    return out


def _inert_mask(page: Page) -> bytearray:
    """1 where the text is code, a comment or front matter: shown as text or not at all, never run."""
    mask = bytearray(len(page.text) + 1)
    for a, b in page.inert:
        mask[a:b] = b"\x01" * (b - a)
    return mask


# A sentence ends at . ! ? followed by a space, at 。！？, or at a blank line.
_SENTENCE_END = re.compile(r"[.!?](?=\s)|[。！？]|\n[ \t]*\n")


def _retraction_words(lang: str, default: str) -> re.Pattern[str]:
    """What counts as saying 'retracted' in a language: lang/<code>.yml, notices.retraction_words."""
    return re.compile(languages.get(lang, default).section("notices")["retraction_words"], re.I)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end]; a citation right after a full stop belongs to the sentence before."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    begin = ends[-1] if ends else 0
    if ends and not text[begin:start].strip():
        begin = ends[-2] if len(ends) > 1 else 0
    after = _SENTENCE_END.search(text, end)
    return text[begin: after.end() if after else len(text)]


def notice_checks(project: Project) -> list[Diagnostic]:
    """notices.yml is well formed, and every citation of a retracted paper says so in its sentence."""
    notices = project.notices
    if notices is None:
        return []
    out = list(notices.problems) + notices_mod.acknowledgement_problems(project.settings.root, notices)
    retracted = notices.retracted()
    if not retracted:
        return out
    for (lang, _), page in project.pages.items():
        words = _retraction_words(lang, project.settings.default_language)
        for cite in page.citations:
            for item in cite.items:
                if item.key in retracted and not words.search(sentence_around(page.text, cite.start, cite.end)):
                    out.append(error(page.path, item.line, item.col, "RK111",
                                          f"'{item.key}' is retracted (notices.yml), but this sentence does not say so",
                                          "say it next to the citation, e.g. 'the report, since retracted, ...' "
                                          "(Chinese: 已撤稿), or cite another source"))
    return out
