"""The TechCurbs app served on a free loopback port in a background thread, for notebooks that speak HTTP.

The server is the one `techcurbs serve` runs (`api.app.create_app`), over a built store: one given, or one
built from data directories into a temporary directory that is removed when the server stops.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from graph.build import compile_data
from graph.store import publish
from graph.vocab import DATA_DIR

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 30.0


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port = sock.getsockname()[1]
        assert isinstance(port, int)
        return port


@contextmanager
def local_server(store: Path | str | None = None, *, data: Iterable[Path | str] | None = None) -> Iterator[str]:
    """Serve the app on http://127.0.0.1:<free port> while the `with` block runs; yields the base URL."""
    from api.app import create_app  # the web app is an optional layer over graph/, imported only when serving
    from api.settings import Settings

    with tempfile.TemporaryDirectory(prefix="techcurbs-") as tmp:
        if store is None:
            store = Path(tmp) / "store"
            publish(compile_data([Path(d) for d in data] if data is not None else [DATA_DIR]), store)
        app = create_app(Settings(store=Path(store)))
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host=LOOPBACK, port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, name="techcurbs-local-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the local TechCurbs server did not start")
            time.sleep(0.05)
        try:
            yield f"http://{LOOPBACK}:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
