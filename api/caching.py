"""Conditional requests and a bounded answer cache, sound because the graph never changes between builds.

Every GET answer is a function of the build, the server's settings, the URL and the headers it varies on, so
its ETag is derived from those before any work is done: a matching If-None-Match is answered 304 at once, and a
repeated request is answered from memory. Only complete 200 answers are kept, each within a size bound, and the
least recently used go first when the cache is full.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Headers an answer may differ by; they are part of the cache key and named in Vary.
VARY = ("accept", "accept-encoding", "origin")
# Answers that must always be computed afresh.
UNCACHED_PREFIXES = ("/healthz", "/metrics")


@dataclass(frozen=True)
class CachedAnswer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class AnswerCache:
    """A least-recently-used map of answers, bounded by total bytes."""

    def __init__(self, max_bytes: int, max_entry_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._size = 0
        self._lock = Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: str, answer: CachedAnswer) -> None:
        if len(answer.body) > self.max_entry_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._entries[key] = answer
            self._size += len(answer.body)
            while self._size > self.max_bytes and self._entries:
                _key, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted.body)

    @property
    def size(self) -> int:
        return self._size


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return b""


class ConditionalCache:
    """ASGI middleware: ETag on every GET, 304 for a match, answers kept in an AnswerCache."""

    def __init__(self, app: ASGIApp, *, build: str, cache: AnswerCache) -> None:
        self.app = app
        self.build = build
        self.cache = cache

    def _key(self, scope: Scope) -> str:
        # The scheme and Host make the base URL that VoID, the service description and relative IRIs are written
        # with: without them one request with a forged Host would poison the answer every other client gets.
        origin = [str(scope.get("scheme", "")), _header(scope, b"host").decode("latin-1")]
        parts = [self.build, scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"), *origin]
        parts.extend(_header(scope, name.encode()).decode("latin-1") for name in VARY)
        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:32]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cacheable = scope["type"] == "http" and scope["method"] in ("GET", "HEAD")
        if not cacheable or scope["path"].startswith(UNCACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        key = self._key(scope)
        etag = f'"{key}"'.encode()
        if etag in [t.strip() for t in _header(scope, b"if-none-match").split(b",")]:
            await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag)]})
            await send({"type": "http.response.body", "body": b""})
            return
        cached = self.cache.get(key)
        if cached is not None:
            await send({"type": "http.response.start", "status": cached.status, "headers": cached.headers})
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else cached.body})
            return
        await self._through(scope, receive, send, key, etag)

    async def _through(self, scope: Scope, receive: Receive, send: Send, key: str, etag: bytes) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        keep = scope["method"] == "GET"

        async def capture(message: Message) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in (b"etag", b"vary")]
                if message["status"] == 200:
                    headers += [(b"etag", etag), (b"vary", ", ".join(v.title() for v in VARY).encode())]
                    if not any(k.lower() == b"cache-control" for k, _ in headers):
                        headers += [(b"cache-control", b"public, max-age=0, must-revalidate")]
                else:
                    keep = False
                start = {**message, "headers": headers}
                await send(start)
                return
            if message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.cache.max_entry_bytes:
                    keep = False
                    chunks.clear()
                if not message.get("more_body", False) and keep and start is not None:
                    self.cache.put(key, CachedAnswer(200, list(start["headers"]), b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)
