"""The ground floor: rulebook, cycles, counties, accounts, notices, audit, messages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardConfig(AppConfig):
    name = "award"
    verbose_name = _("市长质量奖基础")

    def ready(self):
        from . import workbench_items  # noqa: F401  registers the ground floor's to-do providers
