"""Notices from draft to publication, and the cycle steps they take (第十四条)."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from award.enums import CyclePhase, NoticeKind, NoticeStatus, Role
from award.models import AuditEntry, CalendarDay, Cycle, HolidaySchedule, Message, Notice
from award.services.audit import audit_verify_chain
from award.services.cycles import (
    CycleTransitionRefused,
    cycle_engage_agency,
    cycle_transition,
)
from award.services.notices import (
    notice_attach,
    notice_create,
    notice_detach,
    notice_publish,
    notice_update,
    notice_withdraw,
)
from award.workbench import workbench
from tests.award.cycle_helpers import record_approval
from tests.award.sample_files import elf_bytes, minimal_pdf, upload
from tests.factories import AgencyFactory, CycleFactory, make_user

pytestmark = pytest.mark.django_db


def actions_on(notice) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(notice.pk), action__startswith="notice.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def call_notice(cycle, by, **kwargs):
    return notice_create(
        by=by,
        kind=NoticeKind.CALL,
        cycle=cycle,
        title=kwargs.pop("title", f"关于组织申报第{cycle.number}届临沂市市长质量奖的通知"),
        body="各县区质量议事协调机构：\n现将申报工作有关事项通知如下。",
        **kwargs,
    )


def cycle_in_deliberation(office_user) -> Cycle:
    """A cycle announced by its call notice and taken through the office's steps."""
    cycle = CycleFactory()
    notice_publish(notice=call_notice(cycle, office_user), by=office_user)
    Cycle.objects.filter(pk=cycle.pk).update(
        application_deadline=timezone.now() - datetime.timedelta(days=1)
    )
    cycle_engage_agency(cycle=cycle, agency=AgencyFactory(), by=office_user)
    for step in ("close", "begin_preliminary", "begin_recheck", "begin_expert_review"):
        cycle_transition(cycle=cycle, name=step, by=office_user)
    cycle_transition(cycle=cycle, name="begin_deliberation", by=office_user)
    assert cycle.phase == CyclePhase.DELIBERATION
    return cycle


def publicity_notice(cycle, by):
    return notice_create(
        by=by,
        kind=NoticeKind.PUBLICITY,
        cycle=cycle,
        title=f"第{cycle.number}届临沂市市长质量奖拟获评名单公示",
        body="现将拟获评名单予以公示。",
    )


# The whole path through the pages.


def test_office_creates_attaches_previews_and_publishes_a_notice(office_client, client):
    response = office_client.post(
        reverse("award:notice_create"),
        {"kind": NoticeKind.GENERAL, "title": "市长质量奖培训会通知", "body": "第一段\n\n第二段"},
    )
    notice = Notice.objects.get(title="市长质量奖培训会通知")
    assert response.status_code == 302
    assert response["Location"] == reverse("award:notice_update", args=[notice.pk])
    assert notice.status == NoticeStatus.DRAFT

    data = minimal_pdf()
    response = office_client.post(
        reverse("award:notice_attachment_add", args=[notice.pk]),
        {"title": "培训日程", "file": upload("../培训日程（2026）.pdf", data)},
    )
    assert response.status_code == 302
    attachment = notice.attachments.get()
    assert attachment.original_name == "培训日程（2026）.pdf"
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.size == len(data)
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.startswith(f"notices/{notice.pk}/")
    assert "培训" not in attachment.file.name
    assert default_storage.exists(attachment.file.name)

    preview = office_client.get(reverse("award:notice_preview", args=[notice.pk]))
    page = preview.content.decode()
    assert "预览：尚未发布" in page
    assert "preview-banner" in page
    assert "<p>第一段</p>" in page
    assert (
        reverse("award:notice_attachment_download_staff", args=[notice.pk, attachment.pk]) in page
    )
    assert client.get(reverse("award:notice_detail", args=[notice.pk])).status_code == 404

    staff_download = office_client.get(
        reverse("award:notice_attachment_download_staff", args=[notice.pk, attachment.pk])
    )
    assert b"".join(staff_download.streaming_content) == data

    confirm = office_client.get(reverse("award:notice_publish", args=[notice.pk]))
    assert "公告连同1个附件在“通知公告”栏目向社会公开" in confirm.content.decode()

    response = office_client.post(reverse("award:notice_publish", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.published_at is not None
    assert client.get(reverse("award:notice_detail", args=[notice.pk])).status_code == 200
    assert actions_on(notice) == [
        "notice.create",
        "notice.attach",
        "notice.attachment_download",
        "notice.publish",
    ]
    assert audit_verify_chain()[1] is None


def test_a_refused_file_is_explained_next_to_the_field_and_the_title_kept(
    office_client, office_user
):
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title="通知", body="正文")
    response = office_client.post(
        reverse("award:notice_attachment_add", args=[notice.pk]),
        {"title": "申报表模板", "file": upload("申报表.pdf", elf_bytes())},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "file": [
            "文件内容不是允许的类型（允许：PDF、JPG、PNG、Word（DOCX）、Excel（XLSX））。"
            "仅修改文件扩展名不能改变文件类型。"
        ]
    }
    assert 'value="申报表模板"' in response.content.decode()
    assert notice.attachments.count() == 0


def test_office_edits_a_draft_and_removes_an_attachment_through_the_pages(
    office_client, office_user
):
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title="旧标题", body="正文")
    attachment = notice_attach(
        notice=notice, by=office_user, title="附件", file=upload("附件.pdf", minimal_pdf())
    )
    url = reverse("award:notice_update", args=[notice.pk])
    page = office_client.get(url).content.decode()
    assert page.count('id="id_title"') == 1
    assert 'id="id_attachment_title"' in page

    response = office_client.post(
        url, {"kind": NoticeKind.GENERAL, "title": "新标题", "body": "新正文"}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.title, notice.body) == ("新标题", "新正文")

    response = office_client.post(
        reverse("award:notice_attachment_delete", args=[notice.pk, attachment.pk])
    )
    assert response.status_code == 302
    assert notice.attachments.count() == 0
    assert actions_on(notice) == [
        "notice.create",
        "notice.attach",
        "notice.update",
        "notice.detach",
    ]

    notice_publish(notice=notice, by=office_user)
    response = office_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("award:notice_preview", args=[notice.pk])


def test_editing_a_draft_is_audited_with_before_and_after(office_user):
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title="旧标题", body="正文")
    notice_update(notice=notice, by=office_user, title="新标题", body="正文")
    assert notice.title == "新标题"
    entry = AuditEntry.objects.filter(action="notice.update").get()
    assert (entry.before, entry.after) == ({"title": "旧标题"}, {"title": "新标题"})


def test_cycle_notices_need_a_cycle(office_user, office_client):
    with pytest.raises(ValidationError) as caught:
        notice_create(by=office_user, kind=NoticeKind.CALL, title="申报通知", body="正文")
    assert caught.value.message_dict == {
        "cycle": ["申报通知、公示公告和公布公告必须关联评选届次。"]
    }
    response = office_client.post(
        reverse("award:notice_create"),
        {"kind": NoticeKind.CALL, "title": "申报通知", "body": "正文"},
    )
    assert response.context["form"].errors == {
        "cycle": ["申报通知、公示公告和公布公告必须关联评选届次。"]
    }
    assert not Notice.objects.exists()


def test_create_page_prefills_a_call_notice_for_a_cycle(office_client):
    cycle = CycleFactory(number=7)
    response = office_client.get(reverse("award:notice_create") + f"?kind=call&cycle={cycle.pk}")
    initial = response.context["form"].initial
    assert initial["kind"] == "call"
    assert initial["cycle"] == cycle
    assert initial["title"] == "关于组织申报第七届临沂市市长质量奖的通知"


def test_only_drafts_can_be_changed(office_user):
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title="通知", body="正文")
    notice_publish(notice=notice, by=office_user)
    with pytest.raises(ValidationError):
        notice_update(notice=notice, by=office_user, title="改")
    with pytest.raises(ValidationError):
        notice_attach(
            notice=notice, by=office_user, title="附件", file=upload("a.pdf", minimal_pdf())
        )
    with pytest.raises(ValidationError):
        notice_publish(notice=notice, by=office_user)


def test_detaching_removes_the_file_after_commit(office_user, django_capture_on_commit_callbacks):
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title="通知", body="正文")
    attachment = notice_attach(
        notice=notice, by=office_user, title="附件", file=upload("附件.pdf", minimal_pdf())
    )
    stored = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        notice_detach(notice=notice, by=office_user, attachment=attachment)
    assert not default_storage.exists(stored)
    assert notice.attachments.count() == 0
    assert actions_on(notice) == ["notice.create", "notice.attach", "notice.detach"]


# 申报通知 opens applications (第十四条第（一）项).


def test_publishing_the_call_notice_announces_the_cycle(
    office_client, office_user, django_capture_on_commit_callbacks, mailoutbox
):
    cycle = CycleFactory()
    coordinator = make_user(Role.COUNTY)
    notice = call_notice(cycle, office_user)
    confirm = office_client.get(reverse("award:notice_publish", args=[notice.pk])).content.decode()
    deadline = timezone.localtime(cycle.application_deadline)
    assert (
        f"发布后第{cycle.number_label}届即开放申报，截止时间为"
        f"{deadline.year}年{deadline.month}月{deadline.day}日 {deadline:%H:%M}。"
    ) in confirm

    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(reverse("award:notice_publish", args=[notice.pk]))
    assert response.status_code == 302
    cycle.refresh_from_db()
    notice.refresh_from_db()
    assert cycle.phase == CyclePhase.ANNOUNCED
    assert cycle.announced_at is not None
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.published_by == office_user
    assert list(
        AuditEntry.objects.filter(action__in=["cycle.announce", "notice.publish"])
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["cycle.announce", "notice.publish"]
    subjects = list(Message.objects.filter(recipient=coordinator).values_list("subject", flat=True))
    assert subjects == [f"【通知公告】{notice.title}"]  # one message for one event
    assert [mail.subject for mail in mailoutbox] == [f"【通知公告】{notice.title}"]


def test_a_call_notice_is_refused_when_another_cycle_is_open_and_stays_a_draft(
    office_client, office_user
):
    open_cycle = CycleFactory()
    notice_publish(notice=call_notice(open_cycle, office_user), by=office_user)
    cycle = CycleFactory()
    notice = call_notice(cycle, office_user)
    reason = "另一届评选正在接受申报，同一时间只能有一届开放申报（第十四条第（一）项）。"

    with pytest.raises(CycleTransitionRefused) as caught:
        notice_publish(notice=notice, by=office_user)
    assert caught.value.messages == [reason]

    confirm = office_client.get(reverse("award:notice_publish", args=[notice.pk]))
    assert reason in confirm.content.decode()
    assert "确认发布" not in confirm.content.decode()

    response = office_client.post(reverse("award:notice_publish", args=[notice.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "未能发布，公告仍为草稿" in page
    assert reason in page
    notice.refresh_from_db()
    cycle.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    assert cycle.phase == CyclePhase.DRAFT
    assert actions_on(notice) == ["notice.create"]
    assert not AuditEntry.objects.filter(action="cycle.announce", object_id=str(cycle.pk)).exists()


def test_a_cycle_step_cannot_be_taken_around_its_notice(office_user):
    cycle = CycleFactory()
    with pytest.raises(CycleTransitionRefused) as caught:
        cycle_transition(cycle=cycle, name="announce", by=office_user)
    assert caught.value.messages == ["这一步由发布相应公告完成，请在“公告管理”中发布。"]


# 公示公告 opens the 公示期 of 5 working days (第十四条第（六）项).


def test_publicity_notice_opens_five_working_days_across_national_day(office_user):
    cycle = cycle_in_deliberation(office_user)
    notice = publicity_notice(cycle, office_user)
    notice_publish(notice=notice, by=office_user, today=datetime.date(2026, 9, 28))
    cycle.refresh_from_db()
    assert cycle.phase == CyclePhase.PUBLICITY
    # 9/28–9/30, then 国庆 10/1–10/7 off, then 10/8 and 10/9.
    assert cycle.publicity_starts_on == datetime.date(2026, 9, 28)
    assert cycle.publicity_ends_on == datetime.date(2026, 10, 9)
    entry = AuditEntry.objects.get(action="notice.publish", object_id=str(notice.pk))
    assert entry.after["publicity_starts_on"] == "2026-09-28"
    assert entry.after["publicity_ends_on"] == "2026-10-09"
    assert entry.article == "第十四条第（六）项"


def test_publicity_from_a_weekend_starts_on_the_next_working_day(office_user):
    cycle = cycle_in_deliberation(office_user)
    notice_publish(
        notice=publicity_notice(cycle, office_user),
        by=office_user,
        today=datetime.date(2026, 2, 22),  # 春节 holiday; 2/24 is the first working day
    )
    cycle.refresh_from_db()
    assert (cycle.publicity_starts_on, cycle.publicity_ends_on) == (
        datetime.date(2026, 2, 24),
        datetime.date(2026, 2, 28),  # 2/24–2/27, then 2/28 (Sat), a make-up workday
    )


def test_publicity_in_a_year_without_a_holiday_schedule_is_refused(office_user):
    cycle = cycle_in_deliberation(office_user)
    notice = publicity_notice(cycle, office_user)
    with pytest.raises(ValidationError) as caught:
        notice_publish(notice=notice, by=office_user, today=datetime.date(2031, 3, 3))
    assert caught.value.messages == [
        "2031年的法定节假日安排尚未录入，无法计算工作日。"
        "请质量强市办先在“节假日安排”中录入该年度国务院办公厅通知的安排。"
    ]
    notice.refresh_from_db()
    cycle.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    assert cycle.phase == CyclePhase.DELIBERATION


def test_publicity_confirmation_page_states_the_window(office_client, office_user):
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        schedule = HolidaySchedule.objects.create(year=year, source="测试用安排")
        # The office's schedule takes precedence: make today's date a working day explicitly.
        if year == today.year:
            CalendarDay.objects.create(schedule=schedule, date=today, is_workday=True)
    cycle = cycle_in_deliberation(office_user)
    notice = publicity_notice(cycle, office_user)
    days, end = 1, today
    while days < 5:
        end += datetime.timedelta(days=1)
        days += end.weekday() < 5
    page = office_client.get(reverse("award:notice_publish", args=[notice.pk])).content.decode()
    assert (
        f"发布后第{cycle.number_label}届评选即进入公示，公示期为"
        f"{today.year}年{today.month}月{today.day}日至{end.year}年{end.month}月{end.day}日，"
        "共5个工作日（第十四条第（六）项）。"
    ) in page


def test_result_notice_publishes_the_cycle_after_publicity(office_user):
    cycle = cycle_in_deliberation(office_user)
    notice_publish(
        notice=publicity_notice(cycle, office_user),
        by=office_user,
        today=datetime.date(2026, 9, 28),
    )
    result = notice_create(
        by=office_user,
        kind=NoticeKind.RESULT,
        cycle=cycle,
        title="关于公布获评名单的公告",
        body="经市政府审定，现予公布。",
    )
    record_approval(cycle, office_user)  # 第十四条第（七）项: 市政府's approval first
    notice_publish(notice=result, by=office_user)
    cycle.refresh_from_db()
    assert cycle.phase == CyclePhase.PUBLISHED
    assert cycle.published_at is not None


# Withdrawing.


def test_withdrawing_needs_a_reason_and_hides_the_notice(office_client, office_user, client):
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title="工作动态", body="正文")
    notice_publish(notice=notice, by=office_user)
    with pytest.raises(ValidationError) as caught:
        notice_withdraw(notice=notice, by=office_user, reason="  ")
    assert caught.value.message_dict == {"reason": ["请填写撤回原因。"]}

    url = reverse("award:notice_withdraw", args=[notice.pk])
    response = office_client.post(url, {"reason": ""})
    assert response.context["form"].errors == {"reason": ["请填写撤回原因。"]}
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED

    response = office_client.post(url, {"reason": "日期有误，将重新发布"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN
    assert notice.withdrawn_reason == "日期有误，将重新发布"
    entry = AuditEntry.objects.get(action="notice.withdraw")
    assert entry.reason == "日期有误，将重新发布"
    assert client.get(reverse("award:notice_detail", args=[notice.pk])).status_code == 404


def test_a_call_notice_cannot_be_withdrawn(office_client, office_user):
    notice = call_notice(CycleFactory(), office_user)
    notice_publish(notice=notice, by=office_user)
    reason = "已推动评选阶段的公告不能撤回；如有错误，请发布更正公告。"
    with pytest.raises(ValidationError) as caught:
        notice_withdraw(notice=notice, by=office_user, reason="发错了")
    assert caught.value.messages == [reason]
    page = office_client.get(reverse("award:notice_withdraw", args=[notice.pk])).content.decode()
    assert reason in page
    assert "确认撤回" not in page
    response = office_client.post(
        reverse("award:notice_withdraw", args=[notice.pk]), {"reason": "发错了"}
    )
    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED


def test_every_action_is_audited_in_the_chain(office_user):
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title="通知", body="正文")
    notice_update(notice=notice, by=office_user, title="通知（修订）")
    attachment = notice_attach(
        notice=notice, by=office_user, title="附件一", file=upload("附件一.pdf", minimal_pdf())
    )
    notice_detach(notice=notice, by=office_user, attachment=attachment)
    notice_publish(notice=notice, by=office_user)
    notice_withdraw(notice=notice, by=office_user, reason="重复发布")
    assert actions_on(notice) == [
        "notice.create",
        "notice.update",
        "notice.attach",
        "notice.detach",
        "notice.publish",
        "notice.withdraw",
    ]
    assert set(
        AuditEntry.objects.filter(object_id=str(notice.pk)).values_list("actor_id", flat=True)
    ) == {office_user.pk}
    assert audit_verify_chain() == (6, None)


# Who may do what.


@pytest.mark.parametrize(
    "role", [Role.APPLICANT, Role.COUNTY, Role.AGENCY, Role.EXPERT, Role.LEADER]
)
def test_other_roles_get_404_on_every_office_page(client, office_user, role):
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title="通知", body="正文")
    attachment = notice_attach(
        notice=notice, by=office_user, title="附件", file=upload("附件.pdf", minimal_pdf())
    )
    client.force_login(make_user(role))
    pages = [
        reverse("award:notice_manage_list"),
        reverse("award:notice_create"),
        reverse("award:notice_preview", args=[notice.pk]),
        reverse("award:notice_update", args=[notice.pk]),
        reverse("award:notice_publish", args=[notice.pk]),
        reverse("award:notice_withdraw", args=[notice.pk]),
        reverse("award:notice_attachment_add", args=[notice.pk]),
        reverse("award:notice_attachment_download_staff", args=[notice.pk, attachment.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("award:notice_publish", args=[notice.pk])).status_code == 404
    assert (
        client.post(
            reverse("award:notice_attachment_delete", args=[notice.pk, attachment.pk])
        ).status_code
        == 404
    )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    assert notice.attachments.count() == 1


def test_the_auditor_reads_but_does_not_act(client, office_user, auditor_user):
    notice = notice_create(by=office_user, kind=NoticeKind.GENERAL, title="通知", body="正文")
    client.force_login(auditor_user)
    assert client.get(reverse("award:notice_manage_list")).status_code == 200
    preview = client.get(reverse("award:notice_preview", args=[notice.pk]))
    assert preview.status_code == 200
    assert reverse("award:notice_publish", args=[notice.pk]) not in preview.content.decode()
    assert client.get(reverse("award:notice_create")).status_code == 404
    assert client.post(reverse("award:notice_publish", args=[notice.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        notice_publish(notice=notice, by=auditor_user)
    with pytest.raises(PermissionDenied):
        notice_create(by=auditor_user, kind=NoticeKind.GENERAL, title="通知", body="正文")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("award:notice_manage_list"))
    assert response.status_code == 302
    assert reverse("award:login") in response["Location"]


def test_county_coordinator_cannot_publish_through_the_service(office_user, county_user):
    notice = call_notice(CycleFactory(), office_user)
    with pytest.raises(PermissionDenied):
        notice_publish(notice=notice, by=county_user)
    with pytest.raises(PermissionDenied):
        notice_withdraw(notice=notice, by=county_user, reason="无")


def test_office_sees_draft_notices_on_the_workbench(office_user, county_user):
    notice_create(by=office_user, kind=NoticeKind.GENERAL, title="草稿一", body="正文")
    notice_create(by=office_user, kind=NoticeKind.GENERAL, title="草稿二", body="正文")
    items = [item for item in workbench.items_for(office_user) if item.title == "待发布的公告草稿"]
    assert [(item.count, item.url) for item in items] == [
        (2, reverse("award:notice_manage_list") + "?status=draft")
    ]
    assert not [i for i in workbench.items_for(county_user) if i.title == "待发布的公告草稿"]
