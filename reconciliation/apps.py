from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    """Reconciliation: demand vs supply vs budget, the gaps and their decisions, scenarios,
    and the executive pre-read built from them.

    Its own app, apart from supply, because it reads every plan (demand, supply,
    budget) and owns rows none of them has (gap decisions, scenarios); apart
    from cycles because cycles only knows stages and gates, and learns about
    open gaps through its gate-check hook.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "reconciliation"

    def ready(self) -> None:
        from cycles.hooks import on_stage_exit
        from cycles.stages import Stage
        from reconciliation import gate  # noqa: F401  (registers the reconciliation gate check)
        from reconciliation.pack_services import pack_on_release

        on_stage_exit(Stage.SIGN_OFF)(pack_on_release)
