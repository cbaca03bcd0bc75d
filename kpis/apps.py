from django.apps import AppConfig


class KpisConfig(AppConfig):
    """The KPI dashboard: which key metrics a company watches, their targets and trends.

    Its own app because it reads every other app (plan, supply, cycle dates,
    reassessment scores) and belongs to none of them; what it stores is only the
    company's choice of KPIs.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "kpis"

    def ready(self) -> None:
        from demand.pipeline_reads import register_threshold_reader
        from kpis.selectors import threshold_of

        register_threshold_reader(threshold_of)
