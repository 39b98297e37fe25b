"""公布 and what follows it: the city government's approval, honours and rewards
(第十四条第（七）项, 第十五条, 第十七条, 第十九条)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind, AwardCategory
from award.models.choices import CachedChoiceLabelsMixin
from award.models.fields import BoundedTextField
from award.text import REASON_TEXT
from decisions.enums import HonourStatus


def approval_file_path(instance, filename):
    return f"approvals/{instance.cycle_id}/{uuid.uuid4().hex}"


class Approval(models.Model):
    """市政府 approval of the list (第十四条第（七）项), recorded by the office with its file."""

    cycle = models.OneToOneField(
        "award.Cycle", verbose_name=_("评选届次"), on_delete=models.PROTECT, related_name="approval"
    )
    document_number = models.CharField(_("批复文号"), max_length=60)
    approved_on = models.DateField(_("批复日期"))
    file = models.FileField(_("批复文件"), upload_to=approval_file_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("市政府批复")
        verbose_name_plural = _("市政府批复")

    def __str__(self):
        return self.document_number


def certificate_path(instance, filename):
    return f"certificates/{instance.cycle_id}/{uuid.uuid4().hex}.pdf"


class Honour(CachedChoiceLabelsMixin, models.Model):
    """A winner's title, with the serial its certificate and the public verification carry."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="honour",
    )
    cycle = models.ForeignKey(
        "award.Cycle", verbose_name=_("评选届次"), on_delete=models.PROTECT, related_name="honours"
    )
    category = models.CharField(_("奖项类别"), max_length=12, choices=AwardCategory.choices)
    kind = models.CharField(_("获评主体类型"), max_length=12, choices=ApplicantKind.choices)
    holder_name = models.CharField(_("获评单位/个人"), max_length=120)
    county = models.ForeignKey(
        "award.County", verbose_name=_("所属县区"), on_delete=models.PROTECT, related_name="+"
    )
    serial = models.CharField(_("证书编号"), max_length=32, unique=True)
    awarded_on = models.DateField(_("获评日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=HonourStatus.choices, default=HonourStatus.ACTIVE
    )
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoked_article = models.CharField(_("撤销依据"), max_length=60, blank=True)
    certificate = models.FileField(
        _("证书文件"), upload_to=certificate_path, max_length=200, blank=True
    )
    certificate_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["cycle", "category", "kind", "serial"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=HonourStatus.ACTIVE, revoked_on__isnull=True)
                | Q(status=HonourStatus.REVOKED, revoked_on__isnull=False),
                name="revoked_on_iff_revoked",
            )
        ]

    def __str__(self):
        return f"{self.holder_name}（{self.get_category_display()}）"


class Reward(models.Model):
    """第十五条: a unit's money reward (capped by the rulebook) or an individual's material
    reward in words; 就高不重复 against the 山东省省长质量奖 the winner also holds."""

    honour = models.OneToOneField(
        Honour, verbose_name=_("荣誉"), on_delete=models.PROTECT, related_name="reward"
    )
    amount_yuan = models.PositiveIntegerField(_("奖励金额（元）"), null=True, blank=True)
    material_description = BoundedTextField(_("物质奖励"), max_length=REASON_TEXT, blank=True)
    provincial_amount_yuan = models.PositiveIntegerField(
        _("已获山东省省长质量奖奖金（元）"),
        null=True,
        blank=True,
        help_text=_("同时获得山东省省长质量奖的，按就高不重复原则只补足差额。"),
    )
    payable_yuan = models.PositiveIntegerField(_("实际发放金额（元）"), null=True, blank=True)
    note = BoundedTextField(_("备注"), max_length=REASON_TEXT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("奖励")
        verbose_name_plural = _("奖励")

    def __str__(self):
        return str(self.honour)
