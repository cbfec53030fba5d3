"""A pool of worker processes with hard deadlines: a worker past its deadline is killed and replaced.

Callers are request threads; the pool uses only thread-safe primitives, so it serves any event loop.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import queue
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path

from api.sparql.worker import Failure, Job, Ready, Reply, main

log = logging.getLogger("techcurbs.sparql")
BOOT_SECONDS = 60.0


def _context() -> ForkServerContext:
    """Fork workers from a clean server process that has already imported the engine, so a new worker is quick."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["api.sparql.worker"])
    return context


class WorkerTimeoutError(Exception):
    """The query ran past its deadline; its worker was killed."""


class PoolBusyError(Exception):
    """No worker became free in time."""


class WorkerLostError(Exception):
    """The worker died while running the query (killed by the system, out of memory, crashed)."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(BOOT_SECONDS):
            raise WorkerLostError("a query worker did not start in time")
        message = self.conn.recv()
        if isinstance(message, Failure):
            raise WorkerLostError(message.message)
        assert isinstance(message, Ready)
        self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """`size` worker processes over one store; started on first use, restarted after `close`."""

    def __init__(
        self, store_path: Path, size: int, allowlist: tuple[str, ...], endpoint: str = "", timeout: float = 10.0
    ) -> None:
        self.store_path = store_path
        self.endpoint = endpoint
        self.timeout = timeout
        self.size = size
        self.allowlist = allowlist
        self._lock = threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._spool: Path | None = None
        self._registered = False
        self.kills = 0

    def _spawn(self) -> _Worker:
        parent, child = _context().Pipe()
        process = _context().Process(
            target=main,
            args=(child, str(self.store_path), self.allowlist, self.endpoint, self.timeout),
            daemon=True,
            name="sparql-worker",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _ensure_started(self) -> Path:
        with self._lock:
            if self._spool is not None:
                return self._spool
            self._spool = Path(tempfile.mkdtemp(prefix="techcurbs-sparql-"))
            spool = self._spool
        for _ in range(self.size):
            self._idle.put(self._spawn())
        if not self._registered:
            atexit.register(self.close)
            self._registered = True
        return spool

    def result_path(self) -> Path:
        """A fresh file name in the pool's spool directory."""
        return self._ensure_started() / uuid.uuid4().hex

    def run(self, job: Job, timeout: float) -> Reply:
        """Run a job on a free worker; kill the worker if it has not answered after `timeout` seconds."""
        self._ensure_started()
        try:
            worker: _Worker | None = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusyError(f"every query worker stayed busy for {timeout:g} s") from None
        try:
            assert worker is not None
            worker.wait_ready()
            worker.conn.send(job)
            started = time.monotonic()
            if not worker.conn.poll(timeout):
                self._replace(worker)
                worker = None
                raise WorkerTimeoutError(f"the query ran for {time.monotonic() - started:.1f} s and was stopped")
            reply: Reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            if worker is not None:
                self._replace(worker)
                worker = None
            raise WorkerLostError("the query worker died while running the query") from exc
        except WorkerLostError:
            if worker is not None:
                self._replace(worker)
                worker = None
            raise
        finally:
            if worker is not None:
                self._idle.put(worker)
        return reply

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.kills += 1
            running = self._spool is not None
        if running:
            self._idle.put(self._spawn())

    def close(self) -> None:
        """Stop every worker and drop the spool; the next query starts the pool again."""
        with self._lock:
            workers, self._all = self._all, set()
            spool, self._spool = self._spool, None
        while not self._idle.empty():
            self._idle.get_nowait()
        for worker in workers:
            worker.kill()
        if spool is not None:
            shutil.rmtree(spool, ignore_errors=True)
