from django.urls import path

from collaboration import views

app_name = "collaboration"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("cycles/<int:cycle_id>/comments/", views.comment_add, name="comment-add"),
    path("cycles/<int:cycle_id>/action-items/", views.action_item_add, name="action-item-add"),
    path("action-items/<int:item_id>/done/", views.action_item_done, name="action-item-done"),
]
