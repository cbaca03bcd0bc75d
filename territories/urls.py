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
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/reps/new/", views.sales_rep_new, name="rep-new"),
    path("assignments/reps/assign/", views.rep_assign, name="rep-assign"),
    path("assignments/reps/move/", views.rep_move, name="rep-move"),
    path("assignments/reps/<int:pk>/end/", views.rep_assignment_end, name="rep-end"),
    path("assignments/planners/assign/", views.planner_assign_dated, name="planner-assign"),
    path("assignments/planners/<int:pk>/end/", views.planner_assignment_end, name="planner-end"),
]
