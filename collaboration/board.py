"""Collaboration's panel on the cycle board: registered as a cycles hook, since the
cycles app never imports collaboration."""

from django.contrib.auth import get_user_model

from accounts.permissions import can
from collaboration import selectors
from cycles.stages import Stage


def board_panel(*, user, cycle) -> dict:
    """The cycle board's comments, action items and unread notifications (a cycles hook)."""
    return {
        "comments": selectors.cycle_comments(cycle),
        "action_items": [
            (item, can(user, "action_item.close", item))
            for item in selectors.cycle_action_items(cycle)
        ],
        "can_comment": can(user, "cycle.comment"),
        "people": get_user_model().objects.filter(is_active=True).order_by("username"),
        "stages": list(Stage),
        "unread": selectors.unread_count(user),
    }
