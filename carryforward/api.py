"""The carry-forward API: what a cycle was proposed from last month, and confirming it."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import ensure_allowed
from carryforward import selectors, services
from carryforward.models import Proposal
from cycles.models import Cycle
from sop_planner.api import valid


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Proposal.Kind.choices)
    what = serializers.CharField(help_text="The family, or the promotion or launch.")
    source = serializers.CharField(help_text="The released cycle it was proposed from.")
    confirmed_by = serializers.CharField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    may_confirm = serializers.BooleanField()
    refusal = serializers.CharField(
        help_text="Why you may not confirm it now; empty when you may."
    )


class ConfirmSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Proposal.Kind.choices, required=False)
    proposal = serializers.IntegerField(required=False, help_text="One proposal's id.")

    def validate(self, data: dict) -> dict:
        if ("kind" in data) == ("proposal" in data):
            raise serializers.ValidationError("Send either a kind or one proposal's id.")
        return data


def _row(user, proposal: Proposal, cycle: Cycle) -> dict:
    refusal = selectors.confirm_refusal(user, proposal, cycle)
    confirmed_by = proposal.confirmed_by
    return {
        "id": proposal.pk,
        "kind": proposal.kind,
        "what": str(proposal.event or proposal.family),
        "source": str(proposal.source),
        "confirmed_by": confirmed_by.get_username() if confirmed_by else None,
        "confirmed_at": proposal.confirmed_at,
        "may_confirm": refusal is None,
        "refusal": "" if proposal.is_confirmed else (refusal or ""),
    }


class ProposalsApi(APIView):
    @extend_schema(responses=ProposalSerializer(many=True))
    def get(self, request, cycle_id: int):
        ensure_allowed(request.user, "cycle.view")
        cycle = get_object_or_404(Cycle, pk=cycle_id)
        rows = [_row(request.user, p, cycle) for p in selectors.proposals(cycle)]
        return Response(ProposalSerializer(rows, many=True).data)


class ConfirmApi(APIView):
    @extend_schema(request=ConfirmSerializer, responses=ProposalSerializer(many=True))
    def post(self, request, cycle_id: int):
        data = valid(ConfirmSerializer, request.data)
        cycle = get_object_or_404(Cycle, pk=cycle_id)
        if "proposal" in data:
            get_object_or_404(Proposal, pk=data["proposal"], cycle=cycle)
            done = [services.proposal_confirm(actor=request.user, proposal_id=data["proposal"])]
        else:
            done = services.proposals_confirm_kind(
                actor=request.user, cycle_id=cycle.pk, kind=data["kind"]
            )
        cycle.refresh_from_db()
        return Response(
            ProposalSerializer([_row(request.user, p, cycle) for p in done], many=True).data
        )
