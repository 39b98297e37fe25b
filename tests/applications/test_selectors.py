"""applications_for: each role sees exactly its share, in a constant number of queries."""

import pytest

from applications.enums import ApplicationState as S
from applications.models import Application
from applications.selectors import application_for, applications_for, state_counts
from applications.services import application_create, application_submit
from award.enums import ApplicantKind, Role
from award.models import User
from tests.applications.factories import (
    World,
    complete_application,
    individual_applicant,
    unit_applicant,
)
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db


def fresh(user):
    user = User.objects.get(pk=user.pk)
    user.role_codes  # noqa: B018  load the roles before counting queries
    return user


@pytest.fixture
def spread():
    """A draft and a submission in 兰山区, a submission in 沂南县, an individual's in 兰山区."""
    world = World()
    draft = application_create(cycle=world.cycle, by=world.owner)
    lanshan_owner = unit_applicant()
    lanshan = application_submit(
        application=complete_application(lanshan_owner, world.cycle), by=lanshan_owner
    )
    yinan_owner = unit_applicant(county=county("371321"))
    yinan = application_submit(
        application=complete_application(yinan_owner, world.cycle), by=yinan_owner
    )
    person = individual_applicant()
    individual = application_submit(
        application=complete_application(person, world.cycle), by=person
    )
    return world, draft, lanshan, yinan, individual


def ids(queryset):
    return sorted(a.pk for a in queryset)


def test_scoping_by_role(spread):
    world, draft, lanshan, yinan, individual = spread
    assert ids(applications_for(fresh(world.owner))) == [draft.pk]
    assert ids(applications_for(fresh(world.county_user))) == sorted([lanshan.pk, individual.pk])
    everyone_submitted = sorted([lanshan.pk, yinan.pk, individual.pk])
    assert ids(applications_for(fresh(world.office))) == everyone_submitted
    assert ids(applications_for(fresh(make_user(Role.AUDITOR)))) == everyone_submitted
    for role in (Role.EXPERT, Role.LEADER, Role.AGENCY):
        assert ids(applications_for(fresh(make_user(role)))) == []
    coordinator_without_county = make_user(Role.COUNTY, county=None)
    assert ids(applications_for(fresh(coordinator_without_county))) == []


def test_filters(spread):
    world, _draft, _lanshan, yinan, individual = spread
    office = fresh(world.office)
    assert ids(applications_for(office, county=county("371321"))) == [yinan.pk]
    assert ids(applications_for(office, kind=ApplicantKind.INDIVIDUAL)) == [individual.pk]
    assert ids(applications_for(office, state=S.DRAFT)) == []
    assert state_counts(applications_for(office))[S.SUBMITTED] == 3


def test_one_application_for_someone_else_is_not_found(spread):
    world, draft, lanshan, yinan, _individual = spread
    assert application_for(fresh(world.county_user), lanshan.pk) == lanshan
    with pytest.raises(Application.DoesNotExist):
        application_for(fresh(world.county_user), yinan.pk)
    with pytest.raises(Application.DoesNotExist):
        application_for(fresh(world.office), draft.pk)
    with pytest.raises(Application.DoesNotExist):
        application_for(fresh(world.owner), lanshan.pk)


def _render_rows(queryset):
    return [(a.name, str(a.cycle), a.county.name, a.applicant.email, a.state) for a in queryset]


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_is_constant(rows, django_assert_num_queries):
    world = World()
    for _ in range(rows):
        owner = unit_applicant()
        application_submit(application=complete_application(owner, world.cycle), by=owner)
    for user in (fresh(world.office), fresh(world.county_user)):
        with django_assert_num_queries(1):
            assert len(_render_rows(applications_for(user))) == rows
