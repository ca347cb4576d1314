"""The watch's findings as Markdown: read in a terminal, posted as a GitHub issue."""

from __future__ import annotations

from .run import ACKNOWLEDGED, ATTENTION, REVIEW, SEVERITIES, UNCHECKED, Finding, Result

HEADINGS = {
    ATTENTION: "Needs attention: retractions and notices the site does not acknowledge",
    UNCHECKED: "Could not check",
    REVIEW: "To review: metadata and trial records that changed",
    ACKNOWLEDGED: "Acknowledged notices (recorded in notices.yml)",
}


def _line(f: Finding) -> str:
    return f"- `{f.subject}`: {f.what}" + (f" — source: {f.source}" if f.source else "")


def markdown(result: Result) -> str:
    lines = [f"# Evidence watch, {result.date}", ""]
    for severity in SEVERITIES:
        items = result.by_severity(severity)
        if not items:
            continue
        lines += [f"## {HEADINGS[severity]} ({len(items)})", ""] + [_line(f) for f in items] + [""]
    unchecked = len(result.by_severity(UNCHECKED))
    if result.exit_code == 0:
        lines += ["Nothing new: every reference and trial was checked and nothing changed.", ""]
    elif unchecked:
        lines += [f"Not an all-clear: {unchecked} item(s) could not be checked.", ""]
    lines.append(f"Checked {result.references} cited reference(s) ({result.dois} DOI(s) with Crossref, "
                 f"{result.pmids} PMID(s) with PubMed) and {result.trials} trial(s) with ClinicalTrials.gov: "
                 f"{result.requests} request(s), {result.cache_hits} answer(s) from the cache.")
    return "\n".join(lines) + "\n"
