from django.urls import path

from demand import views

app_name = "demand"

urlpatterns = [
    path("", views.grid_page, name="grid"),
    path("<int:cycle_id>/", views.grid_page, name="grid-of"),
    path("<int:cycle_id>/export.xlsx", views.export_xlsx, name="export"),
    path("<int:cycle_id>/import/", views.import_xlsx, name="import"),
    path("<int:cycle_id>/events/", views.event_create, name="event-create"),
    path("<int:cycle_id>/events/<int:event_id>/remove/", views.event_remove, name="event-remove"),
]
