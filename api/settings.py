"""Server settings: one object, built in `create_app` and injected; read from TECHCURBS_* variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.vocab import DEFAULT_STORE


class Settings(BaseSettings):
    """Everything an operator may set."""

    model_config = SettingsConfigDict(env_prefix="TECHCURBS_", frozen=True)

    store: Path = Field(default=DEFAULT_STORE, description="Path of the built store to serve.")
    endpoint: str = Field(
        default="", description="A SPARQL 1.1 query URL to serve instead of the store (Virtuoso, Fuseki, ...)."
    )
    base_url: str = Field(default="", description="Public base URL, when served behind a proxy.")
    query_timeout: float = Field(default=10.0, gt=0, description="Seconds a SPARQL query may run.")
    max_query_length: int = Field(default=100_000, gt=0, description="Longest accepted query, in characters.")
    max_rows: int = Field(default=100_000, gt=0, description="Most result rows sent for one query.")
    query_workers: int = Field(default=2, ge=1, description="Worker processes that evaluate SPARQL.")
    max_concurrent_per_client: int = Field(default=4, ge=1, description="Queries one client may run at once.")
    answer_cache_bytes: int = Field(
        default=64 * 1024 * 1024, ge=0, description="Memory for repeated GET answers; 0 turns the cache off."
    )
    answer_cache_entry_bytes: int = Field(default=16 * 1024 * 1024, ge=0, description="Largest answer kept.")
    rate_limit_per_second: float = Field(
        default=50.0, ge=0, description="Requests a second one client may make; 0 turns the limit off."
    )
    rate_limit_burst: int = Field(default=200, ge=1, description="Requests one client may make in a burst.")
    trust_forwarded_for: bool = Field(
        default=False, description="Take the client from X-Forwarded-For (only behind a trusted proxy)."
    )
    snapshots: bool = Field(
        default=True, description="Keep what the explorer derives from a build on disk, so that a restart is fast."
    )
    snapshot_dir: Path | None = Field(
        default=None, description="Where the explorer's snapshots are kept; default: beside the store."
    )
    service_allowlist: tuple[str, ...] = Field(
        default=(), description="SPARQL endpoints that SERVICE may call; empty refuses SERVICE."
    )

    def snapshot_path(self) -> Path | None:
        """The directory of the explorer's snapshots (see `api.explorer.snapshots`), or None when they are off."""
        if not self.snapshots:
            return None
        return self.snapshot_dir or self.store.with_name(self.store.name + ".snapshots")
