from django.apps import AppConfig


class DemandConfig(AppConfig):
    """Demand planning: the consensus grid, overrides, events and territory submissions.

    It is its own app because it is the one place that turns the statistical
    baseline (forecasting) into the company's demand plan (the cycles plan store):
    cycles stays a neutral store of figures and stages, forecasting stays a
    producer of baselines, and neither imports this app; it joins them through
    their hook registries.
    """

    name = "demand"

    def ready(self) -> None:
        from cycles.hooks import on_release
        from demand.pipeline_freeze import pipeline_freeze
        from forecasting.hooks import on_run_done

        on_run_done(load_baseline_after_forecast)
        on_release(pipeline_freeze)


def load_baseline_after_forecast(*, run_id: int) -> None:
    """A finished forecast run becomes the plan's baseline: a task of its own.

    Late-acknowledged and idempotent, so a worker killed during the load loses
    nothing; if even the publish is lost, demand's sweeper publishes it again.
    """
    from demand.tasks import baseline_load_task
    from sop_planner.background import publish

    publish(lambda: baseline_load_task.delay(run_id), on_failure=lambda message: None)
