from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Files built by a worker for a user to download (a version of the plan as CSV...).

    Its own app because building a big file is the same job whatever the file holds:
    a row the user can see with its status, progress and error, a task, a page that
    follows it and a download once it is ready. The app that owns the data only
    declares the kind of file (exports.kinds): who may have it and its lines.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "exports"
    verbose_name = "Exports"
