from django.urls import path

from territories import views

app_name = "territories"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("regions/new/", views.RegionEditView.as_view(), name="region-new"),
    path("regions/<int:pk>/", views.RegionEditView.as_view(), name="region-edit"),
    path("new/", views.TerritoryEditView.as_view(), name="new"),
    path("<int:pk>/", views.TerritoryEditView.as_view(), name="edit"),
    path("<int:pk>/planners/", views.planner_assign, name="assign"),
    path("<int:pk>/planners/<int:user_id>/remove/", views.planner_unassign, name="unassign"),
]
