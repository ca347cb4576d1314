"""Which trials the site names, and when the site last checked each one's registry record.

The date comes from trials.yml (``registry: {status, checked}`` per trial) when the project has
it, else from registry-checks.yml (``NCT...: {checked: YYYY-MM-DD, status: ...}``).
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
TRIALS = "trials.yml"
FALLBACK = "registry-checks.yml"


@dataclass(frozen=True)
class Checked:
    """When the site last read a trial's registry record, and what it found."""
    checked: str = ""  # YYYY-MM-DD, or "" when no date is recorded
    status: str = ""
    file: str = ""  # where it is recorded


def site_ncts(project: Project) -> list[str]:
    found = set()
    for page in project.pages.values():
        found |= set(NCT.findall(page.text))
    for drug in project.glossary.drugs.values():
        for trial in drug.trials:
            if NCT.fullmatch(trial.nct):
                found.add(trial.nct)
    found |= set(last_checked(project.settings.root))
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


def where(root: str) -> str:
    """How to record a check, in the file this project uses."""
    if os.path.exists(os.path.join(root, TRIALS)):
        return f"registry.checked in {TRIALS}"
    return f"'NCT…: {{checked: YYYY-MM-DD, status: …}}' in {FALLBACK}"


def last_checked(root: str) -> dict[str, Checked]:
    """NCT -> when the site last checked its record."""
    out = {}
    data = _read(os.path.join(root, TRIALS))
    if data is not None:
        items = data.get("trials", data) if isinstance(data, dict) else data
        if isinstance(items, dict):  # keyed by name or id
            items = [dict(v, **({"nct": k} if NCT.fullmatch(str(k)) and "nct" not in v else {}))
                     for k, v in items.items() if isinstance(v, dict)]
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not NCT.fullmatch(str(item.get("nct", ""))):
                continue
            registry = item.get("registry")
            if not isinstance(registry, dict):
                registry = {}
            out[item["nct"]] = Checked(_date(registry.get("checked")), str(registry.get("status") or ""), TRIALS)
        return out
    data = _read(os.path.join(root, FALLBACK))
    if isinstance(data, dict):
        for nct, value in data.items():
            if NCT.fullmatch(str(nct)) and isinstance(value, dict):
                out[str(nct)] = Checked(_date(value.get("checked")), str(value.get("status") or ""), FALLBACK)
    return out
