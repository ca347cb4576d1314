"""Closest spellings for hints ("did you mean ...?"): rapidfuzz's ``process``, imported on first
use, since only a project with a mistake needs it and every build would pay for the import."""

from __future__ import annotations

from typing import Any


class _Process:
    def __getattr__(self, name: str) -> Any:
        from rapidfuzz import process as real

        return getattr(real, name)


process = _Process()
