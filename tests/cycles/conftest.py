"""A cycle for November 2026 in the small company, and helpers that walk it on."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from cycles import gates, services
from cycles.models import Cycle, PlanValue
from cycles.stages import STAGE_ORDER, Stage
from forecasting.models import SalesActual

MONTH = date(2026, 11, 1)


def add_actuals(company, period: date, territories=None) -> None:
    for territory in territories if territories is not None else company.territories:
        SalesActual.objects.create(
            product=company.products[0],
            territory=territory,
            period=period,
            units=Decimal(5),
            revenue=Decimal(50),
        )


def load_baseline(cycle: Cycle, territory, product) -> None:
    """What a finished forecast run leaves in the plan: the territory's baseline."""
    PlanValue.objects.create(
        cycle=cycle,
        measure="baseline",
        product=product,
        territory=territory,
        month=cycle.month,
        value=Decimal(10),
        valid_from_seq=cycle.version_seq,
    )


def baseline_from_run(cycle: Cycle, company, actor) -> Cycle:
    """A finished forecast run loaded through the service: the plan's first version."""
    from demand.baseline import baseline_load
    from tests.demand.conftest import done_run

    done_run(cycle, company)
    baseline_load(actor=actor, cycle_id=cycle.pk)
    return Cycle.objects.get(pk=cycle.pk)


def load_budget(cycle: Cycle, territory, product, months=None) -> None:
    """What Finance loads: a budget figure in each month of the horizon (or those given)."""
    PlanValue.objects.bulk_create(
        PlanValue(
            cycle=cycle,
            measure="budget_units",
            product=product,
            territory=territory,
            month=month,
            value=Decimal(100),
            valid_from_seq=cycle.version_seq,
        )
        for month in (months if months is not None else cycle.horizon())
    )


@pytest.fixture
def manager(users_by_role):
    return users_by_role[Role.SALES_OPS_MANAGER]


@pytest.fixture
def planners(users_by_role, user_with_role, company):
    """A demand planner per territory: the shared planner plans the first."""
    return [users_by_role[Role.DEMAND_PLANNER]] + [
        user_with_role(Role.DEMAND_PLANNER, territories=[t]) for t in company.territories[1:]
    ]


@pytest.fixture
def cycle(manager, company):
    return services.cycle_open(actor=manager, month=MONTH)


@pytest.fixture
def walk(company, users_by_role, planners, manager):
    """walk(cycle, stage): clear each gate on the way and move the cycle to `stage`.

    In demand planning the owner waives the baselines (no forecast runs here), so
    planners can submit; in reconciliation, the budget (both as soon as it arrives).
    """

    def clear_gate(cycle: Cycle) -> None:
        stage = cycle.stage_enum
        if (
            stage is Stage.DATA_GATHERING
            and not SalesActual.objects.filter(period=date(2026, 10, 1)).exists()
        ):
            add_actuals(company, date(2026, 10, 1))
        elif stage is Stage.DEMAND_PLANNING:
            waive_kinds(cycle, "baseline", reason="No forecast run in these tests")
            for planner, territory in zip(planners, company.territories, strict=True):
                services.plan_submit(
                    actor=planner, cycle_id=cycle.pk, plan="demand", territory_id=territory.pk
                )
        elif stage is Stage.SUPPLY_PLANNING:
            services.plan_submit(
                actor=users_by_role[Role.SUPPLY_PLANNER], cycle_id=cycle.pk, plan="supply"
            )
        elif stage is Stage.RECONCILIATION:
            waive_kinds(cycle, "budget", reason="No budget in these tests")

    def waive_kinds(cycle: Cycle, kind: str, *, reason: str) -> None:
        """The owner waives the items the walk has no data for (baselines, the budget)."""
        for item in gates.open_gate_items(cycle):
            if item.kind == kind:
                services.cycle_waive_item(
                    actor=cycle.owner,
                    cycle_id=cycle.pk,
                    stage=cycle.stage,
                    item=item.id,
                    reason=reason,
                )

    def to(cycle: Cycle, stage: Stage) -> Cycle:
        while STAGE_ORDER.index(cycle.stage_enum) < STAGE_ORDER.index(stage):
            clear_gate(cycle)
            cycle = services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)
        if cycle.stage_enum is Stage.DEMAND_PLANNING:
            waive_kinds(cycle, "baseline", reason="No forecast run in these tests")
        if cycle.stage_enum is Stage.RECONCILIATION:
            waive_kinds(cycle, "budget", reason="No budget in these tests")
        return Cycle.objects.get(pk=cycle.pk)

    return to


@pytest.fixture
def built_csv(eager_celery, django_capture_on_commit_callbacks, settings, tmp_path):
    """build(client, cycle_id, version) -> the CSV text, asked for as the Versions page does
    (a POST that records the intent) and built by the task in-process (eager)."""
    settings.MEDIA_ROOT = tmp_path

    def build(client, cycle_id: int, version) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(f"/cycles/{cycle_id}/versions/{version}.csv")
        assert asked.status_code == 302, asked.content.decode()[:500]
        page = client.get(asked.url).content.decode()
        assert 'id="export-download"' in page, page
        download = client.get(f"{asked.url}file/")
        assert download.status_code == 200
        return b"".join(download.streaming_content).decode()

    return build
