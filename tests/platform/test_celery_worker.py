"""A real worker on Redis runs a task whose effect lands in PostgreSQL."""

from datetime import date

import pytest

from accounts.roles import Role
from cycles.calendar import month_start
from cycles.models import Cycle
from cycles.tasks import cycle_open_monthly_task
from tests.fixtures.waiting import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_worker_opens_the_months_cycle_through_redis(celery_worker, user_with_role):
    manager = user_with_role(Role.SALES_OPS_MANAGER)
    result = cycle_open_monthly_task.delay()

    def cycle_opened():
        """this month's cycle to be opened by the worker"""
        return Cycle.objects.filter(month=month_start(date.today())).first()

    cycle = wait_for(cycle_opened)
    assert cycle.owner == manager
    assert result.get(timeout=10) == cycle.pk


def test_the_monthly_task_never_opens_a_second_cycle(celery_worker, user_with_role):
    user_with_role(Role.SALES_OPS_MANAGER)
    first = cycle_open_monthly_task.delay().get(timeout=30)
    second = cycle_open_monthly_task.delay().get(timeout=30)
    assert first is not None and second is None
    assert Cycle.objects.count() == 1
