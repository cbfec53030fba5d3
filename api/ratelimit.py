"""Per-client request limiting, so that one client's flood cannot slow everyone else down.

Each client (its address, or the first X-Forwarded-For hop when the server sits behind a trusted proxy) has a
token bucket: `rate` requests a second with bursts up to `burst`. A request beyond it is answered 429 with
Retry-After, in the one error envelope, before any work is done.
"""

from __future__ import annotations

import json
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from starlette.types import ASGIApp, Receive, Scope, Send

EXEMPT_PREFIXES = ("/healthz",)
MAX_CLIENTS = 100_000


@dataclass
class Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Token buckets by client key, bounded in number (the least recently seen are forgotten first)."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()
        self._lock = Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Spend one token; return 0 when allowed, else the seconds until a token is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.pop(key, None) or Bucket(float(self.burst), now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            self._buckets[key] = bucket
            if len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate


def client_key(scope: Scope, trust_forwarded: bool) -> str:
    if trust_forwarded:
        for name, value in scope.get("headers", []):
            if name == b"x-forwarded-for":
                return str(value.decode("latin-1").split(",")[0].strip())
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimit:
    """ASGI middleware applying TokenBuckets to every HTTP request but health checks."""

    def __init__(self, app: ASGIApp, *, buckets: TokenBuckets, trust_forwarded: bool = False) -> None:
        self.app = app
        self.buckets = buckets
        self.trust_forwarded = trust_forwarded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(client_key(scope, self.trust_forwarded))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            {"error": "too_many_requests", "detail": "too many requests from this client; slow down", "status": 429}
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"retry-after", str(max(1, math.ceil(wait))).encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body})
