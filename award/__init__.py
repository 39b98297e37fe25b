"""临沂市市长质量奖 portal: the project package and the ground floor app."""

from .celery import app as celery_app

__all__ = ["celery_app"]
