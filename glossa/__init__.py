"""Glossa's configuration package: settings, root URLs, WSGI/ASGI and Celery."""

from glossa.celery import app as celery_app

__all__ = ("celery_app",)
