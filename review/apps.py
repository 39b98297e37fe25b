"""App config: plugs the review floor into the registries of the floors below."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("专家评审")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit_actions, guards, states, workbench_items  # noqa: F401
        from .reference_data import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="review.reference_data")

        from applications.hooks import register_withdrawal_listener

        from .services.assignment import assignments_end_on_withdrawal

        register_withdrawal_listener(assignments_end_on_withdrawal)

        from award.hooks import register_demo_seeder

        from .demo import seed_review

        register_demo_seeder(seed_review)
