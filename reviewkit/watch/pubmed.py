"""PubMed E-utilities: ``efetch.fcgi?db=pubmed&id=A,B&retmode=xml``, many PMIDs per request."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .crossref import Notice
from .http import Client, FetchError, Response
from .services import Services

BATCH = 200  # NCBI suggests up to 200 ids per GET
COMMENT_KINDS = {
    "RetractionIn": "retraction", "RetractedandRepublishedIn": "retraction",
    "ExpressionOfConcernIn": "expression_of_concern", "ErratumIn": "correction",
}
_DOI_IN_TEXT = re.compile(r"\bdoi:\s*(10\.\d{4,9}/\S+?)\.?(?:\s|$)", re.I)


@dataclass
class Record:
    pmid: str
    doi: str = ""
    title: str = ""
    journal_abbrev: str = ""
    journal: str = ""
    year: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    authors: list[tuple[str, str]] = field(default_factory=list)  # (family, given or initials)
    notices: list[Notice] = field(default_factory=list)


def efetch_url(base: str) -> str:
    return f"{base}/efetch.fcgi"


def fetch(client: Client, services: Services, pmids: list[str]) -> dict[str, Record]:
    """PMID -> Record for every PMID PubMed returned; a PMID left out is unknown to PubMed."""
    out: dict[str, Record] = {}
    for start in range(0, len(pmids), BATCH):
        batch = pmids[start:start + BATCH]
        params = {"db": "pubmed", "id": ",".join(batch), "retmode": "xml", **services.ncbi_params()}
        response = client.get(efetch_url(services.pubmed), params, services.limits["pubmed"],
                              validate=lambda r: parse(r.body, r.url))
        if response.status != 200:
            raise FetchError.at(response.url, f"HTTP {response.status}")
        out.update(parse(response.body, response.url))
    return out


def _text(node: ET.Element | None) -> str:
    return "".join(node.itertext()).strip() if node is not None else ""


def parse(body: bytes, where: str = "PubMed") -> dict[str, Record]:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FetchError.at(where, f"malformed XML ({exc})") from None
    if root.tag != "PubmedArticleSet":
        # eutils reports some failures as XML with another root (<eFetchResult><ERROR>...)
        raise FetchError.at(where, f"unexpected answer <{root.tag}> {_text(root)[:120]}")
    out: dict[str, Record] = {}
    for article in root.findall("PubmedArticle"):
        record = _record(article)
        if record.pmid:
            out[record.pmid] = record
    return out


def _record(article: ET.Element) -> Record:
    citation = article.find("MedlineCitation")
    art = citation.find("Article") if citation is not None else None
    record = Record(_text(citation.find("PMID")) if citation is not None else "")
    # The DOI of this article: PubmedData's id list, else the ELocationID. Never search the whole
    # record: ReferenceList holds the DOIs of the works it cites.
    for node in article.findall("PubmedData/ArticleIdList/ArticleId"):
        if node.get("IdType") == "doi" and _text(node):
            record.doi = _text(node)
            break
    if not record.doi and art is not None:
        for node in art.findall("ELocationID"):
            if node.get("EIdType") == "doi" and _text(node):
                record.doi = _text(node)
                break
    if art is not None:
        record.title = _text(art.find("ArticleTitle")).rstrip(".")
        journal = art.find("Journal")
        if journal is not None:
            record.journal = _text(journal.find("Title"))
            record.journal_abbrev = _text(journal.find("ISOAbbreviation"))
            record.volume = _text(journal.find("JournalIssue/Volume"))
            record.issue = _text(journal.find("JournalIssue/Issue"))
            record.year = _text(journal.find("JournalIssue/PubDate/Year")) or \
                _text(journal.find("JournalIssue/PubDate/MedlineDate"))[:4]
        record.pages = _text(art.find("Pagination/MedlinePgn"))
        if not record.pages:
            for node in art.findall("ELocationID"):
                if node.get("EIdType") == "pii" and _text(node):
                    record.pages = _text(node)
                    break
        for author in art.findall("AuthorList/Author"):
            family = _text(author.find("LastName"))
            if family:
                record.authors.append((family, _text(author.find("ForeName")) or _text(author.find("Initials"))))
            elif _text(author.find("CollectiveName")):
                record.authors.append((_text(author.find("CollectiveName")), ""))
        for pub_type in art.findall("PublicationTypeList/PublicationType"):
            if _text(pub_type) == "Retracted Publication":
                record.notices.append(Notice("retraction", "Retracted Publication", source="pubmed"))
    medline_ta = _text(citation.find("MedlineJournalInfo/MedlineTA")) if citation is not None else ""
    if medline_ta:
        record.journal_abbrev = medline_ta  # NLM's abbreviation without full stops, as the review writes it
    if citation is not None:
        for comment in citation.findall("CommentsCorrectionsList/CommentsCorrections"):
            kind = COMMENT_KINDS.get(comment.get("RefType", ""))
            if not kind:
                continue
            source = _text(comment.find("RefSource"))
            doi = _DOI_IN_TEXT.search(source)
            record.notices.append(Notice(kind, comment.get("RefType", ""), doi.group(1) if doi else "",
                                         _text(comment.find("PMID")), "", "pubmed"))
    return record


def esearch_doi(client: Client, services: Services, doi: str) -> str:
    """The PMID PubMed files under ``doi``, or ""."""
    params = {"db": "pubmed", "term": f"{doi}[doi]", "retmode": "json", **services.ncbi_params()}
    response = client.get(f"{services.pubmed}/esearch.fcgi", params, services.limits["pubmed"], validate=_idlist)
    if response.status != 200:
        raise FetchError.at(response.url, f"HTTP {response.status}")
    ids = _idlist(response)
    return str(ids[0]) if len(ids) == 1 else ""


def _idlist(response: Response) -> list:
    data = response.json()
    try:
        ids = data["esearchresult"]["idlist"]
    except (KeyError, TypeError):
        raise FetchError.at(response.url, "the answer has no esearchresult.idlist") from None
    if not isinstance(ids, list):
        raise FetchError.at(response.url, "esearchresult.idlist is not a list")
    return ids
