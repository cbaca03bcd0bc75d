"""The API router: every app's viewsets under /api/ (site: it wires the apps together)."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()


def register_all() -> None:
    from cycles.api import CalendarMonthViewSet, CycleViewSet
    from cycles.history_api import AuditEventViewSet
    from forecasting.api import SalesActualViewSet
    from forecasting.run_api import ForecastRunViewSet
    from products.api import FamilyViewSet, ProductViewSet
    from reassessment.api import (
        AccuracyViewSet,
        DecisionReviewViewSet,
        FvaViewSet,
        RecomputeViewSet,
    )
    from territories.api import RegionViewSet, SalesRepViewSet, TerritoryViewSet

    router.register("regions", RegionViewSet)
    router.register("territories", TerritoryViewSet)
    router.register("sales-reps", SalesRepViewSet)
    router.register("families", FamilyViewSet)
    router.register("products", ProductViewSet)
    router.register("calendar", CalendarMonthViewSet)
    router.register("actuals", SalesActualViewSet)
    router.register("cycles", CycleViewSet)
    router.register("audit", AuditEventViewSet)
    router.register("forecast-runs", ForecastRunViewSet)
    router.register("reassessment/accuracy", AccuracyViewSet, basename="reassessment-accuracy")
    router.register("reassessment/fva", FvaViewSet, basename="reassessment-fva")
    router.register(
        "reassessment/decisions", DecisionReviewViewSet, basename="reassessment-decisions"
    )
    router.register("reassessment/recompute", RecomputeViewSet, basename="reassessment-recompute")


register_all()
