"""The workbench gathers each role's items from the registry (DESIGN.md §2)."""

import pytest
from django.urls import reverse

from award.enums import Role
from award.models import Message
from award.workbench import TodoItem, workbench
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("award:workbench"))
    assert response.status_code == 302
    assert reverse("award:login") in response["Location"]


def test_items_are_shown_only_to_the_roles_they_are_registered_for(client):
    @workbench.register(Role.EXPERT)
    def expert_items(user):
        yield TodoItem("待评分的申报", "/review/", 3)

    try:
        expert = make_user(Role.EXPERT)
        county = make_user(Role.COUNTY)
        client.force_login(expert)
        assert "待评分的申报" in client.get(reverse("award:workbench")).content.decode()
        client.force_login(county)
        assert "待评分的申报" not in client.get(reverse("award:workbench")).content.decode()
    finally:
        workbench.unregister(expert_items)


def test_unread_messages_show_for_every_role(client):
    user = make_user(Role.LEADER)
    Message.objects.create(recipient=user, subject="s", body="b")
    client.force_login(user)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "未读站内信" in page
