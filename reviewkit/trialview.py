"""trials.yml shown on pages: the trials overview with each trial's details one click away, and
the forest plot of pivotal results with its numbers in a table.

Each function returns an HTML block that still carries its ``[@key]`` citations as text: the
block is put into the page before the page is scanned, so its citations are numbered and listed
like any others. Every word shown comes from the language's file (``lang/<code>.yml``, section
``trials``); nothing here branches on a language code.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, NamedTuple

from . import forest, languages
from .drugs import Mention
from .links import relative
from .project import Project
from .scanner import Page, scan
from .trials import Result, Trial, Trials

MARKERS = {"trials": "<!-- reviewkit:trials -->", "forest": "<!-- reviewkit:forest -->"}
Strings = Mapping[str, Any]  # a language's words for these views (texts, and tables of texts)


class Plotted(NamedTuple):
    """A result drawn in the forest plot: it has a hazard ratio and its interval."""
    trial: Trial
    result: Result
    hr: float
    ci: tuple[float, float]


def strings(lang: str, default: str = languages.BASE) -> Strings:
    """The words of the trials views, from the language's file (section ``trials``)."""
    return languages.get(lang, default).section("trials")


def _esc(text: str) -> str:
    return html.escape(str(text), quote=False)


def phase_text(phase: str, s: Strings) -> str:
    """'1b/3' as the language writes trial phases (Chinese pages: Ⅰb/Ⅲ期)."""
    return s["phase_value"].format(phase="".join(s["numerals"].get(ch, ch) for ch in phase))


def _text(texts: Mapping[str, str], lang: str) -> str:
    """A data text in the page's language (validation guarantees it is there), escaped; its
    [@key] citations stay as they are, for the scanner."""
    return _esc(texts.get(lang) or next(iter(texts.values()), ""))


def _num(x: float) -> str:
    return f"{x:.2f}"


def _months(x: float) -> str:
    return f"{x:g}" if x != int(x) else f"{x:.1f}"


def _ci(ci: tuple[float, float], s: Strings) -> str:
    return f"{_num(ci[0])}{s['range']}{_num(ci[1])}"


def _rate_ci(ci: tuple[float, float], s: Strings) -> str:
    return f"{ci[0]:.1f}{s['range']}{ci[1]:.1f}"


def registry_text(trial: Trial, s: Strings) -> str:
    reg = trial.registry
    if reg is None or reg.checked is None:
        return s["not_checked"]
    status = s["statuses"].get(reg.status, reg.status)
    if reg.updated:
        return s["status_on"].format(status=status, updated=reg.updated.isoformat(), checked=reg.checked.isoformat())
    return s["status_checked"].format(status=status, checked=reg.checked.isoformat())


def result_text(r: Result, lang: str, s: Strings) -> str:
    parts = [s["result_head"].format(endpoint=_esc(s["endpoint_names"].get(r.endpoint, r.endpoint)),
                                     cohort=_text(r.cohort, lang))]
    if r.n:
        parts.append(s["n"].format(n=r.n))
    if r.median:
        parts.append(s["median"].format(a=_months(r.median[0]), b=_months(r.median[1])))
    if r.hr is not None:
        parts.append(s["hr"].format(hr=_num(r.hr), ci=_ci(r.ci, s) if r.ci else "—"))
    if r.rate is not None:
        parts.append(s["rate"].format(rate=f"{r.rate:g}", ci=_rate_ci(r.ci, s) if r.ci else "—"))
    if r.note:
        parts.append(_text(r.note, lang))
    return s["sep"].join(parts) + f" [@{r.cite}]"


def overview_html(trials: Trials, lang: str) -> str:
    """The compact table (trial, phase, agents, population, registry status) and, below it,
    each trial's details in a <details> element the table links to."""
    s = strings(lang)
    heads = (s["trial"], s["phase"], s["agents"], s["population"], s["registry"])
    rows = []
    for t in trials.trials.values():
        cells = (f'<a href="#{t.anchor}">{_esc(t.id)}</a>', _esc(phase_text(t.phase, s)),
                 _text(t.arms, lang), _text(t.population, lang), _esc(registry_text(t, s)))
        rows.append("<tr>" + "".join(f'<td data-label="{_esc(h)}">{c}</td>' for h, c in zip(heads, cells)) + "</tr>")
    table = ('<div class="rk-trials-wrap">\n<table class="rk-trials">\n<thead><tr>'
             + "".join(f"<th scope=\"col\">{_esc(h)}</th>" for h in heads) + "</tr></thead>\n<tbody>\n"
             + "\n".join(rows) + "\n</tbody>\n</table>\n</div>")
    return table + "\n" + details_html(trials, lang)


def details_html(trials: Trials, lang: str) -> str:
    s = strings(lang)
    blocks = []
    for t in trials.trials.values():
        facts = [(s["design"], _text(t.design, lang)), (s["agents"], _text(t.arms, lang)),
                 (s["population"], _text(t.population, lang)), (s["endpoints"], _text(t.endpoints, lang))]
        if t.summary:
            facts.append((s["summary"], _text(t.summary, lang)))
        facts.append((s["registry"], _esc(registry_text(t, s))))
        results = ("<ul>\n" + "\n".join(f"<li>{result_text(r, lang, s)}</li>" for r in t.results) + "\n</ul>"
                   if t.results else f"<p>{_esc(s['no_results'])}</p>")
        link = f'<a href="https://clinicaltrials.gov/study/{t.nct}" hreflang="en">{t.nct}</a>'
        blocks.append(
            f'<details class="rk-trial" id="{t.anchor}">\n'
            f'<summary><strong>{_esc(t.id)}</strong> · {_esc(phase_text(t.phase, s))} · {t.nct}</summary>\n'
            f'<dl>\n' + "\n".join(f"<dt>{_esc(k)}</dt><dd>{v}</dd>" for k, v in facts)
            + f'\n<dt>{_esc(s["registry_link"])}</dt><dd>{link}</dd>\n</dl>\n'
            f'<p><strong>{_esc(s["results"])}</strong></p>\n{results}\n</details>')
    return "\n".join(blocks)


def forest_rows(trials: Trials, lang: str) -> list[Plotted]:
    """The results marked for the plot, progression-free survival first."""
    order = {"PFS": 0, "OS": 1}
    pairs = [Plotted(t, r, r.hr, r.ci) for t in trials.trials.values() for r in t.results
             if r.plot and r.hr is not None and r.ci]
    return sorted(pairs, key=lambda p: order.get(p.result.endpoint, 2))


def forest_html(trials: Trials, lang: str, rel_trials: str | None = None) -> str:
    """The plot (inline SVG) and its numbers as a table, for screen readers and print."""
    s = strings(lang)
    pairs = forest_rows(trials, lang)
    if not pairs:
        return ""
    names = s["endpoint_names"]
    rows = [forest.Row(names.get(r.endpoint, r.endpoint), t.id, r.cohort.get(lang, ""), hr, ci[0], ci[1],
                       f"{_num(hr)} ({_ci(ci, s)})") for t, r, hr, ci in pairs]
    items = s["sep"].join(s["forest_item"].format(trial=t.id, cohort=r.cohort.get(lang, ""),
                                                  endpoint=names.get(r.endpoint, r.endpoint),
                                                  value=s["hr"].format(hr=_num(hr), ci=_ci(ci, s)))
                          for t, r, hr, ci in pairs)
    drawing = forest.svg(rows, s["forest_title"], s["forest_desc"].format(items=items), s["axis"],
                         s["favours_left"], s["favours_right"], svg_id=f"forest-{lang}")
    heads = (s["trial"], s["endpoint"], s["cohort"], "n", s["medians"], s["hr_ci"], s["source"])
    body = []
    for t, r, hr, ci in pairs:
        href = f"{rel_trials}#{t.anchor}" if rel_trials else f"#{t.anchor}"
        median = f"{_months(r.median[0])} {s['vs']} {_months(r.median[1])}" if r.median else "—"
        cells = (f'<a href="{_esc(href)}">{_esc(t.id)}</a>', _esc(names.get(r.endpoint, r.endpoint)),
                 _text(r.cohort, lang), str(r.n or "—"), _esc(median), f"{_num(hr)} ({_ci(ci, s)})", f"[@{r.cite}]")
        body.append("<tr>" + "".join(f'<td data-label="{_esc(h)}">{c}</td>' for h, c in zip(heads, cells)) + "</tr>")
    table = ('<table class="rk-trials rk-forest-table">\n<caption>' + _esc(s["table_caption"]) + "</caption>\n<thead><tr>"
             + "".join(f'<th scope="col">{_esc(h)}</th>' for h in heads) + "</tr></thead>\n<tbody>\n"
             + "\n".join(body) + "\n</tbody>\n</table>")
    return (f'<figure class="rk-forest-figure">\n{drawing}\n<figcaption>{_esc(s["forest_caption"])}</figcaption>\n'
            f'</figure>\n<div class="rk-trials-wrap">\n{table}\n</div>')


def expand(project: Project, lang: str, rel: str, page: Page,
           mentions: list[Mention]) -> tuple[Page, list[Mention]]:
    """The page with its trials markers replaced by their HTML, scanned again so the blocks'
    citations are numbered with the page's; drug mentions after a marker move with the text."""
    text = page.text
    found = sorted((text.find(m), kind) for kind, m in MARKERS.items() if m in text)
    if not found or project.trials is None or not project.trials.trials:
        return page, mentions
    trials_rel = "trials.md" if (lang, "trials.md") in project.pages and rel != "trials.md" else None
    shifts, pieces, pos = [], [], 0
    for start, kind in found:
        end = start + len(MARKERS[kind])
        if kind == "trials":
            block = overview_html(project.trials, lang)
        else:
            block = forest_html(project.trials, lang, relative(rel, trials_rel) if trials_rel else None)
        block = "\n\n" + block + "\n\n"
        pieces += [text[pos:start], block]
        shifts.append((end, len(block) - (end - start)))
        pos = end
    pieces.append(text[pos:])

    def moved(offset: int) -> int:
        return offset + sum(d for at, d in shifts if offset >= at)

    new = scan(page.path, "".join(pieces))
    return new, [replace(m, start=moved(m.start), end=moved(m.end)) for m in mentions]
