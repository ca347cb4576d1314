"""A small, polite HTTP client: per-service rate limits, retries with backoff, a disk cache.

Only the standard library: three services, GET only, and we want the failures in our hands.
Every failure ends as ``FetchError`` with a sentence for the report, never a traceback.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DAY = 24 * 3600
# Parameters that must never reach the cache key or a report (NCBI's key is a secret of the runner).
SECRET_PARAMS = frozenset({"api_key"})
# Answers worth keeping: a record, or the service's definite "no such record" / "bad request".
CACHEABLE = frozenset({200, 400, 404})


class FetchError(Exception):
    """The service could not be asked or gave no usable answer; ``str()`` says where and why,
    ``reason`` only why (for a report line that names its source already)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason or message

    @classmethod
    def at(cls, url: str, reason: str) -> FetchError:
        return cls(f"{url}: {reason}", reason)


@dataclass(frozen=True)
class Response:
    url: str  # without secret parameters: safe to print
    status: int
    body: bytes
    headers: dict[str, str]  # names in lower case
    cached: bool = False

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise FetchError.at(self.url, f"malformed JSON ({exc})") from None


class RateLimit:
    """At most one request per ``interval`` seconds, shared by the threads asking one service."""

    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self, sleep: Callable[[float], None] = time.sleep) -> None:
        with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            sleep(delay)

    def obey_crossref(self, headers: dict[str, str]) -> None:
        """Crossref says its limit in x-rate-limit-limit (requests) per x-rate-limit-interval ('1s')."""
        try:
            limit = int(headers.get("x-rate-limit-limit", ""))
            interval = float(str(headers.get("x-rate-limit-interval", "")).rstrip("s"))
        except ValueError:
            return
        if limit > 0 and interval > 0:
            self.interval = max(self.interval, interval / limit)


def _safe_url(url: str, params: dict[str, str]) -> str:
    shown = {k: v for k, v in params.items() if k not in SECRET_PARAMS}
    return url + ("?" + urllib.parse.urlencode(shown) if shown else "")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Client:
    """GET with a cache on disk (``cache_dir``; expiry ``ttl`` seconds) and polite retries.

    ``requests`` counts what went over the network, ``cache_hits`` what did not.
    """

    def __init__(self, cache_dir: str | None, ttl: float = DAY, refresh: bool = False, timeout: float = 20.0,
                 retries: int = 3, user_agent: str = "reviewkit-watch", max_wait: float = 60.0,
                 backoff: float = 1.0, sleep: Callable[[float], None] = time.sleep):
        self.cache_dir, self.ttl, self.refresh = cache_dir, ttl, refresh
        self.timeout, self.retries, self.max_wait, self.backoff = timeout, retries, max_wait, backoff
        self.user_agent = user_agent
        self.sleep = sleep
        self.requests = 0
        self.cache_hits = 0
        self._count_lock = threading.Lock()

    # ---- cache ----
    def _cache_path(self, key: str) -> str | None:
        if not self.cache_dir:
            return None
        return os.path.join(self.cache_dir, hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + ".json")

    def _cached(self, key: str) -> Response | None:
        path = self._cache_path(key)
        if not path or self.refresh:
            return None
        try:
            with open(path, encoding="utf-8") as fh:
                item = json.load(fh)
            if time.time() - float(item["time"]) > self.ttl or item["key"] != key:
                return None
            return Response(item["url"], int(item["status"]), item["body"].encode("utf-8"), item.get("headers", {}),
                            cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no entry, or one we cannot read: ask again

    def _store(self, key: str, response: Response) -> None:
        path = self._cache_path(key)
        if not path or response.status not in CACHEABLE:
            return
        try:
            body = response.body.decode("utf-8")
        except UnicodeDecodeError:
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"key": key, "url": response.url, "time": time.time(), "status": response.status,
                       "headers": response.headers, "body": body}, fh)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old entry or the new one

    # ---- network ----
    def get(self, url: str, params: dict[str, str] | None = None, limit: RateLimit | None = None,
            headers: dict[str, str] | None = None, validate: Callable[[Response], object] | None = None) -> Response:
        """The answer (any status the caller should judge: 2xx, 400, 404); ``FetchError`` otherwise.

        ``validate(response)`` raises ``FetchError`` for a 200 answer that cannot be used (malformed
        JSON or XML): such an answer is never cached, so the next run asks again.
        """
        params = dict(params or {})
        shown = _safe_url(url, params)
        cached = self._cached(shown)
        if cached is not None:
            with self._count_lock:
                self.cache_hits += 1
            return cached
        full = url + ("?" + urllib.parse.urlencode(params) if params else "")
        request = urllib.request.Request(full, headers={"User-Agent": self.user_agent, "Accept-Encoding": "identity",
                                                        **(headers or {})})
        problem = ""
        for attempt in range(self.retries + 1):
            if limit:
                limit.wait(self.sleep)
            with self._count_lock:
                self.requests += 1
            wait = None
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                    response = Response(shown, answer.status, answer.read(), {k.lower(): v for k, v in answer.headers.items()})
            except urllib.error.HTTPError as err:
                try:
                    body = err.read()
                except (TimeoutError, OSError):
                    body = b""
                response = Response(shown, err.code, body, {k.lower(): v for k, v in (err.headers or {}).items()})
            except TimeoutError:
                problem = f"no answer within {self.timeout:g} s"
                response = None
            except urllib.error.URLError as err:
                reason = err.reason
                if isinstance(reason, (socket.timeout, TimeoutError)):
                    problem = f"no answer within {self.timeout:g} s"
                else:
                    problem = f"cannot connect ({reason})"
                response = None
            except (OSError, ValueError) as err:  # connection reset, bad status line, ...
                problem = f"connection failed ({err.__class__.__name__}: {err})"
                response = None
            if response is not None:
                if limit and "x-rate-limit-limit" in response.headers:
                    limit.obey_crossref(response.headers)
                if response.status == 429 or response.status >= 500:
                    problem = f"HTTP {response.status}"
                    wait = _retry_after(response.headers.get("retry-after"))
                    if wait is not None and wait > self.max_wait:
                        raise FetchError.at(shown, f"HTTP {response.status}, asked to wait {wait:.0f} s "
                                            f"(more than {self.max_wait:.0f} s)")
                else:
                    if validate is not None and response.status == 200:
                        validate(response)
                    self._store(shown, response)
                    return response
            if attempt < self.retries:
                self.sleep(wait if wait is not None else self.backoff * 2 ** attempt)
        raise FetchError.at(shown, f"{problem} after {self.retries + 1} attempt(s)")
