"""Validators for identifiers and contact data used across the portal."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("请输入11位中国大陆手机号码，例如 13812345678。")
)
