"""The demand-planning API: the grid at any level, overrides, reopen, submit, baseline.

Thin: parse, call the selector or the service, answer; the same predicate as the
screens guards every write (inside the services).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import ensure_allowed
from cycles import services as cycle_services
from cycles.models import Cycle
from demand import baseline, composition, events, grid_marks, selectors, services
from demand.models import DemandEvent, Override, ReasonCode
from demand.scope import Scope
from sop_planner.api import valid
from territories.models import Territory


class ScopeFields(serializers.Serializer):
    family = serializers.IntegerField(required=False, allow_null=True)
    product = serializers.IntegerField(required=False, allow_null=True)
    region = serializers.IntegerField(required=False, allow_null=True)
    territory = serializers.IntegerField(required=False, allow_null=True)


class GridParams(ScopeFields):
    product_level = serializers.ChoiceField(
        choices=list(selectors.PRODUCT_LEVELS), default="family"
    )
    territory_level = serializers.ChoiceField(
        choices=list(selectors.TERRITORY_LEVELS), default="region"
    )
    first_month = serializers.DateField(required=False, allow_null=True)
    last_month = serializers.DateField(required=False, allow_null=True)
    units = serializers.ChoiceField(choices=["units", "revenue"], default="units")
    measures = serializers.CharField(
        required=False,
        default=",".join(selectors.DEFAULT_MEASURES),
        help_text="Comma-separated plan measures to read: "
        + ", ".join(selectors.PLAN_MEASURES)
        + "; pipeline, pipeline_learned: the CRM's open deals weighted by the CRM's and the"
        " learned stage likelihoods (computed on read; revenue at the deals' values)"
        " (actuals are always included).",
    )
    limit = serializers.IntegerField(min_value=1, max_value=2000, default=500)
    offset = serializers.IntegerField(min_value=0, default=0)


class GridRowSerializer(serializers.Serializer):
    id = serializers.CharField()
    product = serializers.CharField()
    family = serializers.CharField()
    place = serializers.CharField()
    filters = serializers.DictField(child=serializers.IntegerField())
    values = serializers.DictField(
        child=serializers.DictField(child=serializers.FloatField()),
        help_text="measure -> month (YYYY-MM) -> figure",
    )
    versions = serializers.DictField(
        child=serializers.IntegerField(), help_text="month -> stamp to send back with an edit"
    )
    editable = serializers.BooleanField()
    submitted = serializers.BooleanField()
    totals = serializers.DictField(
        child=serializers.DictField(child=serializers.FloatField()),
        help_text="measure -> total column key (total, y2026...) -> figure",
    )
    history_total = serializers.FloatField(help_text="The sum of the actuals shown")
    overridden = serializers.DictField(
        child=serializers.BooleanField(), help_text="month -> an override changed a cell under it"
    )
    changed = serializers.DictField(
        child=serializers.BooleanField(), help_text="month -> consensus differs from the release"
    )
    notes = serializers.DictField(
        child=serializers.CharField(), help_text="month -> the latest override, in words"
    )


class TotalRowSerializer(serializers.Serializer):
    values = serializers.DictField(child=serializers.DictField(child=serializers.FloatField()))
    totals = serializers.DictField(child=serializers.DictField(child=serializers.FloatField()))
    history_total = serializers.FloatField()


class TotalColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class GridSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    months = serializers.ListField(child=serializers.CharField())
    actual_months = serializers.ListField(child=serializers.CharField())
    total_columns = TotalColumnSerializer(many=True)
    rows = GridRowSerializer(many=True)
    total = TotalRowSerializer(help_text="The whole scope's figures, every page")


class OverrideInput(ScopeFields):
    first_month = serializers.DateField()
    last_month = serializers.DateField()
    mode = serializers.ChoiceField(choices=Override.Mode.choices)
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    reason_code = serializers.SlugField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    expected_versions = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="month (YYYY-MM) -> the stamp the grid showed; a stale stamp is a 409",
    )


class OverridesInput(serializers.Serializer):
    edits = OverrideInput(many=True, help_text="Applied in order, all or none")


class UndoInput(serializers.Serializer):
    overrides = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=False,
        help_text="The ids of the overrides of one save (a pasted range is several): all or none",
    )


def override_arguments(data: dict) -> dict:
    """The keyword arguments of services.override_apply from a validated OverrideInput."""
    return {
        "filters": {k: data.get(k) for k in ("family", "product", "region", "territory")},
        **{k: data[k] for k in ("first_month", "last_month", "mode", "value", "reason_code")},
        "comment": data["comment"],
        "expected_versions": data["expected_versions"],
    }


class OverrideSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reason = serializers.SlugRelatedField(slug_field="code", read_only=True)
    words = serializers.SerializerMethodField(help_text="Who did what and why, in words")

    class Meta:
        model = Override
        fields = [
            "id",
            "words",
            "actor",
            "reason",
            "comment",
            "scope",
            "scope_label",
            "first_month",
            "last_month",
            "mode",
            "value",
            "total_before",
            "total_after",
            "cell_count",
            "created_at",
            "undone_at",
        ]

    def get_words(self, override: Override) -> str:
        return grid_marks.note(override)


class CompositionParams(ScopeFields):
    month = serializers.DateField(input_formats=["%Y-%m", "%Y-%m-%d"])


class CompositionSerializer(serializers.Serializer):
    month = serializers.CharField()
    baseline = serializers.FloatField()
    pre_event = serializers.FloatField(help_text="Baseline with the overrides, before events")
    events = serializers.FloatField()
    consensus = serializers.FloatField()
    overridden_cells = serializers.IntegerField()
    events_applied = serializers.ListField(child=serializers.CharField())
    words = serializers.CharField()


class ReasonCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReasonCode
        fields = ["code", "label"]


class TerritoryInput(serializers.Serializer):
    territory = serializers.IntegerField()


class ReopenInput(TerritoryInput):
    reason = serializers.CharField()


class DoneSerializer(serializers.Serializer):
    detail = serializers.CharField()


def cycle_or_404(cycle_id: int) -> Cycle:
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFound(f"There is no cycle with id {cycle_id}.")
    return cycle


class GridView(APIView):
    @extend_schema(
        parameters=[GridParams], responses=GridSerializer, summary="The plan grid at a level"
    )
    def get(self, request, cycle_id: int):
        ensure_allowed(request.user, "cycle.view")
        params = valid(GridParams, request.query_params)
        query = selectors.GridQuery(
            cycle=cycle_or_404(cycle_id),
            scope=Scope.from_filters(params),
            product_level=params["product_level"],
            territory_level=params["territory_level"],
            first_month=params.get("first_month"),
            last_month=params.get("last_month"),
            revenue=params["units"] == "revenue",
            measures=tuple(params["measures"].split(",")),
            limit=params["limit"],
            offset=params["offset"],
        )
        return Response(GridSerializer(selectors.grid(query, request.user)).data)


class CompositionView(APIView):
    @extend_schema(
        parameters=[CompositionParams],
        responses=CompositionSerializer,
        summary="How one cell's consensus is made: baseline, overrides, events",
    )
    def get(self, request, cycle_id: int):
        ensure_allowed(request.user, "cycle.view")
        params = valid(CompositionParams, request.query_params)
        parts = composition.cell_composition(
            cycle_or_404(cycle_id), Scope.from_filters(params), params["month"].replace(day=1)
        )
        return Response(CompositionSerializer(parts).data)


class OverridesView(APIView):
    @extend_schema(
        parameters=[ScopeFields],
        responses=OverrideSerializer(many=True),
        summary="Who changed this level, why and by how much",
    )
    def get(self, request, cycle_id: int):
        ensure_allowed(request.user, "cycle.view")
        scope = Scope.from_filters(valid(ScopeFields, request.query_params))
        rows = selectors.overrides_of(cycle_or_404(cycle_id), scope)
        return Response(OverrideSerializer(rows, many=True).data)

    @extend_schema(
        request=OverrideInput,
        responses={201: OverrideSerializer},
        summary="Set, add or scale the consensus of any level over a month range",
    )
    def post(self, request, cycle_id: int):
        data = valid(OverrideInput, request.data)
        override = services.override_apply(
            actor=request.user, cycle_id=cycle_id, **override_arguments(data)
        )
        return Response(OverrideSerializer(override).data, status=201)


class OverridesBatchView(APIView):
    @extend_schema(
        request=OverridesInput,
        responses={201: OverrideSerializer(many=True)},
        summary="Several overrides as one change (a pasted range, an undo): all or none",
    )
    def post(self, request, cycle_id: int):
        edits = valid(OverridesInput, request.data)["edits"]
        overrides = services.overrides_apply(
            actor=request.user,
            cycle_id=cycle_id,
            edits=[override_arguments(edit) for edit in edits],
        )
        return Response(OverrideSerializer(overrides, many=True).data, status=201)


class OverridesUndoView(APIView):
    @extend_schema(
        request=UndoInput,
        responses={200: OverrideSerializer(many=True)},
        summary="Undo your last save: every cell back exactly as before, the undo audited",
    )
    def post(self, request, cycle_id: int):
        ids = valid(UndoInput, request.data)["overrides"]
        undone = services.overrides_undo(actor=request.user, cycle_id=cycle_id, override_ids=ids)
        return Response(OverrideSerializer(undone, many=True).data)


class ReasonCodesView(APIView):
    @extend_schema(responses=ReasonCodeSerializer(many=True), summary="The override reasons")
    def get(self, request):
        return Response(ReasonCodeSerializer(selectors.reason_codes(), many=True).data)


class SubmitView(APIView):
    @extend_schema(request=TerritoryInput, responses={201: DoneSerializer})
    def post(self, request, cycle_id: int):
        data = valid(TerritoryInput, request.data)
        submission = cycle_services.plan_submit(
            actor=request.user, cycle_id=cycle_id, plan="demand", territory_id=data["territory"]
        )
        return Response({"detail": f"Submitted the demand plan of {submission.territory}."}, 201)


class ReopenView(APIView):
    @extend_schema(request=ReopenInput, responses={201: DoneSerializer})
    def post(self, request, cycle_id: int):
        data = valid(ReopenInput, request.data)
        reopen = services.submission_reopen(
            actor=request.user,
            cycle_id=cycle_id,
            territory_id=data["territory"],
            reason=data["reason"],
        )
        return Response({"detail": f"Reopened the demand plan of {reopen.territory}."}, 201)


class BaselineView(APIView):
    @extend_schema(
        request=None,
        responses={200: DoneSerializer},
        summary="Load the latest finished forecast run as the baseline",
        parameters=[OpenApiParameter("cycle_id", int, OpenApiParameter.PATH)],
    )
    def post(self, request, cycle_id: int):
        changed = baseline.baseline_load(actor=request.user, cycle_id=cycle_id)
        return Response({"detail": f"Baseline loaded: {changed}"})


class EventSerializer(serializers.ModelSerializer):
    territories = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Territory.objects.all(),
        required=False,
        help_text="Empty: every active territory.",
    )
    ramp = serializers.ListField(child=serializers.FloatField(), required=False)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DemandEvent
        fields = [
            "id",
            "kind",
            "name",
            "family",
            "product",
            "territories",
            "first_month",
            "last_month",
            "uplift_percent",
            "uplift_units",
            "dip_percent",
            "like_product",
            "scale",
            "ramp",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]


class EventsView(APIView):
    @extend_schema(
        responses=EventSerializer(many=True), summary="Promotions, launches, phase-outs"
    )
    def get(self, request, cycle_id: int):
        ensure_allowed(request.user, "cycle.view")
        events = DemandEvent.objects.filter(cycle=cycle_or_404(cycle_id))
        return Response(EventSerializer(events.prefetch_related("territories"), many=True).data)

    @extend_schema(request=EventSerializer, responses={201: EventSerializer})
    def post(self, request, cycle_id: int):
        data = valid(EventSerializer, request.data)
        territories = data.pop("territories", [])
        event = events.event_save(
            actor=request.user,
            cycle_id=cycle_id,
            event=DemandEvent(**data),
            territory_ids=[t.pk for t in territories],
        )
        return Response(EventSerializer(event).data, status=201)


class EventDetailView(APIView):
    @extend_schema(request=None, responses={204: None}, summary="Remove an event")
    def delete(self, request, event_id: int):
        events.event_delete(actor=request.user, event_id=event_id)
        return Response(status=204)
