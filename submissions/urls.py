from django.urls import path

from . import views

app_name = "submissions"
urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("submit/sent/", views.sent, name="sent"),
    path("submit/preview/", views.preview, name="preview"),
    path("submit/<slug:call_slug>/", views.submit, name="submit_to_call"),
    path("submissions/confirm/<str:secret>/", views.confirm, name="confirm"),
    path("submissions/track/<str:secret>/", views.track, name="track"),
    path("submissions/track/<str:secret>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "submissions/track/<str:secret>/files/<int:attachment_id>/",
        views.track_file,
        name="track_file",
    ),
    path("submissions/lost-link/", views.lost_link, name="lost_link"),
]
