"""Admin pages save through the same services as the UI and the API."""

from django.contrib import admin, messages

from sop_planner.errors import DomainError


class ServiceAdmin(admin.ModelAdmin):
    service = None
    service_argument = ""

    def save_model(self, request, obj, form, change):
        try:
            type(self).service(actor=request.user, **{self.service_argument: obj})
        except DomainError as error:
            messages.error(request, error.message)
            raise

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
