"""The API router, and the base viewset whose writes go through a service."""

from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from accounts.permissions import ensure_allowed


class ServiceModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Read for whoever may view; create and update through `service` (no delete:
    master data is deactivated, never removed, so history keeps its meaning)."""

    view_action = "masterdata.view"
    service = None
    service_argument = ""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        ensure_allowed(request.user, self.view_action)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)

    def _save(self, serializer):
        instance = serializer.instance or serializer.Meta.model()
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = type(self).service(
            actor=self.request.user, **{self.service_argument: instance}
        )


def path_id(value: str, noun: str) -> int:
    """A row id from the address; a 404 naming it when it is not a whole number the
    database can hold (a router's detail route takes any text)."""
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise NotFound(f"There is no {noun} {value!r}: a {noun} is named by its number.")
    return int(value)


def valid(serializer_class, data) -> dict:
    """The request's input parsed by `serializer_class`; a 400 naming each bad field otherwise."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


router = DefaultRouter()


def register_all() -> None:
    from audit.api import AuditEventViewSet
    from cycles.api import CalendarMonthViewSet, CycleViewSet
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
