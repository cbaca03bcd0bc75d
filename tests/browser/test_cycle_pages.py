"""Cycle pages as a browser draws them: link separators, date pickers, the executive's next step."""

from datetime import date

import pytest

from accounts.roles import Role
from cycles import services
from cycles.models import CalendarMonth

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_board_links_are_spaced_around_their_separators(login, users_by_role):
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    services.cycle_open(actor=manager, month=date(2026, 11, 1))
    page = login(manager)
    page.goto("/cycles/")
    assert page.inner_text("#cycle-links") == "Sign-off · Versions · Carried forward · History"


def test_the_calendar_month_picker_shows_the_saved_month_and_saves(login, users_by_role):
    month = CalendarMonth.objects.create(month=date(2026, 10, 1), note="Autumn")
    page = login(users_by_role[Role.SALES_PLANNING_SPECIALIST])
    page.goto(f"/cycles/calendar/{month.pk}/")
    assert page.input_value("#id_month") == "2026-10-01"
    page.fill("#id_note", "Autumn close")
    page.click("main button[type=submit]")
    assert "Saved 2026-10" in page.inner_text(".message")
    month.refresh_from_db()
    assert (month.month, month.note) == (date(2026, 10, 1), "Autumn close")
