from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import ensure_allowed
from accounts.viewsets import ServiceModelViewSet
from cycles import gates, selectors, services
from cycles.models import CalendarMonth, Cycle, PlanValue, PlanVersion
from cycles.plan_entry import plan_figure_enter
from cycles.stages import STAGE_CHOICES
from exports.api import ExportJobSerializer
from exports.services import export_request
from sop_planner.api import path_id, valid
from sop_planner.errors import DomainError
from sop_planner.pagination import UncountedLimitOffsetPagination


class CalendarMonthSerializer(serializers.ModelSerializer):
    working_days = serializers.IntegerField(source="working_day_count", read_only=True)

    class Meta:
        model = CalendarMonth
        fields = ["id", "month", "holidays", "note", "working_days"]


class CalendarMonthViewSet(ServiceModelViewSet):
    queryset = CalendarMonth.objects.all()
    serializer_class = CalendarMonthSerializer
    service = services.calendar_month_save
    service_argument = "month"


class CycleSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    open_items = serializers.SerializerMethodField()
    open_item_ids = serializers.SerializerMethodField()

    class Meta:
        model = Cycle
        fields = [
            "id",
            "month",
            "stage",
            "status",
            "owner",
            "stage_due",
            "move_count",
            "version_seq",
            "released_at",
            "open_items",
            "open_item_ids",
        ]

    def get_open_items(self, cycle: Cycle) -> list[str]:
        return [] if cycle.is_released else gates.open_items(cycle)

    def get_open_item_ids(self, cycle: Cycle) -> list[str]:
        """The ids to waive the open items by, in the order of open_items."""
        return [] if cycle.is_released else [item.id for item in gates.open_gate_items(cycle)]


class CycleOpenInput(serializers.Serializer):
    month = serializers.DateField(help_text="Any day of the month to plan.")


class VersionExportInput(serializers.Serializer):
    version = serializers.CharField(
        help_text="A version's seq, or 'now' for the plan as it stands."
    )


class MoveInput(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=STAGE_CHOICES, help_text="The stage you saw the cycle in."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SendBackInput(MoveInput):
    to = serializers.ChoiceField(choices=STAGE_CHOICES)


class WaiveInput(MoveInput):
    item = serializers.CharField(
        help_text="The open item's id (from open_item_ids, e.g. 'demand_submission:3'); "
        "its sentence is still accepted."
    )


class SubmitInput(serializers.Serializer):
    plan = serializers.ChoiceField(choices=[p.value for p in services.Plan])
    territory = serializers.IntegerField(required=False, allow_null=True, default=None)


class DecisionInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class PlanValueInput(serializers.Serializer):
    measure = serializers.CharField()
    product = serializers.IntegerField()
    territory = serializers.IntegerField()
    month = serializers.DateField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    expected_row_version = serializers.IntegerField(
        min_value=0, help_text="The row_version you read; 0 when the figure was empty."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PlanValueSerializer(serializers.ModelSerializer):
    changed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="None: the system."
    )

    class Meta:
        model = PlanValue
        fields = [
            "measure",
            "product",
            "territory",
            "month",
            "value",
            "row_version",
            "changed_by",
            "changed_at",
        ]


class VersionSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="None: the system."
    )

    class Meta:
        model = PlanVersion
        fields = ["seq", "stage", "label", "created_by", "created_at"]


class ChangeSerializer(serializers.Serializer):
    measure = serializers.CharField()
    sku = serializers.CharField()
    territory = serializers.CharField()
    month = serializers.DateField()
    before = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    after = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    delta = serializers.DecimalField(max_digits=18, decimal_places=4)
    changed_by = serializers.CharField()
    changed_at = serializers.DateTimeField(allow_null=True)


def _cycle_response(cycle_id: int, request) -> Response:
    cycle = Cycle.objects.select_related("owner").get(pk=cycle_id)
    return Response(CycleSerializer(cycle, context={"request": request}).data)


class CycleViewSet(viewsets.ReadOnlyModelViewSet):
    """The monthly cycles; every action calls the same service as the board."""

    queryset = Cycle.objects.select_related("owner")
    serializer_class = CycleSerializer
    filterset_fields = ["status", "stage"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        ensure_allowed(request.user, "cycle.view")

    @extend_schema(request=CycleOpenInput, responses={201: CycleSerializer})
    @action(detail=False, methods=["post"], url_path="open")
    def open_cycle(self, request):
        data = valid(CycleOpenInput, request.data)
        cycle = services.cycle_open(actor=request.user, month=data["month"])
        return Response(CycleSerializer(cycle).data, status=201)

    @extend_schema(request=MoveInput, responses=CycleSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        data = valid(MoveInput, request.data)
        services.cycle_advance(actor=request.user, cycle_id=path_id(pk, "cycle"), **data)
        return _cycle_response(path_id(pk, "cycle"), request)

    @extend_schema(request=SendBackInput, responses=CycleSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        data = valid(SendBackInput, request.data)
        services.cycle_send_back(actor=request.user, cycle_id=path_id(pk, "cycle"), **data)
        return _cycle_response(path_id(pk, "cycle"), request)

    @extend_schema(request=WaiveInput, responses=CycleSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        data = valid(WaiveInput, request.data)
        services.cycle_waive_item(actor=request.user, cycle_id=path_id(pk, "cycle"), **data)
        return _cycle_response(path_id(pk, "cycle"), request)

    @extend_schema(request=SubmitInput, responses=CycleSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = valid(SubmitInput, request.data)
        services.plan_submit(
            actor=request.user,
            cycle_id=path_id(pk, "cycle"),
            plan=data["plan"],
            territory_id=data["territory"],
        )
        return _cycle_response(path_id(pk, "cycle"), request)

    @extend_schema(request=DecisionInput, responses=CycleSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = valid(DecisionInput, request.data)
        services.cycle_approve(
            actor=request.user, cycle_id=path_id(pk, "cycle"), comment=data["comment"]
        )
        return _cycle_response(path_id(pk, "cycle"), request)

    @extend_schema(request=DecisionInput, responses=CycleSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = valid(DecisionInput, request.data)
        services.cycle_reject(
            actor=request.user, cycle_id=path_id(pk, "cycle"), comment=data["comment"]
        )
        return _cycle_response(path_id(pk, "cycle"), request)

    @extend_schema(request=PlanValueInput, responses=PlanValueSerializer)
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None):
        """Enter one supply input or budget figure through its stage's service; 409 when someone
        changed it since you read it. Overrides, events and prices have their own endpoints."""
        data = valid(PlanValueInput, request.data)
        row = plan_figure_enter(
            actor=request.user,
            cycle_id=path_id(pk, "cycle"),
            measure=data["measure"],
            product_id=data["product"],
            territory_id=data["territory"],
            month=data["month"],
            value=data["value"],
            expected_row_version=data["expected_row_version"],
            reason=data["reason"],
        )
        return Response(PlanValueSerializer(row).data)

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_fields=[])
    def versions(self, request, pk=None):
        cycle = self.get_object()
        return Response(VersionSerializer(selectors.cycle_versions(cycle), many=True).data)

    @extend_schema(request=VersionExportInput, responses={202: ExportJobSerializer})
    @action(detail=True, methods=["post"], url_path="export")
    def export(self, request, pk=None):
        """Ask for a version as CSV: a worker builds it; follow /api/exports/{id}/."""
        data = valid(VersionExportInput, request.data)
        params = {"cycle": path_id(pk, "cycle"), "version": data["version"]}
        job = export_request(actor=request.user, kind="version_csv", params=params)
        return Response(ExportJobSerializer(job).data, status=202)

    @extend_schema(
        parameters=[
            OpenApiParameter("a", str, description="Version seq, or 'now'", required=True),
            OpenApiParameter("b", str, description="Version seq, or 'now'", required=False),
        ],
        responses=ChangeSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_fields=[],
        pagination_class=UncountedLimitOffsetPagination,
    )
    def compare(self, request, pk=None):
        """One page of the changes; the whole comparison is counted only with ?count=true
        (the compare page's summary has the counts per measure)."""
        cycle = self.get_object()
        try:
            seq_a = selectors.version_seq(cycle, request.query_params.get("a", ""))
            seq_b = selectors.version_seq(cycle, request.query_params.get("b", selectors.WORKING))
        except selectors.UnknownVersion as error:
            message = f"{error.message} Give two versions: ?a=<seq>&b=<seq or 'now'>."
            raise DomainError(message) from None
        changes = selectors.VersionChanges(cycle=cycle, seq_a=seq_a, seq_b=seq_b)
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(ChangeSerializer(page, many=True).data)
