"""Celery tasks of the decisions floor, one module per part (autodiscovered through here)."""

from . import certificates, exports  # noqa: F401
