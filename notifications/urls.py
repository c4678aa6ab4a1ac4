from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("follow/", views.follow, name="follow"),
    path("follow/sent/", views.follow_sent, name="follow_sent"),
    path("follow/confirm/<str:secret>/", views.confirm, name="confirm"),
    path("follow/manage/<str:secret>/", views.manage, name="manage"),
    path("follow/unsubscribe/<str:secret>/", views.unsubscribe, name="unsubscribe"),
]
