"""Opening a revocation case (第二十三条、第二十四条) and the grounds seeded as data."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.enums import ApplicationState
from award.enums import ApplicantKind, Role
from award.fsm import step_blockers
from award.models import AuditEntry
from revocation.enums import CaseState
from revocation.models import Ground
from tests.revocation.factories import RevocationWorld

pytestmark = pytest.mark.django_db


def test_grounds_are_the_articles_items():
    """第二十三条 lists 10 items for units, 第二十四条 9 for individuals."""
    units = Ground.objects.filter(kind=ApplicantKind.UNIT).order_by("item")
    people = Ground.objects.filter(kind=ApplicantKind.INDIVIDUAL).order_by("item")
    assert units.count() == 10
    assert people.count() == 9
    third = units.get(item=3)
    assert third.citation == "第二十三条第（三）项"
    assert "连续3次以上" in third.text
    assert str(people.get(item=9)).startswith("第二十四条第（九）项：")


def test_office_opens_a_case_audited():
    world = RevocationWorld()
    case = world.open_case(items=(2, 3))
    assert case.state == CaseState.INVESTIGATING
    assert case.number.startswith("CX")
    assert [g.item for g in case.grounds.order_by("item")] == [2, 3]
    entry = AuditEntry.objects.get(action="revocation.case_open")
    assert entry.after["grounds"] == ["第二十三条第（二）项", "第二十三条第（三）项"]
    assert entry.article == "第二十三条"


def test_a_ground_of_the_other_kind_is_refused():
    world = RevocationWorld()
    person_ground = world.ground(world.person_honour, 1)
    with pytest.raises(ValidationError) as refused:
        from revocation.services.cases import case_open

        case_open(
            honour=world.unit_honour,
            grounds=[person_ground],
            summary="情况说明",
            by=world.office,
        )
    message = refused.value.message_dict["grounds"][0]
    assert "第二十四条第（一）项" in message and "第二十三条" in message


def test_a_second_open_case_on_the_same_honour_is_refused():
    world = RevocationWorld()
    first = world.open_case()
    with pytest.raises(ValidationError) as refused:
        world.open_case(items=(4,))
    assert first.number in refused.value.messages[0]


def test_only_the_office_opens_cases(user_of_role):
    world = RevocationWorld()
    from revocation.services.cases import case_open

    for role in (Role.AUDITOR, Role.LEADER, Role.COUNTY):
        with pytest.raises(PermissionDenied):
            case_open(
                honour=world.unit_honour,
                grounds=[world.ground(world.unit_honour, 1)],
                summary="情况说明",
                by=user_of_role(role),
            )


def test_revoke_waits_for_the_revocation_floor():
    """The application's `revoke` is the office's, and held until a case allows it."""
    world = RevocationWorld()
    application = world.unit_honour.application
    assert application.state == ApplicationState.AWARDED
    assert step_blockers(application, "revoke", world.office)


def test_all_ten_grounds_cited_fit_the_honour():
    """第二十三条's ten items cited together, as documents cite them, fit revoked_article."""
    from decisions.models import Honour
    from revocation.models.grounds import cite

    units = Ground.objects.filter(kind=ApplicantKind.UNIT)
    text = cite(units)
    assert text.startswith("第二十三条第（一）（二）（三）")
    assert text.endswith("（十）项")
    assert len(text) <= Honour._meta.get_field("revoked_article").max_length
