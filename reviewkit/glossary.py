"""glossary.yml: one entry per drug, both languages in the same entry.

Loaded with PyYAML's composer so every value keeps its line; aliases are refused before
anything is expanded (a 'billion laughs' file costs nothing), duplicate keys are errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import filecache, languages
from .diagnostics import Diagnostic, error, not_utf8, yaml_error, yaml_position
from .fuzzy import process
from .textpos import NotUtf8, decode
from .yamlnodes import scalar as _scalar
from .yamlnodes import value as _value

SOURCES = ("regulator", "transliteration", "none")
ZH_SOURCES = SOURCES  # the older name
TRIAL_FIELDS = {"name": str, "nct": str}
NCT = re.compile(r"^NCT\d{8}$")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

PARSE_COUNT = 0
BASE_MESSAGES = languages.BASE  # diagnostics are written in English
# libyaml's loader when PyYAML has it (it keeps line marks too); the pure-Python one otherwise.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


Languages = tuple[str, ...]
Err = Callable[..., None]  # err(line, code, message, hint, col=1)
DEFAULT_LANGUAGES: Languages = ("en", "zh")  # the first is the default language


def fields(langs: Languages = DEFAULT_LANGUAGES) -> dict[str, tuple[bool, type]]:
    """Field name -> (required, type), for the review's languages (the first is the default).

    A drug's name in a language is the field named by its code (``en:``, ``zh:``, ``zh-Hant:``);
    other per-language fields end in ``_<code>`` (``definition_zh``). ``<code>_source`` says where
    a translated name comes from.
    """
    others = langs[1:]
    out: dict[str, tuple[bool, type]] = {}
    out.update({code: (True, str) for code in langs})
    out.update({f"{code}_source": (True, str) for code in others})
    out.update({f"synonyms_{code}": (False, list) for code in langs})
    out.update({f"class_{code}": (True, str) for code in langs})
    out.update({f"target_{code}": (True, str) for code in langs})
    out["approvals"] = (False, list)
    out.update({f"definition_{code}": (True, str) for code in langs})
    out["trials"] = (False, list)
    return out


FIELDS = fields()


def approval_fields(langs: Languages = DEFAULT_LANGUAGES) -> dict[str, type]:
    """``indication`` is in the default language; ``indication_<code>`` in each other one."""
    return {"agency": str, "year": int, "indication": str,
            **{f"indication_{code}": str for code in langs[1:]}, "cite": str}


APPROVAL_FIELDS = approval_fields()


@dataclass(frozen=True)
class Approval:
    agency: str
    year: int
    indications: Mapping[str, str]  # language -> indication
    cite: str

    def indication(self, lang: str) -> str:
        return self.indications.get(lang) or next(iter(self.indications.values()))


@dataclass(frozen=True)
class TrialLink:
    """A trial a glossary entry names: its name as on the trials page, and its NCT number."""
    name: str
    nct: str


@dataclass(frozen=True, eq=False)
class Drug:
    id: str
    line: int
    languages: Languages  # the review's languages, the default first
    names_by_lang: Mapping[str, str]
    sources: Mapping[str, str]  # translated language -> regulator | transliteration | none
    synonyms: Mapping[str, tuple[str, ...]]
    classes: Mapping[str, str]
    targets: Mapping[str, str]
    definitions: Mapping[str, str]
    approvals: tuple[Approval, ...] = ()
    trials: tuple[TrialLink, ...] = ()
    lines: dict[str, int] = field(default_factory=dict)  # field -> line

    def names(self) -> tuple[str, ...]:
        """Every name the text may use for this drug, in any language."""
        seen, out = set(), []
        every = [self.names_by_lang.get(c, "") for c in self.languages]
        every += [s for c in self.languages for s in self.synonyms.get(c, ())]
        for name in every:
            if name and name.lower() not in seen:
                seen.add(name.lower())
                out.append(name)
        return tuple(out)

    def _in(self, table: Mapping[str, str], lang: str) -> str:
        return table.get(lang) or table[self.languages[0]]

    def name(self, lang: str) -> str:
        return self._in(self.names_by_lang, lang)

    def definition(self, lang: str) -> str:
        return self._in(self.definitions, lang)

    def drug_class(self, lang: str) -> str:
        return self._in(self.classes, lang)

    def drug_target(self, lang: str) -> str:
        return self._in(self.targets, lang)

    def source(self, lang: str) -> str | None:
        """Where the name in ``lang`` comes from; None in the default language."""
        return self.sources.get(lang)

    def synonyms_in(self, lang: str) -> tuple[str, ...]:
        return self.synonyms.get(lang, ())

    def __getattr__(self, attr: str) -> object:
        # The field names of glossary.yml read as attributes too: drug.zh, drug.definition_en.
        if attr.startswith("_"):
            raise AttributeError(attr)
        for prefix, table in (("synonyms_", "synonyms"), ("class_", "classes"), ("target_", "targets"),
                              ("definition_", "definitions")):
            if attr.startswith(prefix) and attr[len(prefix):] in self.languages:
                return getattr(self, table)[attr[len(prefix):]] if table != "synonyms" else \
                    self.synonyms.get(attr[len(prefix):], ())
        if attr.endswith("_source") and attr[: -len("_source")] in self.languages:
            return self.sources.get(attr[: -len("_source")], "")
        if attr in self.languages:
            return self.names_by_lang[attr]
        raise AttributeError(attr)


@dataclass(frozen=True)
class Glossary:
    path: str
    drugs: dict[str, Drug]  # id -> Drug
    problems: tuple[Diagnostic, ...]

    def by_name(self) -> dict[str, str]:
        """lower-cased name -> drug id."""
        return {n.lower(): d.id for d in self.drugs.values() for n in d.names()}


def load(path: str, root: str, languages: Languages = DEFAULT_LANGUAGES) -> Glossary:
    """``languages``: the review's languages, the default first."""
    return filecache.parsed(root, path, parse, lambda: Glossary(path, {}, (
        error(path, 0, 0, "RK038", "glossary file not found",
                   f"create {path} or fix the 'glossary' setting"),)), tuple(languages))


def parse(path: str, data: bytes, languages: Languages = DEFAULT_LANGUAGES) -> Glossary:
    global PARSE_COUNT
    PARSE_COUNT += 1
    problems: list[Diagnostic] = []

    def err(line: int, code: str, message: str, hint: str, col: int = 1) -> None:
        problems.append(error(path, line, col, code, message, hint))

    try:
        text = decode(data)
    except NotUtf8 as exc:
        return Glossary(path, {}, (not_utf8(path, exc),))
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                m = event.start_mark
                line, col = (m.line + 1, m.column + 1) if m else (1, 1)
                err(line, "RK031", "YAML aliases (*name) are not allowed in the glossary",
                    "write each value out in full", col)
                return Glossary(path, {}, tuple(problems))
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        problem = yaml_position(exc)[2]
        hint = "indent with spaces, never tabs" if "\t" in problem or "tab" in problem \
            else "check indentation and quoting on this line (a ':' inside a value needs quotes)"
        return Glossary(path, {}, (yaml_error(path, exc, "RK030", "YAML error: {problem}", hint),))
    if root is None:
        return Glossary(path, {}, tuple(problems))
    if not isinstance(root, yaml.MappingNode):
        err(root.start_mark.line + 1, "RK031", "the glossary must be a mapping of drug ids to entries",
            "start each entry at the left margin with 'drug-id:'")
        return Glossary(path, {}, tuple(problems))
    drugs: dict[str, Drug] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        drug_id = _scalar(key_node)
        if not isinstance(drug_id, str) or not ID.match(drug_id):
            err(line, "RK031", f"drug id {drug_id!r} must be lower-case letters, digits and '-'",
                "use the INN in lower case, e.g. 'alpelisib'")
            continue
        if drug_id in drugs:
            err(line, "RK037", f"drug id '{drug_id}' appears twice (first at line {drugs[drug_id].line})",
                "merge the two entries")
            continue
        drug = _entry(drug_id, value_node, err, tuple(languages))
        if drug:
            drugs[drug_id] = drug
    _check_names(drugs, err)
    return Glossary(path, drugs, tuple(problems))


def _type_name(t: type) -> str:
    return {str: "text", int: "a whole number", list: "a list", dict: "a mapping"}[t]


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _entry(drug_id: str, node: yaml.Node, err: Err, langs: Languages) -> Drug | None:
    spec = fields(langs)
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        err(line, "RK031", f"entry '{drug_id}' must be a mapping of fields",
            "indent the fields (en:, zh:, ...) under the drug id")
        return None
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for k, v in node.value:
        name = _scalar(k)
        kline = k.start_mark.line + 1
        if name in values:
            err(kline, "RK037", f"entry '{drug_id}': field '{name}' appears twice", "keep one of them")
            continue
        if name not in spec:
            close = process.extractOne(str(name), list(spec))
            hint = f"did you mean '{close[0]}'?" if close and close[1] > 70 else \
                f"allowed fields: {', '.join(spec)}"
            err(kline, "RK032", f"entry '{drug_id}': unknown field '{name}'", hint)
            continue
        value = _value(v)
        want = spec[name][1]
        if not isinstance(value, want) or (isinstance(value, str) and not value.strip()):
            err(kline, "RK031", f"entry '{drug_id}': field '{name}' must be {_type_name(want)}",
                "see an existing entry for the expected shape")
            continue
        values[name], lines[name] = value, kline
    missing = [f for f, (req, _) in spec.items() if req and f not in values]
    if missing:
        required = [f for f, (req, _) in spec.items() if req]
        first = langs[1] if len(langs) > 1 else langs[0]
        first_name = languages.get(BASE_MESSAGES).language_name(first)
        err(line - 1 if line > 1 else line, "RK033", f"entry '{drug_id}' is missing field(s): {', '.join(missing)}",
            f"every entry needs {_and(required)} "
            f"({first}_source: none, with {first} repeating the INN, when there is no {first_name} name)")
        return None
    ok = True
    for code in langs[1:]:
        key = f"{code}_source"
        if values[key] not in SOURCES:
            err(lines[key], "RK031", f"entry '{drug_id}': {key} must be one of {', '.join(SOURCES)}",
                "regulator: the name the drug regulator uses (NMPA for Chinese); "
                "transliteration: a common but unofficial name")
            ok = False
    for code in langs:
        name = f"synonyms_{code}"
        if any(not isinstance(s, str) or not s.strip() for s in values.get(name, [])):
            err(lines[name], "RK031", f"entry '{drug_id}': every item of '{name}' must be text",
                "write the list as [name1, name2]")
            ok = False
    approvals = _records(drug_id, "approvals", values, lines, approval_fields(langs), err)
    trials = _records(drug_id, "trials", values, lines, TRIAL_FIELDS, err)
    if approvals is None or trials is None:
        ok = False
    else:
        for trial in trials:
            if not NCT.match(trial["nct"]):
                err(lines["trials"], "RK036", f"entry '{drug_id}': malformed NCT number '{trial['nct']}'",
                    "an NCT number is 'NCT' and eight digits, e.g. NCT02437318")
                ok = False
    if not ok or approvals is None or trials is None:
        return None
    suffix = {code: f"indication_{code}" for code in langs[1:]}
    suffix[langs[0]] = "indication"
    return Drug(
        id=drug_id, line=line - 1 if line > 1 else line, languages=langs,
        names_by_lang={code: values[code].strip() for code in langs},
        sources={code: values[f"{code}_source"] for code in langs[1:]},
        synonyms={code: tuple(s.strip() for s in values.get(f"synonyms_{code}", [])) for code in langs},
        classes={code: values[f"class_{code}"] for code in langs},
        targets={code: str(values[f"target_{code}"]) for code in langs},
        definitions={code: values[f"definition_{code}"].strip() for code in langs},
        approvals=tuple(Approval(a["agency"], a["year"], {code: a[suffix[code]] for code in langs}, a["cite"])
                        for a in approvals),
        trials=tuple(TrialLink(t["name"], t["nct"]) for t in trials), lines=lines,
    )


def _records(drug_id: str, name: str, values: dict[str, Any], lines: dict[str, int],
             spec: Mapping[str, type], err: Err) -> list[dict[str, Any]] | None:
    out = []
    for item in values.get(name, []):
        if not isinstance(item, dict) or set(item) - set(spec) or set(spec) - set(item) or \
                any(not isinstance(item[k], t) for k, t in spec.items()):
            shape = ", ".join(f"{k}: {_type_name(t)}" for k, t in spec.items())
            err(lines[name], "RK031", f"entry '{drug_id}': each item of '{name}' needs exactly {shape}",
                "write it as {" + ", ".join(f"{k}: ..." for k in spec) + "}")
            return None
        out.append(item)
    return out


def _check_names(drugs: dict[str, Drug], err: Err) -> None:
    owner: dict[str, str] = {}
    for drug in drugs.values():
        for name in drug.names():
            low = name.lower()
            if low in owner and owner[low] != drug.id:
                err(drug.line, "RK034", f"name '{name}' belongs to both '{owner[low]}' and '{drug.id}'",
                    "a name or synonym may belong to one entry only; remove it from one of them")
            else:
                owner[low] = drug.id
