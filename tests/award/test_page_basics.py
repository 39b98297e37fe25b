"""What every page needs of the signed-in user comes with the user (award.auth_backends):
the roles and the unread message count cost no query of their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.services import application_create
from award.auth_backends import PortalBackend
from award.enums import Role
from award.models import Message
from tests.applications.factories import World
from tests.factories import UserFactory, make_user

pytestmark = pytest.mark.django_db


def test_an_application_step_reads_session_user_application_profile_and_documents(client):
    world = World()
    application = application_create(cycle=world.cycle, by=world.owner)
    client.force_login(world.owner)
    url = reverse("applications:application_step", args=[application.pk, "honours"])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # The main table of each query: the last FROM (the user query selects two subqueries).
    tables = [query["sql"].rsplit(" FROM ", 1)[1].split()[0] for query in captured]
    assert tables == [
        '"django_session"',
        '"award_user"',
        '"applications_application"',
        '"applications_unitprofile"',
        '"applications_applicationdocument"',
    ]


def test_roles_and_unread_count_come_with_the_user(client):
    user = UserFactory(roles=[Role.OFFICE, Role.AUDITOR])
    other = make_user(Role.APPLICANT)
    for n in range(3):
        Message.objects.create(recipient=user, subject=f"通知{n}", body="正文")
    Message.objects.create(recipient=other, subject="别人的", body="正文")
    client.force_login(user)
    response = client.get(reverse("award:message_list"))
    assert response.context["user_roles"] == {Role.OFFICE, Role.AUDITOR}
    assert response.context["unread_messages"] == 3
    assert response.wsgi_request.user.unread_message_count == 3


def test_the_count_follows_a_message_read_in_the_same_request(client):
    user = make_user(Role.APPLICANT)
    first, _second = (
        Message.objects.create(recipient=user, subject=f"通知{n}", body="正文") for n in range(2)
    )
    client.force_login(user)
    response = client.get(reverse("award:message_detail", args=[first.pk]))
    assert response.context["unread_messages"] == 1


def test_a_user_without_roles_or_messages_reads_empty():
    user = UserFactory()
    loaded = PortalBackend().get_user(user.pk)
    assert loaded.role_codes == frozenset()
    assert loaded.unread_message_count == 0


def test_saving_a_step_reads_and_writes_only_what_the_draft_needs(client):
    world = World()
    application = application_create(cycle=world.cycle, by=world.owner)
    client.force_login(world.owner)
    url = reverse("applications:application_step", args=[application.pk, "honours"])
    client.get(url)
    data = {"certifications": "ISO 9001", "honours": "市级质量标杆"}
    assert client.post(url, data).status_code == 302
    with CaptureQueriesContext(connection) as captured:
        data["honours"] = "省级质量标杆"
        assert client.post(url, data).status_code == 302
    statements = [query["sql"].split()[0] for query in captured]
    # Session, user, the application (404 check), then in the transaction (a savepoint in
    # tests) the row lock with the cycle, the permission, the update and the audit chain's
    # head locked, entry written, head moved.
    assert statements == [
        *["SELECT"] * 3,
        "SAVEPOINT",
        *["SELECT", "SELECT", "UPDATE"],
        *["SELECT", "INSERT", "UPDATE"],
        "RELEASE",
    ], statements
    lock = next(query["sql"] for query in captured if "FOR UPDATE" in query["sql"])
    assert "award_cycle" in lock and "award_rulebook" not in lock
    application.refresh_from_db()
    assert application.form_data["honours"] == "省级质量标杆"


def test_the_menu_is_rendered_once_per_roles_and_shows_each_user_their_own(client):
    from django.core.cache import caches

    fragments = caches["fragments"]
    fragments.clear()
    applicant, office = make_user(Role.APPLICANT), make_user(Role.OFFICE)
    inbox = reverse("award:message_list")
    for user, shown, hidden in (
        (applicant, "我的申报", "质量强市办"),
        (office, "质量强市办", "我的申报"),
        (applicant, "我的申报", "质量强市办"),
    ):
        client.force_login(user)
        page = client.get(inbox).content.decode()
        assert shown in page and hidden not in page
        assert str(user) in page  # the account menu stays per user
    client.logout()
    page = client.get(reverse("award:login")).content.decode()
    assert "我的待办" not in page and "申报注册" in page
    assert len(fragments._cache) == 3  # applicant, office, signed out
