"""Parse a file once, and again only when it changes (modification time and size), as
sphinxcontrib-bibtex does: a multi-language build or a live-reload server asks many times."""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

_cache: dict[tuple[Any, ...], tuple[tuple[int, int], Any]] = {}


def parsed(root: str, path: str, parse: Callable[..., T], missing: Callable[[], T], *args: Hashable) -> T:
    """``parse(path, bytes, *args)`` of ``root/path``, cached; ``missing()`` when the file is absent."""
    full = os.path.join(root, path)
    try:
        st = os.stat(full)
    except OSError:
        return missing()
    stamp = (st.st_mtime_ns, st.st_size)
    key = (full, parse, args)
    hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    with open(full, "rb") as fh:
        result = parse(path, fh.read(), *args)
    _cache[key] = (stamp, result)
    return result
