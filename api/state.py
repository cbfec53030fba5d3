"""What the running app holds: its settings and the opened, read-only graph."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import Request

from api.settings import Settings
from graph.ontology import Ontology, load_ontology
from graph.store import BuildInfo, build_info, open_store


@dataclass(frozen=True)
class AppState:
    """Opened once at start-up; the graph never changes between builds."""

    settings: Settings
    store: ox.Store
    build: BuildInfo
    ontology: Ontology

    @classmethod
    def open(cls, settings: Settings) -> AppState:
        return cls(
            settings=settings,
            store=open_store(settings.store),
            build=build_info(settings.store),
            ontology=load_ontology(),
        )


def app_state(request: Request) -> AppState:
    """FastAPI dependency: the state of the app serving this request."""
    state = request.app.state.techcurbs
    assert isinstance(state, AppState)
    return state
