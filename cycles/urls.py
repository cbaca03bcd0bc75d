from django.urls import path

from cycles import views

app_name = "cycles"
urlpatterns = [
    path("calendar/", views.calendar_list, name="calendar"),
    path("calendar/new/", views.CalendarMonthEditView.as_view(), name="calendar-new"),
    path("calendar/<int:pk>/", views.CalendarMonthEditView.as_view(), name="calendar-edit"),
]
