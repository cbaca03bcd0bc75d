from django.urls import path

from reconciliation import budget_views, views

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
    path("<int:pk>/pack.xlsx", views.pack_xlsx, name="pack-xlsx"),
    path("<int:pk>/pack.pdf", views.pack_pdf_view, name="pack-pdf"),
]
