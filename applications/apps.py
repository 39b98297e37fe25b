"""App config: plugs the applications floor into the ground floor's registries."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("申报与初审复核")

    def ready(self):
        # Registers the cycle guards, the states' presentation and the workbench providers.
        from award.hooks import register_demo_seeder

        from . import audit_actions, cycle_guards, states, workbench_items  # noqa: F401
        from .demo import seed_applications

        register_demo_seeder(seed_applications)
