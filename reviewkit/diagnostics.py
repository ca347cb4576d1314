"""One diagnostic format for the command line, the MkDocs build and GitHub annotations."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from .textpos import NotUtf8


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the project root, '/' separated
    line: int  # 1-based; 0 when the problem has no line (a missing file)
    col: int  # 1-based, in characters
    severity: str  # "error" | "warning"
    code: str  # RK001 ...: links to the error page and lets contributors search
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"

    def format(self) -> str:
        text = f"{self.location()}: {self.severity}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text + f"\n  see: {self.help_url()}"

    def help_url(self) -> str:
        """Every code has its entry in the contributor guide's table of messages."""
        return f"CONTRIBUTING.md#{self.code.lower()}"

    def annotation(self) -> str:
        """A GitHub Actions workflow command, so the error shows on the pull request's diff."""
        kind = "error" if self.is_error else "warning"
        props = [f"file={_escape_prop(self.path)}"]
        if self.line > 0:
            props += [f"line={self.line}", f"col={self.col}"]
        props.append(f"title={self.code}")
        body = self.message + (f" — hint: {self.hint}" if self.hint else "")
        return f"::{kind} {','.join(props)}::{_escape_data(body)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def error(path: str, line: int, col: int, code: str, message: str, hint: str = "") -> Diagnostic:
    """An error at ``path:line:col``; ``code`` is registered in ``codes.CODES`` (a test checks)."""
    return Diagnostic(path, line, col, "error", code, message, hint)


def warning(path: str, line: int, col: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, col, "warning", code, message, hint)


def not_utf8(path: str, exc: NotUtf8, hint: str = "save the file as UTF-8") -> Diagnostic:
    """RK001 at the first byte that is not UTF-8."""
    return error(path, exc.line, exc.col, "RK001", "file is not valid UTF-8", hint)


def yaml_position(exc: Exception, line_offset: int = 0) -> tuple[int, int, str]:
    """(line, col, problem) of a YAML error (or of a file that is not UTF-8): where PyYAML saw it,
    ``line_offset`` lines below the start of the text it read."""
    if isinstance(exc, NotUtf8):
        return exc.line, exc.col, "file is not valid UTF-8"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return line + line_offset, col, str(getattr(exc, "problem", None) or exc)


def yaml_error(path: str, exc: Exception, code: str, message: str, hint: str, line_offset: int = 0) -> Diagnostic:
    """A file that PyYAML cannot read: ``message`` may hold ``{problem}``, PyYAML's words."""
    line, col, problem = yaml_position(exc, line_offset)
    return error(path, line, col, code, message.format(problem=problem), hint)


def unique(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted, each message once (a multi-language build may meet the same problem twice)."""
    return sorted(set(diags))


def report(diags: Iterable[Diagnostic], stream: TextIO, annotations: bool | None = None) -> None:
    if annotations is None:
        annotations = os.environ.get("GITHUB_ACTIONS") == "true"
    for d in diags:
        print(d.format(), file=stream)
        if annotations:
            print(d.annotation(), file=stream)
