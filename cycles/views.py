from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.editing import ServiceFormView
from accounts.permissions import can, ensure_allowed
from cycles import calendar, services
from cycles.forms import CalendarMonthForm
from cycles.models import CalendarMonth


@login_required
def calendar_list(request):
    ensure_allowed(request.user, "masterdata.view")
    months = [
        {
            "month": month,
            "working_days": month.working_day_count(),
            "stage_due": calendar.due_dates(
                month.month, settings.SOP_STAGE_DUE_WORKING_DAYS, month.holiday_dates()
            ),
        }
        for month in CalendarMonth.objects.all()
    ]
    return render(
        request,
        "cycles/calendar.html",
        {
            "months": months,
            "can_edit": can(request.user, "calendar.edit"),
            "due_days": settings.SOP_STAGE_DUE_WORKING_DAYS,
        },
    )


class CalendarMonthEditView(ServiceFormView):
    required_action = "calendar.edit"
    model = CalendarMonth
    form_class = CalendarMonthForm
    service = services.calendar_month_save
    service_argument = "month"
    success_url_name = "cycles:calendar"
    title = "Calendar month"
