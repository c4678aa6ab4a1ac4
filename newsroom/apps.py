from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project as an app: its commands (`load_demo`) and nothing stored."""

    name = "newsroom"
    label = "project"  # `newsroom` is the base app's label (base/apps.py)
    verbose_name = "Caucasus Center Newsroom"
