"""Parse a file once, and again only when it changes (modification time and size), as
sphinxcontrib-bibtex does: a multi-language build or a live-reload server asks many times."""

from __future__ import annotations

import os

_cache: dict[tuple, tuple[tuple[int, int], object]] = {}


def parsed(root: str, path: str, parse, missing):
    """``parse(path, bytes)`` of ``root/path``, cached; ``missing()`` when the file is absent."""
    full = os.path.join(root, path)
    try:
        st = os.stat(full)
    except OSError:
        return missing()
    stamp = (st.st_mtime_ns, st.st_size)
    key = (full, parse)
    hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    with open(full, "rb") as fh:
        result = parse(path, fh.read())
    _cache[key] = (stamp, result)
    return result
