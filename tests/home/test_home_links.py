"""The executive's next step leads to the open cycle's sign-off page, not the board."""

from datetime import date

import pytest

from accounts.roles import Role
from cycles import services

pytestmark = pytest.mark.django_db


def test_sign_off_the_plan_links_to_the_open_cycles_sign_off_page(client, users_by_role):
    cycle = services.cycle_open(
        actor=users_by_role[Role.SALES_OPS_MANAGER], month=date(2026, 11, 1)
    )
    client.force_login(users_by_role[Role.EXECUTIVE])
    body = client.get("/").content.decode()
    assert f'<a href="/cycles/{cycle.pk}/sign-off/">Sign off the plan</a>' in body


def test_without_an_open_cycle_sign_off_the_plan_links_to_the_board(client, users_by_role):
    client.force_login(users_by_role[Role.EXECUTIVE])
    body = client.get("/").content.decode()
    assert '<a href="/cycles/">Sign off the plan</a>' in body
