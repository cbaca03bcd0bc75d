"""A released plan, its actuals and overrides, written directly (scoring reads the stores)."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from cycles.models import Cycle, PlanValue
from demand.models import Override, OverrideCell, ReasonCode
from forecasting.models import SalesActual
from tests.factories import UserFactory, mark_released


class PlanBook:
    """Writes a released cycle's plan figures, actuals and overrides for a test."""

    def __init__(self, company) -> None:
        self.company = company
        self.owner = UserFactory.with_role(Role.SALES_OPS_MANAGER)

    def released_cycle(self, month: date, **plans: dict) -> Cycle:
        """A cycle with these figures per measure (cells -> value), then released:
        PostgreSQL refuses plan writes to a released cycle."""
        cycle = self.unreleased_cycle(month, **plans)
        mark_released(cycle)
        return cycle

    def unreleased_cycle(self, month: date, **plans: dict) -> Cycle:
        """The same before its release, for overrides and decisions a test adds first."""
        cycle = Cycle.objects.create(month=month, owner=self.owner)
        for measure, cells in plans.items():
            self.plan(cycle, cells, measure=measure)
        return cycle

    def plan(self, cycle: Cycle, cells: dict, measure: str = "consensus") -> None:
        PlanValue.objects.bulk_create(
            PlanValue(
                cycle=cycle,
                measure=measure,
                product=product,
                territory=territory,
                month=month,
                value=Decimal(str(value)),
                valid_from_seq=1,
            )
            for (product, territory, month), value in cells.items()
        )

    def actuals(self, cells: dict) -> None:
        SalesActual.objects.bulk_create(
            SalesActual(
                product=product,
                territory=territory,
                period=month,
                units=Decimal(str(value)),
                revenue=Decimal(str(value * 10)),
            )
            for (product, territory, month), value in cells.items()
        )

    def override(self, cycle: Cycle, actor, reason_code: str, changes: dict) -> Override:
        reason, _ = ReasonCode.objects.get_or_create(
            code=reason_code, defaults={"label": reason_code}
        )
        months = [month for (_, _, month) in changes]
        override = Override.objects.create(
            cycle=cycle,
            actor=actor,
            reason=reason,
            scope={},
            scope_label="test",
            first_month=min(months),
            last_month=max(months),
            mode=Override.Mode.SET,
            value=0,
            total_before=sum(before for before, _ in changes.values()),
            total_after=sum(after for _, after in changes.values()),
            cell_count=len(changes),
        )
        OverrideCell.objects.bulk_create(
            OverrideCell(
                override=override,
                product=product,
                territory=territory,
                month=month,
                before=before,
                after=after,
            )
            for (product, territory, month), (before, after) in changes.items()
        )
        return override


@pytest.fixture
def book(company) -> PlanBook:
    return PlanBook(company)
