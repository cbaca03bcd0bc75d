from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from accounts.permissions import ensure_allowed
from audit.models import AuditEvent
from cycles.history import audit_events
from sop_planner.pagination import NewestFirstPagination


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="None: the system."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "cycle_id",
            "territory_id",
            "product_id",
            "before",
            "after",
            "reason",
        ]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@extend_schema(
    parameters=[
        OpenApiParameter("cycle", int),
        OpenApiParameter("stage", str),
        OpenApiParameter("user", str, description="username"),
        OpenApiParameter("territory", int),
        OpenApiParameter("product", int),
    ]
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, newest first; read-only (the database refuses changes too). Paged by
    key: follow `next` (`?after=` the last event's key), `?limit=` up to 1,000 a page."""

    serializer_class = AuditEventSerializer
    pagination_class = NewestFirstPagination
    queryset = AuditEvent.objects.none()
    filter_backends = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        ensure_allowed(request.user, "audit.view")

    def get_queryset(self):
        params = self.request.query_params
        return audit_events(
            cycle_id=_int(params.get("cycle")),
            stage=params.get("stage", ""),
            username=params.get("user", ""),
            territory_id=_int(params.get("territory")),
            product_id=_int(params.get("product")),
        )
