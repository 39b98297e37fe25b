"""Validators for identifiers and contact data used across the portal (text: award.text)."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", gettext_lazy("请输入11位中国大陆手机号码，例如 13812345678。")
)
