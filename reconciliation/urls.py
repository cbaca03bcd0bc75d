from django.urls import path

from reconciliation import budget_views, pack_views, views

app_name = "reconciliation"
urlpatterns = [
    path("", views.reconciliation_view, name="index"),
    path("<int:pk>/", views.reconciliation_view, name="cycle"),
    path("<int:pk>/decide/", views.gap_decide_view, name="decide"),
    path("<int:pk>/budget/<int:family_id>/", budget_views.budget_view, name="budget"),
    path(
        "<int:pk>/budget/<int:family_id>/spread/",
        budget_views.budget_spread_view,
        name="budget-spread",
    ),
    path("<int:pk>/budget/import/", views.budget_import_view, name="budget-import"),
    path("<int:pk>/scenarios/", views.scenarios_view, name="scenarios"),
    path("<int:pk>/scenarios/new/", views.scenario_create_view, name="scenario-new"),
    path("scenario/<int:scenario_id>/change/", views.scenario_change_view, name="scenario-change"),
    path("scenario/<int:scenario_id>/delete/", views.scenario_delete_view, name="scenario-delete"),
    path(
        "scenario/<int:scenario_id>/remove-promotion/",
        views.scenario_promotion_removal_view,
        name="scenario-remove-promotion",
    ),
    path(
        "scenario/<int:scenario_id>/promote/", views.scenario_promote_view, name="scenario-promote"
    ),
    path("<int:pk>/pack.<str:fmt>", pack_views.pack_latest, name="pack-latest"),
    path("<int:pk>/pack/", pack_views.pack_request_view, name="pack-build"),
    path("pack/<int:build_id>/progress/", pack_views.pack_progress, name="pack-progress"),
    path("pack/<int:build_id>/pack.<str:fmt>", pack_views.pack_download, name="pack-download"),
]
