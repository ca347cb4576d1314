"""Crossref REST API: ``GET /works/{DOI}`` -> ``{"status": "ok", "message": {...}}``."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from .http import Client, FetchError, Response
from .services import Services

# Crossref's update types, sorted into what the review shows readers.
NOTICE_KINDS = {
    "retraction": "retraction", "withdrawal": "retraction", "removal": "retraction",
    "partial_retraction": "retraction",
    "expression_of_concern": "expression_of_concern",
    "correction": "correction", "erratum": "correction", "corrigendum": "correction",
}


@dataclass(frozen=True)
class Notice:
    kind: str  # retraction | expression_of_concern | correction
    label: str  # the service's own word for it
    doi: str = ""
    pmid: str = ""
    date: str = ""
    source: str = ""  # publisher | retraction-watch | pubmed


def work_url(base: str, doi: str) -> str:
    return f"{base}/works/{urllib.parse.quote(doi, safe='/')}"


def fetch(client: Client, services: Services, doi: str) -> dict | None:
    """The work's ``message``, or None when Crossref does not know the DOI (404)."""
    response = client.get(work_url(services.crossref, doi), services.crossref_params(), services.limits["crossref"],
                          headers={"Accept": "application/json"}, validate=_message)
    if response.status == 404:
        return None
    if response.status != 200:
        raise FetchError.at(response.url, f"HTTP {response.status}")
    return _message(response)


def _message(response: Response) -> dict:
    data = response.json()
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise FetchError.at(response.url, "the answer has no 'message' record")
    return message


def _date(value: Any) -> str:  # a JSON value, checked by the except
    try:
        parts = value["date-parts"][0]
        return "-".join(f"{int(p):02d}" if i else f"{int(p):04d}" for i, p in enumerate(parts) if p is not None)
    except (KeyError, IndexError, TypeError, ValueError):
        return ""


def notices(message: dict) -> list[Notice]:
    """The ``updated-by`` list: notices about this work (``update-to`` is the other direction)."""
    out = []
    for item in message.get("updated-by") or []:
        if not isinstance(item, dict):
            continue
        kind = NOTICE_KINDS.get(str(item.get("type", "")).lower().replace("-", "_"))
        if kind is None:
            continue  # new versions, clarifications: nothing a reader must be told
        out.append(Notice(kind, str(item.get("label") or item.get("type")), str(item.get("DOI") or ""), "",
                          _date(item.get("updated")), str(item.get("source") or "publisher")))
    return out


def first(values: object) -> str:
    if isinstance(values, list):
        return str(values[0]) if values else ""
    return str(values or "")


def years(message: dict) -> set[str]:
    out: set[str] = set()
    for field in ("issued", "published-print", "published-online", "published"):
        date = _date(message.get(field) or {})
        if date[:4].isdigit():
            out.add(date[:4])
    return out


_TAG = re.compile(r"<[^>]+>")
# Publishers prefix the titles of retracted works; the notice itself is reported from updated-by.
_FLAG = re.compile(r"^\s*(?:RETRACTED(?: ARTICLE)?|WITHDRAWN)\s*:\s*", re.I)


def title(message: dict) -> str:
    return _FLAG.sub("", _TAG.sub("", first(message.get("title"))))
