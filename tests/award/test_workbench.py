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


@pytest.mark.django_db(transaction=True)
def test_reference_data_survives_a_flush():
    """Roles, counties and the rulebook come back after a flush (post_migrate), like content
    types do, so transactional tests and fresh databases always have them."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from award.models import County, Rulebook

    call_command("flush", interactive=False, verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) >= {str(r) for r in Role}
    assert County.objects.filter(code="371302", name="兰山区").exists()
    assert Rulebook.objects.get(document_number="临政发〔2024〕8号").publicity_working_days == 5
    office = Group.objects.get(name=Role.OFFICE)
    assert set(office.permissions.values_list("codename", flat=True)) == {
        "manage_cycle",
        "publish_notice",
    }
