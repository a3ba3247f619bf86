from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for every app (``manage.py load_demo``). It sits above every other app: it may
    import any of them, and none imports it. It has no models, so nothing of it is shown."""

    name = "demo"
