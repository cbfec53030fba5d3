"""What the running app holds: its settings and the opened, read-only graph."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from api.settings import Settings
from graph.backend import Backend, backend_build_info, open_backend
from graph.ontology import Ontology, load_ontology
from graph.store import BuildInfo


@dataclass(frozen=True)
class AppState:
    """Opened once at start-up; the graph never changes between builds."""

    settings: Settings
    store: Backend
    build: BuildInfo
    ontology: Ontology

    @classmethod
    def open(cls, settings: Settings) -> AppState:
        backend = open_backend(settings.store, settings.endpoint, settings.query_timeout)
        return cls(
            settings=settings,
            store=backend,
            build=backend_build_info(backend, settings.store, settings.endpoint),
            ontology=load_ontology(),
        )


async def app_state(request: Request) -> AppState:
    """FastAPI dependency: the state of the app serving this request (a coroutine, so it needs no thread)."""
    state = request.app.state.techcurbs
    assert isinstance(state, AppState)
    return state
