from rest_framework import serializers

from cycles import services
from cycles.models import CalendarMonth
from sop_planner.api import ServiceModelViewSet


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
