from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Roles (Django groups), the permission predicate and the role home pages.

    Its own app because every other app asks it who may do what.
    """

    name = "accounts"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, sender=self)


def _sync_roles(**kwargs) -> None:
    from accounts.services import roles_sync

    roles_sync(using=kwargs.get("using", "default"))
