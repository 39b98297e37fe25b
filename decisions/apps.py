"""App config: plugs the decisions floor into the registries of the floors below."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("审议、公示与公布")

    def ready(self):
        from . import audit_actions, states  # noqa: F401
        from .registrations import (  # noqa: F401
            candidates,
            dashboard,
            feedback,
            honours,
            publicity,
        )
