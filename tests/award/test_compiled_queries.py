"""award.compiled_queries: a query compiled once gives what the ORM gives, for every value."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from award.auth_backends import SIGNED_IN_USER, PortalBackend, with_page_basics
from award.compiled_queries import CompiledQuery
from award.enums import Role
from award.models import Message, User
from tests.factories import UserFactory, make_user

pytestmark = pytest.mark.django_db


def test_the_signed_in_user_query_reads_what_the_orm_reads_for_each_user():
    office = UserFactory(roles=[Role.OFFICE, Role.AUDITOR])
    applicant = make_user(Role.APPLICANT)
    Message.objects.create(recipient=applicant, subject="通知", body="正文")
    for user in (office, applicant):
        (compiled,) = SIGNED_IN_USER.run(user.pk)
        expected = with_page_basics(User.objects).get(pk=user.pk)
        assert compiled.username == expected.username
        assert compiled.date_joined == expected.date_joined
        assert sorted(compiled._role_names.split(",")) == sorted(expected._role_names.split(","))
        assert compiled._unread_messages == expected._unread_messages
    assert list(SIGNED_IN_USER.run(applicant.pk + office.pk + 100)) == []


def test_the_backend_reads_the_user_in_one_query_and_refuses_what_is_not_a_key():
    user = make_user(Role.COUNTY)
    SIGNED_IN_USER.run(user.pk)  # compiled before counting
    with CaptureQueriesContext(connection) as captured:
        loaded = PortalBackend().get_user(str(user.pk))
    assert len(captured) == 1
    assert loaded.pk == user.pk and loaded.role_codes == frozenset({Role.COUNTY})
    assert PortalBackend().get_user("1 OR 1=1") is None
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert PortalBackend().get_user(user.pk) is None


def test_a_query_that_follows_relations_or_hides_its_value_is_refused():
    with pytest.raises(ValueError, match="select_related"):
        CompiledQuery(lambda pk: Message.objects.select_related("recipient").filter(pk=pk)).run(1)
    with pytest.raises(ValueError, match="exactly once"):
        CompiledQuery(lambda pk: Message.objects.all()).run(1)
