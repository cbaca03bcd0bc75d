"""API of forecast runs: start, cancel, status, results (paged, filterable)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import ensure_allowed
from forecasting import selectors, services
from forecasting.models import ForecastRun, ForecastSeries, ForecastValue
from sop_planner.api import path_id, valid
from sop_planner.api_fields import MonthField


class ForecastRunSerializer(serializers.ModelSerializer):
    started_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="None: started by the system.",
    )
    cycle_month = MonthField(source="cycle.month", read_only=True)
    percent_done = serializers.IntegerField(read_only=True)
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = ForecastRun
        fields = [
            "id", "cycle", "cycle_month", "status", "trigger", "started_by", "history_end",
            "series_total", "series_done", "percent_done", "chunk_count", "created_at",
            "started_at", "finished_at", "duration_seconds", "error", "summary",
        ]  # fmt: skip
        read_only_fields = fields


class RunStartSerializer(serializers.Serializer):
    cycle = serializers.IntegerField(help_text="The cycle whose baseline is recomputed.")


class ValueSerializer(serializers.ModelSerializer):
    month = MonthField()

    class Meta:
        model = ForecastValue
        fields = ["month", "point", "lo80", "hi80", "lo95", "hi95"]


class SeriesResultSerializer(serializers.ModelSerializer):
    product = serializers.SlugRelatedField(slug_field="sku", read_only=True)
    territory = serializers.SlugRelatedField(slug_field="code", read_only=True)
    values = ValueSerializer(many=True, read_only=True, source="month_values")

    class Meta:
        model = ForecastSeries
        fields = [
            "product", "territory", "demand_class", "method", "months", "mase", "wape", "bias",
            "reason", "scores", "values",
        ]  # fmt: skip


FILTER_PARAMETERS = [
    OpenApiParameter(name, str, description=f"Only series with this {lookup}")
    for name, lookup in selectors.RESULT_FILTERS.items()
]


class ForecastRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Forecast runs: everybody reads; analysts and the cycle owner start and cancel."""

    queryset = selectors.visible_runs()
    serializer_class = ForecastRunSerializer
    filterset_fields = ["cycle", "status"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        ensure_allowed(request.user, "forecast.view")

    @extend_schema(request=RunStartSerializer, responses={201: ForecastRunSerializer})
    def create(self, request):
        """Start a run for a cycle (it supersedes the cycle's active run)."""
        data = valid(RunStartSerializer, request.data)
        run = services.forecast_run_start(cycle_id=data["cycle"], actor=request.user)
        return Response(ForecastRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ForecastRunSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a queued or running run."""
        run = services.forecast_run_cancel(run_id=path_id(pk, "forecast run"), actor=request.user)
        return Response(ForecastRunSerializer(run).data)

    @extend_schema(parameters=FILTER_PARAMETERS, responses=SeriesResultSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_fields=None, filter_backends=[])
    def results(self, request, pk=None):
        """Per series: method, class, backtest accuracy, reason and the 12 monthly values."""
        run = self.get_object()
        filters = {k: request.query_params.get(k, "") for k in selectors.RESULT_FILTERS}
        page = self.paginate_queryset(selectors.series_results(run.pk, filters=filters))
        values = selectors.values_by_series(run.pk, [(r.product_id, r.territory_id) for r in page])
        for row in page:
            row.month_values = values.get((row.product_id, row.territory_id), [])
        return self.get_paginated_response(SeriesResultSerializer(page, many=True).data)
