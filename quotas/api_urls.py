from django.urls import path

from quotas import api

urlpatterns = [
    path("", api.QuotaYearListApi.as_view()),
    path("propose/", api.QuotaProposeApi.as_view()),
    path("attainment/", api.AttainmentApi.as_view()),
    path("<int:pk>/", api.QuotaYearApi.as_view()),
    path("<int:pk>/lines/", api.QuotaLinesApi.as_view()),
    path("<int:pk>/approve/", api.QuotaApproveApi.as_view()),
    path("<int:pk>/new-version/", api.QuotaNewVersionApi.as_view()),
    path("vs-plan/<int:cycle_id>/", api.QuotaVsPlanApi.as_view()),
    path("vs-plan/<int:cycle_id>/<int:territory_id>/decision/", api.QuotaGapDecisionApi.as_view()),
]
