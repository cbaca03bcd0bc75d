"""Upload sales actuals: preview counts, commit, idempotence, corrections and revert."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from cycles.calendar import month_start
from forecasting.models import SalesActual
from sop_planner.errors import DomainError, NotAllowed
from territories.models import TerritoryAssignment
from tests.factories import mark_released
from tests.fixtures.uploads import (
    BEFORE,
    LAST,
    actuals_csv,
    actuals_table,
    committed,
    reverted,
    sent_back,
)
from uploads.models import UploadBatch
from uploads.services import upload_revert

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(user_with_role):
    return user_with_role(Role.SALES_OPS_ANALYST)


def test_preview_counts_new_rows_and_writes_no_actual(company, analyst, upload):
    batch = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 5), (LAST, 1, 0, 7)]))
    assert batch.status == UploadBatch.Status.PREVIEWED
    assert (batch.new_count, batch.changed_count, batch.unchanged_count) == (2, 0, 0)
    assert batch.periods == [LAST]
    assert batch.territories == [company.territories[0].pk]
    assert not SalesActual.objects.exists()


def test_commit_writes_rows_with_revenue_from_list_price(company, analyst, upload):
    batch = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 5)]))
    committed(actor=analyst, batch_id=batch.pk)
    actual = SalesActual.objects.get()
    assert actual.units == Decimal("5.000")
    assert actual.revenue == Decimal("50.00")  # 5 x 10.00 list price
    assert AuditEvent.objects.filter(action="upload.actuals.commit").count() == 1


def test_the_same_file_again_changes_nothing_and_says_so(company, analyst, upload):
    content = actuals_csv(company, [(LAST, 0, 0, 5), (BEFORE, 1, 1, 3)])
    committed(actor=analyst, batch_id=upload(analyst, content).pk)
    before = actuals_table()
    again = upload(analyst, content)
    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, 2)
    assert again.changes_nothing
    committed(actor=analyst, batch_id=again.pk)
    assert actuals_table() == before


def test_a_corrected_file_replaces_exactly_its_keys(company, analyst, upload):
    first = actuals_csv(company, [(LAST, 0, 0, 5), (LAST, 1, 0, 7), (LAST, 2, 1, 9)])
    committed(actor=analyst, batch_id=upload(analyst, first).pk)
    corrected = upload(analyst, actuals_csv(company, [(LAST, 1, 0, 8)]))
    assert (corrected.new_count, corrected.changed_count) == (0, 1)
    committed(actor=analyst, batch_id=corrected.pk)
    units = dict(SalesActual.objects.values_list("product_id", "units"))
    assert units == {
        company.products[0].pk: Decimal("5"),
        company.products[1].pk: Decimal("8"),
        company.products[2].pk: Decimal("9"),
    }


def test_revert_restores_what_the_batch_replaced_and_removes_what_it_added(
    company, analyst, upload
):
    committed(actor=analyst, batch_id=upload(analyst, actuals_csv(company, [(LAST, 0, 0, 5)])).pk)
    before = actuals_table()
    second = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 6), (LAST, 1, 0, 1)]))
    committed(actor=analyst, batch_id=second.pk)
    reverted(actor=analyst, batch_id=second.pk, reason="wrong export")
    assert actuals_table() == before
    assert UploadBatch.objects.get(pk=second.pk).status == UploadBatch.Status.REVERTED


def test_an_older_batch_cannot_be_reverted_over_a_later_one(company, analyst, upload):
    first = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 5)]))
    committed(actor=analyst, batch_id=first.pk)
    committed(actor=analyst, batch_id=upload(analyst, actuals_csv(company, [(LAST, 0, 0, 9)])).pk)
    after = reverted(actor=analyst, batch_id=first.pk)  # the worker finds the later upload
    assert after.status == UploadBatch.Status.COMMITTED and after.reverted_by is None
    assert after.error.startswith("Nothing was reverted: 1 row(s) written by")
    assert "Revert that upload first" in after.error
    assert SalesActual.objects.get().units == 9


def test_a_file_with_errors_commits_only_when_asked_and_says_so(company, analyst, upload):
    content = actuals_csv(company, [(LAST, 0, 0, 5), (LAST, 1, 0, -2)])
    batch = upload(analyst, content)
    assert batch.rejected_count == 1
    with pytest.raises(DomainError, match="1 rejected row"):
        committed(actor=analyst, batch_id=batch.pk)
    assert not SalesActual.objects.exists()
    committed(actor=analyst, batch_id=batch.pk, accept_partial=True)
    assert SalesActual.objects.count() == 1
    event = AuditEvent.objects.get(action="upload.actuals.commit")
    assert "1 rejected row(s) left out" in event.reason


def test_commit_refuses_when_actuals_moved_since_preview(company, analyst, upload):
    batch = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 5)]))
    other = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 4)]))
    committed(actor=analyst, batch_id=other.pk)
    assert "changed since you previewed" in sent_back(committed(actor=analyst, batch_id=batch.pk))
    assert SalesActual.objects.get().units == 4


def test_a_stale_preview_whose_unchanged_row_moved_commits_nothing_and_names_the_row(
    company, analyst, user_with_role, upload
):
    """P1 previews A = 120 (unchanged then) and B = 40 (new); a manager commits A = 999."""
    manager = user_with_role(Role.SALES_OPS_MANAGER)
    manager.first_name, manager.last_name = "Maria", "Manager"
    manager.save()
    committed(
        actor=analyst, batch_id=upload(analyst, actuals_csv(company, [(LAST, 0, 0, 120)])).pk
    )
    preview = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 120), (LAST, 1, 0, 40)]))
    assert (preview.new_count, preview.changed_count, preview.unchanged_count) == (1, 0, 1)
    committed(
        actor=manager, batch_id=upload(manager, actuals_csv(company, [(LAST, 0, 0, 999)])).pk
    )
    message = sent_back(committed(actor=analyst, batch_id=preview.pk))
    sku, code = company.products[0].sku, company.territories[0].code
    assert (
        f"row 2 ({sku}, {code}, {LAST}): units were 120 when you previewed, now 999 by Maria Manager at"
        in message
    )
    assert message.endswith("Nothing was written: preview again.")
    assert SalesActual.objects.count() == 1 and SalesActual.objects.get().units == 999


def test_a_revert_is_not_blocked_by_a_later_change_to_a_row_it_left_unchanged(
    company, analyst, upload
):
    committed(
        actor=analyst, batch_id=upload(analyst, actuals_csv(company, [(LAST, 0, 0, 120)])).pk
    )
    batch = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 120), (LAST, 1, 0, 40)]))
    committed(actor=analyst, batch_id=batch.pk)
    committed(
        actor=analyst, batch_id=upload(analyst, actuals_csv(company, [(LAST, 0, 0, 999)])).pk
    )
    reverted(actor=analyst, batch_id=batch.pk)
    assert list(SalesActual.objects.values_list("units", flat=True)) == [Decimal(999)]


def test_a_planner_cannot_revert_their_upload_once_its_territory_is_no_longer_theirs(
    company, user_with_role, upload
):
    planner = user_with_role(Role.DEMAND_PLANNER, territories=[company.territories[0]])
    batch = upload(planner, actuals_csv(company, [(LAST, 0, 0, 5)]))
    committed(actor=planner, batch_id=batch.pk)
    TerritoryAssignment.objects.filter(user=planner).update(territory=company.territories[1])
    planner = type(planner).objects.get(pk=planner.pk)  # a new request: no cached scope
    with pytest.raises(NotAllowed, match="only for the territories you plan"):
        upload_revert(actor=planner, batch_id=batch.pk)
    assert SalesActual.objects.count() == 1


def test_a_planner_reverts_their_own_territory_upload(company, user_with_role, upload):
    planner = user_with_role(Role.DEMAND_PLANNER, territories=[company.territories[0]])
    batch = upload(planner, actuals_csv(company, [(LAST, 0, 0, 5)]))
    committed(actor=planner, batch_id=batch.pk)
    reverted(actor=planner, batch_id=batch.pk)
    assert not SalesActual.objects.exists()


def test_a_committed_batch_whose_cycle_was_released_can_no_longer_be_reverted(
    company, analyst, upload
):
    from cycles.models import Cycle

    batch = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 5)]))
    committed(actor=analyst, batch_id=batch.pk)
    mark_released(Cycle.objects.create(month=month_start(date.today()), owner=analyst))
    with pytest.raises(DomainError, match=f"cannot be reverted: {LAST} belong"):
        upload_revert(actor=analyst, batch_id=batch.pk)
    assert SalesActual.objects.count() == 1
