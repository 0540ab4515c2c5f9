"""Celery app. Without CELERY_BROKER_URL tasks run eagerly in process (settings)."""

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")


class App(Celery):
    def prepare_config(self, c: Any) -> Any:
        """The CELERY_ settings copied into a dict as the app is configured (after Django's settings).

        Celery reads its configuration a dozen times per task sent, each key under two or three
        names in turn: read through Django's lazy settings, each miss raising and catching an
        AttributeError, that was ~0.1 ms of CPU per task published (issue 17). The settings do not
        change while the process runs; code that changes Celery's configuration does it on
        `app.conf`, which is read first, as before."""
        return super().prepare_config({key: c[key] for key in c if key.startswith("CELERY_")})


app = App("guichet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["guichet.core.notifications"])
