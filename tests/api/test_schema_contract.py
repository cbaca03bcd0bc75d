"""The API keeps its published contract (issue 19, finding 15).

Schemathesis reads the OpenAPI schema drf-spectacular builds from the app and
sends generated requests (valid and invalid) to every operation of the live WSGI
app, signed in as the cycle owner and as a demand planner, on the demo company.
Every answer must be no server error, carry a documented status code and content
type, and match the documented body. Each request runs in a savepoint that is
rolled back, so a generated write (a revoked token, a new cycle) cannot change
what the next request sees.
"""

import io
import json
from datetime import date
from types import SimpleNamespace

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, transaction
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from audit.models import AuditEvent
from cycles import gates, services
from cycles.models import CalendarMonth, Cycle
from cycles.stages import Stage
from demand.baseline import baseline_load
from demand.models import DemandEvent
from forecasting.models import ForecastRun, SalesActual
from products.models import Product, ProductFamily
from reconciliation.models import Scenario
from territories.models import Region, Territory
from tests.fixtures.demand import done_run
from uploads.models import UploadBatch
from uploads.services import upload_preview

User = get_user_model()

TODAY = date(2026, 11, 27)
EXAMPLES = 5
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


# The word before an id in a path names its rows: /api/plan/cycles/{id}/... is a cycle.
ROWS_NAMED_BY = {
    "actuals": SalesActual,
    "audit": AuditEvent,
    "calendar": CalendarMonth,
    "cycles": Cycle,
    "events": DemandEvent,
    "families": ProductFamily,
    "forecast-runs": ForecastRun,
    "imports": UploadBatch,
    "products": Product,
    "regions": Region,
    "scenarios": Scenario,
    "territories": Territory,
}
schema = schemathesis.openapi.from_dict(_openapi(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo company with its cycle in demand planning (a forecast run loaded, an
    upload previewed), built once for the module and rolled back at its end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("seed_demo", today=TODAY, scale=12, verbosity=0)
        _demand_planning(User.objects.get(username="manager"))
        _upload_preview(User.objects.get(username="analyst"))
        # Check the seed's deferred foreign keys now, once: left pending, every test's
        # rollback would bring them back for its teardown to check again (1.5 s each).
        connection.check_constraints()
        yield {noun: _sample_ids(model) for noun, model in ROWS_NAMED_BY.items()}
        transaction.set_rollback(True)


def _demand_planning(manager) -> None:
    """The open cycle, its missing actuals waived, moved on and its baseline loaded."""
    cycle = Cycle.objects.get(status=Cycle.Status.OPEN)
    for item in gates.open_gate_items(cycle):
        services.cycle_waive_item(
            actor=manager, cycle_id=cycle.pk, stage=cycle.stage, item=item.id, reason="Late"
        )
    services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=Stage.DATA_GATHERING)
    company = SimpleNamespace(products=list(Product.objects.all()), territories=[])
    company.territories = list(Territory.objects.all())
    done_run(cycle, company)
    baseline_load(actor=manager, cycle_id=cycle.pk)


def _upload_preview(analyst) -> None:
    actual = SalesActual.objects.select_related("product", "territory").first()
    content = (
        "period,product,territory,units\n"
        f"{actual.period:%Y-%m},{actual.product.sku},{actual.territory.code},7\n"
    )
    upload_preview(
        actor=analyst, file=io.BytesIO(content.encode()), file_name="a.csv", kind="actuals"
    )


def _sample_ids(model) -> list[int]:
    """The newest and the oldest row: the open cycle and a released one, say."""
    pks = model.objects.order_by("pk").values_list("pk", flat=True)
    return sorted({pks.last(), pks.first()} - {None}, reverse=True)


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
    _, token = AuthToken.objects.create(User.objects.get(username=request.param))
    return {"Authorization": f"Token {token}"}


def aim_at_demo_rows(case, ids: dict[str, list[int]]) -> None:
    """Two generated ids in three name a demo row, so answers are not all 404s."""
    words = case.path.strip("/").split("/")
    for name, value in (case.path_parameters or {}).items():
        rows = ids.get(words[words.index(f"{{{name}}}") - 1], [])
        if rows and isinstance(value, int) and value % 3:
            case.path_parameters[name] = rows[value % len(rows)]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_keeps_the_contract(case, auth, demo):
    aim_at_demo_rows(case, demo)
    with transaction.atomic():
        case.call_and_validate(headers=auth, checks=CHECKS)
        transaction.set_rollback(True)
