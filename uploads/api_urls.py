from django.urls import path

from uploads import api

urlpatterns = [
    path("", api.ImportListCreateApi.as_view(), name="imports"),
    path("<int:pk>/", api.ImportDetailApi.as_view(), name="import-detail"),
    path("<int:pk>/commit", api.ImportCommitApi.as_view(), name="import-commit"),
    path("<int:pk>/revert", api.ImportRevertApi.as_view(), name="import-revert"),
    path("<int:pk>/convention", api.ImportConventionApi.as_view(), name="import-convention"),
]
