from django.apps import AppConfig


class QuotasConfig(AppConfig):
    """Sales quotas per rep, territory, family and month for a fiscal year, proposed from
    the released consensus, approved and locked; quota vs plan in reconciliation; attainment.

    Its own app: a quota is neither a plan measure (it belongs to a fiscal year, not a
    cycle, and to a rep) nor master data; reconciliation learns about quota gaps through
    the cycle's gate-check hook, as it does for supply gaps.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "quotas"

    def ready(self) -> None:
        from quotas import gate  # noqa: F401  (registers the quota-gap gate check)
