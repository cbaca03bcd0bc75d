from django.contrib import admin

from cycles import services
from cycles.models import CalendarMonth, Cycle, GateWaiver, PlanVersion, SignOffDecision
from sop_planner.admin_base import ServiceAdmin


@admin.register(CalendarMonth)
class CalendarMonthAdmin(ServiceAdmin):
    list_display = ["month", "note"]
    service = services.calendar_month_save
    service_argument = "month"


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    """Read-only: cycles move only through their workflow."""

    list_display = ["month", "stage", "status", "owner"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change only through the cycle's services."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "seq", "stage", "label", "created_by", "created_at"]
    list_filter = ["cycle"]


@admin.register(GateWaiver)
class GateWaiverAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "stage", "item", "reason", "waived_by", "waived_at"]


@admin.register(SignOffDecision)
class SignOffDecisionAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "decided_by", "decision", "comment", "decided_at"]
