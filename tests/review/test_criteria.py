"""Criteria as data: the seeded sets, copies the office edits, and their survival of a flush."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db.models import Sum

from award.enums import ApplicantKind, Role
from award.models import AuditEntry
from review.enums import CriterionKind
from review.models import CriteriaSet, Criterion, Speciality
from review.services import criteria_set_copy, criterion_update, review_plan_save
from tests.factories import make_user
from tests.review.factories import ReviewWorld


def default_set(kind):
    return CriteriaSet.objects.get(kind=kind, is_default=True)


@pytest.mark.django_db
def test_unit_set_is_gb_t_19580():
    unit = default_set(ApplicantKind.UNIT)
    categories = unit.criteria.filter(parent__isnull=True).order_by("order")
    assert [(c.code, c.name, c.points) for c in categories] == [
        ("4.1", "领导", 110),
        ("4.2", "战略", 90),
        ("4.3", "顾客与市场", 90),
        ("4.4", "资源", 130),
        ("4.5", "过程管理", 100),
        ("4.6", "测量、分析与改进", 80),
        ("4.7", "结果", 400),
    ]
    items = Criterion.objects.items().filter(criteria_set=unit)
    assert items.count() == 23
    assert items.aggregate(total=Sum("points"))["total"] == 1000
    assert categories.aggregate(total=Sum("points"))["total"] == 1000
    for category in categories:
        assert sum(c.points for c in category.children.all()) == category.points
    assert set(items.filter(code__startswith="4.7").values_list("kind", flat=True)) == {
        CriterionKind.RESULT
    }
    assert set(items.exclude(code__startswith="4.7").values_list("kind", flat=True)) == {
        CriterionKind.PROCESS
    }
    assert items.get(code="4.4.2").points == 60
    assert items.get(code="4.7.7").name == "领导方面的结果"


@pytest.mark.django_db
def test_individual_set_totals_100():
    person = default_set(ApplicantKind.INDIVIDUAL)
    items = Criterion.objects.items().filter(criteria_set=person).order_by("order")
    assert [(c.name, c.points) for c in items] == [
        ("质量意识与创新意识", 20),
        ("履职贡献", 25),
        ("质量工作业绩与社会认同", 25),
        ("技能竞赛与荣誉", 15),
        ("示范引领", 15),
    ]


@pytest.mark.django_db(transaction=True)
def test_seeded_sets_come_back_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert CriteriaSet.objects.filter(is_default=True).count() == 2
    assert Criterion.objects.items().filter(criteria_set__kind="unit").count() == 23
    assert Speciality.objects.filter(name="质量管理").exists()


@pytest.mark.django_db
def test_the_office_edits_a_copy():
    office = make_user(Role.OFFICE)
    source = default_set(ApplicantKind.UNIT)
    copy = criteria_set_copy(source=source, by=office, name="2026年度单位评分标准")
    assert (copy.copied_from, copy.is_default, copy.kind) == (source, False, "unit")
    assert copy.criteria.count() == source.criteria.count() == 30
    item = copy.criteria.get(code="4.1.2")
    assert item.parent.code == "4.1" and item.parent.criteria_set == copy
    criterion_update(criterion=item, by=office, points=60, name="高层领导的作用（加权）")
    item.refresh_from_db()
    assert (item.points, item.parent.points) == (60, 120)
    # The default set is untouched.
    assert source.criteria.get(code="4.1").points == 110
    entry = AuditEntry.objects.get(action="review.criterion_update")
    assert entry.before == {"name": "高层领导的作用", "points": 50}


@pytest.mark.django_db
def test_default_sets_and_category_points_are_not_edited_directly():
    office = make_user(Role.OFFICE)
    source = default_set(ApplicantKind.UNIT)
    with pytest.raises(ValidationError) as error:
        criterion_update(criterion=source.criteria.get(code="4.1.2"), by=office, points=40)
    assert error.value.messages == ["系统默认评分标准不能修改，请复制后修改副本。"]
    copy = criteria_set_copy(source=source, by=office, name="副本")
    with pytest.raises(ValidationError) as error:
        criterion_update(criterion=copy.criteria.get(code="4.1"), by=office, points=200)
    assert error.value.message_dict == {
        "points": ["类目分值由其评分项合计得出，请修改评分项分值。"]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AGENCY, Role.EXPERT, Role.COUNTY, Role.AUDITOR, Role.LEADER])
def test_only_the_office_copies_and_edits(role):
    by = make_user(role)
    source = default_set(ApplicantKind.INDIVIDUAL)
    with pytest.raises(PermissionDenied):
        criteria_set_copy(source=source, by=by, name="副本")
    copy = criteria_set_copy(source=source, by=make_user(Role.OFFICE), name="副本")
    with pytest.raises(PermissionDenied):
        criterion_update(criterion=copy.criteria.first(), by=by, points=10)


@pytest.mark.django_db
def test_a_set_in_use_by_a_frozen_plan_stays():
    world = ReviewWorld(units=0, individuals=1)
    copy = criteria_set_copy(
        source=default_set(ApplicantKind.INDIVIDUAL), by=world.office, name="本届个人标准"
    )
    review_plan_save(cycle=world.cycle, by=world.agency_user, individual_criteria=copy)
    world.start()
    with pytest.raises(ValidationError) as error:
        criterion_update(criterion=copy.criteria.first(), by=world.office, points=30)
    assert error.value.messages == ["该评分标准已用于已开始的评审，不能再修改。"]
