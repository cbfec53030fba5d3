"""The one error envelope and the table from exception to status, row by row, plus the 500 that hides internals."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.errors import STATUS_OF, ApiError, install_error_handlers
from graph.entity_types import EntityNotFoundError
from graph.errors import DataError, Problem
from graph.network import AmbiguousNameError, UnknownNameError
from graph.query import QueryError
from graph.remote import RemoteError, RemoteTimeoutError, RemoteTruncatedError
from graph.store import StoreMissingError

# One instance of each exception the table maps, made the way the code below the API raises it.
EXAMPLES: dict[type[Exception], Exception] = {
    QueryError: QueryError("error at 1:8: expected WHERE"),
    DataError: DataError([Problem("data/x.yaml", 3, "name", "required")]),
    StoreMissingError: StoreMissingError("no built store at var/store"),
    EntityNotFoundError: EntityNotFoundError("nobody"),
    UnknownNameError: UnknownNameError("Nobody Inc."),
    AmbiguousNameError: AmbiguousNameError("Hik", [("https://w3id.org/techcurbs/id/a", "A", "company")]),
    RemoteTimeoutError: RemoteTimeoutError("the remote endpoint did not answer within 10 s"),
    RemoteError: RemoteError("the remote endpoint answered 500"),
}


def _app(exception: Exception) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise exception

    return TestClient(app, raise_server_exceptions=False)


def test_every_row_of_the_table_has_an_example() -> None:
    assert set(EXAMPLES) == set(STATUS_OF)


@pytest.mark.parametrize("exception", list(EXAMPLES), ids=lambda e: e.__name__)
def test_each_mapped_exception_answers_its_status_in_the_envelope(exception: type[Exception]) -> None:
    target = STATUS_OF[exception]
    response = _app(EXAMPLES[exception]).get("/boom")
    assert response.status_code == target.status
    assert response.json() == {"error": target.code, "detail": str(EXAMPLES[exception]), "status": target.status}


def test_a_subclass_is_answered_by_its_parent_row() -> None:
    response = _app(RemoteTruncatedError("cut at 10000 rows")).get("/boom")
    assert response.status_code == STATUS_OF[RemoteError].status


@pytest.mark.parametrize("error", ApiError.__subclasses__(), ids=lambda c: c.__name__)
def test_every_api_error_class_keeps_its_own_status(error: type[ApiError]) -> None:
    response = _app(error("something the client can fix")).get("/boom")
    assert response.status_code == error.status != 500
    assert response.json() == {"error": error.code, "detail": "something the client can fix", "status": error.status}


def test_an_unexpected_error_is_a_500_that_shows_nothing_inside() -> None:
    response = _app(RuntimeError("password=hunter2 at /srv/secret.py line 3")).get("/boom")
    assert response.status_code == 500
    assert response.json() == {"error": "internal_error", "detail": "internal error", "status": 500}
    assert "hunter2" not in response.text
