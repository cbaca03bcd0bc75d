from django.apps import AppConfig


class UploadsConfig(AppConfig):
    """One upload mechanism shared by actuals, master data, and later budgets and capacity.

    Reading, validating as a whole, previewing, committing and reverting a file
    work the same for every kind of data, so the mechanism belongs to none of
    the apps whose tables it fills: it lives here and calls into them.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "uploads"
