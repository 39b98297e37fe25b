"""Review groups (组长负责制) and which group reviews which application."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from award.models.fields import BoundedTextField
from award.text import REASON_TEXT

SCORE_ASSIGNMENT = "review.score_assignment"


class ReviewGroup(models.Model):
    cycle = models.ForeignKey(
        "award.Cycle", verbose_name=_("评选届次"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("评审组名称"), max_length=60)
    leader = models.ForeignKey(
        "review.Expert",
        verbose_name=_("组长"),
        on_delete=models.PROTECT,
        related_name="led_groups",
    )
    members = models.ManyToManyField(
        "review.Expert",
        verbose_name=_("成员"),
        through="review.GroupMembership",
        related_name="review_groups",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审组")
        verbose_name_plural = _("评审组")
        ordering = ["cycle", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="review_group_name_unique")
        ]

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(
        ReviewGroup, verbose_name=_("评审组"), on_delete=models.CASCADE, related_name="memberships"
    )
    expert = models.ForeignKey(
        "review.Expert",
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审组成员")
        verbose_name_plural = _("评审组成员")
        constraints = [
            models.UniqueConstraint(fields=["group", "expert"], name="group_member_unique")
        ]

    def __str__(self):
        return f"{self.group} · {self.expert}"


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Assignment(models.Model):
    """An application given to a group. Each eligible member holds `score_assignment` on it
    (django-guardian), granted here and revoked on removal, conflict or disqualification."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    group = models.ForeignKey(
        ReviewGroup, verbose_name=_("评审组"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    needs_reassignment = models.TextField(
        _("需重新分配的原因"),
        blank=True,
        help_text=_("专家被取消资格或回避后组内人数不足、组长缺位时记录，重新分配后失效。"),
    )
    removed_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    removal_reason = BoundedTextField(_("撤销原因"), max_length=REASON_TEXT, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        ordering = ["-assigned_at", "-pk"]
        permissions = [("score_assignment", _("评审所分配的申报"))]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(removed_at__isnull=True),
                name="one_active_assignment_per_application",
                violation_error_message=_("该申报已分配评审组。"),
            )
        ]

    def __str__(self):
        return f"{self.application} → {self.group}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None
