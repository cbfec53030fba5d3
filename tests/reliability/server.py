"""A real server process on loopback for the reliability tests, with its memory read from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import free_port


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen[bytes]

    def descendants(self) -> list[int]:
        found: list[int] = []
        todo = [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*"):
                children = task / "children"
                if children.exists():
                    todo.extend(int(c) for c in children.read_text().split())
        return found

    def rss_bytes(self) -> int:
        """Resident memory of the server and every process it started (query workers)."""
        total = 0
        for pid in self.descendants():
            status = Path(f"/proc/{pid}/status")
            if not status.exists():
                continue
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        return total


@contextmanager
def serve(store: Path, **env: str) -> Iterator[ServerProcess]:
    """Run `techcurbs serve` on a free loopback port until the block ends."""
    port = free_port()
    environment = {**os.environ, **{f"TECHCURBS_{k.upper()}": v for k, v in env.items()}}
    command = [sys.executable, "-m", "graph.cli", "serve", "--store", str(store), "--port", str(port)]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield ServerProcess(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
