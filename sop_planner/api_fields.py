"""Serializer fields every app's API shares, so a kind of value reads the same everywhere."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-11"})
class MonthField(serializers.DateField):
    """A month as people write it, YYYY-MM (inside the app, a date on the 1st)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m", input_formats=["%Y-%m"], **kwargs)
