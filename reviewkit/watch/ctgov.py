"""ClinicalTrials.gov API v2: ``/studies?filter.ids=A,B`` (batched) or ``/studies/{NCT}``.

One malformed id makes the whole batch fail with 400; then each id is asked alone, so one bad
id costs its own answer only.
"""

from __future__ import annotations

from dataclasses import dataclass

from .http import Client, FetchError, Response
from .services import Services

BATCH = 50


@dataclass(frozen=True)
class Study:
    nct: str
    status: str = ""
    last_update: str = ""
    primary_completion: str = ""
    primary_completion_type: str = ""
    has_results: bool = False
    results_first_posted: str = ""


def study_url(base: str, nct: str) -> str:
    return f"{base}/studies/{nct}"


def _study(data: dict) -> Study:
    protocol = data.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    status = protocol.get("statusModule") or {}

    def date(name: str) -> str:
        value = status.get(name) or {}
        return str(value.get("date") or "") if isinstance(value, dict) else ""

    primary = status.get("primaryCompletionDateStruct") or {}
    return Study(str(ident.get("nctId") or ""), str(status.get("overallStatus") or ""), date("lastUpdatePostDateStruct"),
                 date("primaryCompletionDateStruct"), str(primary.get("type") or "") if isinstance(primary, dict) else "",
                 bool(data.get("hasResults")), date("resultsFirstPostDateStruct"))


def fetch(client: Client, services: Services, ncts: list[str]) -> tuple[dict[str, Study], dict[str, str], dict[str, str]]:
    """(NCT -> Study, NCT -> problem with the id, NCT -> why it could not be checked)."""
    found: dict[str, Study] = {}
    problems: dict[str, str] = {}
    unchecked: dict[str, str] = {}
    for start in range(0, len(ncts), BATCH):
        batch = ncts[start:start + BATCH]
        try:
            _batch(client, services, batch, found, problems, unchecked)
        except FetchError as exc:
            for nct in batch:
                unchecked[nct] = exc.reason
    return found, problems, unchecked


def _batch(client: Client, services: Services, batch: list[str], found: dict[str, Study], problems: dict[str, str],
           unchecked: dict[str, str]) -> None:
    params = {"filter.ids": ",".join(batch), "pageSize": str(len(batch)), "format": "json"}
    response = client.get(f"{services.ctgov}/studies", params, services.limits["ctgov"], validate=_studies)
    if response.status == 400:
        for nct in batch:
            try:
                _single(client, services, nct, found, problems)
            except FetchError as exc:
                unchecked[nct] = exc.reason
        return
    if response.status != 200:
        raise FetchError.at(response.url, f"HTTP {response.status}")
    for item in _studies(response):
        if isinstance(item, dict):
            study = _study(item)
            if study.nct in batch:
                found[study.nct] = study
    for nct in batch:
        if nct not in found:
            problems[nct] = "not found in the registry"


def _studies(response: Response) -> list:
    data = response.json()
    studies = data.get("studies") if isinstance(data, dict) else None
    if not isinstance(studies, list):
        raise FetchError.at(response.url, "the answer has no 'studies' list")
    return studies


def _one(response: Response) -> dict:
    data = response.json()
    if not isinstance(data, dict):
        raise FetchError.at(response.url, "the answer is not a study record")
    return data


def _single(client: Client, services: Services, nct: str, found: dict[str, Study], problems: dict[str, str]) -> None:
    response = client.get(study_url(services.ctgov, nct), {"format": "json"}, services.limits["ctgov"], validate=_one)
    if response.status == 404:
        problems[nct] = "not found in the registry"
    elif response.status == 400:
        problems[nct] = "rejected by the registry as a malformed id"
    elif response.status != 200:
        raise FetchError.at(response.url, f"HTTP {response.status}")
    else:
        found[nct] = _study(_one(response))
