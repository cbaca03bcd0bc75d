from django.urls import path

from supply import views

app_name = "supply"
urlpatterns = [
    path("", views.supply_index, name="index"),
    path("<int:pk>/", views.supply_index, name="cycle"),
    path("<int:pk>/compute/", views.supply_compute_view, name="compute"),
    path("<int:pk>/import/", views.supply_import_view, name="import"),
    path("<int:pk>/family/<int:family_id>/", views.supply_family, name="family"),
    path("<int:pk>/family/<int:family_id>/inputs/", views.supply_inputs_save_view, name="inputs"),
]
