"""Helpers every app's API shares: a row id from the address, the request's input parsed.

The router is sop_planner.api_router (site: it imports every app); the master-data
viewset is accounts.viewsets.
"""

from rest_framework.exceptions import NotFound


def path_id(value: str, noun: str) -> int:
    """A row id from the address; a 404 naming it when it is not a whole number the
    database can hold (a router's detail route takes any text)."""
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise NotFound(f"There is no {noun} {value!r}: a {noun} is named by its number.")
    return int(value)


def valid(serializer_class, data) -> dict:
    """The request's input parsed by `serializer_class`; a 400 naming each bad field otherwise."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
