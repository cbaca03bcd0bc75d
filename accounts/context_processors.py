from django.urls import reverse

from accounts.navigation import MENU
from accounts.permissions import can, user_roles


def navigation(request) -> dict:
    """The menu entries this user may use, and their roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "user_role_names": []}
    menu = [
        {"label": item.label, "url": reverse(item.url_name)}
        for item in MENU
        if item.action is None or can(user, item.action)
    ]
    return {"menu": menu, "user_role_names": sorted(user_roles(user))}
