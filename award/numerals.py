"""Chinese numerals for ordinals such as 第一届, as official documents write them."""

from django.utils.translation import get_language

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五; outside 1–999, the Arabic digits."""
    if not 0 < n < 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    parts = []
    if hundreds:
        parts.append(DIGITS[hundreds] + "百")
        if tens == 0 and ones:
            parts.append("零")
    if tens:
        parts.append(("" if tens == 1 and not hundreds else DIGITS[tens]) + "十")
    if ones:
        parts.append(DIGITS[ones])
    return "".join(parts)


def ordinal_number(n: int) -> str:
    """The number as written in 第…届 in the active language: Chinese numerals in Chinese."""
    language = get_language() or "zh-hans"
    return chinese_number(n) if language.startswith("zh") else str(n)
