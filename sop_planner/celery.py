"""The Celery app: configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")

app = Celery("sop_planner")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
