from django.urls import path

from reconciliation import api, pack_api

urlpatterns = [
    path("cycles/<int:pk>/reconciliation/", api.ReconciliationApi.as_view()),
    path("cycles/<int:pk>/supply/compute/", api.SupplyComputeApi.as_view()),
    path("cycles/<int:pk>/gaps/decide/", api.GapDecideApi.as_view()),
    path("cycles/<int:pk>/gaps/decide-many/", api.GapDecideManyApi.as_view()),
    path("cycles/<int:pk>/scenarios/", api.ScenarioListApi.as_view()),
    path("cycles/<int:pk>/scenarios/compare/", api.ScenarioCompareApi.as_view()),
    path("cycles/<int:pk>/released-plan/", api.ReleasedPlanApi.as_view()),
    path("cycles/<int:pk>/pack/", pack_api.PackApi.as_view()),
    path("packs/<int:build_id>/", pack_api.PackBuildApi.as_view()),
    path("scenarios/<int:scenario_id>/changes/", api.ScenarioChangeApi.as_view()),
    path("scenarios/<int:scenario_id>/promote/", api.ScenarioPromoteApi.as_view()),
]
