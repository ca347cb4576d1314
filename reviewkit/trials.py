"""trials.yml: one entry per trial, every text field in every configured language, every
result with its source.

Parsed with PyYAML's composer, as glossary.yml is, so every field keeps its line and every
message names ``trials.yml:line``. Structure is checked when the file is parsed; what needs the
rest of the project (the configured languages, the bibliography) is checked in ``validate``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Collection, Container, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from . import filecache
from .diagnostics import Diagnostic, error, not_utf8, yaml_error
from .fuzzy import process
from .scanner import scan
from .textpos import NotUtf8, decode
from .yamlnodes import scalar as _scalar
from .yamlnodes import value as _value

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

Texts = dict[str, str]  # language code -> text (every configured language: checked in validate)


class _Err(Protocol):
    def __call__(self, line: int, message: str, hint: str, code: str = ..., col: int = ...) -> None: ...


@dataclass(frozen=True)
class Result:
    endpoint: str
    cohort: Texts
    cite: str
    n: int | None = None
    median: tuple[float, float] | None = None  # (experimental, control), months
    hr: float | None = None
    ci: tuple[float, float] | None = None  # (low, high): of the HR, or of the rate in percent
    rate: float | None = None  # percent, for rate endpoints
    plot: bool = False  # drawn in the forest plot of pivotal results
    note: Texts = field(default_factory=dict)
    line: int = 0
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)  # field -> line


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
    design: Texts
    arms: Texts
    population: Texts
    endpoints: Texts
    summary: Texts = field(default_factory=dict)
    registry: Registry | None = None
    results: tuple[Result, ...] = ()
    line: int = 0
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)  # field -> line

    @property
    def anchor(self) -> str:
        return "trial-" + self.id.lower()

    def texts(self) -> dict[str, Texts]:
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
    trials: dict[str, Trial]  # id -> Trial, in file order
    problems: tuple[Diagnostic, ...]

    def by_nct(self) -> dict[str, Trial]:
        return {t.nct: t for t in self.trials.values()}


def load(path: str, root: str) -> Trials:
    """The trials file, or an empty set when the project has none (it is optional)."""
    return filecache.parsed(root, path, parse, lambda: Trials(path, {}, ()))


def parse(path: str, data: bytes) -> Trials:
    global PARSE_COUNT
    PARSE_COUNT += 1
    problems: list[Diagnostic] = []

    def err(line: int, message: str, hint: str, code: str = "RK091", col: int = 1) -> None:
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


def _suggest(word: str, choices: Collection[str]) -> str:
    """"did you mean 'X'? " for a close choice, else ""."""
    close = process.extractOne(word, list(choices))
    return f"did you mean '{close[0]}'? " if close and close[1] > 70 else ""


def _fields(node: yaml.Node, spec: Mapping[str, type], what: str,
            err: _Err) -> tuple[dict[str, Any], dict[str, int]] | None:
    """A mapping node's fields checked against ``spec`` -> (values, field lines)."""
    if not isinstance(node, yaml.MappingNode):
        err(node.start_mark.line + 1, f"{what} must be a mapping of fields",
            "indent its fields (name: value) under it", "RK090")
        return None
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for k, v in node.value:
        name = _scalar(k)
        line = k.start_mark.line + 1
        if name in values:
            err(line, f"{what}: field '{name}' appears twice", "keep one of them", "RK090")
            continue
        if name not in spec:
            hint = _suggest(str(name), spec).rstrip() or f"allowed fields: {', '.join(spec)}"
            err(line, f"{what}: unknown field '{name}'", hint, "RK090")
            continue
        value = _value(v)
        want = spec[name]
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if want is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, want) or (want is str and not str(value).strip()) or \
                (want is int and isinstance(value, bool)):
            err(line, f"{what}: field '{name}' must be {_type_name(want)}", _shape_hint(name), "RK090")
            continue
        values[name], lines[name] = value, line
    return values, lines


def _type_name(t: type) -> str:
    return {str: "text", int: "a whole number", float: "a number", list: "a list", bool: "true or false",
            dict: "a mapping of language codes to text ({en: ..., zh: ...})",
            _dt.date: "a date (YYYY-MM-DD)"}[t]


def _shape_hint(name: str) -> str:
    return {"median": "write it as [experimental, control] in months, e.g. [11.0, 5.7]",
            "ci": "write it as [low, high], e.g. [0.50, 0.85]",
            "registry": "write it as {status: RECRUITING, updated: 2025-12-23, checked: 2026-11-30}",
            "results": "start each result with '- endpoint: PFS'"}.get(name, "see an existing entry for the expected shape")


def _trial(node: yaml.Node, err: _Err) -> Trial | None:
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
    results: list[Result] = []
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


def _registry(name: str, value: dict[str, Any], line: int, err: _Err) -> Registry | None:
    bad = set(value) - set(REGISTRY_FIELDS)
    if bad or "status" not in value:
        err(line, f"trial '{name}': registry needs status, and may have updated and checked"
            + (f" (unknown: {', '.join(sorted(map(str, bad)))})" if bad else ""), _shape_hint("registry"), "RK090")
        return None
    if value["status"] not in STATUSES:
        err(line, f"trial '{name}': registry status '{value['status']}' is not one ClinicalTrials.gov uses",
            _suggest(str(value["status"]), STATUSES) + f"write it as the registry does: {', '.join(STATUSES)}", "RK091")
        return None
    for key in ("updated", "checked"):
        if key in value and not isinstance(value[key], _dt.date):
            err(line, f"trial '{name}': registry {key} must be a date (YYYY-MM-DD)",
                "e.g. checked: 2026-11-30", "RK091")
            return None
    return Registry(value["status"], value.get("updated"), value.get("checked"), line)


def _result(name: str, index: int, node: yaml.Node, err: _Err) -> Result | None:
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
    failed: list[str] = []  # the fields found wrong so far

    def bad(field: str, message: str, hint: str, code: str = "RK095") -> None:
        failed.append(field)
        err(lines[field], f"{what}: {message}", hint, code)

    endpoint = values["endpoint"]
    if endpoint not in ENDPOINTS:
        bad("endpoint", f"unknown endpoint '{endpoint}'",
            _suggest(endpoint, ENDPOINTS) + f"known endpoints: {', '.join(ENDPOINTS)}", "RK094")
    if "n" in values and values["n"] <= 0:
        bad("n", f"n must be positive, not {values['n']}", "give the number of patients analysed")
    median = values.get("median")
    if median is not None:
        if not _pair(median):
            bad("median", "median must be two numbers", _shape_hint("median"))
        elif any(m <= 0 for m in median):
            bad("median", f"medians must be positive, not {median}", "give the median in months for each arm")
    ci = values.get("ci")
    if ci is not None:
        if not _pair(ci):
            bad("ci", "ci must be two numbers", _shape_hint("ci"))
        elif ci[0] <= 0 or ci[1] <= 0:
            bad("ci", f"confidence limits must be positive, not {ci}", "a hazard ratio's confidence limits are above zero")
        elif ci[0] >= ci[1]:
            bad("ci", f"ci must be [low, high], not {ci}",
                f"write it as [{ci[1]}, {ci[0]}]" if ci[0] > ci[1] else "the two limits cannot be equal")
    hr = values.get("hr")
    if hr is not None:
        if hr <= 0:
            bad("hr", f"hr must be positive, not {hr}", "a hazard ratio is above zero")
        elif ci is not None and not failed and not (ci[0] <= hr <= ci[1]):
            bad("hr", f"hr {hr} lies outside its ci [{ci[0]}, {ci[1]}]",
                "check both against the cited paper: one of them is mistyped")
    rate = values.get("rate")
    if rate is not None and not failed and (rate <= 0 or rate > 100 or (ci is not None and not ci[0] <= rate <= ci[1])):
        bad("rate", f"rate {rate} must be a percentage inside its ci",
            "give the rate in percent, e.g. 50.4 with ci [41.2, 59.6]")
    if values.get("plot") and hr is None:
        bad("plot", "only a result with a hazard ratio can be plotted", "remove 'plot: true' or add hr and ci")
    if failed:
        return None
    return Result(endpoint=endpoint, cohort=values["cohort"], cite=values["cite"], n=values.get("n"),
                  median=_floats(median), hr=hr, ci=_floats(ci), rate=rate, plot=values.get("plot", False),
                  note=values.get("note", {}), line=line, lines=lines)


def _number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _pair(value: list[Any]) -> bool:
    """[a, b]: two numbers (a median per arm, or a confidence interval)."""
    return len(value) == 2 and all(_number(x) for x in value)


def _floats(pair: list[Any] | None) -> tuple[float, float] | None:
    return (float(pair[0]), float(pair[1])) if pair else None


# ---- checks that need the rest of the project ----

def validate(trials: Trials, languages: Sequence[str], bib_keys: Container[str],
             hint_key: Callable[[str], str] | None = None) -> list[Diagnostic]:
    """Every text field in every configured language; every citation resolves."""
    out = []
    path = trials.path

    def unknown_key(trial: Trial, line: int, where: str, key: str) -> None:
        out.append(error(path, line, 1, "RK097", f"trial '{trial.id}', {where}: unknown citation key '{key}'",
                         hint_key(key) if hint_key else "add the reference to the bibliography"))

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
                            unknown_key(trial, line, f"{name} ({lang})", item.key)
            if extra:
                out.append(error(path, line, 1, "RK096",
                                 f"trial '{trial.id}', {name}: language(s) {', '.join(map(str, extra))} "
                                 f"are not configured", f"the site's languages are {', '.join(languages)}"))
        for i, r in enumerate(trial.results, 1):
            if r.cite not in bib_keys:
                unknown_key(trial, r.lines.get("cite", r.line), f"result {i}", r.cite)
    return out


def _line_of(trial: Trial, name: str) -> int:
    if name.startswith("results["):
        index = int(name[len("results["):name.index("]")]) - 1
        r = trial.results[index]
        return r.lines.get(name.rsplit(".", 1)[1], r.line)
    return trial.lines.get(name, trial.line)
