"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api.caching import AnswerCache, ConditionalCache
from api.errors import install_error_handlers
from api.explorer import install as install_explorer
from api.explorer.security import SecurityHeadersMiddleware
from api.ratelimit import RateLimit, TokenBuckets
from api.routers import dataset, health, sparql
from api.settings import Settings
from api.sparql.cors import OpenReadCors
from api.sparql.endpoint import Endpoint
from api.state import AppState


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for one store; tests build their own settings."""
    settings = settings or Settings()
    # The interactive API docs serve Swagger UI and ReDoc from the installed package, never from a CDN.
    app = FastAPIOffline(
        title="TechCurbs",
        description="A knowledge graph of geopolitical technology restrictions.",
        version="0.1.0",
        # ReDoc's bundle links a logo on its vendor's CDN; Swagger UI at /docs is fully self-contained.
        redoc_url=None,
    )
    app.state.techcurbs = AppState.open(settings)
    install_error_handlers(app)
    app.include_router(health.router)
    app.state.sparql = Endpoint(settings)
    app.include_router(sparql.router)
    app.include_router(dataset.router)
    install_explorer(app)
    if settings.answer_cache_bytes:
        cache = AnswerCache(settings.answer_cache_bytes, settings.answer_cache_entry_bytes)
        app.state.answer_cache = cache
        # Answers depend on the build and on the settings (row limits, allowlists), so both key the ETag.
        version = f"{app.state.techcurbs.build.etag}:{settings.model_dump_json()}"
        app.add_middleware(ConditionalCache, build=version, cache=cache)
    if settings.rate_limit_per_second:
        buckets = TokenBuckets(settings.rate_limit_per_second, settings.rate_limit_burst)
        app.add_middleware(RateLimit, buckets=buckets, trust_forwarded=settings.trust_forwarded_for)
    app.add_middleware(OpenReadCors, prefixes=("/sparql", "/.well-known/void", "/download", "/id"))
    # Outermost, so that answers made by the middleware above (304, 429, CORS preflights) carry the headers too.
    app.add_middleware(SecurityHeadersMiddleware)
    return app
