"""Applicant profiles: the unit's or the person's standing data behind every 申报表."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import Education, Gender, UnitSize
from applications.validators import (
    birth_date_of,
    gender_of,
    mask_id_number,
    normalise_identifier,
    phone_validator,
    validate_id_number,
    validate_uscc,
)
from award.models.fields import BoundedTextField
from award.text import REASON_TEXT


class UnitProfile(models.Model):
    """申报单位基本信息 (domain.md §6)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        related_name="unit_profile",
    )
    name = models.CharField(_("单位名称"), max_length=120)
    uscc = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        error_messages={
            "unique": _("该统一社会信用代码已由其他账号登记，同一单位只能注册一个账号。")
        },
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=40)
    founded_on = models.DateField(_("成立日期"), help_text=_("第十条第（一）项"))
    industry = models.CharField(_("所属行业"), max_length=60)
    county = models.ForeignKey(
        "award.County",
        verbose_name=_("所属县区"),
        on_delete=models.PROTECT,
        related_name="unit_profiles",
        help_text=_("初审由所属县区质量议事协调机构负责（第十四条第（三）项）。"),
    )
    address = models.CharField(_("通讯地址"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=20, validators=[phone_validator])
    size = models.CharField(_("单位规模"), max_length=10, choices=UnitSize.choices)
    is_new_field = models.BooleanField(
        _("属于“四新”领域"),
        default=False,
        help_text=_("新技术、新产业、新业态、新模式领域单位（第十条第（一）项、第十一条）。"),
    )
    main_products = BoundedTextField(_("主要产品或服务"), max_length=REASON_TEXT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申报单位信息")
        verbose_name_plural = _("申报单位信息")

    def __str__(self):
        return self.name

    def clean(self):
        self.uscc = normalise_identifier(self.uscc)
        if self.founded_on and self.founded_on > timezone.localdate():
            raise ValidationError({"founded_on": _("成立日期不能晚于今天。")})

    @property
    def identifier(self) -> str:
        return self.uscc


class IndividualProfile(models.Model):
    """申报个人基本信息 (domain.md §6). The ID number is personal information: show it masked."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        related_name="individual_profile",
    )
    name = models.CharField(_("姓名"), max_length=40)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(
        _("身份证号码"),
        max_length=18,
        unique=True,
        validators=[validate_id_number],
        error_messages={"unique": _("该身份证号码已由其他账号登记，每人只能注册一个账号。")},
    )
    education = models.CharField(_("学历"), max_length=12, choices=Education.choices)
    title = models.CharField(_("职称"), max_length=60, blank=True)
    employer = models.CharField(_("工作单位"), max_length=120)
    position = models.CharField(_("职务"), max_length=60)
    quality_work_years = models.PositiveSmallIntegerField(
        _("在本市从事质量工作年限"), help_text=_("第十二条第（二）项")
    )
    quality_work_since = models.DateField(
        _("在本市从事质量工作起始时间"),
        help_text=_("资格审查按此日期计算年限（第十二条第（二）项）。"),
    )
    county = models.ForeignKey(
        "award.County",
        verbose_name=_("所属县区"),
        on_delete=models.PROTECT,
        related_name="individual_profiles",
        help_text=_("初审由所属县区质量议事协调机构负责（第十四条第（三）项）。"),
    )
    contact_phone = models.CharField(_("联系电话"), max_length=20, validators=[phone_validator])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申报个人信息")
        verbose_name_plural = _("申报个人信息")

    def __str__(self):
        return self.name

    def clean(self):
        self.id_number = normalise_identifier(self.id_number)
        errors = {}
        try:
            validate_id_number(self.id_number)
        except ValidationError:
            pass  # the field validator reports it; the cross-checks below need a valid number
        else:
            if self.birth_date and self.birth_date != birth_date_of(self.id_number):
                errors["birth_date"] = _("出生日期与身份证号码不一致。")
            if self.gender and self.gender != gender_of(self.id_number):
                errors["gender"] = _("性别与身份证号码不一致。")
        today = timezone.localdate()
        if self.quality_work_since:
            if self.quality_work_since > today:
                errors["quality_work_since"] = _("从事质量工作起始时间不能晚于今天。")
            elif self.birth_date and self.quality_work_since <= self.birth_date:
                errors["quality_work_since"] = _("从事质量工作起始时间应晚于出生日期。")
        if errors:
            raise ValidationError(errors)

    @property
    def identifier(self) -> str:
        return self.id_number

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)
