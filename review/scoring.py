"""The scoring bands of GB/T 19580 (domain.md §1): percentages, descriptors, item points."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from review.enums import CriterionKind

STEP = 5


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    process: str  # 方法-展开-学习-整合
    result: str  # 水平-趋势-对比-整合

    @property
    def label(self) -> str:
        return f"{self.low}%–{self.high}%"

    @property
    def choices(self) -> list[int]:
        return list(range(self.low, self.high + 1, STEP))

    def descriptor(self, kind: str) -> str:
        return str(self.result if kind == CriterionKind.RESULT else self.process)


BANDS = (
    Band(
        0,
        5,
        _(
            "没有系统的方法，信息零散、孤立；方法没有展开或只有零星展开；看不出改进导向；"
            "方法与组织的需要不协调。"
        ),
        _(
            "没有描述结果或结果很差；没有趋势数据或多为不良趋势；没有对比信息；"
            "在对组织关键需要重要的领域均未描述结果。"
        ),
    ),
    Band(
        10,
        25,
        _(
            "开始有针对本评分项基本要求的系统方法；方法在多数部门处于展开初期；"
            "处于从被动应对问题转向改进导向的初期；主要靠共同解决问题与其他评分项协调。"
        ),
        _(
            "结果很少，少数方面有改进或处于良好绩效的初期；几乎没有趋势数据和对比信息；"
            "仅在少数对组织关键需要重要的领域描述了结果。"
        ),
    ),
    Band(
        30,
        45,
        _(
            "有针对本评分项基本要求的有效、系统的方法；方法已经展开，个别部门处于展开初期；"
            "开始系统地评价和改进关键过程；方法处于与组织基本需要相协调的初期。"
        ),
        _(
            "在本评分项要求的许多方面有改进或良好绩效；处于取得良好趋势和获得对比信息的初期；"
            "在多数对组织关键需要重要的领域描述了结果。"
        ),
    ),
    Band(
        50,
        65,
        _(
            "有针对本评分项总体要求的有效、系统的方法；方法展开良好，各部门程度不一；"
            "有基于事实的系统评价和改进以及一定的组织学习；方法与组织的需要相协调。"
        ),
        _(
            "在本评分项要求的大多数方面有改进趋势或良好绩效；关键领域没有不良趋势；"
            "与竞争对手或标杆对比，部分趋势或当前绩效良好到优秀；结果满足多数关键顾客、市场和过程的要求。"
        ),
    ),
    Band(
        70,
        85,
        _(
            "有针对本评分项详细要求的有效、系统的方法；方法展开良好，无明显差距；"
            "系统的评价、改进和组织学习是关键管理工具，改进与创新经分析并共享；方法与组织需要一体化。"
        ),
        _(
            "在本评分项要求的大多数重要方面当前绩效良好到优秀，改进趋势可持续；"
            "与竞争对手或标杆对比，多数趋势和绩效领先；结果满足多数关键顾客、市场、过程和战略的要求。"
        ),
    ),
    Band(
        90,
        100,
        _(
            "有全面满足本评分项详细要求的有效、系统的方法；方法充分展开，各部门均无明显弱项；"
            "系统的评价、改进和组织学习贯穿全组织，改进与创新在全组织分析和共享；方法与组织需要充分一体化。"
        ),
        _(
            "在本评分项要求的大多数重要方面当前绩效优秀，具有优秀的改进趋势或可持续的优秀绩效；"
            "多数方面显示行业领先和标杆水准；结果充分满足关键顾客、市场、过程和战略的要求。"
        ),
    ),
)

PERCENTAGES = tuple(p for band in BANDS for p in band.choices)  # 0, 5, 10, …, 100

PERCENTAGE_MESSAGE = _(
    "评分比例须为0%～100%之间5的整数倍，落在六个评分档之一：0–5%、10–25%、30–45%、"
    "50–65%、70–85%、90–100%。"
)


def band_of(percentage: int) -> Band:
    return next(band for band in BANDS if band.low <= percentage <= band.high)


def clean_percentage(value) -> int:
    """The percentage as an int if it is one of the allowed steps; ValidationError otherwise."""
    if isinstance(value, bool):
        raise ValidationError({"percentage": PERCENTAGE_MESSAGE}, code="band")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if not isinstance(value, int) or value not in PERCENTAGES:
        raise ValidationError({"percentage": PERCENTAGE_MESSAGE}, code="band")
    return value


def item_points(percentage: int, points: int) -> Decimal:
    """percentage × the item's points / 100, never above the item's points."""
    score = (Decimal(percentage) * Decimal(points) / Decimal(100)).quantize(Decimal("0.01"))
    return min(score, Decimal(points))
