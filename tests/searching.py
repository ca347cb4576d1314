"""Searching the built site as a reader does: the queries a clinician types, what should come first,
and a reader's steps in the browser (used by tests/test_search.py and bench/search.py).

An expected result is a page ("management/") or a section ("management/#hyperglycaemia"), relative to
the language's root. The first result is right when its page is expected; when the expectation names a
section, the first result must be that section (or the page whose top section it is).
"""

from __future__ import annotations

import time
from urllib.parse import unquote, urlparse

from conftest import StaticServer

GLOSSARY = "glossary/#drug-"
PIVOTAL = {"en": "approved-inhibitors/#comparison-of-the-pivotal-trials", "zh": "approved-inhibitors/#关键试验比较"}

# (query, [expected first results]); drug names: their glossary entry or the section about them.
QUERIES = {
    "en": [
        ("alpelisib", ["approved-inhibitors/#alpelisib", GLOSSARY + "alpelisib"]),
        ("Piqray", ["approved-inhibitors/#alpelisib", GLOSSARY + "alpelisib"]),
        ("BYL719", ["approved-inhibitors/#alpelisib", GLOSSARY + "alpelisib"]),
        ("capivasertib", ["approved-inhibitors/#capivasertib", "akt-resistance/#capivasertib",
                          GLOSSARY + "capivasertib"]),
        ("Truqap", ["approved-inhibitors/#capivasertib", GLOSSARY + "capivasertib"]),
        ("inavolisib", ["approved-inhibitors/#inavolisib", GLOSSARY + "inavolisib"]),
        ("everolimus", ["approved-inhibitors/#everolimus", GLOSSARY + "everolimus"]),
        ("Afinitor", ["approved-inhibitors/#everolimus", GLOSSARY + "everolimus"]),
        ("elacestrant", [GLOSSARY + "elacestrant"]),
        ("gedatolisib", [GLOSSARY + "gedatolisib", "trials/#pan-pi3kmtor-inhibition"]),
        ("ipatasertib", ["akt-resistance/#ipatasertib", GLOSSARY + "ipatasertib"]),
        ("metformin", ["management/#prevention-with-metformin", GLOSSARY + "metformin"]),
        # a trial: the section on the drug it tested, or the table of pivotal trials
        ("SOLAR-1", ["approved-inhibitors/#alpelisib", GLOSSARY + "alpelisib", PIVOTAL["en"]]),
        ("INAVO120", ["approved-inhibitors/#inavolisib", GLOSSARY + "inavolisib", PIVOTAL["en"]]),
        ("CAPItello-291", ["approved-inhibitors/#capivasertib", GLOSSARY + "capivasertib", PIVOTAL["en"]]),
        ("BOLERO-2", ["approved-inhibitors/#everolimus", "acquired-resistance/#esr1-mutations-in-bolero-2",
                      GLOSSARY + "everolimus"]),
        ("hyperglycemia", ["management/#hyperglycaemia"]),
        ("hyperglycaemia", ["management/#hyperglycaemia"]),
        ("diarrhea", ["management/#rash-diarrhoea-and-stomatitis"]),
        ("estrogen receptor", ["pathway/#crosstalk-with-the-oestrogen-receptor",
                               "intrinsic-resistance/#oestrogen-receptor-reactivation"]),
        ("circulating tumor DNA", ["management/#biomarker-testing-tissue-or-plasma",
                                   "intrinsic-resistance/#evidence-from-trial-biomarker-and-ctdna-studies"]),
        ("PTEN loss", ["acquired-resistance/#pten-loss-and-a-switch-to-pi3kβ",
                       "intrinsic-resistance/#pten-loss-and-the-cell-cycle-axis"]),
        ("ESR1 mutation", ["acquired-resistance/#esr1-mutations-and-the-endocrine-partner",
                           "acquired-resistance/#esr1-mutations-in-bolero-2"]),
        ("PIK3CA mutation", ["acquired-resistance/#secondary-pik3ca-mutations",
                             "intrinsic-resistance/#why-a-pik3ca-mutation-is-necessary-but-not-sufficient"]),
        ("AKT inhibitor resistance", ["akt-resistance/"]),
        ("acquired resistance", ["acquired-resistance/"]),
        ("Itovebi", ["approved-inhibitors/#inavolisib", GLOSSARY + "inavolisib"]),
        ("ribociclib", [GLOSSARY + "ribociclib"]),
        ("FAKTION", ["approved-inhibitors/#capivasertib", "akt-resistance/#capivasertib", GLOSSARY + "capivasertib"]),
        ("stomatitis", ["management/#rash-diarrhoea-and-stomatitis"]),
        ("ctDNA", ["management/#biomarker-testing-tissue-or-plasma",
                   "intrinsic-resistance/#evidence-from-trial-biomarker-and-ctdna-studies"]),
        ("insulin feedback", ["intrinsic-resistance/#systemic-insulin-feedback"]),
        ("mTORC2", ["pathway/#mtorc1-and-mtorc2"]),
        ("PIM kinases", ["intrinsic-resistance/#downstream-escape-persistent-mtorc1-and-pim-kinases"]),
        ("oral SERD", ["outlook/#oral-serds-and-combinations"]),
        ("sequencing after CDK4/6", ["management/#sequencing-after-cdk46-inhibitors",
                                     "outlook/#sequencing-after-cdk46-inhibitors"]),
    ],
    "zh": [
        ("PIK3CA突变", ["acquired-resistance/#继发性pik3ca突变",
                      "intrinsic-resistance/#为何pik3ca突变是必要条件而非充分条件"]),
        ("PTEN缺失", ["acquired-resistance/#pten缺失与向pi3kβ的转换", "intrinsic-resistance/#pten缺失与细胞周期轴"]),
        ("ESR1突变", ["acquired-resistance/#esr1突变与内分泌联合用药", "acquired-resistance/#bolero-2中的esr1突变"]),
        ("AKT抑制剂耐药", ["akt-resistance/"]),
        ("阿培利司", ["approved-inhibitors/#阿培利司", GLOSSARY + "alpelisib"]),
        ("阿培利西", [GLOSSARY + "alpelisib"]),
        ("依维莫司", ["approved-inhibitors/#依维莫司", GLOSSARY + "everolimus"]),
        ("卡匹色替", ["approved-inhibitors/#卡匹色替", "akt-resistance/#卡匹色替", GLOSSARY + "capivasertib"]),
        ("荃科得", [GLOSSARY + "capivasertib"]),
        ("伊那利塞", ["approved-inhibitors/#伊那利塞", GLOSSARY + "inavolisib"]),
        ("氟维司群", [GLOSSARY + "fulvestrant"]),
        ("艾拉司群", [GLOSSARY + "elacestrant"]),
        ("二甲双胍", ["management/#二甲双胍metformin预防", GLOSSARY + "metformin"]),
        ("alpelisib", ["approved-inhibitors/#阿培利司", GLOSSARY + "alpelisib"]),
        ("SOLAR-1", ["approved-inhibitors/#阿培利司", GLOSSARY + "alpelisib", PIVOTAL["zh"]]),
        ("INAVO120", ["approved-inhibitors/#伊那利塞", GLOSSARY + "inavolisib", PIVOTAL["zh"]]),
        ("CAPItello-291", ["approved-inhibitors/#卡匹色替", GLOSSARY + "capivasertib", PIVOTAL["zh"]]),
        ("高血糖", ["management/#高血糖"]),
        ("皮疹", ["management/#皮疹腹泻与口腔炎"]),
        ("雌激素受体", ["pathway/#与雌激素受体的交互作用", "intrinsic-resistance/#雌激素受体再激活"]),
        ("获得性耐药", ["acquired-resistance/"]),
        ("原发性耐药", ["intrinsic-resistance/"]),
        ("他莫昔芬", [GLOSSARY + "tamoxifen"]),
        ("瑞波西利", [GLOSSARY + "ribociclib"]),
        ("BOLERO-2", ["approved-inhibitors/#依维莫司", "acquired-resistance/#bolero-2中的esr1突变",
                      GLOSSARY + "everolimus"]),
        ("口腔炎", ["management/#皮疹腹泻与口腔炎"]),
        ("腹泻", ["management/#皮疹腹泻与口腔炎"]),
        ("ctDNA", ["management/#生物标志物检测组织还是血浆", "intrinsic-resistance/#来自试验生物标志物与ctdna研究的证据"]),
        ("胰岛素反馈", ["intrinsic-resistance/#全身性胰岛素反馈"]),
        ("mTORC2", ["pathway/#mtorc1与mtorc2"]),
        ("PIM激酶", ["intrinsic-resistance/#下游逃逸持续的mtorc1活性与pim激酶"]),
        ("口服SERD", ["outlook/#口服serd及其联合方案"]),
        ("CDK4/6抑制剂之后", ["management/#cdk46抑制剂之后的治疗顺序", "outlook/#cdk46抑制剂之后的治疗顺序"]),
    ],
}


def home(lang: str) -> str:
    return "/" if lang == "en" else f"/{lang}/"


def run_query(page, base: str, lang: str, query: str, timeout: float = 15.0, paste: bool = False) -> list[list[str]]:
    """Open the language's home page, type the query into the header search box as a reader does
    (key events, then one more key so that handlers reading keyup see the whole query), and return
    the results once they stop changing: one list of links (page first, then sections) per result."""
    page.goto(base + home(lang))
    box = page.locator("input.md-search__input")
    box.click()
    if paste:
        box.fill(query[:-1])
        query = query[-1]
    box.press_sequentially(query, delay=20)
    box.press("End")
    deadline = time.monotonic() + timeout
    last, stable = None, 0
    while time.monotonic() < deadline:
        state = page.evaluate("""() => {
            const meta = document.querySelector('.md-search-result__meta');
            const items = [...document.querySelectorAll('.md-search-result__item')].map(
                li => [...li.querySelectorAll('a.md-search-result__link')].map(a => a.href));
            return [meta ? meta.textContent.trim() : '', items,
                    document.querySelector('.md-search-result') ? document.querySelector('.md-search-result').dataset.busy || '' : ''];
        }""")
        if state == last and state[0] and not state[2]:
            stable += 1
            if stable >= 3:
                return state[1]
        else:
            stable = 0
        last = state
        time.sleep(0.2)
    return last[1] if last else []


def relpath(url: str, lang: str) -> str:
    """'/zh/management/#高血糖' -> 'management/#高血糖' (lower-case fragment, decoded)."""
    parts = urlparse(url)
    path = unquote(parts.path)
    root = home(lang)
    path = path[len(root):] if path.startswith(root) else path
    frag = unquote(parts.fragment).lower()
    return path + ("#" + frag if frag else "")


def is_right(results: list[list[str]], lang: str, expected: list[str]) -> bool:
    """Whether the first result is one of ``expected`` (see the module's docstring)."""
    if not results or not results[0]:
        return False
    links = [relpath(u, lang) for u in results[0]]
    page_path = links[0].split("#")[0]
    top = links[1] if len(links) > 1 else links[0]  # the best section, when the page shows sections
    for want in expected:
        want_page, _, frag = want.partition("#")
        if page_path != want_page:
            continue
        if not frag or top == want.lower() or links[0] == want.lower():
            return True
    return False


def other_language(results: list[list[str]], lang: str) -> list[str]:
    """Links in the results that belong to another language than ``lang``."""
    out = []
    for item in results:
        for url in item:
            path = urlparse(url).path
            if (lang == "en") == path.startswith("/zh/"):
                out.append(url)
    return out


SEARCH_PATHS = ("/search/", "/pagefind/", "/workers/search", "javascripts/search.js")


def search_bytes(server: StaticServer, since: int = 0, gzipped: bool = False) -> int:
    """Bytes of search code and index the server sent since its ``since``-th answer."""
    return sum(gz if gzipped else n for path, n, gz in server.sent[since:] if any(p in path for p in SEARCH_PATHS))


def download_to_first_results(browser, server: StaticServer, lang: str, query: str,
                               gzipped: bool = False) -> int:
    """Bytes of search code and index fetched from opening the page to the first results of ``query``,
    in a fresh browser context (nothing cached). The query goes in as one search (pasted, then its
    last character typed), so the figure does not depend on typing speed."""
    context = browser.new_context()
    page = context.new_page()
    start = len(server.sent)
    results = run_query(page, server.url, lang, query, paste=True)
    context.close()
    assert results, f"no results for {query!r}"
    return search_bytes(server, start, gzipped)
