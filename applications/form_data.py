"""The 申报表 sections kept in `Application.form_data`, per kind (domain.md §6).

Shape, as the form steps save it and the PDF reads it::

    unit:       {"key_figures": {"2023": {"revenue": "1234.56", "profit": "-12.00", ...}, ...},
                 "certifications": "...", "honours": "..."}
    individual: {"achievements": "...", "honours": "...", "contest_results": "..."}

Key figures are in 万元, for the three calendar years before the cycle's year (近3年,
第十条第（三）项), stored as decimal strings with two places. A draft may be partial;
`missing_fields` says what submission still needs.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind

FIGURES = (
    ("revenue", _("营业收入")),
    ("profit", _("利润总额")),
    ("tax", _("纳税总额")),
    ("rd_spend", _("研发投入")),
    ("exports", _("出口额")),
)
SIGNED_FIGURES = frozenset({"profit"})  # a loss is a negative profit
FIGURE_LIMIT = Decimal("1000000000")  # 万元
TEXT_MAX_LENGTH = 5000

# (key, label, required for submission)
TEXT_SECTIONS = {
    ApplicantKind.UNIT: (
        ("certifications", _("管理体系认证情况"), False),
        ("honours", _("主要荣誉"), False),
    ),
    ApplicantKind.INDIVIDUAL: (
        ("achievements", _("主要质量工作业绩"), True),
        ("honours", _("主要荣誉"), False),
        ("contest_results", _("质量技能大赛成绩"), False),
    ),
}
KEY_FIGURES = "key_figures"


def key_figure_years(cycle) -> list[int]:
    """The three years whose figures a unit reports, oldest first."""
    return [cycle.year - 3, cycle.year - 2, cycle.year - 1]


def _clean_figure(value, *, key, label, year):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(
            _("%(year)s年%(label)s应为数字（单位：万元）。") % {"year": year, "label": label}
        ) from None
    if not number.is_finite() or abs(number) >= FIGURE_LIMIT:
        raise ValidationError(_("%(year)s年%(label)s数值不合理。") % {"year": year, "label": label})
    if number < 0 and key not in SIGNED_FIGURES:
        raise ValidationError(_("%(year)s年%(label)s不能为负数。") % {"year": year, "label": label})
    return str(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def clean_form_data(kind: str, data: dict, *, cycle) -> dict:
    """Check and normalise the sections in `data`; return them ready to merge into a draft.

    Raises ValidationError keyed by field: "certifications", "key_figures.2024.revenue", …
    Sections not named in `data` are left out of the result (and so left as they were).
    """
    if not isinstance(data, dict):
        raise ValidationError(_("申报表内容格式不正确。"))
    texts = {key: label for key, label, _required in TEXT_SECTIONS[kind]}
    allowed = set(texts) | ({KEY_FIGURES} if kind == ApplicantKind.UNIT else set())
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(
            _("申报表中没有以下栏目：%(fields)s。") % {"fields": "、".join(unknown)}
        )
    errors: dict[str, list] = {}
    cleaned: dict = {}
    for key, label in texts.items():
        if key not in data:
            continue
        text = str(data[key] or "").strip()
        if len(text) > TEXT_MAX_LENGTH:
            errors[key] = [
                _("%(label)s不能超过%(max)s字。") % {"label": label, "max": TEXT_MAX_LENGTH}
            ]
        cleaned[key] = text
    if KEY_FIGURES in data:
        given = data[KEY_FIGURES] or {}
        if not isinstance(given, dict):
            raise ValidationError({KEY_FIGURES: _("主要经济指标格式不正确。")})
        years = [str(y) for y in key_figure_years(cycle)]
        stray = sorted(set(map(str, given)) - set(years))
        if stray:
            errors[KEY_FIGURES] = [
                _("只需填写%(years)s年的主要经济指标。") % {"years": "、".join(years)}
            ]
        figures = {}
        for year in years:
            row = given.get(year) or given.get(int(year)) or {}
            figures[year] = {}
            for key, label in FIGURES:
                try:
                    value = _clean_figure(row.get(key), key=key, label=label, year=year)
                except ValidationError as error:
                    errors[f"{KEY_FIGURES}.{year}.{key}"] = error.messages
                    continue
                if value is not None:
                    figures[year][key] = value
        cleaned[KEY_FIGURES] = figures
    if errors:
        raise ValidationError(errors)
    return cleaned


def missing_fields(kind: str, data: dict, *, cycle) -> list[str]:
    """Labels of what submission still needs, e.g. ["2024年营业收入", "主要质量工作业绩"]."""
    data = data or {}
    missing = []
    if kind == ApplicantKind.UNIT:
        figures = data.get(KEY_FIGURES) or {}
        for year in key_figure_years(cycle):
            row = figures.get(str(year)) or {}
            missing.extend(
                f"{year}年{label}" for key, label in FIGURES if row.get(key) in (None, "")
            )
    missing.extend(
        str(label)
        for key, label, required in TEXT_SECTIONS[kind]
        if required and not str(data.get(key) or "").strip()
    )
    return missing
