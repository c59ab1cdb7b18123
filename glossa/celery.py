"""The Celery application.

With no ``CELERY_BROKER_URL`` the settings turn on ``task_always_eager``, so
tasks run in the calling process and the embedded default needs no broker.
Workers on other machines only need the same code, settings and broker URL:
``celery -A glossa worker -l info``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")

app = Celery("glossa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
