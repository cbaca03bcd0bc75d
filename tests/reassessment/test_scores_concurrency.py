"""Scores follow the actuals when recomputes of the same month overlap (PostgreSQL)."""

import io
import threading

import pytest
from django.db import connection, transaction

from accounts.roles import Role
from forecasting.models import SalesActual
from reassessment.models import AccuracyScore, ScoreRun
from reassessment.services import scores_recompute
from tests.fixtures.uploads import LAST, LAST_MONTH, actuals_csv, batch_reaches
from tests.fixtures.waiting import wait_for
from uploads.services import upload_commit, upload_preview, upload_revert

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def stored_scores() -> list[tuple]:
    return sorted(AccuracyScore.objects.values_list("level", "key", "lag", "month", "wape"))


def fresh_scores() -> list[tuple]:
    scores_recompute(months=[LAST_MONTH])
    return stored_scores()


def another_session_waits_on_a_lock():
    """the second recompute to wait for the first one's transaction"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction sees one snapshot
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_a_recompute_started_while_another_is_writing_waits_and_scores_the_newer_actuals(book):
    c = book.company
    cell = (c.products[0], c.territories[0], LAST_MONTH)
    book.released_cycle(LAST_MONTH, consensus={cell: 8})
    book.actuals({cell: 10})
    failures: list[Exception] = []

    def second_recompute():
        try:
            scores_recompute(months=[LAST_MONTH])
        except Exception as error:  # the failure under test: IntegrityError
            failures.append(error)
        finally:
            connection.close()

    with transaction.atomic():  # the first recompute, as for a revert that moved the actuals
        SalesActual.objects.update(units=16)
        scores_recompute(months=[LAST_MONTH])
        second = threading.Thread(target=second_recompute)
        second.start()
        wait_for(another_session_waits_on_a_lock)
    second.join()
    assert failures == []
    scores = stored_scores()
    assert scores == fresh_scores()
    company_wape = [wape for level, _key, lag, _month, wape in scores if level == "company"]
    assert company_wape == [pytest.approx(50.0)]  # |16 - 8| / 16


@pytest.mark.redis
def test_commit_then_revert_in_quick_succession_with_a_real_worker_leaves_fresh_scores(
    book, user_with_role, celery_worker, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    c = book.company
    book.released_cycle(LAST_MONTH, consensus={(c.products[0], c.territories[0], LAST_MONTH): 8})
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    first = upload_preview(
        actor=analyst,
        file=io.BytesIO(actuals_csv(c, [(LAST, 0, 0, 10)])),
        file_name="a.csv",
        kind="actuals",
    )
    wait_for(batch_reaches(first.pk, "previewed"))
    upload_commit(actor=analyst, batch_id=first.pk)
    wait_for(batch_reaches(first.pk, "committed"))
    second = upload_preview(
        actor=analyst,
        file=io.BytesIO(actuals_csv(c, [(LAST, 0, 0, 16)])),
        file_name="b.csv",
        kind="actuals",
    )
    wait_for(batch_reaches(second.pk, "previewed"))
    upload_commit(actor=analyst, batch_id=second.pk)
    wait_for(batch_reaches(second.pk, "committed"))
    upload_revert(actor=analyst, batch_id=second.pk, reason="wrong file")
    wait_for(batch_reaches(second.pk, "reverted"))

    def every_recompute_ran():
        """the worker to run the recomputes of the two commits and the revert"""
        return ScoreRun.objects.count() >= 3

    wait_for(every_recompute_ran)
    scores = stored_scores()
    assert [s[4] for s in scores if s[0] == "company"] == [pytest.approx(20.0)]  # 10 against 8
    assert scores == fresh_scores()
