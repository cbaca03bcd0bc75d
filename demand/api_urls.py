from django.urls import path

from demand import api, pipeline_api

urlpatterns = [
    path("reason-codes/", api.ReasonCodesView.as_view(), name="demand-reasons"),
    path("cycles/<int:cycle_id>/grid/", api.GridView.as_view(), name="demand-grid"),
    path("cycles/<int:cycle_id>/overrides/", api.OverridesView.as_view(), name="demand-overrides"),
    path(
        "cycles/<int:cycle_id>/composition/",
        api.CompositionView.as_view(),
        name="demand-composition",
    ),
    path(
        "cycles/<int:cycle_id>/overrides/batch/",
        api.OverridesBatchView.as_view(),
        name="demand-overrides-batch",
    ),
    path(
        "cycles/<int:cycle_id>/overrides/undo/",
        api.OverridesUndoView.as_view(),
        name="demand-overrides-undo",
    ),
    path("cycles/<int:cycle_id>/events/", api.EventsView.as_view(), name="demand-events"),
    path("events/<int:event_id>/", api.EventDetailView.as_view(), name="demand-event"),
    path("cycles/<int:cycle_id>/submit/", api.SubmitView.as_view(), name="demand-submit"),
    path("cycles/<int:cycle_id>/reopen/", api.ReopenView.as_view(), name="demand-reopen"),
    path("cycles/<int:cycle_id>/baseline/", api.BaselineView.as_view(), name="demand-baseline"),
    path(
        "cycles/<int:cycle_id>/pipeline-deals/",
        pipeline_api.PipelineDealsView.as_view(),
        name="demand-pipeline-deals",
    ),
]
