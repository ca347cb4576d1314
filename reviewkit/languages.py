"""Each language's words and conventions, as data: one file per language in ``lang/<code>.yml``.

Code asks a ``Language`` for what it needs (a UI word, "et al.", the sentence separator, how the
glossary is ordered) and never compares language codes. A language without a file, or a file
without some key, reads it from its primary subtag (``fr-CA`` -> ``fr``), then from the review's
default language, then from English.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

BASE = "en"  # the one complete file
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lang")
# A BCP 47-like tag (en, zh, zh-Hant, fr-CA): it names a folder under docs/, so nothing else.
CODE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    collation: str  # "alphabetical" | "pinyin"
    months: Mapping[str, str]  # month word -> its number, for the parity check
    roman_numerals: Mapping[str, str]  # "where" Roman numerals stand for numbers, and each "numeral"
    sentence: str  # between the parts of a formatted citation
    paren_open: str
    paren_close: str
    list_sep: str
    label_sep: str  # between a label and what it labels ("Class: …", "类别：…")
    item_sep: str  # between items that contain commas themselves (approvals, citing pages)
    et_al: str
    language_names: Mapping[str, str]  # code -> that language's name, in this language
    strings: Mapping[str, str]
    sections: Mapping[str, Mapping[str, Any]]  # the words of one part of the site: trials, preview...

    def __getitem__(self, key: str) -> str:
        """A UI word: ``lang["references"]``."""
        return self.strings[key]

    def section(self, name: str) -> Mapping[str, Any]:
        """The words of one part of the site (a mapping in the language file), gaps filled as usual."""
        return self.sections.get(name, {})

    def language_name(self, code: str) -> str:
        return self.language_names.get(code, code)

    def name_label(self, code: str) -> str:
        """'Chinese name' / '英文名': the label for a drug's name in another language."""
        return self.strings["name_in"].format(language=self.language_name(code))

    def no_name(self, code: str) -> str:
        return self.strings["no_name"].format(language=self.language_name(code))

    def parenthesised(self, text: str) -> str:
        return f"{self.paren_open}{text}{self.paren_close}"

    def sort_key(self, name: str) -> tuple[str, ...]:
        """Glossary order for names in this language."""
        if self.collation == "pinyin":
            # Imported when a Chinese glossary is built, not before. Drug names are ordered by the
            # readings of their characters: pypinyin's phrase dictionary (0.2 s to load, for
            # polyphones in words) is left out, as its documented PYPINYIN_NO_PHRASES allows.
            os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
            from pypinyin import lazy_pinyin

            return ("".join(lazy_pinyin(name)).lower(), name)
        return (name.lower(),)


@functools.cache
def _file(code: str) -> dict[str, Any]:
    path = os.path.join(DATA, f"{code}.yml")
    if not CODE.match(code) or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return data if isinstance(data, dict) else {}


def _chain(code: str, default: str) -> list[dict[str, Any]]:
    codes = [code, code.split("-")[0], default, BASE]
    seen: list[str] = []
    for c in codes:
        if c not in seen:
            seen.append(c)
    return [_file(c) for c in seen]


def _pick(chain: list[dict[str, Any]], key: str) -> Any:
    for data in chain:
        if key in data:
            return data[key]
    raise KeyError(key)


def _merged(chain: list[dict[str, Any]], key: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for data in reversed(chain):
        out.update(data.get(key) or {})
    return out


@functools.cache
def get(code: str, default: str = BASE) -> Language:
    """The language ``code``, its gaps filled from ``default`` (the review's default language)."""
    chain = _chain(code, default)
    punctuation = _merged(chain, "punctuation")
    return Language(
        code=code,
        name=str(_pick(chain, "name")) if any("name" in d for d in chain[:2]) else code,
        collation=str(_pick(chain, "collation")),
        months={str(k).lower(): str(v) for k, v in (_pick(chain, "months") or {}).items()},
        roman_numerals=dict(_pick(chain, "roman_numerals") or {}),
        sentence=punctuation["sentence"],
        paren_open=punctuation["paren_open"],
        paren_close=punctuation["paren_close"],
        list_sep=punctuation["list"],
        label_sep=punctuation["label"],
        item_sep=punctuation["items"],
        et_al=str(_pick(chain, "et_al")),
        language_names=_merged(chain, "language_names"),
        strings=_merged(chain, "strings"),
        sections={key: _merged(chain, key) for key in sorted({k for d in chain for k, v in d.items()
                                                              if isinstance(v, dict)} - _FIELDS)},
    )


# top-level keys of a language file read into their own fields, not into sections
_FIELDS = {"months", "roman_numerals", "punctuation", "language_names", "strings"}


def known() -> list[str]:
    """Codes with a data file."""
    return sorted(name[:-4] for name in os.listdir(DATA) if name.endswith(".yml"))
