"""The rows the explorer added to the exception-to-status table, one by one, and the page's own error pages."""

from __future__ import annotations

import pytest

from api.errors import STATUS_OF, BadRequestError, NotFoundError
from graph.entity_types import EntityNotFoundError
from graph.network import AmbiguousNameError, UnknownNameError


@pytest.mark.parametrize(
    ("exception", "status"),
    [(EntityNotFoundError, 404), (UnknownNameError, 404), (AmbiguousNameError, 400)],
)
def test_explorer_exceptions_map_to_their_status(exception: type[Exception], status: int) -> None:
    target = STATUS_OF[exception]
    assert target.status == status
    assert target in (NotFoundError, BadRequestError)
