"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routers import health
from api.settings import Settings
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
    return app
