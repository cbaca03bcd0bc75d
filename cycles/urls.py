from django.urls import path

from cycles import compare_views, views, workflow_views

app_name = "cycles"
urlpatterns = [
    path("", workflow_views.cycle_board, name="board"),
    path("open/", workflow_views.cycle_open_view, name="open"),
    path("history/", workflow_views.history, name="history"),
    path("guides/<str:stage>/", workflow_views.guide_edit, name="guide-edit"),
    path("<int:pk>/advance/", workflow_views.cycle_advance_view, name="advance"),
    path("<int:pk>/send-back/", workflow_views.cycle_send_back_view, name="send-back"),
    path("<int:pk>/due-date/", workflow_views.cycle_due_date_view, name="due-date"),
    path("<int:pk>/waive/", workflow_views.cycle_waive_view, name="waive"),
    path("<int:pk>/submit/", workflow_views.plan_submit_view, name="submit"),
    path("<int:pk>/sign-off/", workflow_views.cycle_signoff, name="sign-off"),
    path("<int:pk>/decide/", workflow_views.cycle_decide_view, name="decide"),
    path("<int:pk>/compare/", compare_views.compare, name="compare"),
    path("<int:pk>/compare.csv", compare_views.compare_csv, name="compare-csv"),
    path("<int:pk>/versions/<str:version>.csv", workflow_views.version_export, name="export"),
    path("calendar/", views.calendar_list, name="calendar"),
    path("calendar/new/", views.CalendarMonthEditView.as_view(), name="calendar-new"),
    path("calendar/<int:pk>/", views.CalendarMonthEditView.as_view(), name="calendar-edit"),
]
