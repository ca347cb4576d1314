"""trials.yml: one entry per trial, every text field in every configured language, every
result with its source.

Parsed with PyYAML's composer, as glossary.yml is, so every field keeps its line and every
message names ``trials.yml:line``. Structure is checked when the file is parsed; what needs the
rest of the project (the configured languages, the bibliography) is checked in ``validate``.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

import yaml

from . import filecache
from .diagnostics import Diagnostic, error, not_utf8, yaml_error
from .fuzzy import process
from .scanner import scan
from .textpos import NotUtf8, decode

NCT = re.compile(r"^NCT\d{8}$")
NCT_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])NCT\d{8}(?![0-9])")
# Endpoints a result may report. Time-to-event endpoints carry a hazard ratio; rates carry a
# percentage (``rate``) and its confidence interval.
ENDPOINTS = ("PFS", "OS", "ORR", "CBR", "PFS6")
RATE_ENDPOINTS = ("ORR", "CBR", "PFS6")
# Registry statuses as ClinicalTrials.gov API v2 spells them (protocolSection.statusModule.overallStatus).
STATUSES = ("NOT_YET_RECRUITING", "RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING",
            "SUSPENDED", "TERMINATED", "COMPLETED", "WITHDRAWN", "UNKNOWN")
TEXT_FIELDS = ("design", "arms", "population", "endpoints")  # required, one text per language
TRIAL_FIELDS = {"id": str, "nct": str, "phase": str, "design": dict, "arms": dict, "population": dict,
                "endpoints": dict, "summary": dict, "registry": dict, "results": list}
REQUIRED = ("id", "nct", "phase", "design", "arms", "population", "endpoints")
RESULT_FIELDS = {"endpoint": str, "cohort": dict, "n": int, "median": list, "hr": float, "ci": list,
                 "rate": float, "cite": str, "plot": bool, "note": dict}
REGISTRY_FIELDS = {"status": str, "updated": _dt.date, "checked": _dt.date}
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")

PARSE_COUNT = 0
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Result:
    endpoint: str
    cohort: dict  # lang -> text
    cite: str
    n: int | None = None
    median: tuple | None = None  # (experimental, control), months
    hr: float | None = None
    ci: tuple | None = None  # (low, high): of the HR, or of the rate in percent
    rate: float | None = None  # percent, for rate endpoints
    plot: bool = False  # drawn in the forest plot of pivotal results
    note: dict = field(default_factory=dict)  # lang -> text
    line: int = 0
    lines: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Registry:
    status: str
    updated: _dt.date | None = None  # the record's own "last update posted" date
    checked: _dt.date | None = None  # when we read it
    line: int = 0


@dataclass(frozen=True)
class Trial:
    id: str
    nct: str
    phase: str
    design: dict
    arms: dict
    population: dict
    endpoints: dict
    summary: dict = field(default_factory=dict)
    registry: Registry | None = None
    results: tuple = ()
    line: int = 0
    lines: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def anchor(self) -> str:
        return "trial-" + self.id.lower()

    def texts(self) -> dict:
        """Field name -> {lang: text}, for every language-keyed field of the trial and its results."""
        out = {name: getattr(self, name) for name in TEXT_FIELDS}
        if self.summary:
            out["summary"] = self.summary
        for i, r in enumerate(self.results, 1):
            out[f"results[{i}].cohort"] = r.cohort
            if r.note:
                out[f"results[{i}].note"] = r.note
        return out


@dataclass(frozen=True)
class Trials:
    path: str
    trials: dict  # id -> Trial, in file order
    problems: tuple[Diagnostic, ...]

    def by_nct(self) -> dict:
        return {t.nct: t for t in self.trials.values()}


def load(path: str, root: str) -> Trials:
    """The trials file, or an empty set when the project has none (it is optional)."""
    return filecache.parsed(root, path, parse, lambda: Trials(path, {}, ()))


def parse(path: str, data: bytes) -> Trials:
    global PARSE_COUNT
    PARSE_COUNT += 1
    problems: list[Diagnostic] = []

    def err(line, message, hint, code="RK091", col=1):
        problems.append(error(path, line, col, code, message, hint))

    try:
        text = decode(data)
    except NotUtf8 as exc:
        return Trials(path, {}, (not_utf8(path, exc),))
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                m = event.start_mark
                line, col = (m.line + 1, m.column + 1) if m else (1, 1)
                err(line, "YAML aliases (*name) are not allowed in the trials file",
                    "write each value out in full", "RK090", col)
                return Trials(path, {}, tuple(problems))
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return Trials(path, {}, (yaml_error(path, exc, "RK090", "YAML error: {problem}",
                                            "check indentation and quoting on this line (a ':' inside a value needs quotes)"),))
    if root is None:
        return Trials(path, {}, tuple(problems))
    if not isinstance(root, yaml.SequenceNode):
        err(root.start_mark.line + 1, "the trials file must be a list of trials",
            "start each trial with '- id: NAME' at the left margin", "RK090")
        return Trials(path, {}, tuple(problems))
    trials: dict[str, Trial] = {}
    seen_nct: dict[str, Trial] = {}
    for node in root.value:
        trial = _trial(node, err)
        if trial is None:
            continue
        if trial.id in trials:
            err(trial.line, f"trial '{trial.id}' appears twice (first at line {trials[trial.id].line})",
                "merge the two entries", "RK092")
            continue
        if trial.nct in seen_nct:
            err(trial.lines["nct"], f"trial '{trial.id}': {trial.nct} is also the NCT number of "
                f"'{seen_nct[trial.nct].id}' (line {seen_nct[trial.nct].line})",
                "each registry record belongs to one trial: fix the number or merge the entries", "RK092")
            continue
        trials[trial.id] = trial
        seen_nct[trial.nct] = trial
    return Trials(path, trials, tuple(problems))


def _scalar(node):
    if isinstance(node, yaml.ScalarNode):
        return yaml.SafeLoader("").construct_object(node)
    return node


def _value(node):
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_value(n) for n in node.value]
    return {_scalar(k): _value(v) for k, v in node.value}


def _fields(node, spec: dict, what: str, err) -> tuple[dict, dict] | None:
    """A mapping node's fields checked against ``spec`` -> (values, field lines)."""
    if not isinstance(node, yaml.MappingNode):
        err(node.start_mark.line + 1, f"{what} must be a mapping of fields",
            "indent its fields (name: value) under it", "RK090")
        return None
    values, lines = {}, {}
    for k, v in node.value:
        name = _scalar(k)
        line = k.start_mark.line + 1
        if name in values:
            err(line, f"{what}: field '{name}' appears twice", "keep one of them", "RK090")
            continue
        if name not in spec:
            close = process.extractOne(str(name), list(spec))
            hint = f"did you mean '{close[0]}'?" if close and close[1] > 70 else f"allowed fields: {', '.join(spec)}"
            err(line, f"{what}: unknown field '{name}'", hint, "RK090")
            continue
        value = _value(v)
        want = spec[name]
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if want is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, want) or (want is str and not value.strip()) or \
                (want is int and isinstance(value, bool)):
            err(line, f"{what}: field '{name}' must be {_type_name(want)}", _shape_hint(name), "RK090")
            continue
        values[name], lines[name] = value, line
    return values, lines


def _type_name(t) -> str:
    return {str: "text", int: "a whole number", float: "a number", list: "a list", bool: "true or false",
            dict: "a mapping of language codes to text ({en: ..., zh: ...})",
            _dt.date: "a date (YYYY-MM-DD)"}[t]


def _shape_hint(name: str) -> str:
    return {"median": "write it as [experimental, control] in months, e.g. [11.0, 5.7]",
            "ci": "write it as [low, high], e.g. [0.50, 0.85]",
            "registry": "write it as {status: RECRUITING, updated: 2025-12-23, checked: 2026-11-30}",
            "results": "start each result with '- endpoint: PFS'"}.get(name, "see an existing entry for the expected shape")


def _trial(node, err) -> Trial | None:
    line = node.start_mark.line + 1
    got = _fields(node, TRIAL_FIELDS, f"trial at line {line}", err)
    if got is None:
        return None
    values, lines = got
    name = values.get("id", f"at line {line}")
    missing = [f for f in REQUIRED if f not in values]
    if missing:
        err(line, f"trial '{name}' is missing field(s): {', '.join(missing)}",
            "every trial needs id, nct, phase, design, arms, population and endpoints", "RK093")
        return None
    ok = True
    if not ID.match(values["id"]):
        err(lines["id"], f"trial id '{values['id']}' must be letters, digits and '-'",
            "use the trial's acronym as published, e.g. SOLAR-1", "RK091")
        ok = False
    if not NCT.match(values["nct"]):
        err(lines["nct"], f"trial '{name}': malformed NCT number '{values['nct']}'",
            "an NCT number is 'NCT' and eight digits, e.g. NCT02437318", "RK091")
        ok = False
    registry = None
    if "registry" in values:
        registry = _registry(name, values["registry"], lines["registry"], err)
        ok = ok and registry is not None
    results = []
    if "results" in values:
        result_nodes = [v for k, v in node.value if _scalar(k) == "results"][0].value
        for i, rnode in enumerate(result_nodes, 1):
            r = _result(name, i, rnode, err)
            if r is None:
                ok = False
            else:
                results.append(r)
    if not ok:
        return None
    return Trial(id=values["id"], nct=values["nct"], phase=values["phase"],
                 design=values["design"], arms=values["arms"], population=values["population"],
                 endpoints=values["endpoints"], summary=values.get("summary", {}), registry=registry,
                 results=tuple(results), line=line, lines=lines)


def _registry(name, value: dict, line: int, err) -> Registry | None:
    bad = set(value) - set(REGISTRY_FIELDS)
    if bad or "status" not in value:
        err(line, f"trial '{name}': registry needs status, and may have updated and checked"
            + (f" (unknown: {', '.join(sorted(map(str, bad)))})" if bad else ""), _shape_hint("registry"), "RK090")
        return None
    if value["status"] not in STATUSES:
        close = process.extractOne(str(value["status"]), STATUSES)
        err(line, f"trial '{name}': registry status '{value['status']}' is not one ClinicalTrials.gov uses",
            (f"did you mean '{close[0]}'? " if close and close[1] > 70 else "") +
            f"write it as the registry does: {', '.join(STATUSES)}", "RK091")
        return None
    for key in ("updated", "checked"):
        if key in value and not isinstance(value[key], _dt.date):
            err(line, f"trial '{name}': registry {key} must be a date (YYYY-MM-DD)",
                "e.g. checked: 2026-11-30", "RK091")
            return None
    return Registry(value["status"], value.get("updated"), value.get("checked"), line)


def _result(name, index: int, node, err) -> Result | None:
    what = f"trial '{name}', result {index}"
    got = _fields(node, RESULT_FIELDS, what, err)
    if got is None:
        return None
    values, lines = got
    line = node.start_mark.line + 1
    missing = [f for f in ("endpoint", "cohort", "cite") if f not in values]
    if missing:
        err(line, f"{what} is missing field(s): {', '.join(missing)}",
            "every result needs endpoint, cohort and cite (the paper the figures come from)", "RK093")
        return None
    ok = True
    endpoint = values["endpoint"]
    if endpoint not in ENDPOINTS:
        close = process.extractOne(endpoint, ENDPOINTS)
        err(lines["endpoint"], f"{what}: unknown endpoint '{endpoint}'",
            (f"did you mean '{close[0]}'? " if close and close[1] > 70 else "") +
            f"known endpoints: {', '.join(ENDPOINTS)}", "RK094")
        ok = False
    if "n" in values and values["n"] <= 0:
        err(lines["n"], f"{what}: n must be positive, not {values['n']}", "give the number of patients analysed", "RK095")
        ok = False
    median = values.get("median")
    if median is not None:
        if len(median) != 2 or not all(_number(m) for m in median):
            err(lines["median"], f"{what}: median must be two numbers", _shape_hint("median"), "RK095")
            ok = False
        elif any(m <= 0 for m in median):
            err(lines["median"], f"{what}: medians must be positive, not {median}",
                "give the median in months for each arm", "RK095")
            ok = False
    ci = values.get("ci")
    if ci is not None:
        if len(ci) != 2 or not all(_number(c) for c in ci):
            err(lines["ci"], f"{what}: ci must be two numbers", _shape_hint("ci"), "RK095")
            ok = False
        elif ci[0] <= 0 or ci[1] <= 0:
            err(lines["ci"], f"{what}: confidence limits must be positive, not {ci}",
                "a hazard ratio's confidence limits are above zero", "RK095")
            ok = False
        elif ci[0] >= ci[1]:
            err(lines["ci"], f"{what}: ci must be [low, high], not {ci}",
                f"write it as [{ci[1]}, {ci[0]}]" if ci[0] > ci[1] else "the two limits cannot be equal", "RK095")
            ok = False
    hr = values.get("hr")
    if hr is not None:
        if hr <= 0:
            err(lines["hr"], f"{what}: hr must be positive, not {hr}", "a hazard ratio is above zero", "RK095")
            ok = False
        elif ci is not None and ok and not (ci[0] <= hr <= ci[1]):
            err(lines["hr"], f"{what}: hr {hr} lies outside its ci [{ci[0]}, {ci[1]}]",
                "check both against the cited paper: one of them is mistyped", "RK095")
            ok = False
    rate = values.get("rate")
    if rate is not None and ok and (rate <= 0 or rate > 100 or (ci is not None and not ci[0] <= rate <= ci[1])):
        err(lines["rate"], f"{what}: rate {rate} must be a percentage inside its ci",
            "give the rate in percent, e.g. 50.4 with ci [41.2, 59.6]", "RK095")
        ok = False
    if values.get("plot") and hr is None:
        err(lines["plot"], f"{what}: only a result with a hazard ratio can be plotted",
            "remove 'plot: true' or add hr and ci", "RK095")
        ok = False
    if not ok:
        return None
    return Result(endpoint=endpoint, cohort=values["cohort"], cite=values["cite"], n=values.get("n"),
                  median=tuple(float(m) for m in median) if median else None, hr=hr,
                  ci=tuple(float(c) for c in ci) if ci else None, rate=rate, plot=values.get("plot", False),
                  note=values.get("note", {}), line=line, lines=lines)


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


# ---- checks that need the rest of the project ----

def validate(trials: Trials, languages, bib_keys, hint_key=None) -> list[Diagnostic]:
    """Every text field in every configured language; every citation resolves."""
    out = []
    path = trials.path
    for trial in trials.trials.values():
        for name, texts in trial.texts().items():
            line = _line_of(trial, name)
            bad = [k for k, v in texts.items() if not isinstance(v, str) or not v.strip()]
            missing = [lang for lang in languages if lang not in texts]
            extra = [k for k in texts if k not in languages]
            if missing or bad:
                out.append(error(path, line, 1, "RK096",
                                      f"trial '{trial.id}', {name}: no text in {', '.join(map(str, missing + bad))}",
                                      f"write {name} in every language of the site ({', '.join(languages)})"))
            for lang, text in texts.items():
                if not isinstance(text, str):
                    continue
                for cite in scan("", text).citations:
                    for item in cite.items:
                        if item.key not in bib_keys:
                            out.append(error(path, line, 1, "RK097",
                                                  f"trial '{trial.id}', {name} ({lang}): unknown citation key "
                                                  f"'{item.key}'", hint_key(item.key) if hint_key else
                                                  "add the reference to the bibliography"))
            if extra:
                out.append(error(path, line, 1, "RK096",
                                      f"trial '{trial.id}', {name}: language(s) {', '.join(map(str, extra))} "
                                      f"are not configured", f"the site's languages are {', '.join(languages)}"))
        for i, r in enumerate(trial.results, 1):
            if r.cite not in bib_keys:
                out.append(error(path, r.lines.get("cite", r.line), 1, "RK097",
                                      f"trial '{trial.id}', result {i}: unknown citation key '{r.cite}'",
                                      hint_key(r.cite) if hint_key else "add the reference to the bibliography"))
    return out


def _line_of(trial: Trial, name: str) -> int:
    if name.startswith("results["):
        index = int(name[len("results["):name.index("]")]) - 1
        r = trial.results[index]
        return r.lines.get(name.rsplit(".", 1)[1], r.line)
    return trial.lines.get(name, trial.line)
