from django.contrib import admin

from sop_planner.admin_base import ServiceAdmin
from territories import services
from territories.models import Region, Territory, TerritoryAssignment


@admin.register(Region)
class RegionAdmin(ServiceAdmin):
    list_display = ["code", "name"]
    service = services.region_save
    service_argument = "region"


@admin.register(Territory)
class TerritoryAdmin(ServiceAdmin):
    list_display = ["code", "name", "region", "is_active"]
    list_filter = ["region", "is_active"]
    service = services.territory_save
    service_argument = "territory"


@admin.register(TerritoryAssignment)
class TerritoryAssignmentAdmin(admin.ModelAdmin):
    list_display = ["territory", "user", "created_at"]
    list_filter = ["territory__region"]

    def save_model(self, request, obj, form, change):
        services.planner_assign(actor=request.user, territory=obj.territory, user=obj.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
