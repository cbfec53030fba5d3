"""The servers compared, each started as a subprocess on 127.0.0.1: this project, Oxigraph, rdflib-endpoint.

Each server reports how long it took from process start until it answered, and a sampler follows the memory
of its whole process tree (this project's server forks SPARQL worker processes) while it is measured.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import psutil

HOST = "127.0.0.1"
VENV_BIN = Path(sys.executable).parent
JSON_RESULTS = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Run:
    """A finished child process: wall time, exit status and its own peak RSS (from wait4, not the whole tree)."""

    seconds: float
    returncode: int
    peak_rss_mb: float
    output: str


def run_measured(argv: list[str], *, timeout: float, env: dict[str, str] | None = None) -> Run:
    """Run a command to completion, timing it and reading its peak memory from the kernel's accounting."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    out: list[bytes] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read() if proc.stdout else b""), daemon=True)
    reader.start()
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=5)
    text = b"".join(out).decode("utf-8", "replace")
    # ru_maxrss is in KiB on Linux.
    return Run(seconds, proc.returncode, usage.ru_maxrss / 1024, text)


@dataclass
class MemorySampler:
    """Peak RSS of a process and of its whole tree, and peak PSS of the tree (shared pages counted once)."""

    pid: int
    interval: float = 0.25
    peak_rss_mb: float = 0.0
    peak_tree_rss_mb: float = 0.0
    peak_tree_pss_mb: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        rss = pss = 0.0
        for i, p in enumerate(procs):
            try:
                info = p.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
            if i == 0:
                self.peak_rss_mb = max(self.peak_rss_mb, info.rss / 2**20)
        self.peak_tree_rss_mb = max(self.peak_tree_rss_mb, rss / 2**20)
        self.peak_tree_pss_mb = max(self.peak_tree_pss_mb, pss / 2**20)

    def start(self) -> None:
        def loop() -> None:
            while not self._stop.wait(self.interval):
                self.sample()

        self.sample()
        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.sample()


@dataclass
class Server:
    """A running server: where to send SPARQL, how long it took to answer, and its memory."""

    name: str
    base: str
    sparql_path: str
    process: subprocess.Popen[bytes]
    ready_seconds: float
    first_answer_seconds: float
    memory: MemorySampler
    log: Path

    @property
    def sparql_url(self) -> str:
        return self.base + self.sparql_path


class ServerFailedError(RuntimeError):
    """A server exited or did not answer in time; the message ends with the tail of its log."""


def _tail(log: Path) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-2000:]
    except OSError:
        return ""


def _wait_until(proc: subprocess.Popen[bytes], url: str, timeout: float, log: Path, start: float) -> float:
    """Seconds from `start` until `url` answers 200; fail if the process exits or the time runs out."""
    with httpx.Client(timeout=5.0) as client:
        while True:
            if proc.poll() is not None:
                raise ServerFailedError(f"{url}: the server exited with {proc.returncode}\n{_tail(log)}")
            try:
                if client.get(url, headers={"Accept": JSON_RESULTS}).status_code == 200:
                    return time.perf_counter() - start
            except httpx.HTTPError:
                pass
            if time.perf_counter() - start > timeout:
                raise ServerFailedError(f"{url}: no answer after {timeout:g} s\n{_tail(log)}")
            time.sleep(0.01)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started (its own process group)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


ASK = quote("ASK { ?s ?p ?o }")


@contextmanager
def _serve(
    name: str,
    argv: list[str],
    *,
    ready_path: str,
    sparql_path: str,
    port: int,
    log: Path,
    timeout: float,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    base = f"http://{HOST}:{port}"
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        ready = _wait_until(proc, base + ready_path, timeout, log, start)
        first = _wait_until(proc, f"{base}{sparql_path}?query={ASK}", timeout, log, start)
        memory = MemorySampler(proc.pid)
        memory.start()
        try:
            yield Server(name, base, sparql_path, proc, ready, first, memory, log)
        finally:
            memory.stop()
    finally:
        _stop(proc)


# Every benchmark client comes from 127.0.0.1, so the per-client limits (4 queries at once, 50 requests a second)
# would refuse most of the load; they are lifted for the benchmark and the report says so.
TECHCURBS_ENV = {"TECHCURBS_MAX_CONCURRENT_PER_CLIENT": "256", "TECHCURBS_RATE_LIMIT_PER_SECOND": "0"}


@contextmanager
def techcurbs(
    store: Path,
    log: Path,
    *,
    timeout: float = 120.0,
    extra_path: Path | None = None,
    settings: dict[str, str] | None = None,
) -> Iterator[Server]:
    """`techcurbs serve` on a built store; `extra_path` goes on PYTHONPATH (packages the project lacks) and
    `settings` adds TECHCURBS_* variables."""
    port = free_port()
    env = {**os.environ, **TECHCURBS_ENV, **(settings or {})}
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(extra_path), env.get("PYTHONPATH", "")) if p)
    argv = [str(VENV_BIN / "techcurbs"), "serve", "--store", str(store), "--port", str(port)]
    with _serve(
        "techcurbs", argv, ready_path="/healthz", sparql_path="/sparql", port=port, log=log, timeout=timeout, env=env
    ) as server:
        yield server


def oxigraph_binary() -> str:
    found = VENV_BIN / "oxigraph"
    return str(found) if found.exists() else (shutil.which("oxigraph") or "oxigraph")


def oxigraph_load(nquads: Path, location: Path, *, timeout: float = 600.0) -> Run:
    """`oxigraph load` of the same N-Quads into a fresh directory."""
    shutil.rmtree(location, ignore_errors=True)
    return run_measured(
        [oxigraph_binary(), "load", "--location", str(location), "--file", str(nquads)], timeout=timeout
    )


@contextmanager
def oxigraph(location: Path, log: Path, *, timeout: float = 120.0) -> Iterator[Server]:
    """`oxigraph serve-read-only` on a loaded directory."""
    port = free_port()
    argv = [oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind", f"{HOST}:{port}"]
    with _serve(
        "oxigraph", argv, ready_path=f"/query?query={ASK}", sparql_path="/query", port=port, log=log, timeout=timeout
    ) as server:
        yield server


@contextmanager
def rdflib_endpoint(nquads: Path, log: Path, *, timeout: float = 600.0) -> Iterator[Server]:
    """rdflib-endpoint serving an rdflib Dataset of the same N-Quads (everything is in the default graph)."""
    port = free_port()
    argv = [sys.executable, "-m", "benchmarks.rdflib_server", str(nquads), str(port)]
    with _serve(
        "rdflib-endpoint", argv, ready_path=f"/?query={ASK}", sparql_path="/", port=port, log=log, timeout=timeout
    ) as server:
        yield server
