"""站内信: each user reads only their own messages; reading marks them read."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.enums import Role
from award.models import Message
from award.services.inbox import message_mark_read
from award.services.notifications import notify
from tests.factories import CycleFactory, make_user


@pytest.fixture
def me(db):
    return make_user(Role.COUNTY)


@pytest.fixture
def someone_else(db):
    return make_user(Role.COUNTY)


def send(recipient, phase="初审", url=""):
    [message] = notify(
        recipients=[recipient],
        template="cycle_phase_changed",
        context={"cycle": CycleFactory(), "phase": phase},
        url=url,
    )
    return message


def navbar_badge(html: str) -> str | None:
    """The unread count shown beside 站内信 in the navbar, or None when there is none."""
    link = re.search(r'<a class="nav-link" href="/messages/">(.*?)</a>', html, re.S)
    assert link, "the navbar has no 站内信 link"
    badge = re.search(r'<span class="badge text-bg-warning">(\d+)</span>', link.group(1))
    return badge.group(1) if badge else None


def test_list_shows_only_own_messages(client, me, someone_else):
    mine = send(me, phase="初审")
    theirs = send(someone_else, phase="复核")
    client.force_login(me)

    response = client.get(reverse("award:message_list"))

    assert response.status_code == 200
    assert list(response.context["inbox"]) == [mine]
    html = response.content.decode()
    assert mine.subject in html
    assert theirs.subject not in html
    assert reverse("award:message_detail", args=[theirs.pk]) not in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("award:message_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("award:login"))


def test_detail_of_another_users_message_is_404_and_stays_unread(client, me, someone_else):
    theirs = send(someone_else)
    client.force_login(me)

    response = client.get(reverse("award:message_detail", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_message_marks_it_read_and_shows_it(client, me):
    message = send(me, url="/workbench/")
    client.force_login(me)

    response = client.get(reverse("award:message_detail", args=[message.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert message.subject in html
    assert "已进入“初审”阶段。请登录临沂市市长质量奖评定平台查看待办事项。" in html
    assert 'href="/workbench/"' in html
    message.refresh_from_db()
    first_read = message.read_at
    assert first_read is not None

    client.get(reverse("award:message_detail", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_at == first_read


def test_a_link_out_of_the_portal_is_not_offered(client, me):
    message = send(me, url="//evil.example.com/")
    client.force_login(me)

    html = client.get(reverse("award:message_detail", args=[message.pk])).content.decode()

    assert "evil.example.com" not in html


def test_marking_someone_elses_message_is_refused(me, someone_else):
    theirs = send(someone_else)

    with pytest.raises(PermissionDenied):
        message_mark_read(message=theirs, by=me)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_navbar_badge_counts_unread_messages(client, me, someone_else):
    first, _second, _third = send(me), send(me), send(me)
    send(someone_else)
    client.force_login(me)

    assert navbar_badge(client.get(reverse("award:workbench")).content.decode()) == "3"
    detail = client.get(reverse("award:message_detail", args=[first.pk]))
    assert navbar_badge(detail.content.decode()) == "2"

    response = client.post(reverse("award:message_mark_all_read"), follow=True)

    html = response.content.decode()
    assert navbar_badge(html) is None
    assert "已将2条站内信标记为已读。" in html
    assert Message.objects.filter(recipient=me, read_at__isnull=True).count() == 0
    assert Message.objects.filter(recipient=someone_else, read_at__isnull=True).count() == 1


def test_mark_all_read_accepts_only_post(client, me):
    send(me)
    client.force_login(me)

    assert client.get(reverse("award:message_mark_all_read")).status_code == 405
    assert Message.objects.filter(read_at__isnull=True).count() == 1


def test_unread_filter(client, me):
    read, unread = send(me, phase="初审"), send(me, phase="复核")
    client.force_login(me)
    client.get(reverse("award:message_detail", args=[read.pk]))

    response = client.get(reverse("award:message_list"), {"unread": "1"})

    assert list(response.context["inbox"]) == [unread]


def test_script_in_a_subject_is_escaped(client, me):
    message = send(me, phase='<script>alert("x")</script>')
    assert "<script>alert" in message.subject
    client.force_login(me)

    for url in (
        reverse("award:message_list"),
        reverse("award:message_detail", args=[message.pk]),
    ):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "<script>alert" not in html


def test_list_is_paginated(client, me):
    for _ in range(25):
        send(me)
    client.force_login(me)

    second = client.get(reverse("award:message_list"), {"page": 2})

    assert len(second.context["inbox"]) == 5


def test_list_query_count_does_not_grow_with_messages(client, me):
    client.force_login(me)
    url = reverse("award:message_list")
    for _ in range(3):
        send(me)

    with CaptureQueriesContext(connection) as three:
        assert len(client.get(url).context["inbox"]) == 3
    for _ in range(27):
        send(me)
    with CaptureQueriesContext(connection) as thirty:
        assert len(client.get(url, {"page": 1}).context["inbox"]) == 20

    assert len(thirty) == len(three)
