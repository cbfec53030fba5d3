"""Assertions shared by the security tests."""

from __future__ import annotations

import json
import socket


def assert_envelope(status: int, content_type: str, body: bytes) -> None:
    """An error body is JSON with exactly error, detail and status, and status is the HTTP status."""
    assert content_type.startswith("application/json"), (status, content_type, body[:200])
    document = json.loads(body)
    assert set(document) == {"error", "detail", "status"}, document
    assert document["status"] == status, document
    assert isinstance(document["error"], str) and document["error"], document


def raw_exchange(url: str, request: bytes, timeout: float = 10.0) -> bytes:
    """Send bytes as they are (no client normalises them) and read what comes back until the server closes.

    A server that closes while the request is still being sent (the client gets a reset) answers b"".
    """
    host, port = url.removeprefix("http://").split(":")
    received = b""
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        try:
            sock.sendall(request)
            while chunk := sock.recv(65536):
                received += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass
    return received


def status_of(response: bytes) -> int:
    """The status code of a raw HTTP/1.1 response."""
    return int(response.split(b" ", 2)[1])
