"""The supply, reconciliation, scenario and released-plan API: the same services as the screens."""

from dataclasses import asdict

from django.core.cache import cache
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import ensure_allowed
from cycles.models import Cycle
from reconciliation import pack, selectors, services
from reconciliation.models import GapDecision, Scenario, ScenarioChange
from sop_planner.api import valid
from sop_planner.api_fields import MonthField
from sop_planner.errors import DomainError
from sop_planner.pagination import BoundedLimitOffsetPagination
from supply.services import supply_plan_compute


class FiguresSerializer(serializers.Serializer):
    name = serializers.CharField()
    demand = serializers.FloatField()
    supply = serializers.FloatField()
    shortage = serializers.FloatField()
    budget_units = serializers.FloatField()
    demand_revenue = serializers.FloatField()
    revenue = serializers.FloatField()
    margin = serializers.FloatField()
    budget_revenue = serializers.FloatField()
    inventory = serializers.FloatField()
    gap_to_budget = serializers.FloatField()


class GapSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()
    family = serializers.CharField()
    regions = serializers.ListField(child=serializers.CharField())
    month = serializers.CharField()
    units = serializers.FloatField(
        allow_null=True, help_text="Units short, or units below the unit budget (null: none)."
    )
    revenue = serializers.FloatField(help_text="Revenue lost to the shortage, or below budget.")
    percent_of_plan = serializers.FloatField(allow_null=True)
    decision = serializers.CharField(allow_null=True)


class ReconciliationSerializer(serializers.Serializer):
    total = FiguresSerializer()
    by_family = FiguresSerializer(many=True)
    by_region = FiguresSerializer(many=True)
    by_month = FiguresSerializer(many=True)
    gaps = GapSerializer(many=True)


def _figures(name: str, fig) -> dict:
    return {"name": name, **asdict(fig), "gap_to_budget": fig.gap_to_budget}


def _cycle(request, pk: int) -> Cycle:
    ensure_allowed(request.user, "cycle.view")
    return get_object_or_404(Cycle, pk=pk)


class ReconciliationApi(APIView):
    @extend_schema(responses=ReconciliationSerializer, summary="Demand vs supply vs budget")
    def get(self, request, pk: int):
        view = selectors.reconciliation(_cycle(request, pk))
        data = {
            "total": _figures("total", view["total"]),
            **{
                part: [_figures(name, fig) for name, fig in view[part]]
                for part in ("by_family", "by_region", "by_month")
            },
            "gaps": [
                {
                    "key": row.gap.key,
                    "kind": row.gap.kind,
                    "label": row.gap.label,
                    "family": row.family,
                    "regions": list(row.regions),
                    "month": row.month,
                    "units": row.units,
                    "revenue": row.revenue,
                    "percent_of_plan": row.percent_of_plan,
                    "decision": d.decision if d else None,
                }
                for row, d in view["gap_rows"]
            ],
        }
        return Response(ReconciliationSerializer(data).data)


class SupplyComputed(serializers.Serializer):
    families = serializers.IntegerField()
    production = serializers.FloatField()
    shortage = serializers.FloatField()


class SupplyComputeApi(APIView):
    @extend_schema(request=None, responses=SupplyComputed, summary="Compute the supply plan")
    def post(self, request, pk: int):
        plans = supply_plan_compute(actor=request.user, cycle_id=pk)
        return Response(
            {
                "families": len(plans),
                "production": sum(sum(p.production) for p in plans.values()),
                "shortage": sum(sum(p.shortage) for p in plans.values()),
            }
        )


class GapDecisionInput(serializers.Serializer):
    gap_key = serializers.CharField()
    decision = serializers.ChoiceField(choices=GapDecision.Decision.choices)
    owner = serializers.IntegerField(help_text="User id of the person who owns the decision.")
    rationale = serializers.CharField()
    expected_impact = serializers.CharField()


class GapDecisionSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = GapDecision
        fields = [
            "id",
            "gap_key",
            "gap_label",
            "decision",
            "owner",
            "rationale",
            "expected_impact",
        ]


class GapDecideApi(APIView):
    @extend_schema(
        request=GapDecisionInput, responses=GapDecisionSerializer, summary="Decide a gap"
    )
    def post(self, request, pk: int):
        data = valid(GapDecisionInput, request.data)
        owner_id = data.pop("owner")
        row = services.gap_decide(actor=request.user, cycle_id=pk, owner_id=owner_id, **data)
        return Response(GapDecisionSerializer(row).data)


class GapDecideManyInput(serializers.Serializer):
    gap_keys = serializers.ListField(
        child=serializers.CharField(),
        allow_empty=False,
        help_text="Keys of the gaps to decide, as listed by the reconciliation endpoint.",
    )
    decision = serializers.ChoiceField(choices=GapDecision.Decision.choices)
    owner = serializers.IntegerField(help_text="User id of the person who owns the decision.")
    rationale = serializers.CharField()
    expected_impact = serializers.CharField()


class GapDecideManyApi(APIView):
    @extend_schema(
        request=GapDecideManyInput,
        responses=GapDecisionSerializer(many=True),
        summary="Decide several gaps with one decision and rationale (all or none)",
        description="Every gap is checked before any is written: one gap that is not open "
        "(named in the 400 answer) decides none.",
    )
    def post(self, request, pk: int):
        data = valid(GapDecideManyInput, request.data)
        rows = services.gap_decide_many(
            actor=request.user,
            cycle_id=pk,
            gap_keys=data["gap_keys"],
            decision=data["decision"],
            owner_id=data["owner"],
            rationale=data["rationale"],
            expected_impact=data["expected_impact"],
        )
        return Response(GapDecisionSerializer(rows, many=True).data)


class ScenarioChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScenarioChange
        fields = ["id", "kind", "family", "month_from", "month_to", "percent", "event_name"]
        read_only_fields = ["event_name"]


class PromotionRemovalInput(serializers.Serializer):
    """kind "no_promo": take the promotion with this event id out of the demand."""

    kind = serializers.CharField()
    event = serializers.IntegerField()


class ScenarioSerializer(serializers.ModelSerializer):
    changes = ScenarioChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Scenario
        fields = ["id", "cycle", "name", "description", "promoted_at", "changes"]
        read_only_fields = ["promoted_at"]


class ScenarioListApi(APIView):
    @extend_schema(responses=ScenarioSerializer(many=True), summary="Scenarios of a cycle")
    def get(self, request, pk: int):
        cycle = _cycle(request, pk)
        rows = Scenario.objects.filter(cycle=cycle).prefetch_related("changes")
        return Response(ScenarioSerializer(rows, many=True).data)

    @extend_schema(
        request=ScenarioSerializer, responses=ScenarioSerializer, summary="New scenario"
    )
    def post(self, request, pk: int):
        data = valid(ScenarioSerializer, request.data)
        scenario = services.scenario_create(
            actor=request.user,
            cycle_id=pk,
            name=data["name"],
            description=data.get("description", ""),
        )
        return Response(ScenarioSerializer(scenario).data, status=201)


class ScenarioChangeApi(APIView):
    @extend_schema(
        request=ScenarioChangeSerializer,
        responses=ScenarioChangeSerializer,
        summary="Add a change (kind no_promo with an event id: take a promotion out)",
    )
    def post(self, request, scenario_id: int):
        if request.data.get("kind") == ScenarioChange.Kind.NO_PROMO:
            data = valid(PromotionRemovalInput, request.data)
            change = services.scenario_promotion_removal_add(
                actor=request.user, scenario_id=scenario_id, event_id=data["event"]
            )
            return Response(ScenarioChangeSerializer(change).data, status=201)
        data = valid(ScenarioChangeSerializer, request.data)
        family = data.pop("family", None)
        change = services.scenario_change_add(
            actor=request.user,
            scenario_id=scenario_id,
            family_id=family.pk if family else None,
            **data,
        )
        return Response(ScenarioChangeSerializer(change).data, status=201)


class PromoteInput(serializers.Serializer):
    reason = serializers.CharField()


class ScenarioPromoteApi(APIView):
    @extend_schema(
        request=PromoteInput, responses=ScenarioSerializer, summary="Promote a scenario"
    )
    def post(self, request, scenario_id: int):
        data = valid(PromoteInput, request.data)
        scenario = services.scenario_promote(
            actor=request.user, scenario_id=scenario_id, reason=data["reason"]
        )
        return Response(ScenarioSerializer(scenario).data)


class CompareColumn(FiguresSerializer):
    pass


class ScenarioCompareApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("ids", str, description="Scenario ids, comma-separated")],
        responses=CompareColumn(many=True),
        summary="Base plan and scenarios side by side",
    )
    def get(self, request, pk: int):
        cycle = _cycle(request, pk)
        ids = [int(v) for v in request.query_params.get("ids", "").split(",") if v.isdigit()]
        columns = selectors.scenarios_compare(cycle, ids[:4])
        return Response(CompareColumn([_figures(n, f) for n, f in columns], many=True).data)


class PlanRowSerializer(serializers.Serializer):
    measure = serializers.CharField()
    sku = serializers.CharField(source="product__sku")
    territory = serializers.CharField(source="territory__code")
    month = MonthField()
    value = serializers.FloatField()


class ReleasedPlanPagination(BoundedLimitOffsetPagination):
    """A released plan never changes: its row count is counted once and kept (counting
    464,000 figures of a 10,000-series company took 0.3 s a page)."""

    def get_count(self, queryset) -> int:
        measure = self.request.query_params.get("measure", "")
        key = f"reconciliation:released-plan-count:{self.request.path}:{measure}"
        return cache.get_or_set(key, queryset.count, timeout=3600)


class ReleasedPlanApi(generics.ListAPIView):
    """The released plan, figure by figure, for downstream systems: one page at a time.

    `?limit=` (up to 1,000) and `?offset=`, or follow `next`; `?measure=` narrows it.
    """

    serializer_class = PlanRowSerializer
    filter_backends: list = []
    pagination_class = ReleasedPlanPagination

    @extend_schema(
        parameters=[OpenApiParameter("measure", str, description="Only this measure")],
        summary="The released plan, figure by figure, for downstream systems",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        cycle = _cycle(self.request, self.kwargs["pk"])
        if not cycle.is_released:
            raise DomainError(f"{cycle} is not released yet; its plan may still change.")
        measure = self.request.query_params.get("measure") or None
        # in the order of the plan store's unique index (measure, product, territory,
        # month): a page is a range of it, not a sort of the whole plan by SKU names
        rows = pack.plan_rows_query(cycle, measure=measure)
        return rows.order_by("measure", "product_id", "territory_id", "month", "pk").values(
            "measure", "product__sku", "territory__code", "month", "value"
        )
