"""A released cycle is shown as "Released <date>, locked" on every page that shows its stage."""

from datetime import UTC, datetime

import pytest

from cycles.models import Cycle
from cycles.stages import Stage

pytestmark = pytest.mark.django_db

PAGES = [
    "/cycles/?cycle={pk}",
    "/cycles/{pk}/sign-off/",
    "/demand/{pk}/",
    "/supply/{pk}/",
    "/reconciliation/{pk}/",
]


@pytest.fixture
def released(cycle):
    Cycle.objects.filter(pk=cycle.pk).update(
        stage=Stage.SIGN_OFF,
        status=Cycle.Status.RELEASED,
        released_at=datetime(2026, 11, 21, 15, tzinfo=UTC),
    )
    return Cycle.objects.get(pk=cycle.pk)


@pytest.mark.parametrize("page", PAGES)
def test_a_released_cycle_is_labelled_released_and_locked(client, manager, released, page):
    client.force_login(manager)
    body = client.get(page.format(pk=released.pk)).content.decode()
    assert "Released 2026-11-21, locked</" in body
    assert 'id="cycle-stage"' not in body and "Stage <strong>Sign off" not in body


@pytest.mark.parametrize("page", [*PAGES, "/"])
def test_an_open_cycle_is_labelled_with_its_stage(client, manager, cycle, page):
    client.force_login(manager)
    body = client.get(page.format(pk=cycle.pk)).content.decode()
    assert ">Data gathering</" in body and "locked</" not in body


def test_a_released_cycle_does_not_ask_for_a_supply_submission(client, manager, released):
    client.force_login(manager)
    assert "Not submitted yet." not in client.get(f"/supply/{released.pk}/").content.decode()


def test_an_open_cycle_says_its_supply_plan_is_not_submitted_yet(client, manager, cycle):
    client.force_login(manager)
    assert "Not submitted yet." in client.get(f"/supply/{cycle.pk}/").content.decode()
