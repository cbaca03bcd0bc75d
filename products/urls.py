from django.urls import path

from products import views

app_name = "products"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("families/new/", views.FamilyEditView.as_view(), name="family-new"),
    path("families/<int:pk>/", views.FamilyEditView.as_view(), name="family-edit"),
    path("new/", views.ProductEditView.as_view(), name="new"),
    path("<int:pk>/", views.ProductEditView.as_view(), name="edit"),
]
