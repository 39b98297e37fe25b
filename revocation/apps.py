"""App config: plugs the revocation floor (第六章至第八章) into the registries below it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevocationConfig(AppConfig):
    name = "revocation"
    verbose_name = _("获评后管理与监督")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit_actions, states  # noqa: F401
        from .reference_data import on_post_migrate
        from .registrations import assessments, cases, complaints, obligations  # noqa: F401

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="revocation.reference_data")
