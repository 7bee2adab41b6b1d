"""Property-based: whatever a client sends that the OpenAPI schema describes (and much it does
not), the answer is never a server error, and every error is a problem document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from app.core.errors import PROBLEM_JSON
from app.core.settings import get_settings
from app.main import create_app

OPERATIONS = [
    (path, method.upper())
    for path, methods in create_app().openapi()["paths"].items()
    for method in methods
]


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_request_gets_a_server_error(client, path, method, monkeypatch):
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 10_000)
    operation = schemathesis.openapi.from_asgi("/openapi.json", client.app)[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def never_a_server_error(case):
        # As a national token, so that the requests reach past authentication.
        response = case.call(headers={"Authorization": client.headers["Authorization"]})
        assert response.status_code < 500, f"{method} {case.formatted_path}: {response.text}"
        if response.status_code >= 400:
            assert response.headers["content-type"][0].startswith(PROBLEM_JSON)

    never_a_server_error()
