"""The agency's pool of experts (第八条第（二）项) and the fields they are strong in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.validators import phone_validator, validate_uscc
from award.models.fields import BoundedTextField
from award.text import REASON_TEXT


class Speciality(models.Model):
    """A field of expertise; `keywords` are matched against an applicant's industry."""

    name = models.CharField(_("专业领域"), max_length=40, unique=True)
    keywords = models.CharField(
        _("匹配关键词"),
        max_length=200,
        blank=True,
        help_text=_("以顿号或逗号分隔，出现在申报单位所属行业或个人工作单位、职务中即视为匹配。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("专业领域")
        verbose_name_plural = _("专业领域")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        text = self.keywords.replace("、", ",").replace("，", ",")
        return [word.strip() for word in text.split(",") if word.strip()]


class ExpertQuerySet(models.QuerySet):
    def available(self):
        """In the pool and not disqualified: may be put in a group or given an assignment."""
        return self.filter(is_active=True, disqualified_at__isnull=True)


class Expert(models.Model):
    """评审专家: one portal account with role `expert`, in one agency's pool."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        related_name="expert",
    )
    agency = models.ForeignKey(
        "award.Agency",
        verbose_name=_("所属第三方机构"),
        on_delete=models.PROTECT,
        related_name="experts",
    )
    name = models.CharField(_("姓名"), max_length=40)
    employer = models.CharField(_("工作单位"), max_length=120)
    employer_uscc = models.CharField(
        _("工作单位统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text=_("用于自动识别回避：与申报单位相同即自动回避。"),
    )
    specialities = models.ManyToManyField(
        Speciality, verbose_name=_("专业领域"), blank=True, related_name="experts"
    )
    county = models.ForeignKey(
        "award.County",
        verbose_name=_("所在县区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experts",
    )
    contact_phone = models.CharField(
        _("联系电话"), max_length=20, blank=True, validators=[phone_validator]
    )
    is_active = models.BooleanField(
        _("在库"), default=True, help_text=_("不在库的专家不再参加新的评审分组。")
    )
    disqualified_at = models.DateTimeField(_("取消评审资格时间"), null=True, blank=True)
    disqualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("取消人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    disqualification_reason = BoundedTextField(
        _("取消评审资格原因"), max_length=REASON_TEXT, blank=True
    )
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_disqualified(self) -> bool:
        return self.disqualified_at is not None

    @property
    def speciality_names(self) -> str:
        """The specialities as a list reads them: 质量管理、标准化 (one query unless prefetched)."""
        return "、".join(speciality.name for speciality in self.specialities.all())
