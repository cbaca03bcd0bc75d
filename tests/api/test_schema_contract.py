"""The API keeps its published contract (issue 19, finding 15).

Schemathesis reads the OpenAPI schema drf-spectacular builds from the app and
sends generated requests (valid and invalid) to every operation of the live WSGI
app, signed in as the cycle owner and as a demand planner, on the demo company.
Every answer must be no server error, carry a documented status code and content
type, and match the documented body. Each request runs in a savepoint that is
rolled back, so a generated write (a revoked token, a new cycle) cannot change
what the next request sees.
"""

import json
from datetime import date

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.roles import Role  # noqa: F401

TODAY = date(2026, 11, 27)
EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "seed": 19,
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)


def _openapi() -> dict:
    """The schema exactly as GET /api/schema/ publishes it (JSON-clean)."""
    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


schema = schemathesis.openapi.from_dict(_openapi(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo company, loaded once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", today=TODAY, scale=24, verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def same_connection():
    """Requests share the test's connection: Django must not close it per request
    (its test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["manager", "planner-north"])
def auth(request, demo, same_connection, db) -> dict[str, str]:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=request.param)
    _, token = AuthToken.objects.create(user)
    return {"Authorization": f"Token {token}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_keeps_the_contract(case, auth):
    with transaction.atomic():
        case.call_and_validate(headers=auth, checks=CHECKS)
        transaction.set_rollback(True)
