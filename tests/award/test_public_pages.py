"""The public site shows the award, the cycle under way and published notices only."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from award.enums import NoticeKind
from award.services.notices import notice_attach, notice_create, notice_publish, notice_withdraw
from tests.award.sample_files import minimal_pdf, upload
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db


def published(by, *, kind=NoticeKind.GENERAL, title="工作动态", body="正文", cycle=None):
    notice = notice_create(by=by, kind=kind, title=title, body=body, cycle=cycle)
    return notice_publish(notice=notice, by=by)


def draft(by, title="尚未发布的草稿"):
    return notice_create(by=by, kind=NoticeKind.GENERAL, title=title, body="草稿正文")


def test_home_names_the_award_and_shows_the_open_cycle_and_newest_notices(client, office_user):
    cycle = CycleFactory()
    call = published(
        office_user,
        kind=NoticeKind.CALL,
        cycle=cycle,
        title=f"关于组织申报第{cycle.number}届临沂市市长质量奖的通知",
    )
    news = published(office_user, title="市长质量奖政策解读会举行")
    draft(office_user)
    cycle.refresh_from_db()

    page = client.get(reverse("award:home")).content.decode()
    deadline = timezone.localtime(cycle.application_deadline)
    assert "临沂市市长质量奖" in page
    assert str(cycle) in page
    assert "当前阶段：" in page
    assert '<span class="badge text-bg-danger">信息发布</span>' in page
    assert "正在接受申报" in page
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日 {deadline:%H:%M}" in page
    assert "每2年评审一届（第四条）" in page
    assert "每个类别每届评定的总数不超过8个（第四条）" in page
    assert "“临沂市市长质量奖”、“临沂市市长质量奖提名奖”" in page
    assert "评审不向申报单位和个人收取任何费用（第十六条）" in page
    assert page.index(news.title) < page.index(call.title)
    assert "尚未发布的草稿" not in page
    assert reverse("award:register") in page
    assert reverse("award:login") in page


def test_home_without_a_cycle_under_way(client, office_user):
    CycleFactory()  # still in 筹备: not public yet
    page = client.get(reverse("award:home")).content.decode()
    assert "目前没有正在进行的评选" in page
    assert "暂无公告。" in page


def test_list_is_newest_first_and_never_shows_drafts_or_withdrawn(client, office_user):
    first = published(office_user, title="第一则公告")
    second = published(office_user, title="第二则公告")
    third = published(office_user, title="第三则公告")
    draft(office_user)
    notice_withdraw(notice=second, by=office_user, reason="内容重复")

    response = client.get(reverse("award:notice_list"))
    assert [notice.pk for notice in response.context["notices"]] == [third.pk, first.pk]
    page = response.content.decode()
    assert page.index("第三则公告") < page.index("第一则公告")
    assert "尚未发布的草稿" not in page
    assert "第二则公告" not in page


def test_list_filters_by_kind(client, office_user):
    published(office_user, title="工作动态一")
    call = published(office_user, kind=NoticeKind.CALL, cycle=CycleFactory(), title="申报通知一")
    response = client.get(reverse("award:notice_list"), {"kind": "call"})
    assert [notice.pk for notice in response.context["notices"]] == [call.pk]
    response = client.get(reverse("award:notice_list"), {"kind": "nonsense"})
    assert len(response.context["notices"]) == 2


def test_list_is_paginated(client, office_user):
    for number in range(25):
        published(office_user, title=f"公告{number:02d}")
    first_page = client.get(reverse("award:notice_list"))
    assert len(first_page.context["notices"]) == 20
    assert "第1页 / 共2页" in first_page.content.decode()
    second_page = client.get(reverse("award:notice_list"), {"page": 2})
    assert [n.title for n in second_page.context["notices"]] == [
        f"公告{number:02d}" for number in range(4, -1, -1)
    ]


def test_detail_of_a_published_notice_shows_body_and_attachments(client, office_user):
    notice = notice_create(
        by=office_user, kind=NoticeKind.GENERAL, title="公告", body="第一段\n第二行\n\n第二段"
    )
    attachment = notice_attach(
        notice=notice, by=office_user, title="附件一", file=upload("附件一.pdf", minimal_pdf())
    )
    notice_publish(notice=notice, by=office_user)
    page = client.get(reverse("award:notice_detail", args=[notice.pk])).content.decode()
    assert "<p>第一段<br>第二行</p>\n\n<p>第二段</p>" in page
    assert reverse("award:notice_attachment", args=[notice.pk, attachment.pk]) in page
    assert "预览：尚未发布" not in page


def test_detail_of_a_draft_or_withdrawn_notice_is_404(client, office_user):
    notice = draft(office_user)
    assert client.get(reverse("award:notice_detail", args=[notice.pk])).status_code == 404
    gone = published(office_user)
    notice_withdraw(notice=gone, by=office_user, reason="发布有误")
    assert client.get(reverse("award:notice_detail", args=[gone.pk])).status_code == 404
    assert client.get(reverse("award:notice_detail", args=[999999])).status_code == 404


def test_attachment_of_a_published_notice_downloads_under_its_chinese_name(client, office_user):
    data = minimal_pdf()
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title="公告", body="正文")
    attachment = notice_attach(
        notice=notice, by=office_user, title="申报表", file=upload("申报表（2026）.pdf", data)
    )
    url = reverse("award:notice_attachment", args=[notice.pk, attachment.pk])
    assert client.get(url).status_code == 404  # still a draft

    notice_publish(notice=notice, by=office_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('申报表（2026）.pdf')}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"

    other = published(office_user)
    assert (
        client.get(reverse("award:notice_attachment", args=[other.pk, attachment.pk])).status_code
        == 404
    )
    notice_withdraw(notice=notice, by=office_user, reason="附件有误")
    assert client.get(url).status_code == 404


def test_script_in_title_and_body_is_escaped_everywhere(client, office_client, office_user):
    title = "<script>alert('title')</script>"
    body = "<img src=x onerror=alert(1)>\n<script>alert('body')</script>"
    notice = published(office_user, title=title, body=body)
    pages = [
        client.get(reverse("award:home")),
        client.get(reverse("award:notice_list")),
        client.get(reverse("award:notice_detail", args=[notice.pk])),
        office_client.get(reverse("award:notice_preview", args=[notice.pk])),
        office_client.get(reverse("award:notice_manage_list")),
    ]
    for response in pages:
        page = response.content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    detail = pages[2].content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;<br>&lt;script&gt;" in detail


@pytest.mark.parametrize("url_name", ["award:notice_list", "award:home"])
def test_public_pages_use_a_constant_number_of_queries(client, office_user, url_name):
    def queries_with(total):
        while len(published_notices) < total:
            published_notices.append(
                published(
                    office_user,
                    kind=NoticeKind.CALL if not published_notices else NoticeKind.GENERAL,
                    cycle=CycleFactory() if not published_notices else None,
                    title=f"公告{len(published_notices)}",
                )
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured)

    published_notices = []
    assert queries_with(3) == queries_with(30)


def test_manage_list_uses_a_constant_number_of_queries(office_client, office_user):
    def queries_with(total):
        while len(made) < total:
            notice = notice_create(
                by=office_user,
                kind=NoticeKind.CALL,
                cycle=CycleFactory(),
                title=f"申报通知{len(made)}",
                body="正文",
            )
            notice_attach(
                notice=notice, by=office_user, title="附件", file=upload("附件.pdf", minimal_pdf())
            )
            made.append(notice)
        with CaptureQueriesContext(connection) as captured:
            response = office_client.get(reverse("award:notice_manage_list"))
        assert response.status_code == 200
        assert [n.attachment_count for n in response.context["notices"]] == [1] * min(total, 20)
        return len(captured)

    made = []
    assert queries_with(3) == queries_with(30)


def test_the_cached_home_page_shows_every_change_on_the_next_request(client, office_user):
    """Anonymous visitors get the home page from the cache (award.public_cache) only while
    the cycle, the rulebook, the notices and whether the call is open are what it shows."""
    from django.core.cache import cache

    from award.models import Cycle

    cache.clear()
    cycle = CycleFactory()
    published(office_user, kind=NoticeKind.CALL, cycle=cycle, title="申报通知")
    home = reverse("award:home")
    assert "正在接受申报" in client.get(home).content.decode()
    assert "正在接受申报" in client.get(home).content.decode()  # from the cache

    published(office_user, title="评审工作进展")
    assert "评审工作进展" in client.get(home).content.decode()

    Cycle.objects.filter(pk=cycle.pk).update(
        application_deadline=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert "正在接受申报" not in client.get(home).content.decode()

    client.force_login(office_user)  # signed in: rendered fresh, never from the cache
    assert "正在接受申报" not in client.get(home).content.decode()
    cache.clear()
