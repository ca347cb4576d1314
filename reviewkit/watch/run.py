"""One watch: every cited reference and every named trial against the services, as findings."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import compare, crossref, ctgov, pubmed, trials
from .http import Client, FetchError
from .services import Services

if TYPE_CHECKING:
    from .. import notices as notices_mod
    from ..bibliography import Entry
    from ..notices import Notices
    from ..project import Project

ATTENTION = "needs attention"
UNCHECKED = "could not check"
REVIEW = "to review"
ACKNOWLEDGED = "acknowledged"
SEVERITIES = (ATTENTION, UNCHECKED, REVIEW, ACKNOWLEDGED)
# Exit statuses: distinct, so a workflow can tell "something happened to the evidence" from
# "the services could not be asked". 2 is argparse's own usage error.
EXIT = {ATTENTION: 3, UNCHECKED: 4, REVIEW: 1}
KIND_NAMES = {"retraction": "retraction", "expression_of_concern": "expression of concern",
              "correction": "correction"}


@dataclass(frozen=True, order=True)
class Finding:
    severity: str
    subject: str  # citation key or NCT id
    what: str
    source: str = ""  # the record the finding comes from


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    references: int = 0
    dois: int = 0
    pmids: int = 0
    trials: int = 0
    requests: int = 0
    cache_hits: int = 0
    date: str = ""

    def by_severity(self, severity: str) -> list[Finding]:
        return sorted(f for f in self.findings if f.severity == severity)

    @property
    def exit_code(self) -> int:
        for severity in (ATTENTION, UNCHECKED, REVIEW):
            if self.by_severity(severity):
                return EXIT[severity]
        return 0


def _pubmed_url(services: Services, pmid: str) -> str:
    return f"{pubmed.efetch_url(services.pubmed)}?db=pubmed&id={pmid}&retmode=xml"


def _cited_entries(project: Project) -> list[Entry]:
    from ..checks import cited_keys

    cited = cited_keys(project)
    return [e for k, e in project.bib.entries.items() if k in cited]


def _notice_findings(key: str, found: list[tuple[crossref.Notice, str]],
                     recorded: tuple[notices_mod.Notice, ...]) -> list[Finding]:
    """Notices found online for ``key`` (with their source URL), grouped by kind, against notices.yml."""
    out = []
    kinds: dict[str, list[tuple[crossref.Notice, str]]] = {}
    for notice, source in found:
        kinds.setdefault(notice.kind, []).append((notice, source))
    for kind, items in kinds.items():
        mine = [n for n in recorded if n.type == kind]
        seen, parts, sources, new = set(), [], [], False
        for notice, source in items:
            ident = (notice.doi.lower(), notice.pmid)
            if ident in seen:
                continue
            seen.add(ident)
            known = any((notice.doi and notice.doi.lower() == n.doi.lower()) or (notice.pmid and notice.pmid == n.pmid)
                        or (not notice.doi and not notice.pmid) for n in mine)
            new |= not known
            label = f"{notice.label}" + (f" {notice.doi}" if notice.doi else "") + \
                (f" PMID {notice.pmid}" if notice.pmid else "") + (f", {notice.date}" if notice.date else "") + \
                (f", source {notice.source}" if notice.source and notice.source != "pubmed" else "")
            parts.append(("PubMed: " if notice.source == "pubmed" else "Crossref: ") + label)
            if source not in sources:
                sources.append(source)
        name = KIND_NAMES[kind]
        if new:
            what = f"{name} not yet acknowledged in notices.yml ({'; '.join(parts)})"
            out.append(Finding(ATTENTION, key, what, " ".join(sources)))
        else:
            out.append(Finding(ACKNOWLEDGED, key, f"{name}, recorded in notices.yml ({'; '.join(parts)})",
                               " ".join(sources)))
    return out


def check_references(project: Project, client: Client, services: Services,
                     notices: Notices) -> tuple[list[Finding], dict[str, int]]:
    entries = _cited_entries(project)
    findings: list[Finding] = []
    notices_found: dict[str, list[tuple[crossref.Notice, str]]] = {}  # key -> [(Notice, source url)]

    def ask_crossref(entry: Entry) -> tuple[Entry, str, dict | None, str | None]:
        doi = entry.get("doi")
        url = crossref.work_url(services.crossref, doi)
        try:
            return entry, url, crossref.fetch(client, services, doi), None
        except FetchError as exc:
            return entry, url, None, exc.reason

    with ThreadPoolExecutor(max_workers=3) as pool:  # few concurrent requests, as Crossref asks
        answers = list(pool.map(ask_crossref, [e for e in entries if e.get("doi")]))
    for entry, url, message, problem in answers:
        if problem:
            findings.append(Finding(UNCHECKED, entry.key, f"Crossref: {problem}", url))
        elif message is None:
            findings.append(Finding(REVIEW, entry.key, f"DOI {entry.get('doi')} is not known to Crossref (404): "
                                                        "it no longer resolves or was mistyped", url))
        else:
            for difference in compare.compare(entry, message):
                findings.append(Finding(REVIEW, entry.key, difference, url))
            for notice in crossref.notices(message):
                notices_found.setdefault(entry.key, []).append((notice, url))

    with_pmid = [e for e in entries if e.get("pmid")]
    records, problem = {}, None
    try:
        records = pubmed.fetch(client, services, [e.get("pmid") for e in with_pmid])
    except FetchError as exc:
        problem = exc.reason
    for entry in with_pmid:
        pmid = entry.get("pmid")
        url = _pubmed_url(services, pmid)
        if problem:
            findings.append(Finding(UNCHECKED, entry.key, f"PubMed: {problem}", url))
            continue
        record = records.get(pmid)
        if record is None:
            findings.append(Finding(REVIEW, entry.key, f"PMID {pmid} is not in PubMed", url))
            continue
        ours = entry.get("doi")
        if ours and record.doi and ours.lower() != record.doi.lower():
            findings.append(Finding(REVIEW, entry.key, f"PubMed record {pmid} has DOI {record.doi}, "
                                                        f"references.bib has {ours}", url))
        for notice in record.notices:
            notices_found.setdefault(entry.key, []).append((notice, url))
    for key, found in notices_found.items():
        findings += _notice_findings(key, found, notices.for_key(key))
    return findings, {"references": len(entries), "dois": len(answers), "pmids": len(with_pmid)}


def _describe(study: ctgov.Study) -> str:
    parts = [f"status {study.status or 'not given'}"]
    if study.primary_completion:
        parts.append(f"primary completion {study.primary_completion}"
                     + (f" ({study.primary_completion_type.lower()})" if study.primary_completion_type else ""))
    if study.has_results or study.results_first_posted:
        parts.append(f"results posted {study.results_first_posted or '(date not given)'}")
    if study.last_update:
        parts.append(f"record last updated {study.last_update}")
    return ", ".join(parts)


def check_trials(project: Project, client: Client, services: Services) -> tuple[list[Finding], int]:
    checked = trials.last_checked(project)
    ncts = trials.site_ncts(project, checked)
    if not ncts:
        return [], 0
    found, problems, unchecked = ctgov.fetch(client, services, ncts)
    findings = []
    for nct in ncts:
        url = ctgov.study_url(services.ctgov, nct)
        if nct in unchecked:
            findings.append(Finding(UNCHECKED, nct, f"ClinicalTrials.gov: {unchecked[nct]}", url))
        elif nct in problems:
            findings.append(Finding(REVIEW, nct, problems[nct], url))
        else:
            study = found[nct]
            mine = checked.get(nct) or trials.Checked()
            when = mine.checked
            if not when:
                findings.append(Finding(REVIEW, nct, f"no last-checked date recorded (record "
                                                     f"{trials.where(project)}); registry: "
                                                     f"{_describe(study)}", url))
            elif study.last_update and study.last_update > when:
                changed = ""
                if mine.status and study.status and mine.status.upper() != study.status.upper():
                    changed = f"status changed from {mine.status} to {study.status}; "
                findings.append(Finding(REVIEW, nct, f"record changed since the site checked it on {when} "
                                                     f"({mine.file}): {changed}{_describe(study)}", url))
    return findings, len(ncts)


def run(project: Project, client: Client, services: Services, notices: Notices) -> Result:
    result = Result(date=dt.date.today().isoformat())
    ref_findings, counts = check_references(project, client, services, notices)
    trial_findings, n_trials = check_trials(project, client, services)
    result.findings = ref_findings + trial_findings
    result.references, result.dois, result.pmids = counts["references"], counts["dois"], counts["pmids"]
    result.trials = n_trials
    result.requests, result.cache_hits = client.requests, client.cache_hits
    return result
