"""Finding drug names in prose: the glossary's names, and unknown drugs by their form.

Unknown drugs are recognised the way a pharmacist would: WHO INN stems (-lisib, -sertib, ...),
development codes (AZD5363, RLY-2608), and the endings of Chinese transliterations (…替尼,
…司群). A small reviewed allow-list (one term and its reason a line) takes care of the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import Diagnostic

# WHO INN stems used in oncology and supportive care (longest first is not needed: endswith).
INN_STEMS = (
    "lisib", "sertib", "limus", "tinib", "ciclib", "estrant", "mab", "rozole", "mestane", "ifen",
    "ifene", "parib", "platin", "taxel", "rubicin", "tecan", "gliflozin", "formin", "glitazone",
    "gliptin", "glutide", "degib", "zomib", "fenib", "rafenib", "dronate", "methasone", "nisolone",
    "relin",
)
# Stems that are also common word endings need a longer name before them.
_MIN_PREFIX = {"mab": 3, "relin": 3, "ifen": 3}
# Endings of Chinese transliterated generic names.
ZH_SUFFIXES = (
    "替尼", "利司", "利塞", "塞替", "色替", "莫司", "西利", "司群", "单抗", "曲唑", "美坦", "昔芬",
    "帕利", "格列净", "双胍", "他赛", "比星", "替康", "瑞林", "米松", "尼松", "司他",
)
# Characters that make up transliterations; a name extends left over these (at most 5).
ZH_TRANSLIT = set(
    "阿培利司依维莫卡匹色替伊那塞氟群来曲唑西美坦他昔芬哌柏瑞波贝达尔拉格列净恩奥希尼吉非厄洛舒"
    "帕索仑伐安罗埃克布妥珠单抗奈普斯特多诺沙度曼泊马芦可乐雷哈米兰赛思凯泽扎考林丁德瓦吡宁孟鲁"
    "凡托福戈舍地松泼龙紫杉醇比星康奥沃瑟赫艾佐萨泰达拉帕利厄戈维亚图莱迪吉尔芙妮娜丽莉蒂"
    "法昂尤因佩肯恰赞蕾奇茨昆纳伦卢罗洛塔坦汀"
)
# Development codes: letters, optional hyphen, three or more digits.
_CODE = re.compile(r"(?<![A-Za-z0-9-])([A-Z]{1,6}-?\d{3,8}[A-Z]?)(?![A-Za-z0-9])")
# Tokens of code shape that are not drugs: registries, mutations, cell lines, antibody clones.
_NOT_CODE = re.compile(
    r"^(?:NCT\d{8}|ISRCTN\d+|CTR\d+|ChiCTR\d+"
    r"|[ACDEFGHIKLMNPQRSTVWY]\d{2,4}[ACDEFGHIKLMNPQRSTVWY*]?"  # H1047R, E545K; phosphosites T308, S473
    r"|(?:HCC|SUM|BT-?|MDA|CAL|EFM|KPL|CAMA|ZR|MCF|SK|HS)-?\d+[A-Z]?"  # cell lines
    r"|SP\d{3}|CA\d{3}|ISO\d+|ICD\d+|GRCH\d+|HG\d+)$"
)
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+(?![A-Za-z0-9])")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    drug: str | None  # glossary id, or None for an unknown drug
    how: str  # glossary | inn-stem | code | zh-suffix


@dataclass(frozen=True)
class Allowlist:
    terms: tuple[str, ...]
    problems: tuple[Diagnostic, ...] = ()


def parse_allowlist(path: str, text: str) -> Allowlist:
    terms, problems = [], []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        term, _, reason = line.partition("#")
        if not reason.strip():
            problems.append(Diagnostic(path, n, 1, "error", "RK041", f"allow-listed term '{term.strip()}' has no reason",
                                       "write the reason after the term: 'MCF-7  # breast cancer cell line'"))
            continue
        terms.append(term.strip())
    return Allowlist(tuple(terms), tuple(problems))


def _latin_boundary(name: str) -> str:
    esc = re.escape(name)
    if re.match(r"[A-Za-z0-9]", name[:1]):
        esc = r"(?<![A-Za-z0-9])" + esc
    if re.match(r"[A-Za-z0-9]", name[-1:]):
        esc = esc + r"(?![A-Za-z0-9])"
    return esc


def _alternation(names) -> re.Pattern | None:
    names = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
    if not names:
        return None
    return re.compile("|".join(_latin_boundary(n) for n in names), re.I)


class Detector:
    """Built once per glossary and allow-list; ``find`` is then cheap per page."""

    def __init__(self, names: dict, allow: tuple[str, ...] = (), skip_codes: tuple[str, ...] = ()):
        self.names = {k.lower(): v for k, v in names.items()}  # lower name -> drug id
        self.known = _alternation(self.names)
        self.allowed = _alternation(allow)
        self.skip = {s.lower() for s in (*allow, *skip_codes)}

    def find(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        chars = list(text)

        def blank(a, b):
            for i in range(a, b):
                if chars[i] != "\n":
                    chars[i] = " "

        if self.allowed:
            for m in self.allowed.finditer(text):
                blank(m.start(), m.end())
        rest = "".join(chars)
        if self.known:
            for m in self.known.finditer(rest):
                found.append(Mention(m.start(), m.end(), m.group(0), self.names[m.group(0).lower()], "glossary"))
                blank(m.start(), m.end())
            rest = "".join(chars)
        found += self._unknown(rest)
        return sorted(found, key=lambda x: x.start)

    def _unknown(self, text: str) -> list[Mention]:
        out = []
        for m in _WORD.finditer(text):
            low = m.group(0).lower()
            for stem in INN_STEMS:
                if low.endswith(stem) and len(low) - len(stem) >= _MIN_PREFIX.get(stem, 3) \
                        and low not in self.skip and low not in COMMON_WORDS:
                    out.append(Mention(m.start(), m.end(), m.group(0), None, "inn-stem"))
                    break
        for m in _CODE.finditer(text):
            token = m.group(1)
            if _NOT_CODE.match(token.upper()) or token.lower() in self.skip:
                continue
            out.append(Mention(m.start(1), m.end(1), token, None, "code"))
        for run in _CJK_RUN.finditer(text):
            out += self._zh(run.group(0), run.start())
        return out

    def _zh(self, run: str, base: int) -> list[Mention]:
        out = []
        i = 0
        while i < len(run):
            hit = next((s for s in ZH_SUFFIXES if run.startswith(s, i)), None)
            if not hit:
                i += 1
                continue
            start = i
            while start > 0 and i - start < 5 and run[start - 1] in ZH_TRANSLIT:
                start -= 1
            name = run[start : i + len(hit)]
            if start < i and name not in ZH_COMMON and name.lower() not in self.skip:
                out.append(Mention(base + start, base + i + len(hit), name, None, "zh-suffix"))
            i += len(hit)
        return out


# English words with an INN-like ending (checked against a word list; extend with care).
COMMON_WORDS = frozenset()
# Chinese words ending like a transliteration that are not drug names.
ZH_COMMON = frozenset({"单抗", "双胍"})
