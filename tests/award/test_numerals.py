"""第一届, not 第1届: cycle ordinals as official documents write them."""

import pytest
from django.utils import translation

from award.numerals import chinese_number, ordinal_number


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "一"),
        (2, "二"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (999, "九百九十九"),
        (0, "0"),
        (1000, "1000"),
    ],
)
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_ordinals_follow_the_active_language():
    with translation.override("zh-hans"):
        assert ordinal_number(3) == "三"
    with translation.override("en"):
        assert ordinal_number(3) == "3"


def test_a_cycle_is_named_as_the_notices_name_it():
    from award.models import Cycle

    with translation.override("zh-hans"):
        assert str(Cycle(number=2, year=2026)) == "第二届临沂市市长质量奖（2026年）"
