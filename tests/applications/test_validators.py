"""统一社会信用代码 and 身份证号 checks (domain.md §4) and ID masking."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from applications.validators import (
    birth_date_of,
    gender_of,
    id_number_check_char,
    mask_id_number,
    phone_validator,
    validate_id_number,
    validate_uscc,
)


@pytest.mark.parametrize("code", ["91110000600037341L", "91350100M000100Y43", "91350100m000100y43"])
def test_valid_uscc(code):
    validate_uscc(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91310115MA1H8R7C6D", "统一社会信用代码校验位不正确，请核对营业执照后重新填写。"),
        ("91110000600037341", "统一社会信用代码应为18位。"),
        ("91110000600037341LX", "统一社会信用代码应为18位。"),
        ("9111000060003734IL", "统一社会信用代码只能由数字和大写字母组成（不使用I、O、S、V、Z）。"),
        ("91110000600037341O", "统一社会信用代码只能由数字和大写字母组成（不使用I、O、S、V、Z）。"),
        ("", "统一社会信用代码应为18位。"),
    ],
)
def test_invalid_uscc(code, message):
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert error.value.messages == [message]


@pytest.mark.parametrize(
    "number", ["11010519491231002X", "11010519491231002x", "360426199101010071"]
)
def test_valid_id_number(number):
    validate_id_number(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "身份证号码校验位不正确，请核对后重新填写。"),
        ("11010519491231002", "身份证号码应为18位，前17位为数字，最后一位为数字或X。"),
        ("1101051949123100AX", "身份证号码应为18位，前17位为数字，最后一位为数字或X。"),
        ("11010519491231002Y", "身份证号码应为18位，前17位为数字，最后一位为数字或X。"),
    ],
)
def test_invalid_id_number(number, message):
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert error.value.messages == [message]


def _with_check(first17):
    return first17 + id_number_check_char(first17)


@pytest.mark.parametrize(
    ("birth", "message"),
    [
        ("19490230", "身份证号码中的出生日期不是有效日期。"),  # 30 February
        ("19491301", "身份证号码中的出生日期不是有效日期。"),  # month 13
        ("20230229", "身份证号码中的出生日期不是有效日期。"),  # not a leap year
        ("18991231", "身份证号码中的出生日期不合理。"),
    ],
)
def test_impossible_birth_dates_are_refused_even_with_a_correct_check_digit(birth, message):
    number = _with_check(f"110105{birth}002")
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert error.value.messages == [message]


def test_birth_date_in_the_future_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    number = _with_check(f"110105{tomorrow:%Y%m%d}002")
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert error.value.messages == ["身份证号码中的出生日期不合理。"]


def test_leap_day_birth_is_accepted():
    validate_id_number(_with_check("11010520000229002"))


def test_birth_date_and_gender_are_read_from_the_number():
    assert birth_date_of("11010519491231002X") == datetime.date(1949, 12, 31)
    assert gender_of("11010519491231002X") == "female"  # 17th digit 2 is even
    assert gender_of("360426199101010071") == "male"  # 7 is odd


def test_mask_keeps_first_and_last_four():
    assert mask_id_number("37010519491231002X") == "3701**********002X"
    assert mask_id_number("11010519491231002x") == "1101**********002X"


@pytest.mark.parametrize("phone", ["13812345678", "0539-8123456", "05398123456", "010-12345678"])
def test_phone_accepts_mobiles_and_landlines(phone):
    phone_validator(phone)


@pytest.mark.parametrize("phone", ["12812345678", "8123456", "0539-123"])
def test_phone_refuses_other_numbers(phone):
    with pytest.raises(ValidationError):
        phone_validator(phone)
