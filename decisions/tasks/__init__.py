"""Celery tasks of the decisions floor, one module per part (autodiscovered through here)."""

from decisions.tasks import certificates  # noqa: F401
