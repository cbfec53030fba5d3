"""A pool of worker processes with hard deadlines: a worker past its deadline is killed and replaced.

Callers are coroutines: a job is sent down a free worker's pipe and its reply awaited on the event loop, with no
thread in between. Free workers are handed over under a lock to whichever event loop waits for one, so the pool
serves any number of loops (the server's, or one per test client).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections import deque
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


class _FreeWorkers:
    """Workers waiting for a job (the last one back goes out first) and coroutines waiting for a worker (first
    come, first served)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._workers: deque[_Worker] = deque()
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[_Worker]]] = deque()

    def put(self, worker: _Worker) -> None:
        with self._lock:
            while self._waiters:
                loop, future = self._waiters.popleft()
                if future.done():  # gave up waiting (its deadline passed)
                    continue
                try:
                    loop.call_soon_threadsafe(self._hand_over, future, worker)
                    return
                except RuntimeError:  # that loop is closed; its waiter is gone
                    continue
            self._workers.append(worker)

    def _hand_over(self, future: asyncio.Future[_Worker], worker: _Worker) -> None:
        if future.done():  # the waiter gave up meanwhile: the worker goes to the next one
            self.put(worker)
        else:
            future.set_result(worker)

    async def get(self, timeout: float) -> _Worker:
        with self._lock:
            if self._workers:
                # The worker that finished last: its caches are warm and it is likely still on a CPU.
                return self._workers.pop()
            loop = asyncio.get_running_loop()
            future: asyncio.Future[_Worker] = loop.create_future()
            self._waiters.append((loop, future))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise PoolBusyError(f"every query worker stayed busy for {timeout:g} s") from None

    def clear(self) -> None:
        with self._lock:
            self._workers.clear()


async def _readable(conn: Connection, timeout: float) -> bool:
    """Wait on the event loop until the connection has data (True) or `timeout` seconds pass (False)."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[bool] = loop.create_future()

    def settle(value: bool) -> None:
        if not ready.done():
            ready.set_result(value)

    fd = conn.fileno()
    loop.add_reader(fd, settle, True)
    timer = loop.call_later(timeout, settle, False)
    try:
        return await ready
    finally:
        timer.cancel()
        loop.remove_reader(fd)
        # uvloop makes a watched descriptor non-blocking; the connection reads and writes whole messages.
        os.set_blocking(fd, True)


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
        self._idle = _FreeWorkers()
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

    async def run(self, job: Job, timeout: float) -> Reply:
        """Run a job on a free worker; kill the worker if it has not answered after `timeout` seconds."""
        self._ensure_started()
        worker: _Worker | None = await self._idle.get(timeout)
        try:
            assert worker is not None
            if not worker.ready:
                await asyncio.to_thread(worker.wait_ready)
            worker.conn.send(job)
            started = time.monotonic()
            if not await _readable(worker.conn, timeout):
                self._replace(worker)
                worker = None
                raise WorkerTimeoutError(f"the query ran for {time.monotonic() - started:.1f} s and was stopped")
            reply: Reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            if worker is not None:
                self._replace(worker)
                worker = None
            raise WorkerLostError("the query worker died while running the query") from exc
        except (WorkerLostError, asyncio.CancelledError):
            # A cancelled wait leaves the job running: that worker cannot take another one.
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
        self._idle.clear()
        for worker in workers:
            worker.kill()
        if spool is not None:
            shutil.rmtree(spool, ignore_errors=True)
