from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "guichet.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        # Celery's signals: the request id into task headers and back out, task counts.
        from . import celery_hooks  # noqa: F401
