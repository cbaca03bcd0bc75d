from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only record of every change ("store everything").

    Its own app because every other app writes to it; living inside cycles
    would make master data depend on the cycle workflow.
    """

    name = "audit"
