from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from cycles import calendar
from cycles.stages import Stage


def validate_first_of_month(value: date) -> None:
    if value.day != 1:
        raise ValidationError(f"{value} is not the first day of a month.")


class CalendarMonth(models.Model):
    """A month of the planning calendar: its holidays and notes."""

    month = models.DateField(unique=True, validators=[validate_first_of_month])
    holidays = models.JSONField(default=list, blank=True, help_text="ISO dates, e.g. 2026-12-25")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    def holiday_dates(self) -> frozenset[date]:
        return frozenset(date.fromisoformat(day) for day in self.holidays)

    def working_day_count(self) -> int:
        return len(calendar.working_days(self.month, self.holiday_dates()))

    def clean(self) -> None:
        for day in self.holidays:
            try:
                parsed = date.fromisoformat(str(day))
            except ValueError as error:
                raise ValidationError(
                    {"holidays": f"{day!r} is not a date (YYYY-MM-DD)."}
                ) from error
            if (parsed.year, parsed.month) != (self.month.year, self.month.month):
                raise ValidationError({"holidays": f"{day} is not in {self}."})


class Cycle(models.Model):
    """The S&OP cycle of one planning month M; it plans M .. M+11."""

    class Status(models.TextChoices):
        OPEN = "open"
        RELEASED = "released"

    month = models.DateField(unique=True, validators=[validate_first_of_month])
    stage = models.CharField(
        max_length=20, choices=[(s.value, s.label) for s in Stage], default=Stage.DATA_GATHERING
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"S&OP {self.month:%Y-%m}"

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    def horizon(self) -> list[date]:
        return calendar.horizon(self.month)
