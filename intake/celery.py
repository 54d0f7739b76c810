"""The task queue: Celery on the deployment's Redis; without REDIS_URL tasks run in process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intake.settings")

app = Celery("intake")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["intake.summary", "intake.media"])  # imports <package>.tasks
