"""The one scanner: Markdown text -> citations, headings and prose, each with its position.

Checks and the renderer both read a ``Page`` from here, so what is checked is what is shown.

How it works: regions that are never prose (front matter, code, HTML comments and tags, URLs,
link targets) are blanked to spaces in ``masked`` -- newlines are kept, so every offset in
``masked`` is the offset in the original text. Citations are then found in ``masked``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import yaml

from .diagnostics import Diagnostic, error, yaml_error
from .textpos import LineIndex

# A key: letters, digits and internal _ - : . / (Unicode letters allowed); it ends on a word char.
# Pandoc's other form, '@{any key}', takes everything up to the closing brace.
KEY = r"[^\W](?:[\w:./-]*[^\W])?"
_KEY_RE = re.compile(KEY)
_BRACED_KEY = re.compile(r"\{([^{}\s]+)\}")
# '@' that may start a key: at the start, or after white space, '-' (suppress author) or ';'.
_KEY_START = re.compile(r"(?:^|(?<=[\s;]))-?@(?=[^\W]|\{)")
# An in-text citation, '@key says' or 'As @key [p. 33] says': '@' not preceded by a letter, digit
# or '@' (so e-mail addresses are not citations). A key that starts in ASCII stays in ASCII, so
# Chinese text may follow it directly ('@juric2015convergent报道').
_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9_@.+\-\\])@(?:\{(?P<braced>[^{}\s]+)\}|(?P<key>[A-Za-z0-9_](?:[A-Za-z0-9_:./-]*[A-Za-z0-9_])?"
    r"|[^\W\d_A-Za-z](?:[\w:./-]*[^\W])?))"
)
_ESCAPED_BRACKET = re.compile(r"\\\[[^\[\]]*\]")
_IN_TEXT_LOCATOR = re.compile(r"[ \t]?\[([^\[\]@\n]*)\](?![(\[:])")
_BRACKET = re.compile(r"(?<!\\)\[([^\[\]]*)\]")
_LINK_TEXT = re.compile(r"(?<![\\!])\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]")
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_CONTAINER = re.compile(r"^[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|!!!|\?\?\?|\[\^[^\]]+\]:)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^<>\s]*>", re.I)
# A bare URL ends at white space, brackets, quotes or Chinese text (no space precedes 亦然).
_URL = re.compile(r"(?<![A-Za-z0-9])(?:https?://|www\.)[^\s<>\"'\]\)\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", re.I)
_REF_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S.*$", re.M)  # not footnotes: [^1]: text
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


@dataclass(frozen=True)
class CiteItem:
    key: str
    prefix: str  # Markdown, as written before the key
    locator: str  # Markdown: locator and suffix as shown after the number (braces of a braced locator gone)
    offset: int  # of the key's first character
    line: int
    col: int
    mode: str = "normal"  # "normal" [@key], "suppress" [-@key], "in_text" @key


@dataclass(frozen=True)
class Citation:
    start: int  # of '['
    end: int  # after ']'
    line: int
    col: int
    items: tuple[CiteItem, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.items)

    @property
    def in_text(self) -> bool:
        """'@key says' rather than '[@key]': the author's name is shown before the number."""
        return self.items[0].mode == "in_text"


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    start: int  # of the heading line
    end: int  # end of the heading (after the underline for setext)
    line: int


@dataclass
class Page:
    path: str
    text: str
    front_matter: dict = field(default_factory=dict)
    body_start: int = 0
    masked: str = ""
    citations: list[Citation] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    link_texts: list[tuple[int, int]] = field(default_factory=list)
    inert: list[tuple[int, int]] = field(default_factory=list)  # code, comments, front matter
    problems: list[Diagnostic] = field(default_factory=list)
    index: LineIndex | None = None

    def position(self, offset: int) -> tuple[int, int]:
        if self.index is None:
            self.index = LineIndex(self.text)
        return self.index.position(offset)

    def prose(self) -> str:
        """``masked`` with citations blanked too: the text readers read as words."""
        return _blank_spans(self.masked, [(c.start, c.end) for c in self.citations])

    def error(self, offset: int, code: str, message: str, hint: str = "") -> Diagnostic:
        line, col = self.position(offset)
        return error(self.path, line, col, code, message, hint)


def _blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def scan(path: str, text: str) -> Page:
    page = Page(path=path, text=text, index=LineIndex(text))
    spans: list[tuple[int, int]] = []
    _front_matter(page, spans)
    _blocks(page, spans)
    page.inert = list(spans)
    masked = _blank_spans(text, spans)
    masked = _inline(page, masked)
    page.masked = masked
    # a bracket followed by '(' or '[' in the original text is a link's text (its target is blanked)
    page.link_texts = [(m.start(), m.end()) for m in _LINK_TEXT.finditer(masked)
                       if text[m.end() : m.end() + 1] in ("(", "[")]
    page.headings = _headings(masked, page)
    page.citations = _citations(page)
    return page


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _front_matter(page: Page, spans: list[tuple[int, int]]) -> None:
    m = _FRONT.match(page.text)
    if not m:
        return
    page.body_start = m.end()
    spans.append((0, m.end()))
    try:
        try:  # libyaml when PyYAML has it (ten times faster); its error messages differ, so a
            # block it rejects is read again by the pure-Python loader, which words them
            data = yaml.load(m.group(1) or "", Loader=_FAST_LOADER)
        except yaml.YAMLError:
            data = yaml.safe_load(m.group(1) or "")
    except yaml.YAMLError as exc:
        # the YAML starts on the line after the opening '---'
        page.problems.append(yaml_error(page.path, exc, "RK002", "front matter is not valid YAML: {problem}",
                                        "front matter is the block between the two '---' lines; "
                                        "write it as 'key: value' lines", line_offset=1))
        return
    if data is None:
        return
    if not isinstance(data, dict):
        page.problems.append(
            error(page.path, 2, 1, "RK002", "front matter must be a mapping of 'key: value' lines",
                       "write front matter as 'key: value' lines between the two '---' lines")
        )
        return
    page.front_matter = data


def _indent_width(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _blocks(page: Page, spans: list[tuple[int, int]]) -> None:
    """Fenced and indented code blocks, found line by line."""
    text = page.text
    pos = page.body_start
    fence = None  # (char, length, start offset)
    prev_blank, container, in_indented = True, False, False
    for line in text[pos:].split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if fence:
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= fence[1]:
                spans.append((fence[2], end))
                fence = None
            continue
        if not line.strip():
            prev_blank = True
            continue
        indent = _indent_width(line)
        if in_indented and indent >= 4 or (indent >= 4 and prev_blank and not container):
            in_indented = True
            spans.append((start, end))
            prev_blank = False
            continue
        in_indented = False
        m = _FENCE_OPEN.match(line)
        if m and not (m.group("fence")[0] == "`" and "`" in m.group("info")):
            fence = (m.group("fence")[0], len(m.group("fence")), start)
        else:
            container = bool(_CONTAINER.match(line)) or (container and indent > 0)
        prev_blank = False
    if fence:
        char, length, start = fence
        page.problems.append(
            page.error(start, "RK003", "code fence is never closed",
                       f"add a line with {char * length} where the code block ends")
        )
        spans.append((start, len(text)))


def _inline(page: Page, masked: str) -> str:
    spans = []
    for m in _COMMENT.finditer(masked):
        spans.append((m.start(), m.end()))
    masked = _blank_spans(masked, spans)
    page.inert += spans
    opened = masked.find("<!--")
    if opened >= 0:
        page.problems.append(
            page.error(opened, "RK004", "HTML comment is never closed", "end the comment with -->")
        )
        masked = _blank_spans(masked, [(opened, len(masked))])
    code = _code_spans(masked)
    page.inert += code
    masked = _blank_spans(masked, code)
    spans = [(m.start(), m.end()) for rx in (_AUTOLINK, _TAG, _REF_DEF) for m in rx.finditer(masked)]
    masked = _blank_spans(masked, spans)
    masked = _blank_spans(masked, list(_link_targets(masked)))
    # '@{https://...}' is a citation key written in braces (Pandoc's form for keys with symbols)
    return _blank_spans(masked, [(m.start(), m.end()) for m in _URL.finditer(masked)
                                 if masked[max(0, m.start() - 2):m.start()] != "@{"])


_TICKS = re.compile(r"(?<!`)`+(?!`)")


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Inline code: a run of n backticks up to the next run of exactly n, within one paragraph."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _TICKS.search(text, pos)
        if not m:
            return spans
        n = m.end() - m.start()
        if m.start() > 0 and text[m.start() - 1] == "\\":
            pos = m.end()
            continue
        close = m.end()
        found = None
        while True:
            c = _TICKS.search(text, close)
            if not c:
                break
            if "\n\n" in re.sub(r"\n[ \t]+", "\n", text[m.end():c.start()]):
                break
            if c.end() - c.start() == n:
                found = c
                break
            close = c.end()
        if found:
            spans.append((m.start(), found.end()))
            pos = found.end()
        else:
            pos = m.end()


def _link_targets(text: str) -> Iterator[tuple[int, int]]:
    """The '(url "title")' after a link or image text, nested parentheses allowed."""
    for m in re.finditer(r"\]\(", text):
        depth, i = 0, m.start() + 1
        while i < len(text):
            ch = text[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    yield (m.start() + 1, i + 1)
                    break
            elif ch == "\n" and text[i + 1 : i + 2] == "\n":
                break
            i += 1


def _headings(masked: str, page: Page) -> list[Heading]:
    headings = []
    lines = masked.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    for n, line in enumerate(lines):
        if offsets[n] < page.body_start:
            continue
        m = _ATX.match(line)
        if m:
            title = (m.group(2) or "").strip()
            headings.append(Heading(len(m.group(1)), title, offsets[n], offsets[n] + len(line), n + 1))
            continue
        m = _SETEXT.match(line)
        if m and n > 0 and lines[n - 1].strip() and offsets[n - 1] >= page.body_start:
            prev = lines[n - 1]
            if _ATX.match(prev) or _CONTAINER.match(prev) or "|" in prev or prev.startswith("    "):
                continue
            if m.group(1)[0] == "-" and len(m.group(1)) < 2:
                continue
            level = 1 if m.group(1)[0] == "=" else 2
            headings.append(Heading(level, prev.strip(), offsets[n - 1], offsets[n] + len(line), n))
    return headings


def _citations(page: Page) -> list[Citation]:
    found = []
    masked = page.masked
    claimed = []  # brackets with an '@key' in them: in-text citations are never looked for inside
    for m in _BRACKET.finditer(masked):
        content = m.group(1)
        if not _KEY_START.search(content):
            continue
        claimed.append((m.start(), m.end()))
        after = page.text[m.end() : m.end() + 1]
        if after in ("(", "["):
            continue  # '[@handle](url)' is a link, not a citation
        if re.search(r"\n[ \t]*\n", content):
            continue
        items = _items(page, m.start() + 1, content)
        if items is None:
            continue
        line, col = page.position(m.start())
        found.append(Citation(m.start(), m.end(), line, col, tuple(items)))
    # '\[@key]' is the text "[@key]": nothing inside an escaped bracket is a citation either
    claimed += [(m.start(), m.end()) for m in _ESCAPED_BRACKET.finditer(masked)]
    found += _in_text(page, claimed)
    kept = []
    for cite in sorted(found, key=lambda c: c.start):
        if _inside(cite.start, page.link_texts):
            if cite.in_text:
                continue  # '[@someone on GitHub](url)': a link's words, not a citation
            page.problems.append(
                page.error(cite.start, "RK012", "citation inside a link's text",
                           "move the citation after the link: [text](url) [@key]")
            )
            continue
        if any(h.start <= cite.start < h.end for h in page.headings):
            page.problems.append(
                page.error(cite.start, "RK013", "citation inside a heading",
                           "headings appear in the table of contents; cite in the text below the heading")
            )
            continue
        kept.append(cite)
    return kept


def _in_text(page: Page, claimed: Sequence[tuple[int, int]]) -> list[Citation]:
    """'@key says' and '@key [p. 33] says' (Pandoc's in-text form) outside any bracket citation."""
    found = []
    masked = page.masked
    for m in _IN_TEXT.finditer(masked):
        if _inside(m.start(), claimed):
            continue
        key = m.group("braced") or m.group("key")
        key_offset = m.start() + (2 if m.group("braced") else 1)
        end, locator = m.end(), ""
        lm = _IN_TEXT_LOCATOR.match(masked, end)
        if lm and page.text[lm.end() : lm.end() + 1] not in ("(", "["):
            locator = _suffix(lm.group(1))
            end = lm.end()
        line, col = page.position(m.start())
        kline, kcol = page.position(key_offset)
        item = CiteItem(key, "", locator, key_offset, kline, kcol, "in_text")
        found.append(Citation(m.start(), end, line, col, (item,)))
    return found


def _split_items(content: str) -> list[tuple[int, str]]:
    """The ';'-separated parts of a citation, with their offsets; a ';' inside braces is text."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(content):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            parts.append((start, content[start:i]))
            start = i + 1
    parts.append((start, content[start:]))
    return parts


def _closing_brace(text: str, start: int) -> int:
    """Index of the brace closing the one at ``start``, or -1."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _suffix(rest: str) -> str:
    """What follows a key, as shown after the number: a braced locator loses its braces
    ('{pp. iv, vi-xi} with suffix' -> 'pp. iv, vi-xi with suffix'), a leading comma goes."""
    text = rest.strip()
    locator = None
    if text.startswith(","):
        text = text[1:].strip()
    if text.startswith("{"):
        close = _closing_brace(text, 0)
        if close > 0:
            locator, text = text[1:close].strip(), text[close + 1 :]
    after = text.strip()
    joined_by_comma = after.startswith(",")
    if joined_by_comma:
        after = after[1:].strip()
    if locator is None:
        shown = after
    elif locator and after:
        shown = locator + (", " if joined_by_comma else " ") + after
    else:
        shown = locator or after
    return " ".join(shown.split())


def _items(page: Page, base: int, content: str) -> list[CiteItem] | None:
    items: list[CiteItem] = []
    for pos, part in _split_items(content):
        m = _KEY_START.search(part)
        if not m:
            if part.strip():
                if items:  # '[@a; unpublished]': keys and plain words mixed
                    page.problems.append(
                        page.error(base, "RK011", f"malformed citation '[{content}]'",
                                   "every ';'-separated part needs an '@key'; put other words outside the brackets"))
                return None
            continue
        at = m.end()
        braced = _BRACED_KEY.match(part, at)
        key_match = braced or _KEY_RE.match(part, at)
        if key_match is None:  # '@{' with no closing brace, or an empty key
            page.problems.append(
                page.error(base + pos + m.start(), "RK011", f"malformed citation '[{content}]'",
                           "write [@key], [@a; @b], [see @key, p. 5] or [@{key with symbols}]"))
            return None
        key = braced.group(1) if braced else key_match.group(0)
        key_offset = base + pos + (at + 1 if braced else at)
        rest = part[key_match.end():]
        stray = _KEY_START.search(rest)
        if stray or (rest and not braced and rest[0] not in " \t\n,{"):
            page.problems.append(
                page.error(base + pos + m.start(), "RK011", f"malformed citation '[{content}]'",
                           "write [@key], [@a; @b] or [see @key, p. 5]: one '@key' per "
                           "';'-separated part, a locator after a comma")
            )
            return None
        line, col = page.position(key_offset)
        mode = "suppress" if part[m.start()] == "-" else "normal"
        items.append(CiteItem(key, " ".join(part[:m.start()].split()), _suffix(rest), key_offset, line, col, mode))
    return items or None


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in spans)
