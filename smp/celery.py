"""The Celery application.

Without ``REDIS_URL`` tasks run eagerly in the web process (see settings), so the
demo needs no broker; with it, Redis is the broker and a real worker runs them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp.settings")

app = Celery("smp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
