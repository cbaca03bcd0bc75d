from django.urls import path

from kpis import api

urlpatterns = [
    path("dashboard/", api.DashboardApi.as_view()),
    path("settings/", api.SettingsApi.as_view()),
]
