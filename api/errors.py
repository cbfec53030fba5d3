"""The one JSON error envelope and the table from exception to status."""

from __future__ import annotations

import logging
from typing import ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.explorer.security import HEADERS as SECURITY_HEADERS
from graph.entity_types import EntityNotFoundError
from graph.errors import DataError
from graph.network import AmbiguousNameError, UnknownNameError
from graph.query import QueryError
from graph.remote import RemoteError, RemoteTimeoutError
from graph.store import StoreMissingError

log = logging.getLogger("techcurbs.api")


class ApiError(Exception):
    """An error the client can act on. Each subclass fixes its status and code as class attributes."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BadRequestError(ApiError):
    status = 400
    code = "bad_request"


class QuerySyntaxError(ApiError):
    status = 400
    code = "query_syntax"


class QueryFailedError(ApiError):
    status = 400
    code = "query_failed"


class ReadOnlyError(ApiError):
    status = 403
    code = "read_only"


class ServiceRefusedError(ApiError):
    status = 403
    code = "service_refused"


class NotFoundError(ApiError):
    status = 404
    code = "not_found"


class NotAcceptableError(ApiError):
    status = 406
    code = "not_acceptable"


class PayloadTooLargeError(ApiError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaTypeError(ApiError):
    status = 415
    code = "unsupported_media_type"


class TooManyRequestsError(ApiError):
    status = 429
    code = "too_many_requests"


class QueryTimeoutError(ApiError):
    status = 503
    code = "query_timeout"


class UpstreamError(ApiError):
    """The remote SPARQL endpoint behind this server failed or answered incompletely."""

    status = 502
    code = "upstream_error"


class UnavailableError(ApiError):
    status = 503
    code = "unavailable"


class BusyError(ApiError):
    status = 503
    code = "busy"


# Exceptions raised below the API, and what they mean to a client.
STATUS_OF: dict[type[Exception], type[ApiError]] = {
    QueryError: BadRequestError,
    DataError: BadRequestError,
    StoreMissingError: UnavailableError,
    EntityNotFoundError: NotFoundError,
    UnknownNameError: NotFoundError,
    AmbiguousNameError: BadRequestError,
    RemoteTimeoutError: QueryTimeoutError,
    RemoteError: UpstreamError,
}


def envelope(status: int, error: str, detail: object) -> JSONResponse:
    """The canonical error body: {"error": ..., "detail": ..., "status": ...}."""
    return JSONResponse({"error": error, "detail": detail, "status": status}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception through the envelope; a 500 never shows internals."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return envelope(exc.status, exc.code, exc.detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return envelope(exc.status_code, code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {"field": ".".join(str(p) for p in err.get("loc", ())), "message": str(err.get("msg", ""))}
            for err in exc.errors()
        ]
        return envelope(422, "invalid_parameters", detail)

    for source, target in STATUS_OF.items():

        async def _mapped(_request: Request, exc: Exception, target: type[ApiError] = target) -> JSONResponse:
            return envelope(target.status, target.code, str(exc))

        app.add_exception_handler(source, _mapped)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        response = envelope(500, "internal_error", "internal error")
        # Starlette answers this one outside every middleware, so the security headers are set here.
        response.headers.update({name.decode(): value.decode() for name, value in SECURITY_HEADERS})
        return response
