"""Reference data of the review floor: the default criteria sets and the expert specialities.

Migration 0002 seeds it; a post_migrate handler keeps it present after a database flush,
as award/reference_data.py does for roles and counties.
"""

from award.enums import ApplicantKind
from review.enums import CriterionKind

P, R = CriterionKind.PROCESS, CriterionKind.RESULT

UNIT_SET_NAME = "卓越绩效评价准则（GB/T 19580-2012）"
INDIVIDUAL_SET_NAME = "申报个人评分标准（依据第十二条）"

# (code, name, points, kind, items) — domain.md §1, the standard's Appendix A as cited.
UNIT_CRITERIA = [
    ("4.1", "领导", 110, [("4.1.2", "高层领导的作用", 50, P), ("4.1.3", "组织治理", 30, P),
                        ("4.1.4", "社会责任", 30, P)]),
    ("4.2", "战略", 90, [("4.2.2", "战略制定", 40, P), ("4.2.3", "战略部署", 50, P)]),
    ("4.3", "顾客与市场", 90, [("4.3.2", "顾客和市场的了解", 40, P),
                              ("4.3.3", "顾客关系与顾客满意", 50, P)]),
    ("4.4", "资源", 130, [("4.4.2", "人力资源", 60, P), ("4.4.3", "财务资源", 15, P),
                        ("4.4.4", "信息和知识资源", 20, P), ("4.4.5", "技术资源", 15, P),
                        ("4.4.6", "基础设施", 10, P), ("4.4.7", "相关方关系", 10, P)]),
    ("4.5", "过程管理", 100, [("4.5.2", "过程的识别与设计", 50, P),
                            ("4.5.3", "过程的实施与改进", 50, P)]),
    ("4.6", "测量、分析与改进", 80, [("4.6.2", "测量、分析和评价", 40, P),
                                  ("4.6.3", "改进与创新", 40, P)]),
    ("4.7", "结果", 400, [("4.7.2", "产品和服务结果", 80, R), ("4.7.3", "顾客与市场结果", 80, R),
                        ("4.7.4", "财务结果", 80, R), ("4.7.5", "资源结果", 60, R),
                        ("4.7.6", "过程有效性结果", 50, R), ("4.7.7", "领导方面的结果", 50, R)]),
]  # fmt: skip

# 第十二条 has no national table: items built from its conditions, 100 points, editable.
INDIVIDUAL_CRITERIA = [
    ("G1", "质量意识与创新意识", 20, P),  # 第十二条第（三）项
    ("G2", "履职贡献", 25, R),  # 第十二条第（四）项
    ("G3", "质量工作业绩与社会认同", 25, R),  # 第十二条第（五）项
    ("G4", "技能竞赛与荣誉", 15, R),  # 第十二条第（五）项
    ("G5", "示范引领", 15, P),  # 第十八条
]

# Fields experts come from (domain.md §2), with words matched against an applicant's industry.
SPECIALITIES = [
    ("质量管理", "质量,卓越绩效,标准,认证,管理"),
    ("装备制造", "机械,设备,装备,汽车,制造,金属,电气"),
    ("电子信息", "电子,信息,软件,通信,计算机,互联网"),
    ("化工医药", "化工,化学,医药,制药,塑料,橡胶"),
    ("食品农业", "食品,农业,农产品,饮料,养殖,种植"),
    ("建材建筑", "建材,建筑,工程,水泥,陶瓷,木业,板材"),
    ("商贸物流", "商贸,物流,批发,零售,运输,仓储"),
    ("现代服务业", "服务,金融,医疗,教育,文化,旅游"),
    ("财务会计", "财务,会计,审计"),
]


def ensure_review_reference_data(
    *, criteria_set_model=None, criterion_model=None, speciality_model=None
) -> None:
    """Create the default sets and the specialities if missing; never touch edited data."""
    if criteria_set_model is None:
        from review.models import CriteriaSet, Criterion, Speciality

        criteria_set_model, criterion_model, speciality_model = CriteriaSet, Criterion, Speciality
    defaults = set(
        criteria_set_model.objects.filter(is_default=True).values_list("kind", flat=True)
    )
    if ApplicantKind.UNIT not in defaults:
        unit = criteria_set_model.objects.create(
            name=UNIT_SET_NAME, kind=ApplicantKind.UNIT, is_default=True
        )
        order = 0
        for code, name, points, items in UNIT_CRITERIA:
            order += 1
            category = criterion_model.objects.create(
                criteria_set=unit, code=code, name=name, points=points, kind="", order=order
            )
            for item_code, item_name, item_points, kind in items:
                order += 1
                criterion_model.objects.create(
                    criteria_set=unit,
                    parent=category,
                    code=item_code,
                    name=item_name,
                    points=item_points,
                    kind=kind,
                    order=order,
                )
    if ApplicantKind.INDIVIDUAL not in defaults:
        person = criteria_set_model.objects.create(
            name=INDIVIDUAL_SET_NAME, kind=ApplicantKind.INDIVIDUAL, is_default=True
        )
        criterion_model.objects.bulk_create(
            criterion_model(
                criteria_set=person, code=code, name=name, points=points, kind=kind, order=order
            )
            for order, (code, name, points, kind) in enumerate(INDIVIDUAL_CRITERIA, start=1)
        )
    if not speciality_model.objects.exists():
        speciality_model.objects.bulk_create(
            speciality_model(name=name, keywords=keywords, sort_order=order)
            for order, (name, keywords) in enumerate(SPECIALITIES, start=1)
        )


def on_post_migrate(sender, **kwargs) -> None:
    if sender.name == "review":
        ensure_review_reference_data()
