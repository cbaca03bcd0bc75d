"""Read-only reassessment API (and a recompute request): the same selectors as the pages."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from accounts.permissions import ensure_allowed
from reassessment import selectors, services
from reassessment.decisions import decision_review, reviewed_decisions
from reassessment.filters import score_filters
from reassessment.models import FvaLayer, Level
from sop_planner.pagination import BoundedLimitOffsetPagination


class AccuracyRowSerializer(serializers.Serializer):
    month = serializers.DateField()
    cycle_month = serializers.DateField()
    key = serializers.IntegerField(help_text="Region, territory or family id; 0 for the company.")
    label = serializers.CharField()
    series = serializers.IntegerField()
    actual_total = serializers.FloatField()
    forecast_total = serializers.FloatField()
    wape = serializers.FloatField(allow_null=True)
    mase = serializers.FloatField(allow_null=True)
    bias_pct = serializers.FloatField(allow_null=True)
    tracking_signal = serializers.FloatField(allow_null=True)
    hit_rate = serializers.FloatField(allow_null=True)
    pipeline_forecast = serializers.FloatField(
        allow_null=True, help_text="Units the CRM pipeline frozen at release expected."
    )
    pipeline_wape = serializers.FloatField(allow_null=True)
    pipeline_learned_wape = serializers.FloatField(
        allow_null=True, help_text="WAPE of the pipeline weighted by the learned likelihoods."
    )


class StepSerializer(serializers.Serializer):
    label = serializers.CharField()
    kind = serializers.CharField()
    start = serializers.FloatField()
    end = serializers.FloatField()
    value_added = serializers.FloatField(allow_null=True)


class RankingSerializer(serializers.Serializer):
    key = serializers.IntegerField()
    label = serializers.CharField()
    cells = serializers.IntegerField()
    actual_total = serializers.FloatField()
    fva = serializers.FloatField(allow_null=True)
    contribution = serializers.FloatField(allow_null=True)
    enough = serializers.BooleanField(help_text="False: too few scored cells to judge.")


class FvaTrendSerializer(serializers.Serializer):
    month = serializers.DateField()
    naive_wape = serializers.FloatField(allow_null=True)
    baseline_wape = serializers.FloatField(allow_null=True)
    final_wape = serializers.FloatField(allow_null=True)
    override_fva = serializers.FloatField(allow_null=True)
    overridden_cells = serializers.IntegerField()


class PipelineStepSerializer(serializers.Serializer):
    label = serializers.CharField()
    layer = serializers.CharField()
    wape = serializers.FloatField(allow_null=True)


class PipelineComparisonSerializer(serializers.Serializer):
    plans = serializers.IntegerField(help_text="Plan-months released with a frozen pipeline.")
    steps = PipelineStepSerializer(many=True)


@extend_schema_serializer(many=False)  # one answer, though it is the viewset's list
class FvaSerializer(serializers.Serializer):
    waterfall = StepSerializer(many=True)
    pipeline = PipelineComparisonSerializer(
        help_text="The CRM pipeline vs the baseline and the final plan, same plans and months."
    )
    planners = RankingSerializer(many=True)
    reasons = RankingSerializer(many=True)
    trend = FvaTrendSerializer(many=True)
    min_cells = serializers.IntegerField()


class DecisionReviewSerializer(serializers.Serializer):
    cycle_month = serializers.DateField(source="decision.cycle.month")
    gap_key = serializers.CharField(source="decision.gap_key")
    gap = serializers.CharField(source="decision.gap_label")
    decision = serializers.CharField(source="decision.decision")
    rationale = serializers.CharField(source="decision.rationale")
    expected_impact = serializers.CharField(source="decision.expected_impact")
    month = serializers.DateField(allow_null=True)
    planned_units = serializers.FloatField(allow_null=True)
    actual_units = serializers.FloatField(allow_null=True)
    units_vs_plan_pct = serializers.FloatField(allow_null=True)
    budget_revenue = serializers.FloatField(allow_null=True)
    actual_revenue = serializers.FloatField(allow_null=True)


LAG = OpenApiParameter("lag", int, description="Months between cycle and target (default 1).")
MONTHS = OpenApiParameter("months", int, description="How many scored months (default 12).")
LEVEL = OpenApiParameter("level", str, enum=Level.values, description="Default company.")


class _ViewRequired(viewsets.ViewSet):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        ensure_allowed(request.user, "reassessment.view")


class AccuracyViewSet(_ViewRequired):
    @extend_schema(parameters=[LAG, LEVEL, MONTHS], responses=AccuracyRowSerializer(many=True))
    def list(self, request):
        rows = selectors.accuracy_table(**score_filters(request.query_params))
        return Response(AccuracyRowSerializer(rows, many=True).data)


class FvaViewSet(_ViewRequired):
    @extend_schema(parameters=[LAG, MONTHS], responses=FvaSerializer)
    def list(self, request):
        filters = score_filters(request.query_params)
        lag, months = filters["lag"], filters["months"]
        minimum = settings.REASSESSMENT_MIN_CELLS

        def ranking(layer: FvaLayer) -> list[dict]:
            return selectors.fva_ranking(lag=lag, months=months, layer=layer, min_cells=minimum)

        data = {
            "waterfall": selectors.fva_waterfall(lag=lag, months=months),
            "pipeline": selectors.pipeline_comparison(lag=lag, months=months),
            "planners": ranking(FvaLayer.PERSON),
            "reasons": ranking(FvaLayer.REASON),
            "trend": selectors.fva_trend(lag=lag, months=months),
            "min_cells": minimum,
        }
        return Response(FvaSerializer(data).data)


class DecisionReviewViewSet(viewsets.GenericViewSet):
    """Reviewed decisions, a page at a time (`?limit=` up to 1,000, `?offset=`): only the
    page's plans and actuals are read."""

    serializer_class = DecisionReviewSerializer
    pagination_class = BoundedLimitOffsetPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        ensure_allowed(request.user, "reassessment.view")

    def get_queryset(self):
        return reviewed_decisions()

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        reviews = decision_review(page)
        return self.get_paginated_response(self.get_serializer(reviews, many=True).data)


class RecomputeViewSet(viewsets.ViewSet):
    @extend_schema(request=None, responses={202: None}, summary="Recompute all scores")
    def create(self, request):
        services.scores_recompute_request(actor=request.user)
        return Response(status=status.HTTP_202_ACCEPTED)
