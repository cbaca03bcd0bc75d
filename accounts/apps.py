from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Roles (Django groups), the permission predicate, users and their sign-in.

    Its own app because every other app asks it who may do what.
    """

    name = "accounts"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        post_migrate.connect(_sync_roles, sender=self)
        user_locked_out.connect(_record_lockout, dispatch_uid="accounts-lockout-audit")


def _sync_roles(**kwargs) -> None:
    from accounts.services import roles_sync

    roles_sync(using=kwargs.get("using", "default"))


def _record_lockout(*, username: str = "", ip_address: str | None = None, **kwargs) -> None:
    from accounts.services import sign_in_lockout_record

    sign_in_lockout_record(username=username or "", ip_address=ip_address)
