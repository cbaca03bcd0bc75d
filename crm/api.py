"""The CRM read API: deals (filtered by territory, status, month; paged) and sync runs."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from accounts.permissions import ensure_allowed
from crm import selectors
from crm.models import Deal, SyncRun
from cycles.calendar import NotAMonth, read_month
from sop_planner.errors import DomainError
from sop_planner.pagination import BoundedLimitOffsetPagination
from territories.models import Territory


class DealLineSerializer(serializers.Serializer):
    sku = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)


class DealSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(source="stage.name")
    win_likelihood = serializers.DecimalField(max_digits=5, decimal_places=2)
    territory = serializers.CharField(source="territory.code", allow_null=True, default=None)
    family = serializers.CharField(source="family.code", allow_null=True, default=None)
    lines = DealLineSerializer(many=True)

    class Meta:
        model = Deal
        fields = [
            "id", "source", "external_id", "name", "organization", "owner_name", "stage",
            "status", "win_likelihood", "expected_close", "value", "currency", "value_company",
            "tags", "territory", "family", "lines", "updated_upstream", "deleted_upstream",
        ]  # fmt: skip


class SyncRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = SyncRun
        fields = [
            "id", "status", "queued_at", "started_at", "finished_at", "created", "updated",
            "deleted", "unchanged", "refused", "error",
        ]  # fmt: skip


STATUSES = [choice.value for choice in Deal.Status]


class DealListApi(generics.ListAPIView):
    """The CRM's deals as synced or uploaded, with the territory and family they map to."""

    serializer_class = DealSerializer
    pagination_class = BoundedLimitOffsetPagination
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("territory", str, description="A territory's code"),
            OpenApiParameter("status", str, enum=STATUSES),
            OpenApiParameter("month", str, description="Expected close month, YYYY-MM"),
        ],
        summary="CRM deals, paged",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        ensure_allowed(self.request.user, "crm.view")
        query = self.request.query_params
        return selectors.deals(
            territory_id=_territory_id(query.get("territory")),
            status=_status(query.get("status")),
            month=_month(query.get("month")),
        ).order_by("expected_close", "pk")


class SyncRunListApi(generics.ListAPIView):
    serializer_class = SyncRunSerializer
    pagination_class = BoundedLimitOffsetPagination
    filter_backends: list = []

    @extend_schema(summary="CRM sync runs, newest first, with their counts and refusals")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        ensure_allowed(self.request.user, "crm.view")
        return selectors.sync_runs()


def _territory_id(code: str | None) -> int | None:
    if not code:
        return None
    territory = Territory.objects.filter(code=code).first()
    if territory is None:
        raise DomainError(f"territory: no territory has the code {code!r}")
    return territory.pk


def _status(status: str | None) -> str | None:
    if status and status not in STATUSES:
        raise DomainError(f"status: {status!r} is not one of {', '.join(STATUSES)}")
    return status or None


def _month(text: str | None):
    if not text:
        return None
    try:
        return read_month(text)
    except NotAMonth:
        raise DomainError(f"month: {text!r} is not a month; write it as YYYY-MM") from None
