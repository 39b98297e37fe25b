"""Validators for 统一社会信用代码 (GB 32100-2015), 身份证号 (GB 11643-1999) and phones."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, …, 28

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)

phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
    _("请输入手机号码或带区号的固定电话，例如 13812345678 或 0539-8123456。"),
)


def normalise_identifier(value) -> str:
    """Upper-case and strip spaces, so 11010519491231002x and 11010519491231002X agree."""
    return "".join(str(value or "").split()).upper()


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value) -> None:
    """A 统一社会信用代码 must have 18 characters of the GB 32100-2015 set and a correct check."""
    code = normalise_identifier(value)
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="uscc_length")
    if any(ch not in USCC_CHARSET for ch in code):
        raise ValidationError(
            _("统一社会信用代码只能由数字和大写字母组成（不使用I、O、S、V、Z）。"),
            code="uscc_charset",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对营业执照后重新填写。"), code="uscc_check"
        )


def id_number_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def birth_date_of(id_number: str) -> datetime.date | None:
    """The birth date in digits 7–14 of an 18-digit ID number, or None if it is no real date."""
    digits = normalise_identifier(id_number)[6:14]
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def validate_id_number(value) -> None:
    """A 居民身份证号码: 18 characters, MOD 11-2 check, a real birth date not in the future."""
    number = normalise_identifier(value)
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        raise ValidationError(
            _("身份证号码应为18位，前17位为数字，最后一位为数字或X。"), code="id_format"
        )
    born = birth_date_of(number)
    if born is None:
        raise ValidationError(_("身份证号码中的出生日期不是有效日期。"), code="id_birth_date")
    if born > timezone.localdate() or born < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("身份证号码中的出生日期不合理。"), code="id_birth_date")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新填写。"), code="id_check")


def gender_of(id_number: str) -> str:
    """'male' or 'female' from the 17th digit (odd for men), as GB 11643 defines it."""
    return "male" if int(normalise_identifier(id_number)[16]) % 2 else "female"


def mask_id_number(value) -> str:
    """Keep the first and last four characters: 3701**********002X (domain.md §4)."""
    number = normalise_identifier(value)
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"
