from django.contrib import admin
from django.urls import reverse

from accounts.permissions import can, user_roles
from home.navigation import MENU


def navigation(request) -> dict:
    """The menu entries this user may use (flat, and grouped for the bar), and their roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "menu_sections": [], "user_role_names": []}
    menu = [
        {"label": item.label, "url": reverse(item.url_name), "group": item.group}
        for item in MENU
        if (item.action is None or can(user, item.action))
        and (item.url_name != "admin:index" or can_use_admin(request))
    ]
    return {
        "menu": menu,
        "menu_sections": menu_sections(menu),
        "user_role_names": sorted(user_roles(user)),
    }


def can_use_admin(request) -> bool:
    """The admin lets this user in and shows them at least one model."""
    return admin.site.has_permission(request) and bool(admin.site.get_app_list(request))


def menu_sections(menu: list[dict]) -> list[dict]:
    """Entries of one group gathered under the group's name, where its first entry stands."""
    sections: list[dict] = []
    groups: dict[str, dict] = {}
    for entry in menu:
        if entry["group"] is None:
            sections.append(entry)
        elif entry["group"] in groups:
            groups[entry["group"]]["children"].append(entry)
        else:
            groups[entry["group"]] = {"label": entry["group"], "children": [entry]}
            sections.append(groups[entry["group"]])
    return sections
