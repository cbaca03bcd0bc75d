from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import planned_territory_ids, user_roles
from accounts.roles import actions_of


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    actions = serializers.ListField(child=serializers.CharField())
    territory_ids = serializers.ListField(child=serializers.IntegerField())


class MeApi(APIView):
    """Who am I, which roles do I hold and what may I do."""

    serializer_class = MeSerializer

    def get(self, request):
        roles = user_roles(request.user)
        data = {
            "username": request.user.get_username(),
            "roles": sorted(roles),
            "actions": sorted({action for role in roles for action in actions_of(role)}),
            "territory_ids": sorted(planned_territory_ids(request.user)),
        }
        return Response(MeSerializer(data).data)
