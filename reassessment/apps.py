from django.apps import AppConfig


class ReassessmentConfig(AppConfig):
    """Released plans scored against actuals: accuracy by lag and level, forecast value added.

    Its own app because it reads every other app's record (released plan values
    in cycles, actuals in forecasting, overrides in demand, decisions in
    reconciliation) and none of them should depend on it: it joins them through
    the uploads hook registry, as demand joins forecasting.
    """

    name = "reassessment"

    def ready(self) -> None:
        from uploads.hooks import on_actuals_changed

        on_actuals_changed(rescore_after_actuals)


def rescore_after_actuals(*, months: list) -> None:
    """Committed (or reverted) actuals: the months they touch are scored again, in a worker."""
    from reassessment.tasks import scores_recompute_task

    scores_recompute_task.delay([f"{month:%Y-%m-%d}" for month in months])
