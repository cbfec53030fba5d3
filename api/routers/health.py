"""Liveness and build identity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.state import AppState, app_state

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(state: Annotated[AppState, Depends(app_state)]) -> dict[str, str | int]:
    """The server is up and serving this build."""
    return {"status": "ok", "build": state.build.digest[:12], "quads": state.build.quads}
