"""The base viewset for master data, whose writes go through a service."""

from rest_framework import mixins, viewsets

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
