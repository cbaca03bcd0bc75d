from django.urls import path

from exports import api

urlpatterns = [
    path("<str:pk>/", api.ExportJobApi.as_view(), name="export-api"),
    path("<str:pk>/file/", api.ExportFileApi.as_view(), name="export-file-api"),
]
