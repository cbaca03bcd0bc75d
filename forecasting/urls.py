from django.urls import path

from forecasting import run_views, views

app_name = "forecasting"
urlpatterns = [
    path("actuals/", views.actuals_overview, name="actuals"),
    path("runs/", run_views.run_list, name="runs"),
    path("runs/start/", run_views.run_start, name="run-start"),
    path("runs/<int:pk>/", run_views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", run_views.run_progress, name="run-progress"),
    path("runs/<int:pk>/cancel/", run_views.run_cancel, name="run-cancel"),
    path("runs/<int:pk>/results/", run_views.run_results, name="run-results"),
    path(
        "runs/<int:pk>/series/<int:product_id>/<int:territory_id>/",
        run_views.series_detail,
        name="run-series",
    ),
]
