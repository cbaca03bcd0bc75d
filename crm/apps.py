from django.apps import AppConfig


class CrmConfig(AppConfig):
    """The sales CRM's deals, kept in sync and mapped to territories and products."""

    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        from crm import deal_upload

        deal_upload.register()
