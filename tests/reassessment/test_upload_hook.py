"""A committed upload of actuals scores the released plans of its months, in a worker."""

import pytest

from accounts.roles import Role
from reassessment.models import AccuracyScore
from tests.fixtures.uploads import LAST, LAST_MONTH, actuals_csv
from uploads.services import upload_commit, upload_preview


def test_committing_actuals_scores_the_plan_released_for_that_month(
    book, user_with_role, eager_celery, django_capture_on_commit_callbacks, tmp_path, settings
):
    import io

    settings.MEDIA_ROOT = tmp_path
    c = book.company
    book.released_cycle(
        LAST_MONTH,
        consensus={(c.products[0], c.territories[0], LAST_MONTH): 8},
    )
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    content = actuals_csv(c, [(LAST, 0, 0, 10)])
    with django_capture_on_commit_callbacks(execute=True):  # the worker validates (eager)
        batch = upload_preview(
            actor=analyst, file=io.BytesIO(content), file_name="a.csv", kind="actuals"
        )
    with django_capture_on_commit_callbacks(execute=True):  # ... then writes, then scores
        upload_commit(actor=analyst, batch_id=batch.pk)
    score = AccuracyScore.objects.get(level="company")
    assert (score.lag, score.month, score.wape) == (0, LAST_MONTH, pytest.approx(20.0))
