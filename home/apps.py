from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Each role's home page, its to-dos, and the menu.

    The top of the apps: it reads from all of them, and none reads from it.
    """

    name = "home"
