from django.urls import path

from crm import views

app_name = "crm"
urlpatterns = [
    path("", views.crm_page, name="page"),
    path("connection/", views.connection_save, name="connection"),
    path("sync/", views.sync_now, name="sync"),
    path("runs/<int:pk>/", views.run_progress, name="run"),
    path("deals/<int:pk>/map/", views.deal_map, name="map"),
    path("rates/", views.rate_save, name="rates"),
]
