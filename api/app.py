"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.explorer import install as install_explorer
from api.routers import dataset, health, sparql
from api.settings import Settings
from api.sparql.cors import OpenReadCors
from api.sparql.endpoint import Endpoint
from api.state import AppState


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for one store; tests build their own settings."""
    settings = settings or Settings()
    app = FastAPI(
        title="TechCurbs",
        description="A knowledge graph of geopolitical technology restrictions.",
        version="0.1.0",
    )
    app.state.techcurbs = AppState.open(settings)
    install_error_handlers(app)
    app.include_router(health.router)
    app.state.sparql = Endpoint(settings)
    app.include_router(sparql.router)
    app.include_router(dataset.router)
    install_explorer(app)
    app.add_middleware(OpenReadCors, prefixes=("/sparql", "/.well-known/void", "/download", "/id"))
    return app
