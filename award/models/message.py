"""In-site messages (站内信); each may also go out by email through Celery (DESIGN.md §8)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from award.enums import EmailStatus


class Message(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("内容"))
    html_body = models.TextField(blank=True)
    url = models.CharField(_("相关链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    email_status = models.CharField(
        _("邮件状态"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE
    )
    email_queued_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("站内信")
        verbose_name_plural = _("站内信")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status", "email_queued_at"]),
        ]

    def __str__(self):
        return self.subject
