from django.urls import path

from exports import views

app_name = "exports"
urlpatterns = [
    path("<int:pk>/", views.export_page, name="job"),
    path("<int:pk>/progress/", views.export_progress, name="progress"),
    path("<int:pk>/file/", views.export_download, name="file"),
]
