"""Offsets to line:column, and reading files the way contributors save them."""

from __future__ import annotations

import bisect


class LineIndex:
    """Maps a character offset to a 1-based (line, column)."""

    def __init__(self, text: str):
        self.starts = [0]
        i = text.find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = text.find("\n", i + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


class NotUtf8(ValueError):
    def __init__(self, line: int, col: int):
        super().__init__(f"not valid UTF-8 at line {line}, column {col}")
        self.line, self.col = line, col


def decode(data: bytes) -> str:
    """UTF-8 text with a byte-order mark dropped and CRLF/CR folded to LF.

    Offsets then match what an editor shows (it hides both).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        col = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise NotUtf8(line, col) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
