"""The quotas API: the same services and selectors as the pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import ensure_allowed
from cycles.models import Cycle
from quotas import attainment, selectors, services, vs_plan
from quotas.models import QuotaGapDecision, QuotaLine, QuotaYear
from sop_planner.api import valid
from sop_planner.pagination import BoundedLimitOffsetPagination
from territories.models import Territory


class QuotaYearSerializer(serializers.ModelSerializer):
    source_cycle = serializers.StringRelatedField()
    approved_by = serializers.StringRelatedField()
    stretch = serializers.DecimalField(max_digits=8, decimal_places=4, coerce_to_string=True)

    class Meta:
        model = QuotaYear
        fields = [
            "id",
            "fiscal_year",
            "version",
            "status",
            "stretch",
            "source_cycle",
            "approved_by",
            "approved_at",
        ]


class QuotaLineSerializer(serializers.ModelSerializer):
    rep = serializers.SlugRelatedField(slug_field="email", read_only=True)
    territory = serializers.SlugRelatedField(slug_field="code", read_only=True)
    family = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = QuotaLine
        fields = ["id", "rep", "territory", "family", "month", "units", "revenue"]


class ProposeInput(serializers.Serializer):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    stretch = serializers.CharField(max_length=20, help_text="e.g. '1.05': 5% above the plan.")


class LineChange(serializers.Serializer):
    id = serializers.IntegerField()
    units = serializers.CharField(required=False, help_text="Exactly as typed, e.g. '1250.5'.")
    revenue = serializers.CharField(required=False)


class LinesInput(serializers.Serializer):
    changes = LineChange(many=True)


class ChangedOutput(serializers.Serializer):
    changed = serializers.IntegerField()


class QuotaVsPlanSerializer(serializers.Serializer):
    territory = serializers.CharField(source="territory.code")
    territory_id = serializers.IntegerField(source="territory.pk")
    quota_units = serializers.FloatField()
    quota_revenue = serializers.FloatField()
    plan_units = serializers.FloatField()
    plan_revenue = serializers.FloatField()
    budget_units = serializers.FloatField()
    budget_revenue = serializers.FloatField()
    gap_pct = serializers.FloatField(allow_null=True)
    needs_decision = serializers.BooleanField()
    decision = serializers.CharField(source="decision.decision", allow_null=True, default=None)


class QuotaGapDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=QuotaGapDecision.Decision.choices)
    comment = serializers.CharField()


class QuotaGapDecisionOutput(serializers.ModelSerializer):
    territory = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = QuotaGapDecision
        fields = ["id", "territory", "decision", "comment", "decided_at"]


class AttainmentSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="'rep' or 'territory'.")
    name = serializers.CharField()
    month = serializers.CharField()
    quota_revenue = serializers.FloatField()
    actual_revenue = serializers.FloatField()
    attainment_pct = serializers.FloatField(allow_null=True)
    ytd_quota_revenue = serializers.FloatField()
    ytd_actual_revenue = serializers.FloatField()
    ytd_attainment_pct = serializers.FloatField(allow_null=True)
    crm_won_revenue = serializers.FloatField(allow_null=True)


def _cycle(cycle_id: int) -> Cycle:
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFound(f"There is no cycle with id {cycle_id}.")
    return cycle


class QuotaYearListApi(generics.ListAPIView):
    serializer_class = QuotaYearSerializer
    pagination_class = BoundedLimitOffsetPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return QuotaYear.objects.none()
        ensure_allowed(self.request.user, "quotas.view")
        return selectors.quota_years()


class QuotaProposeApi(APIView):
    @extend_schema(
        request=ProposeInput,
        responses={201: QuotaYearSerializer},
        summary="Propose a year's quotas from the released plan",
    )
    def post(self, request):
        data = valid(ProposeInput, request.data)
        quota_year = services.quota_propose(
            actor=request.user, fiscal_year=data["fiscal_year"], stretch=data["stretch"]
        )
        return Response(QuotaYearSerializer(quota_year).data, status=201)


class QuotaYearApi(APIView):
    @extend_schema(responses=QuotaYearSerializer, summary="One version of a year's quotas")
    def get(self, request, pk: int):
        ensure_allowed(request.user, "quotas.view")
        return Response(QuotaYearSerializer(get_object_or_404(QuotaYear, pk=pk)).data)


class QuotaLinesApi(generics.ListAPIView):
    """The lines of a year's quotas; PATCH sets figures exactly as typed (drafts only)."""

    serializer_class = QuotaLineSerializer
    pagination_class = BoundedLimitOffsetPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return QuotaLine.objects.none()
        ensure_allowed(self.request.user, "quotas.view")
        quota_year = get_object_or_404(QuotaYear, pk=self.kwargs["pk"])
        return selectors.quota_lines(quota_year)

    @extend_schema(request=LinesInput, responses=ChangedOutput, summary="Change quota figures")
    def patch(self, request, pk: int):
        data = valid(LinesInput, request.data)
        changes = {
            row["id"]: {k: v for k, v in row.items() if k in services.EDITABLE}
            for row in data["changes"]
        }
        changed = services.quota_lines_set(actor=request.user, quota_year_id=pk, changes=changes)
        return Response({"changed": changed})


class QuotaApproveApi(APIView):
    @extend_schema(request=None, responses=QuotaYearSerializer, summary="Approve and lock")
    def post(self, request, pk: int):
        quota_year = services.quota_approve(actor=request.user, quota_year_id=pk)
        return Response(QuotaYearSerializer(quota_year).data)


class QuotaNewVersionApi(APIView):
    @extend_schema(
        request=None,
        responses={201: QuotaYearSerializer},
        summary="Draft a new version of a locked year",
    )
    def post(self, request, pk: int):
        draft = services.quota_new_version(actor=request.user, quota_year_id=pk)
        return Response(QuotaYearSerializer(draft).data, status=201)


class QuotaVsPlanApi(APIView):
    @extend_schema(
        responses=QuotaVsPlanSerializer(many=True),
        summary="Quota vs consensus vs budget per territory in a cycle",
    )
    def get(self, request, cycle_id: int):
        ensure_allowed(request.user, "cycle.view")
        rows = vs_plan.quota_vs_plan(_cycle(cycle_id))
        return Response(QuotaVsPlanSerializer(rows, many=True).data)


class QuotaGapDecisionApi(APIView):
    @extend_schema(
        request=QuotaGapDecisionInput,
        responses=QuotaGapDecisionOutput,
        summary="Decide a territory's gap between quota and plan",
    )
    def post(self, request, cycle_id: int, territory_id: int):
        _cycle(cycle_id)
        if not Territory.objects.filter(pk=territory_id).exists():
            raise NotFound(f"There is no territory with id {territory_id}.")
        data = valid(QuotaGapDecisionInput, request.data)
        row = services.quota_gap_decide(
            actor=request.user,
            cycle_id=cycle_id,
            territory_id=territory_id,
            decision=data["decision"],
            comment=data["comment"],
        )
        return Response(QuotaGapDecisionOutput(row).data)


class AttainmentApi(APIView):
    @extend_schema(
        responses=AttainmentSerializer(many=True),
        summary="Attainment against quota per rep and territory",
    )
    def get(self, request):
        ensure_allowed(request.user, "quotas.view")
        return Response(AttainmentSerializer(attainment.attainment_rows(), many=True).data)
