from django.urls import path

from uploads import views

app_name = "uploads"
urlpatterns = [
    path("", views.upload_page, name="page"),
    path("<int:pk>/", views.batch_page, name="batch"),
    path("<int:pk>/progress/", views.batch_progress, name="progress"),
    path("<int:pk>/map/", views.batch_map, name="map"),
    path("<int:pk>/commit/", views.batch_commit, name="commit"),
    path("<int:pk>/convention/", views.batch_convention, name="convention"),
    path("<int:pk>/revert/", views.batch_revert, name="revert"),
    path("<int:pk>/rejected.csv", views.rejected_csv, name="rejected"),
    path("template/<str:kind>.<str:extension>", views.template_file, name="template"),
    path("export/actuals.csv", views.export_actuals, name="export-actuals"),
]
