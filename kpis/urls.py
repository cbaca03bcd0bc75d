from django.urls import path

from kpis import views

app_name = "kpis"
urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("<slug:code>.csv", views.kpi_csv, name="csv"),
]
