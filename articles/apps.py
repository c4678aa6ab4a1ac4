from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self) -> None:
        # The archive importer's admin screens live beside the articles admin.
        from .importer import admin  # noqa: F401
