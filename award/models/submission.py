"""One-time form tokens: a create form posted twice (a double click) takes effect once."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionToken(models.Model):
    """A create form's hidden token, claimed by the service inside the create's transaction.

    The unique constraint is the gate: a second POST of the same form waits for the first
    transaction and then finds the token taken, so it answers with the first result.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    action = models.CharField(max_length=80)
    # What the first POST made, so that a replay answers with its page.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("表单提交记录")
        verbose_name_plural = _("表单提交记录")
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="submission_token_once")
        ]

    def __str__(self):
        return f"{self.action} {self.token}"

    def first_result(self):
        """What the first POST made, or None when nothing was recorded or it is gone."""
        if self.content_type_id is None or not self.object_id:
            return None
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None
