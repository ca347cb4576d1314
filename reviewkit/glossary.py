"""glossary.yml: one entry per drug, both languages in the same entry.

Loaded with PyYAML's composer so every value keeps its line; aliases are refused before
anything is expanded (a 'billion laughs' file costs nothing), duplicate keys are errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from rapidfuzz import process

from . import filecache
from .diagnostics import Diagnostic
from .textpos import NotUtf8, decode

FIELDS = {
    # name: (required, type)
    "en": (True, str),
    "zh": (True, str),
    "zh_source": (True, str),
    "synonyms_en": (False, list),
    "synonyms_zh": (False, list),
    "class_en": (True, str),
    "class_zh": (True, str),
    "target": (True, str),
    "approvals": (False, list),
    "definition_en": (True, str),
    "definition_zh": (True, str),
    "trials": (False, list),
}
ZH_SOURCES = ("regulator", "transliteration", "none")
APPROVAL_FIELDS = {"agency": str, "year": int, "indication": str, "indication_zh": str, "cite": str}
TRIAL_FIELDS = {"name": str, "nct": str}
NCT = re.compile(r"^NCT\d{8}$")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

PARSE_COUNT = 0
# libyaml's loader when PyYAML has it (it keeps line marks too); the pure-Python one otherwise.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Drug:
    id: str
    line: int
    en: str
    zh: str
    zh_source: str
    synonyms_en: tuple[str, ...]
    synonyms_zh: tuple[str, ...]
    class_en: str
    class_zh: str
    target: str
    definition_en: str
    definition_zh: str
    approvals: tuple[dict, ...] = ()
    trials: tuple[dict, ...] = ()
    lines: dict = field(default_factory=dict, compare=False, hash=False)  # field -> line

    def names(self) -> tuple[str, ...]:
        """Every name the text may use for this drug, in either language."""
        seen, out = set(), []
        for name in (self.en, self.zh, *self.synonyms_en, *self.synonyms_zh):
            if name and name.lower() not in seen:
                seen.add(name.lower())
                out.append(name)
        return tuple(out)

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def definition(self, lang: str) -> str:
        return self.definition_zh if lang == "zh" else self.definition_en


@dataclass(frozen=True)
class Glossary:
    path: str
    drugs: dict  # id -> Drug
    problems: tuple[Diagnostic, ...]

    def by_name(self) -> dict:
        """lower-cased name -> drug id."""
        return {n.lower(): d.id for d in self.drugs.values() for n in d.names()}


def load(path: str, root: str) -> Glossary:
    return filecache.parsed(root, path, parse, lambda: Glossary(path, {}, (
        Diagnostic(path, 0, 0, "error", "RK038", "glossary file not found",
                   f"create {path} or fix the 'glossary' setting"),)))


def parse(path: str, data: bytes) -> Glossary:
    global PARSE_COUNT
    PARSE_COUNT += 1
    problems: list[Diagnostic] = []

    def err(line, code, message, hint, col=1):
        problems.append(Diagnostic(path, line, col, "error", code, message, hint))

    try:
        text = decode(data)
    except NotUtf8 as exc:
        err(exc.line, "RK001", "file is not valid UTF-8", "save the file as UTF-8", exc.col)
        return Glossary(path, {}, tuple(problems))
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                m = event.start_mark
                err(m.line + 1, "RK031", "YAML aliases (*name) are not allowed in the glossary",
                    "write each value out in full", m.column + 1)
                return Glossary(path, {}, tuple(problems))
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        hint = "indent with spaces, never tabs" if "\t" in (problem or "") or "tab" in (problem or "") \
            else "check indentation and quoting on this line (a ':' inside a value needs quotes)"
        err(line, "RK030", f"YAML error: {problem}", hint, col)
        return Glossary(path, {}, tuple(problems))
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
        drug = _entry(drug_id, value_node, err)
        if drug:
            drugs[drug_id] = drug
    _check_names(drugs, err)
    return Glossary(path, drugs, tuple(problems))


def _scalar(node):
    if isinstance(node, yaml.ScalarNode):
        return yaml.SafeLoader("").construct_object(node)
    return node


def _value(node):
    """Plain Python value of a node (mappings as dicts, duplicate keys kept last)."""
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_value(n) for n in node.value]
    return {_scalar(k): _value(v) for k, v in node.value}


def _type_name(t) -> str:
    return {str: "text", int: "a whole number", list: "a list", dict: "a mapping"}[t]


def _entry(drug_id: str, node, err) -> Drug | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        err(line, "RK031", f"entry '{drug_id}' must be a mapping of fields",
            "indent the fields (en:, zh:, ...) under the drug id")
        return None
    values, lines = {}, {}
    for k, v in node.value:
        name = _scalar(k)
        kline = k.start_mark.line + 1
        if name in values:
            err(kline, "RK037", f"entry '{drug_id}': field '{name}' appears twice", "keep one of them")
            continue
        if name not in FIELDS:
            close = process.extractOne(str(name), list(FIELDS))
            hint = f"did you mean '{close[0]}'?" if close and close[1] > 70 else \
                f"allowed fields: {', '.join(FIELDS)}"
            err(kline, "RK032", f"entry '{drug_id}': unknown field '{name}'", hint)
            continue
        value = _value(v)
        want = FIELDS[name][1]
        if not isinstance(value, want) or (want is str and not value.strip()):
            err(kline, "RK031", f"entry '{drug_id}': field '{name}' must be {_type_name(want)}",
                "see an existing entry for the expected shape")
            continue
        values[name], lines[name] = value, kline
    missing = [f for f, (req, _) in FIELDS.items() if req and f not in values]
    if missing:
        err(line - 1 if line > 1 else line, "RK033", f"entry '{drug_id}' is missing field(s): {', '.join(missing)}",
            "every entry needs en, zh, zh_source, class_en, class_zh, target, definition_en and definition_zh "
            "(zh_source: none, with zh repeating the INN, when there is no Chinese name)")
        return None
    ok = True
    if values["zh_source"] not in ZH_SOURCES:
        err(lines["zh_source"], "RK031", f"entry '{drug_id}': zh_source must be one of {', '.join(ZH_SOURCES)}",
            "regulator: the name China's drug regulator uses; transliteration: a common but unofficial name")
        ok = False
    for name in ("synonyms_en", "synonyms_zh"):
        if any(not isinstance(s, str) or not s.strip() for s in values.get(name, [])):
            err(lines[name], "RK031", f"entry '{drug_id}': every item of '{name}' must be text",
                "write the list as [name1, name2]")
            ok = False
    approvals = _records(drug_id, "approvals", values, lines, APPROVAL_FIELDS, err)
    trials = _records(drug_id, "trials", values, lines, TRIAL_FIELDS, err)
    if approvals is None or trials is None:
        ok = False
    else:
        for trial in trials:
            if not NCT.match(trial["nct"]):
                err(lines["trials"], "RK036", f"entry '{drug_id}': malformed NCT number '{trial['nct']}'",
                    "an NCT number is 'NCT' and eight digits, e.g. NCT02437318")
                ok = False
    if not ok:
        return None
    return Drug(
        id=drug_id, line=line - 1 if line > 1 else line, en=values["en"].strip(), zh=values["zh"].strip(),
        zh_source=values["zh_source"],
        synonyms_en=tuple(s.strip() for s in values.get("synonyms_en", [])),
        synonyms_zh=tuple(s.strip() for s in values.get("synonyms_zh", [])),
        class_en=values["class_en"], class_zh=values["class_zh"], target=str(values["target"]),
        definition_en=values["definition_en"].strip(), definition_zh=values["definition_zh"].strip(),
        approvals=tuple(approvals), trials=tuple(trials), lines=lines,
    )


def _records(drug_id, name, values, lines, spec, err):
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


def _check_names(drugs: dict, err) -> None:
    owner: dict[str, str] = {}
    for drug in drugs.values():
        for name in drug.names():
            low = name.lower()
            if low in owner and owner[low] != drug.id:
                err(drug.line, "RK034", f"name '{name}' belongs to both '{owner[low]}' and '{drug.id}'",
                    "a name or synonym may belong to one entry only; remove it from one of them")
            else:
                owner[low] = drug.id
