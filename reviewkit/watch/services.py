"""Where the services live and how we introduce ourselves: environment first, then mkdocs.yml."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from .http import RateLimit

DEFAULTS = {
    "crossref": ("REVIEWKIT_CROSSREF_URL", "https://api.crossref.org"),
    "pubmed": ("REVIEWKIT_PUBMED_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"),
    "ctgov": ("REVIEWKIT_CTGOV_URL", "https://clinicaltrials.gov/api/v2"),
}
TOOL = "reviewkit"


@dataclass
class Services:
    crossref: str
    pubmed: str
    ctgov: str
    mailto: str
    ncbi_key: str
    limits: dict[str, RateLimit]

    @property
    def user_agent(self) -> str:
        # Crossref's polite pool recognises a mailto: in the User-Agent as well as the parameter.
        return f"{TOOL}/1 (living review evidence watch" + (f"; mailto:{self.mailto})" if self.mailto else ")")

    def crossref_params(self) -> dict[str, str]:
        return {"mailto": self.mailto} if self.mailto else {}

    def ncbi_params(self) -> dict[str, str]:
        params = {"tool": TOOL}
        if self.mailto:
            params["email"] = self.mailto
        if self.ncbi_key:
            params["api_key"] = self.ncbi_key
        return params


def configure(mailto_setting: str = "", env: Mapping[str, str] | None = None) -> Services:
    env = os.environ if env is None else env
    urls = {name: (env.get(var) or default).rstrip("/") for name, (var, default) in DEFAULTS.items()}
    key = env.get("NCBI_API_KEY", "").strip()
    limits = {
        # Crossref: tightened further by its x-rate-limit-* headers once it answers.
        "crossref": RateLimit(5),
        # NCBI: 3 requests per second without a key, 10 with one.
        "pubmed": RateLimit(10 if key else 3),
        # ClinicalTrials.gov documents no figure; stay well under 1 per 0.2 s.
        "ctgov": RateLimit(5),
    }
    return Services(urls["crossref"], urls["pubmed"], urls["ctgov"],
                    (env.get("REVIEWKIT_MAILTO") or mailto_setting or "").strip(), key, limits)
