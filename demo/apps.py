from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo company: a generator and its loader.

    Its own app because it fills every other app and belongs to none.
    """

    name = "demo"
