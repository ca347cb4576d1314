"""Every diagnostic code and its title: the one list the contributor guide's table of messages
must cover (a test reads it), and the one place a new check registers its code."""

from __future__ import annotations

CODES: dict[str, str] = {
    # files and pages
    "RK001": "file is not valid UTF-8",
    "RK002": "broken front matter",
    "RK003": "unclosed code block",
    "RK004": "unclosed HTML comment",
    # citations
    "RK010": "unknown citation key",
    "RK011": "malformed citation",
    "RK012": "citation inside a link's text",
    "RK013": "citation in a heading",
    # references.bib
    "RK019": "LaTeX the site cannot show",
    "RK020": "BibTeX syntax error",
    "RK021": "duplicate citation key",
    "RK022": "required reference field missing",
    "RK023": "malformed DOI",
    "RK024": "malformed PMID",
    "RK025": "same publication entered twice",
    "RK026": "reference cited nowhere",
    "RK027": "malformed URL",
    "RK028": "bibliography file not found",
    "RK029": "crossref to a missing entry",
    # glossary.yml
    "RK030": "glossary YAML error",
    "RK031": "glossary entry has the wrong shape",
    "RK032": "unknown glossary field",
    "RK033": "glossary field missing",
    "RK034": "name in two glossary entries",
    "RK035": "glossary cites an unknown key",
    "RK036": "malformed NCT number in the glossary",
    "RK037": "duplicate glossary entry or field",
    "RK038": "glossary file not found",
    # drugs
    "RK040": "drug not in the glossary",
    "RK041": "allow-listed term without a reason",
    # languages
    "RK050": "page missing in a language",
    "RK051": "citations differ between languages",
    "RK052": "drugs differ between languages",
    "RK053": "headings differ between languages",
    "RK054": "tables, lists or figures differ between languages",
    "RK055": "numbers differ between languages",
    "RK061": "malformed translation record",
    # settings and pages' HTML
    "RK070": "unusable mkdocs.yml settings",
    "RK071": "unusable reference style",
    "RK080": "unsafe HTML",
    # updates.yml and trials.yml
    "RK090": "updates.yml or trials.yml cannot be read or has the wrong shape",
    "RK091": "malformed trial value",
    "RK092": "duplicate trial",
    "RK093": "trial field missing",
    "RK094": "unknown trial end point",
    "RK095": "impossible trial figure",
    "RK096": "trial text missing in a language",
    "RK097": "trial result without a source",
    "RK098": "hazard ratio in the text not listed for the trial",
    "RK099": "trial named but not in trials.yml",
    "RK100": "evidence check date missing or malformed",
    # notices.yml
    "RK110": "malformed or unstated notice",
    "RK111": "retracted paper cited without saying so",
}


def title(code: str) -> str:
    return CODES[code]
