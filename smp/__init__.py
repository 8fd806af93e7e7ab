"""SMP project package: settings, Celery app, URLs, tenancy and roles."""

# Import the Celery app when Django starts so that @shared_task binds to it.
from smp.celery import app as celery_app

__all__ = ["celery_app"]
