"""The KPI API: the dashboard's figures, and the administrator's choice of KPIs."""

from datetime import date

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import ensure_allowed
from kpis import selectors, services
from kpis.catalogue import KPIS, STATUS_VALUES, Direction, status_of
from sop_planner.errors import DomainError


class PointSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The cycle month (or scored month), YYYY-MM.")
    value = serializers.FloatField(allow_null=True)
    in_progress = serializers.BooleanField(
        help_text="The cycle is still open: a provisional figure that can still change."
    )
    status = serializers.ChoiceField(choices=STATUS_VALUES)


class TileSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.ChoiceField(choices=[d.value for d in Direction])
    threshold = serializers.FloatField()
    target = serializers.CharField(help_text="The target in words, e.g. 'at most 30 %'.")
    current = PointSerializer(allow_null=True)
    status = serializers.ChoiceField(choices=STATUS_VALUES)
    trend = PointSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    kpis = TileSerializer(many=True)


class ChoiceSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(KPIS))
    visible = serializers.BooleanField()
    position = serializers.IntegerField(min_value=1)
    threshold = serializers.FloatField()


def _point(point, tile) -> dict:
    status = status_of(tile.kpi, point.value, tile.threshold)
    return {
        "label": point.label,
        "value": point.value,
        "in_progress": point.in_progress,
        "status": status.value,
    }


def _tile(tile: selectors.Tile) -> dict:
    current = tile.current
    return {
        "code": tile.kpi.code,
        "label": tile.kpi.label,
        "unit": tile.kpi.unit,
        "direction": tile.kpi.direction.value,
        "threshold": tile.threshold,
        "target": tile.target_text,
        "current": _point(current, tile) if current else None,
        "status": tile.status.value,
        "trend": [_point(p, tile) for p in tile.points],
    }


class DashboardApi(APIView):
    @extend_schema(
        responses=DashboardSerializer,
        summary="The chosen KPIs: latest figure, status against target, trend",
    )
    def get(self, request):
        ensure_allowed(request.user, "kpis.view")
        tiles = selectors.dashboard(today=date.today())
        return Response(DashboardSerializer({"kpis": [_tile(t) for t in tiles]}).data)


def _choices() -> list[dict]:
    return [
        {"code": c.code, "visible": c.visible, "position": c.position, "threshold": c.threshold}
        for c in selectors.kpi_choices()
    ]


class SettingsApi(APIView):
    @extend_schema(responses=ChoiceSerializer(many=True), summary="The company's choice of KPIs")
    def get(self, request):
        ensure_allowed(request.user, "kpis.view")
        return Response(ChoiceSerializer(_choices(), many=True).data)

    @extend_schema(
        request=ChoiceSerializer(many=True),
        responses=ChoiceSerializer(many=True),
        summary="Choose the KPIs: every KPI once, with visibility, position and threshold",
    )
    def put(self, request):
        ensure_allowed(request.user, "kpis.define")
        rows = request.data
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise DomainError(
                "Send a list with one object per KPI (code, visible, position, threshold)."
            )
        services.kpi_settings_save(actor=request.user, rows=rows)
        return Response(ChoiceSerializer(_choices(), many=True).data)
