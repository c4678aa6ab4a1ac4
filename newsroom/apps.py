from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
