"""What the reconciliation page and the pre-read need to show quota vs plan."""

from accounts.permissions import can
from quotas.models import QuotaGapDecision
from quotas.vs_plan import quota_vs_plan, threshold


def quota_context(cycle, user=None) -> dict:
    return {
        "quota_rows": quota_vs_plan(cycle),
        "quota_threshold": threshold(),
        "quota_choices": QuotaGapDecision.Decision.choices,
        "quota_can_decide": user is not None and can(user, "quota_gap.decide", cycle),
    }
