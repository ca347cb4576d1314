"""A local stand-in for Crossref, PubMed E-utilities and ClinicalTrials.gov v2 on 127.0.0.1.

It answers in each service's documented format (shapes taken from real records: Crossref's
``{"status": "ok", "message": {...}}`` with ``updated-by``; efetch's ``PubmedArticleSet`` with
``CommentsCorrections`` and ``PublicationType``; v2's ``{"studies": [...]}`` and single study
records) and counts every request, so tests can tell a cached run from a fresh one.

Planted behaviour is data: ``server.crossref[doi]`` is a record, or one of the strings "slow"
(answers after ``slow_seconds``), "garbled" (malformed JSON); ``server.throttle`` holds DOIs
answered once with 429 and Retry-After before the record.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def crossref_work(doi, title, authors, container, short, year, volume="", issue="", page="", month=1,
                  updated_by=(), publisher="Elsevier BV"):
    """A work as ``GET /works/{doi}`` returns it (fields the watch reads, plus a few it ignores)."""
    message = {
        "indexed": {"date-parts": [[2026, 11, 1]], "date-time": "2026-11-01T00:00:00Z", "timestamp": 1793491200000},
        "publisher": publisher,
        "DOI": doi,
        "type": "journal-article",
        "title": [title],
        "author": [{"given": g, "family": f, "sequence": "first" if i == 0 else "additional", "affiliation": []}
                   for i, (f, g) in enumerate(authors)],
        "container-title": [container],
        "short-container-title": [short] if short else [],
        "issued": {"date-parts": [[year, month]]},
        "published-print": {"date-parts": [[year, month]]},
        "reference-count": 30,
        "URL": f"https://doi.org/{doi}",
    }
    for key, value in (("volume", volume), ("issue", issue), ("page", page)):
        if value:
            message[key] = value
    if updated_by:
        message["updated-by"] = [dict(item) for item in updated_by]
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": message}


def update(doi, kind, label, date, source="publisher"):
    y, m, d = (int(x) for x in date.split("-"))
    return {"updated": {"date-parts": [[y, m, d]], "date-time": f"{date}T00:00:00Z", "timestamp": 0},
            "DOI": doi, "type": kind, "source": source, "label": label}


def pubmed_article(pmid, title, journal, iso, medline_ta, year, volume="", issue="", pages="", doi="",
                   eloc_doi="", authors=(), pub_types=("Journal Article",), comments=(), references=()):
    """One ``<PubmedArticle>`` as efetch returns it; ``references`` go into PubmedData/ReferenceList."""
    esc = lambda s: (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))  # noqa: E731
    author_xml = "".join(f'<Author ValidYN="Y"><LastName>{esc(f)}</LastName><ForeName>{esc(g)}</ForeName>'
                         f'<Initials>{"".join(p[0] for p in g.split())}</Initials></Author>' for f, g in authors)
    types = "".join(f'<PublicationType UI="D000000">{esc(t)}</PublicationType>' for t in pub_types)
    comment_xml = "".join(f'<CommentsCorrections RefType="{kind}"><RefSource>{esc(source)}</RefSource>'
                          + (f'<PMID Version="1">{ref}</PMID>' if ref else "") + "</CommentsCorrections>"
                          for kind, source, ref in comments)
    eloc = f'<ELocationID EIdType="doi" ValidYN="Y">{esc(eloc_doi)}</ELocationID>' if eloc_doi else ""
    ids = f'<ArticleId IdType="pubmed">{pmid}</ArticleId>' + (f'<ArticleId IdType="doi">{esc(doi)}</ArticleId>' if doi else "")
    refs = "".join(f'<Reference><Citation>{esc(c)}</Citation><ArticleIdList><ArticleId IdType="doi">{esc(d)}</ArticleId>'
                   f'</ArticleIdList></Reference>' for c, d in references)
    return f"""<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM" IndexingMethod="Automated">
    <PMID Version="1">{pmid}</PMID>
    <Article PubModel="Print-Electronic">
      <Journal>
        <ISSN IssnType="Electronic">0000-0000</ISSN>
        <JournalIssue CitedMedium="Internet"><Volume>{volume}</Volume><Issue>{issue}</Issue>
          <PubDate><Year>{year}</Year><Month>Jan</Month></PubDate></JournalIssue>
        <Title>{esc(journal)}</Title>
        <ISOAbbreviation>{esc(iso)}</ISOAbbreviation>
      </Journal>
      <ArticleTitle>{esc(title)}</ArticleTitle>
      <Pagination><StartPage>{pages.split('-')[0]}</StartPage><MedlinePgn>{pages}</MedlinePgn></Pagination>
      {eloc}
      <AuthorList CompleteYN="Y">{author_xml}</AuthorList>
      <Language>eng</Language>
      <PublicationTypeList>{types}</PublicationTypeList>
    </Article>
    <MedlineJournalInfo><Country>England</Country><MedlineTA>{esc(medline_ta)}</MedlineTA></MedlineJournalInfo>
    {"<CommentsCorrectionsList>" + comment_xml + "</CommentsCorrectionsList>" if comment_xml else ""}
  </MedlineCitation>
  <PubmedData>
    <PublicationStatus>ppublish</PublicationStatus>
    <ArticleIdList>{ids}</ArticleIdList>
    {"<ReferenceList>" + refs + "</ReferenceList>" if refs else ""}
  </PubmedData>
</PubmedArticle>"""


def study(nct, status, last_update, primary_completion="", pc_type="ESTIMATED", results_posted=""):
    """A v2 study record (the modules the watch reads, plus identification)."""
    module = {"overallStatus": status, "lastUpdatePostDateStruct": {"date": last_update, "type": "ACTUAL"},
              "statusVerifiedDate": last_update[:7]}
    if primary_completion:
        module["primaryCompletionDateStruct"] = {"date": primary_completion, "type": pc_type}
    if results_posted:
        module["resultsFirstPostDateStruct"] = {"date": results_posted, "type": "ACTUAL"}
    return {"protocolSection": {"identificationModule": {"nctId": nct, "briefTitle": f"Study {nct}"},
                                "statusModule": module},
            "hasResults": bool(results_posted)}


class Services(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.crossref: dict = {}  # doi (lower case) -> record | "slow" | "garbled"
        self.pubmed: dict = {}  # pmid -> <PubmedArticle> XML
        self.pubmed_garbled = False
        self.ctgov: dict = {}  # nct -> study
        self.ctgov_rejected: set = set()  # ids that make a batch answer 400
        self.ctgov_garbled = False
        self.throttle: set = set()  # DOIs answered once with 429 first
        self.fail_once: dict = {}  # DOI -> status answered once before the record (503, ...)
        self.slow_seconds = 3.0
        self.hits: Counter = Counter()
        self.log: list = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def env(self) -> dict:
        return {"REVIEWKIT_CROSSREF_URL": self.base + "/crossref", "REVIEWKIT_PUBMED_URL": self.base + "/eutils",
                "REVIEWKIT_CTGOV_URL": self.base + "/ctgov/api/v2", "REVIEWKIT_MAILTO": "watch@example.org"}

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()

    def count(self, service: str | None = None) -> int:
        return sum(n for k, n in self.hits.items() if service is None or k == service)


class _Handler(BaseHTTPRequestHandler):
    server: Services

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status, body, kind="application/json", headers=None):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout test)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        srv = self.server
        path = urllib.parse.unquote(url.path)
        with srv._lock:
            srv.log.append(self.path)
        if path.startswith("/crossref/works/"):
            with srv._lock:
                srv.hits["crossref"] += 1
            return self._crossref(path[len("/crossref/works/"):], query)
        if path == "/eutils/efetch.fcgi":
            with srv._lock:
                srv.hits["pubmed"] += 1
            return self._efetch(query)
        if path == "/eutils/esearch.fcgi":
            with srv._lock:
                srv.hits["pubmed"] += 1
            return self._esearch(query)
        if path.startswith("/ctgov/api/v2/studies"):
            with srv._lock:
                srv.hits["ctgov"] += 1
            return self._ctgov(path[len("/ctgov/api/v2/studies"):].strip("/"), query)
        return self._send(404, "not here", "text/plain")

    def _crossref(self, doi, query):
        srv = self.server
        assert query.get("mailto") == "watch@example.org", query  # the polite pool's contact
        key = doi.lower()
        with srv._lock:
            throttled = key in srv.throttle
            srv.throttle.discard(key)
        failure = srv.fail_once.pop(key, None)
        if failure:
            return self._send(failure, "Service Unavailable", "text/plain")
        if throttled:
            return self._send(429, '{"status":"error","message":"Too many requests"}',
                              headers={"Retry-After": "1"})
        record = srv.crossref.get(key)
        rate = {"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"}
        if record is None:
            return self._send(404, "Resource not found.", "text/plain", rate)
        if record == "slow":
            time.sleep(srv.slow_seconds)
            return self._send(200, "{}", headers=rate)
        if record == "garbled":
            return self._send(200, '{"status":"ok","message-type":"work","message":{"DOI":', headers=rate)
        return self._send(200, json.dumps(record), headers=rate)

    def _efetch(self, query):
        srv = self.server
        assert query.get("db") == "pubmed" and query.get("retmode") == "xml", query
        assert query.get("tool") == "reviewkit" and query.get("email") == "watch@example.org", query
        if srv.pubmed_garbled:
            return self._send(200, "<?xml version='1.0'?><PubmedArticleSet><PubmedArticle><MedlineCitation>",
                              "text/xml")
        ids = query.get("id", "").split(",")
        articles = "\n".join(srv.pubmed[i] for i in ids if i in srv.pubmed)
        body = ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
                '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n' + articles
                + "\n</PubmedArticleSet>")
        return self._send(200, body, "text/xml")

    def _esearch(self, query):
        srv = self.server
        term = query.get("term", "")
        doi = term[:-5].lower() if term.endswith("[doi]") else ""
        ids = [pmid for pmid, xml in srv.pubmed.items() if doi and f'idtype="doi">{doi}<' in xml.split("<ReferenceList>")[0].lower()]
        return self._send(200, json.dumps({"header": {"type": "esearch", "version": "0.3"},
                                           "esearchresult": {"count": str(len(ids)), "retmax": str(len(ids)),
                                                             "retstart": "0", "idlist": ids}}))

    def _ctgov(self, nct, query):
        srv = self.server
        if nct:
            if nct in srv.ctgov_rejected and not nct.startswith("NCT"):
                return self._send(400, "Bad request", "text/plain")
            record = srv.ctgov.get(nct)
            if record is None:
                return self._send(404, f"Study {nct} not found", "text/plain")
            return self._send(200, json.dumps(record))
        ids = query.get("filter.ids", "").split(",")
        if srv.ctgov_garbled:
            return self._send(200, '{"studies": [{"protocolSection": ')
        if any(i in srv.ctgov_rejected for i in ids):
            return self._send(400, "filter.ids: invalid NCT number", "text/plain")
        studies = [srv.ctgov[i] for i in ids if i in srv.ctgov]
        return self._send(200, json.dumps({"studies": studies}))
