"""The ground floor: rulebook, cycles, counties, accounts, notices, audit, messages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardConfig(AppConfig):
    name = "award"
    verbose_name = _("市长质量奖基础")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit_actions, workbench_items  # noqa: F401  audit labels, to-do providers
        from .reference_data import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="award.reference_data")
