"""Finding drug names in prose: the glossary's names, and unknown drugs by their form.

Unknown drugs are recognised the way a pharmacist would: WHO INN stems (-lisib, -sertib, ...),
development codes (AZD5363, RLY-2608), and the endings of transliterations written in Han
characters (…替尼, …司群), Simplified or Traditional: a property of the script, so every page in
any language is searched for them. A small reviewed allow-list (one term and its reason a line) takes care of the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .diagnostics import Diagnostic, error

# WHO INN stems used in oncology and supportive care (longest first is not needed: endswith).
INN_STEMS = (
    "lisib", "sertib", "limus", "tinib", "ciclib", "estrant", "mab", "rozole", "mestane", "ifen",
    "ifene", "parib", "platin", "taxel", "rubicin", "tecan", "gliflozin", "formin", "glitazone",
    "gliptin", "glutide", "degib", "zomib", "fenib", "rafenib", "dronate", "methasone", "nisolone",
    "relin",
)
# Stems that are also common word endings need a longer name before them.
_MIN_PREFIX = {"mab": 3, "relin": 3, "ifen": 3}
# Endings of generic names transliterated into Han characters (Simplified, then the Traditional
# forms that differ).
HAN_ENDINGS = (
    "替尼", "利司", "利塞", "塞替", "色替", "莫司", "西利", "司群", "单抗", "曲唑", "美坦", "昔芬",
    "帕利", "格列净", "双胍", "他赛", "比星", "替康", "瑞林", "米松", "尼松", "司他",
    "單抗", "格列淨", "雙胍", "他賽",
)
# Han characters that make up transliterations of INNs; a name extends left over these.
# Ordinary function characters (对, 与, 联, 加, 用, 的 ...) are deliberately absent.
HAN_TRANSLIT = set(
    "阿安昂奥巴白贝倍本苯比吡苄丙波泊博布达地迪碘丁度多厄恩二法凡泛非芬呋伏氟福戈格哥胍哈海恒"
    "华磺吉甲坎康考柯可克奎喹拉来莱赖兰劳乐雷黎利立亮林磷硫柳龙卢芦鲁仑罗洛氯马麦曼美孟米莫姆木"
    "那纳奈尼诺帕哌派培喷匹泼珀普齐奇羟嗪秋曲瑞塞赛噻沙舍舒索司斯松苏泰他坦特替酮统托拓妥瓦"
    "万维韦沃乌西昔希硝辛信溴亚伊依乙异吲英尤扎泽珠唑左佐柔表扑武咯卡加兹肯恰赞茨蒂娜妮莎艾"
    "柏尔图伐德埃"
    "奧貝達華來萊賴蘭勞樂龍盧蘆魯侖羅馬麥納諾噴潑齊羥賽蘇統萬維韋烏亞異澤撲茲贊爾圖"  # Traditional forms
)
# At most this many characters before the ending (纳武利尤单抗: four).
HAN_MAX_PREFIX = 5
# Development codes: letters, optional hyphen, three or more digits.
_CODE = re.compile(r"(?<![A-Za-z0-9-])([A-Z]{1,6}-?\d{3,8}[A-Z]?)(?![A-Za-z0-9])")
# Tokens of code shape that are not drugs: registries, mutations, cell lines, antibody clones.
_NOT_CODE = re.compile(
    r"^(?:NCT\d{8}|ISRCTN\d+|CTR\d+|ChiCTR\d+"
    r"|[ACDEFGHIKLMNPQRSTVWY]\d{2,4}[ACDEFGHIKLMNPQRSTVWY*]?"  # H1047R, E545K; phosphosites T308, S473
    r"|(?:HCC|SUM|BT-?|MDA|CAL|EFM|KPL|CAMA|ZR|MCF|SK|HS)-?\d+[A-Z]?"  # cell lines
    r"|SP\d{3}|CA\d{3}|ISO\d+|ICD\d+|GRCH\d+|HG\d+"
    r"|HCT\d+|HEK\d+T?|RPMI-?\d+|HCI-?\d+|GSE\d+|GPL\d+|X-100"  # cell lines, media, PDX, GEO data sets
    r"|[A-Z]{5,}\d+)$"  # five or more letters glued to digits name a trial (INAVO120), not a compound
)
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{5,}(?![A-Za-z0-9])")
_HAN_ENDING = re.compile("|".join(sorted(HAN_ENDINGS, key=len, reverse=True)))
_HAN_ENDING_AT = re.compile("(?=(" + "|".join(sorted(HAN_ENDINGS, key=len, reverse=True)) + "))")
_LATIN_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LATIN_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
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
            problems.append(error(path, n, 1, "RK041", f"allow-listed term '{term.strip()}' has no reason",
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


def _alternation(names: Iterable[str]) -> re.Pattern[str] | None:
    names = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
    if not names:
        return None
    return re.compile("|".join(_latin_boundary(n) for n in names), re.I)


class Detector:
    """Built once per glossary and allow-list; ``find`` is then cheap per page."""

    def __init__(self, names: dict, allow: tuple[str, ...] = (), skip_codes: tuple[str, ...] = ()):
        self.names = {k.lower(): v for k, v in names.items()}  # lower name -> drug id
        self.allowed = _alternation(allow)
        self.skip = {s.lower() for s in (*allow, *skip_codes)}
        # Latin names are looked up token by token (a dict, not a 100-way regex: pages stay linear);
        # names in other scripts (Chinese) by one literal alternation.
        self.latin = {n for n in self.names if _LATIN_NAME.fullmatch(n)}
        self.longest = max((n.count("-") + 1 for n in self.latin), default=1)
        self.first = {n.split("-")[0] for n in self.latin}  # a cheap test before joining parts
        other = sorted((n for n in self.names if n not in self.latin), key=len, reverse=True)
        self.other = re.compile("|".join(_latin_boundary(n) for n in other), re.I) if other else None

    def find(self, text: str) -> list[Mention]:
        if self.allowed:
            text = self.allowed.sub(lambda m: " " * len(m.group(0)), text)
        found = self._known(text)
        if found:
            chars = list(text)
            for m in found:
                chars[m.start:m.end] = " " * (m.end - m.start)
            text = "".join(chars)
        found += self._unknown(text)
        return sorted(found, key=lambda x: x.start)

    def _known(self, text: str) -> list[Mention]:
        found = []
        for m in _LATIN_TOKEN.finditer(text):
            parts = m.group(0).split("-")
            starts, pos = [], m.start()
            for part in parts:
                starts.append(pos)
                pos += len(part) + 1
            i = 0
            while i < len(parts):
                if parts[i].lower() not in self.first:
                    i += 1
                    continue
                for j in range(min(len(parts), i + self.longest), i, -1):
                    name = "-".join(parts[i:j])
                    if name.lower() in self.latin:
                        start = starts[i]
                        found.append(Mention(start, start + len(name), name, self.names[name.lower()], "glossary"))
                        i = j
                        break
                else:
                    i += 1
        if self.other:
            found += [Mention(m.start(), m.end(), m.group(0), self.names[m.group(0).lower()], "glossary")
                      for m in self.other.finditer(text)]
        return found

    def _unknown(self, text: str) -> list[Mention]:
        out = []
        for m in _WORD.finditer(text):
            word = m.group(0)
            low = word.lower()
            if not low.endswith(INN_STEMS):
                continue
            stem = min((x for x in INN_STEMS if low.endswith(x)), key=len)  # sorafenib: -fenib, not -rafenib
            if len(low) - len(stem) >= _MIN_PREFIX.get(stem, 3) and low not in self.skip \
                    and low not in COMMON_WORDS:
                out.append(Mention(m.start(), m.end(), word, None, "inn-stem"))
        for m in _CODE.finditer(text):
            token = m.group(1)
            if _NOT_CODE.match(token.upper()) or token.lower() in self.skip:
                continue
            out.append(Mention(m.start(1), m.end(1), token, None, "code"))
        for run in _CJK_RUN.finditer(text):
            if _HAN_ENDING.search(run.group(0)):
                out += self._han(run.group(0), run.start())
        return out

    def _han(self, run: str, base: int) -> list[Mention]:
        out = []
        # every place an ending starts, overlapping ones included
        hits = {m.start(): m.group(1) for m in _HAN_ENDING_AT.finditer(run)}
        i = 0
        for pos in sorted(hits):
            if pos < i:
                continue
            end = pos + len(hits[pos])
            # an ending that overlaps a later one belongs to it: 奥利司他 ends in 司他, not 利司
            for k in range(pos + 1, end):
                if k in hits:
                    end = k + len(hits[k])
            start = pos
            while start > 0 and pos - start < HAN_MAX_PREFIX and run[start - 1] in HAN_TRANSLIT:
                start -= 1
            name = run[start:end]
            ordinary = any(_overlaps(run, w, pos, end) for w in HAN_ORDINARY if w in run)
            if start < pos and not ordinary and name.lower() not in self.skip:
                out.append(Mention(base + start, base + end, name, None, "zh-suffix"))
            i = end
        return out


# English words with an INN-like ending (checked against a word list; extend with care).
COMMON_WORDS: frozenset[str] = frozenset()
# Ordinary words that contain a transliteration ending (巴西利亚 is Brasília, not a CDK4/6 inhibitor).
HAN_ORDINARY = ("巴西利亚", "公司群", "色替代", "代替康", "其他赛", "对比星", "比星形", "东西利", "莫司科",
                "巴西利亞", "其他賽", "對比星", "東西利")


def _overlaps(run: str, word: str, start: int, end: int) -> bool:
    pos = run.find(word, max(0, start - len(word)))
    while pos >= 0 and pos < end:
        if pos < end and pos + len(word) > start:
            return True
        pos = run.find(word, pos + 1)
    return False
