from django.urls import path

from quotas import views

app_name = "quotas"
urlpatterns = [
    path("", views.quota_list, name="list"),
    path("propose/", views.quota_propose, name="propose"),
    path("<int:pk>/", views.quota_detail, name="detail"),
    path("<int:pk>/lines/", views.quota_lines_save, name="save"),
    path("<int:pk>/approve/", views.quota_approve, name="approve"),
    path("<int:pk>/new-version/", views.quota_new_version, name="new-version"),
    path("<int:pk>/csv/", views.quota_csv, name="csv"),
    path(
        "gaps/<int:cycle_id>/<int:territory_id>/",
        views.quota_gap_decide,
        name="gap-decide",
    ),
]
