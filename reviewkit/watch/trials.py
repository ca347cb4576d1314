"""Which trials the site names, and when the site last checked each one's registry record.

The date comes from the project's trials file (``registry: {status, checked}`` per trial, as
reviewkit.trials reads it) when the project has one, else from registry-checks.yml
(``NCT...: {checked: YYYY-MM-DD, status: ...}``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from ..project import Project

NCT = re.compile(r"\bNCT\d{8}\b")
FALLBACK = "registry-checks.yml"


@dataclass(frozen=True)
class Checked:
    """When the site last read a trial's registry record, and what it found."""
    checked: str = ""  # YYYY-MM-DD, or "" when no date is recorded
    status: str = ""
    file: str = ""  # where it is recorded


def site_ncts(project: Project, checked: dict[str, Checked]) -> list[str]:
    """Every trial the pages or the glossary name, and every one with a recorded check."""
    found = set(checked)
    for page in project.pages.values():
        found |= set(NCT.findall(page.text))
    for drug in project.glossary.drugs.values():
        for trial in drug.trials:
            if NCT.fullmatch(trial.nct):
                found.add(trial.nct)
    return sorted(found)


def _date(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    value = str(value or "")
    return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else ""


def _read(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None


def _trials_file(project: Project) -> str | None:
    """The project's trials file (as mkdocs.yml names it), when it exists."""
    path = project.settings.trials
    return path if path and os.path.exists(os.path.join(project.settings.root, path)) else None


def where(project: Project) -> str:
    """How to record a check, in the file this project uses."""
    path = _trials_file(project)
    if path:
        return f"registry.checked in {path}"
    return f"'NCT…: {{checked: YYYY-MM-DD, status: …}}' in {FALLBACK}"


def last_checked(project: Project) -> dict[str, Checked]:
    """NCT -> when the site last checked its record."""
    root = project.settings.root
    path = _trials_file(project)
    if path:
        # The project's own parse, the one the checks and the trials table use: the watch cannot
        # read the file differently from the site.
        out = {}
        for trial in (project.trials.trials.values() if project.trials else ()):
            reg = trial.registry
            out[trial.nct] = Checked(reg.checked.isoformat() if reg and reg.checked else "",
                                     reg.status if reg else "", path)
        return out
    out = {}
    data = _read(os.path.join(root, FALLBACK))
    if isinstance(data, dict):
        for nct, value in data.items():
            if NCT.fullmatch(str(nct)) and isinstance(value, dict):
                out[str(nct)] = Checked(_date(value.get("checked")), str(value.get("status") or ""), FALLBACK)
    return out
