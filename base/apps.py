from django.apps import AppConfig


class BaseConfig(AppConfig):
    name = "base"
    # The tables, migrations and permissions of this app were made under the project's name.
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
