"""Object permissions (guardian) and who may see an application and its ID number."""

import pytest

from applications.enums import ApplicationState as S
from applications.permissions import (
    CHANGE_APPLICATION,
    VIEW_APPLICATION,
    can_edit,
    can_view,
    sees_full_id_number,
)
from applications.services import application_create, application_withdraw
from award.enums import ApplicantKind, Role
from award.models import AuditEntry, User
from tests.applications.factories import World, unit_applicant
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_create_grants_view_and_change_to_the_applicant_only():
    world = World()
    application = application_create(cycle=world.cycle, by=world.owner)
    owner = fresh(world.owner)
    assert owner.has_perm(VIEW_APPLICATION, application)
    assert owner.has_perm(CHANGE_APPLICATION, application)
    assert can_edit(application, owner)
    stranger = unit_applicant()
    assert not stranger.has_perm(VIEW_APPLICATION, application)
    grants = AuditEntry.objects.filter(action="permission.grant").order_by("pk")
    assert [g.after for g in grants] == [
        {"user": owner.pk, "perm": VIEW_APPLICATION},
        {"user": owner.pk, "perm": CHANGE_APPLICATION},
    ]


@pytest.mark.parametrize(
    ("state", "can_change"),
    [
        (S.DRAFT, True),
        (S.SUBMITTED, False),
        (S.RETURNED, True),
        (S.RECOMMENDED, False),
        (S.DECLINED, False),
        (S.ACCEPTED, False),
        (S.RECHECK_FAILED, False),
        (S.WITHDRAWN, False),
    ],
)
def test_change_permission_follows_the_state(state, can_change):
    world = World()
    application = world.application_in(state)
    owner = fresh(world.owner)
    assert owner.has_perm(CHANGE_APPLICATION, application) is can_change
    assert owner.has_perm(VIEW_APPLICATION, application)


VIEWERS = [
    "owner",
    "other_applicant",
    "county_same",
    "county_other",
    "office",
    "auditor",
    "expert",
    "leader",
    "agency",
]


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.WITHDRAWN])
def test_can_view(state, who):
    world = World()
    application = world.application_in(state)
    user = {
        "owner": lambda: world.owner,
        "other_applicant": unit_applicant,
        "county_same": lambda: world.county_user,
        "county_other": lambda: make_user(Role.COUNTY, county=county("371321")),
        "office": lambda: world.office,
        "auditor": lambda: make_user(Role.AUDITOR),
        "expert": lambda: make_user(Role.EXPERT),
        "leader": lambda: make_user(Role.LEADER),
        "agency": lambda: make_user(Role.AGENCY),
    }[who]()
    # Staff see an application once it was submitted, withdrawn afterwards or not; never a draft.
    staff_see = state in (S.SUBMITTED, S.WITHDRAWN)
    expected = {
        "owner": True,
        "county_same": staff_see,
        "office": staff_see,
        "auditor": staff_see,
    }.get(who, False)
    assert can_view(application, fresh(user)) is expected


def test_staff_still_see_an_application_withdrawn_after_submission():
    world = World()
    application = world.application_in(S.SUBMITTED)
    application_withdraw(application=application, by=world.owner, reason="主动撤回")
    assert can_view(application, fresh(world.county_user))
    assert can_view(application, fresh(world.office))


def test_full_id_number_only_for_the_person_and_the_office():
    world = World(kind=ApplicantKind.INDIVIDUAL)
    profile = world.owner.individual_profile
    assert sees_full_id_number(profile.user_id, world.owner)
    assert sees_full_id_number(profile.user_id, world.office)
    for role in (Role.COUNTY, Role.AUDITOR, Role.EXPERT, Role.AGENCY, Role.LEADER):
        assert not sees_full_id_number(profile.user_id, make_user(role))
