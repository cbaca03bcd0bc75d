from django.urls import path

from crm import api

urlpatterns = [
    path("deals/", api.DealListApi.as_view(), name="crm-deals-api"),
    path("sync-runs/", api.SyncRunListApi.as_view(), name="crm-sync-runs-api"),
]
