"""The ground floor: rulebook, cycles, counties, accounts, notices, audit, messages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardConfig(AppConfig):
    name = "award"
    verbose_name = _("市长质量奖基础")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from . import audit_actions, workbench_items  # noqa: F401  audit labels, to-do providers
        from .middleware import note_two_factor_at_login
        from .reference_data import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="award.reference_data")
        user_logged_in.connect(note_two_factor_at_login, dispatch_uid="award.two_factor_at_login")
