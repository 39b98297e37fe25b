"""Portal accounts: one user model for applicants and staff; roles are Groups."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind, Role
from award.validators import mobile_validator


class User(AbstractUser):
    email = models.EmailField(_("电子邮箱"), unique=True)
    display_name = models.CharField(
        _("单位名称/姓名"), max_length=120, help_text=_("申报单位填写单位全称，个人填写真实姓名。")
    )
    mobile = models.CharField(
        _("手机号码"), max_length=11, blank=True, validators=[mobile_validator]
    )
    applicant_kind = models.CharField(
        _("申报主体类型"), max_length=12, choices=ApplicantKind.choices, blank=True
    )
    county = models.ForeignKey(
        "award.County",
        verbose_name=_("所属县区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("县区协调员只处理本县区的申报。"),
    )
    agency = models.ForeignKey(
        "award.Agency",
        verbose_name=_("所属第三方机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="award_user_email_ci_unique",
                violation_error_message=_("该邮箱已注册，可直接登录或找回密码。"),
            )
        ]

    def __str__(self):
        return self.display_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: Role | str) -> bool:
        return any(str(role) in self.role_codes for role in roles)
