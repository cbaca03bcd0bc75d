from django.urls import path

from reassessment import views

app_name = "reassessment"
urlpatterns = [
    path("", views.accuracy, name="accuracy"),
    path("fva/", views.fva, name="fva"),
    path("decisions/", views.decisions, name="decisions"),
    path("recompute/", views.recompute, name="recompute"),
]
