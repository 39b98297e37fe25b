"""评选届次 pages: creating and editing a cycle, its detail page, taking a step, who sees what."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from award.enums import CyclePhase, Role
from award.models import AuditEntry, Cycle, Message, Rulebook
from award.selectors.cycles import current_cycle, cycle_steps, cycles_for
from award.services.cycles import cycle_engage_agency, cycle_update
from award.workbench import workbench
from award.workbench_items import cycle_steps_due
from tests.award.cycle_helpers import cycle_in, let_deadline_pass, take
from tests.factories import AgencyFactory, CycleFactory, current_rulebook, make_user

pytestmark = pytest.mark.django_db

OUTSIDERS = [Role.APPLICANT, Role.COUNTY, Role.AGENCY, Role.EXPERT, Role.LEADER]


def form_data(**overrides):
    data = {
        "number": "7",
        "year": "2026",
        "rulebook": str(current_rulebook().pk),
        "application_deadline": "2026-10-30T17:00",
        "preliminary_deadline": "2026-11-20",
        "recheck_deadline": "2026-12-10",
        "review_deadline": "2027-03-31",
        "self_assessment_max_mb": "20",
        "evidence_max_mb": "10",
    }
    data.update(overrides)
    return data


def expired_rulebook() -> Rulebook:
    rulebook = Rulebook.objects.get(pk=current_rulebook().pk)
    rulebook.pk = None
    rulebook.name = "临沂市市长质量奖评定办法（旧）"
    rulebook.document_number = "临政发〔2016〕1号"
    rulebook.effective_from = datetime.date(2016, 1, 1)
    rulebook.effective_to = datetime.date(2020, 12, 31)
    rulebook.save()
    return rulebook


# Creating and editing


def test_office_creates_a_cycle_in_draft_and_it_is_audited(office_client, office_user):
    response = office_client.post(reverse("award:cycle_create"), form_data())
    cycle = Cycle.objects.get(number=7)
    assert response.status_code == 302
    assert response["Location"] == reverse("award:cycle_detail", args=[cycle.pk])
    assert cycle.phase == CyclePhase.DRAFT
    assert cycle.created_by == office_user
    assert timezone.localtime(cycle.application_deadline) == timezone.make_aware(
        datetime.datetime(2026, 10, 30, 17, 0)
    )
    entry = AuditEntry.objects.get(action="cycle.create", object_id=str(cycle.pk))
    assert entry.actor == office_user
    assert entry.after["number"] == 7
    assert entry.after["preliminary_deadline"] == "2026-11-20"


def test_create_page_suggests_the_next_number(office_client, office_user):
    CycleFactory(number=3)
    form = office_client.get(reverse("award:cycle_create")).context["form"]
    assert form.initial["number"] == 4


def test_deadlines_out_of_order_are_explained_next_to_the_field_and_input_kept(office_client):
    response = office_client.post(
        reverse("award:cycle_create"),
        form_data(preliminary_deadline="2026-10-15", review_deadline="2026-12-01"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["preliminary_deadline"] == ["初审截止日期应晚于申报截止日期。"]
    assert errors["review_deadline"] == ["专家评审截止日期应晚于复核截止日期。"]
    assert "recheck_deadline" not in errors
    page = response.content.decode()
    assert 'value="2026-10-15"' in page
    assert 'value="2026-10-30T17:00"' in page
    assert page.index("初审截止日期应晚于申报截止日期。") > page.index(
        'name="preliminary_deadline"'
    )
    assert not Cycle.objects.exists()


def test_a_rulebook_not_in_force_is_explained_next_to_it(office_client):
    old = expired_rulebook()
    response = office_client.post(reverse("award:cycle_create"), form_data(rulebook=str(old.pk)))
    assert response.status_code == 200
    assert response.context["form"].errors["rulebook"] == [
        "所选评定规则在申报截止日不在有效期内（第二十六条）。"
    ]
    assert f'<option value="{old.pk}" selected>' in response.content.decode()
    assert not Cycle.objects.exists()


def test_a_taken_number_is_refused(office_client):
    CycleFactory(number=7)
    response = office_client.post(reverse("award:cycle_create"), form_data())
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["number"]


def test_moving_the_deadline_of_an_open_cycle_is_audited_and_counties_told(
    office_client, office_user, county_user
):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office_user)
    old_deadline = cycle.application_deadline
    new_deadline = timezone.localtime(old_deadline + datetime.timedelta(days=7)).replace(
        second=0, microsecond=0
    )
    data = form_data(
        application_deadline=new_deadline.strftime("%Y-%m-%dT%H:%M"),
        preliminary_deadline="",
        recheck_deadline="",
        review_deadline="",
        number="99",
    )
    response = office_client.post(reverse("award:cycle_update", args=[cycle.pk]), data)
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.application_deadline == new_deadline
    assert cycle.number != 99  # fixed once the call is out: the field is disabled
    entry = AuditEntry.objects.get(action="cycle.update", object_id=str(cycle.pk))
    assert list(entry.before) == ["application_deadline"]
    recorded_before = datetime.datetime.fromisoformat(entry.before["application_deadline"])
    assert abs(recorded_before - old_deadline) < datetime.timedelta(milliseconds=1)
    assert datetime.datetime.fromisoformat(entry.after["application_deadline"]) == new_deadline
    message = Message.objects.get(recipient=county_user, subject__contains="申报截止时间调整")
    assert new_deadline.strftime("%Y年%-m月%-d日 %H:%M") in message.body


def test_an_open_cycle_keeps_its_deadline_ahead(office_user):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office_user)
    with pytest.raises(ValidationError) as caught:
        cycle_update(
            cycle=cycle,
            by=office_user,
            application_deadline=timezone.now() - datetime.timedelta(minutes=1),
        )
    assert caught.value.message_dict == {
        "application_deadline": ["申报通知已发布，申报截止时间只能改为将来的时间。"]
    }


def test_a_cycle_past_announcement_can_no_longer_be_edited(office_client, office_user):
    cycle = cycle_in(CyclePhase.CLOSED, office_user)
    response = office_client.get(reverse("award:cycle_update", args=[cycle.pk]))
    assert response.status_code == 302
    response = office_client.post(reverse("award:cycle_update", args=[cycle.pk]), form_data())
    assert response.status_code == 200
    assert "评选届次已进入“申报截止”阶段，不能再修改基本信息。" in response.content.decode()
    assert not AuditEntry.objects.filter(action="cycle.update").exists()


# The detail page


def test_detail_page_shows_phases_dates_rulebook_agency_notices_and_blockers(
    office_client, office_user
):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office_user)
    page = office_client.get(reverse("award:cycle_detail", args=[cycle.pk])).content.decode()
    assert '<li class="done">筹备</li>' in page
    assert '<li class="current" aria-current="step">信息发布</li>' in page
    assert "<li>归档</li>" in page
    assert str(cycle.rulebook) in page
    assert timezone.localtime(cycle.application_deadline).strftime("%Y年%-m月%-d日 %H:%M") in page
    assert "尚未选择（第七条第（二）项）" in page
    assert "截止申报" in page
    assert "申报截止时间尚未到，不能提前截止申报（第十四条第（二）项）。" in page
    assert reverse("award:cycle_transition", args=[cycle.pk, "close"]) not in page


def test_a_ready_step_has_its_button_and_a_notice_step_links_to_writing_the_notice(
    office_client, office_user
):
    draft = CycleFactory()
    page = office_client.get(reverse("award:cycle_detail", args=[draft.pk])).content.decode()
    assert f"{reverse('award:notice_create')}?kind=call&amp;cycle={draft.pk}" in page
    announced = cycle_in(CyclePhase.ANNOUNCED, office_user)
    let_deadline_pass(announced)
    page = office_client.get(reverse("award:cycle_detail", args=[announced.pk])).content.decode()
    assert reverse("award:cycle_transition", args=[announced.pk, "close"]) in page


def test_posting_a_step_moves_the_cycle_audits_it_and_tells_the_counties(
    office_client, office_user, county_user, django_capture_on_commit_callbacks
):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office_user)
    let_deadline_pass(cycle)
    url = reverse("award:cycle_transition", args=[cycle.pk, "close"])
    confirm = office_client.get(url).content.decode()
    assert "截止申报后，申报单位和个人不能再提交或修改申报材料（第十四条第（二）项）。" in confirm
    assert "data-confirm=" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(url, {"reason": "按申报通知如期截止"})
    assert response.status_code == 302
    assert response["Location"] == reverse("award:cycle_detail", args=[cycle.pk])
    cycle.refresh_from_db()
    assert cycle.phase == CyclePhase.CLOSED
    entry = AuditEntry.objects.get(action="cycle.close", object_id=str(cycle.pk))
    assert entry.actor == office_user
    assert entry.reason == "按申报通知如期截止"
    assert entry.before == {"phase": "announced"} and entry.after == {"phase": "closed"}
    message = Message.objects.filter(recipient=county_user).order_by("-pk").first()
    assert message.subject == f"{cycle}进入“申报截止”阶段"
    page = office_client.get(response["Location"]).content.decode()
    assert f"{cycle}已进入“申报截止”阶段。" in page


def test_an_unknown_step_is_404(office_client):
    cycle = CycleFactory()
    response = office_client.get(reverse("award:cycle_transition", args=[cycle.pk, "delete"]))
    assert response.status_code == 404


def test_engaging_an_agency_is_audited_and_closed_once_expert_review_starts(
    office_client, office_user
):
    cycle = cycle_in(CyclePhase.RECHECK, office_user)
    agency = AgencyFactory()
    agency_user = make_user(Role.AGENCY, agency=agency)
    url = reverse("award:cycle_engage_agency", args=[cycle.pk])
    assert office_client.post(url, {"agency": ""}).status_code == 400
    response = office_client.post(url, {"agency": str(agency.pk)})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.agency == agency
    entry = AuditEntry.objects.get(action="cycle.engage_agency", object_id=str(cycle.pk))
    assert entry.article == "第七条第（二）项"
    assert entry.after == {"agency": agency.pk, "name": agency.name}
    assert Message.objects.filter(recipient=agency_user, subject__contains="评审工作委托").exists()

    office_client.post(reverse("award:cycle_transition", args=[cycle.pk, "begin_expert_review"]))
    cycle.refresh_from_db()
    assert cycle.phase == CyclePhase.EXPERT_REVIEW
    response = office_client.post(url, {"agency": str(AgencyFactory().pk)})
    assert response.status_code == 400
    assert (
        "专家评审已经开始，不能再更换第三方机构（第七条第（二）项）。" in response.content.decode()
    )
    cycle.refresh_from_db()
    assert cycle.agency == agency


# Who sees what


def every_cycle_url(cycle):
    return [
        reverse("award:cycle_list"),
        reverse("award:cycle_create"),
        reverse("award:cycle_detail", args=[cycle.pk]),
        reverse("award:cycle_update", args=[cycle.pk]),
        reverse("award:cycle_transition", args=[cycle.pk, "close"]),
        reverse("award:cycle_transition", args=[cycle.pk, "announce"]),
    ]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_other_roles_get_404_on_every_cycle_page(client, office_user, role):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office_user)
    let_deadline_pass(cycle)
    client.force_login(make_user(role))
    for url in every_cycle_url(cycle):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert client.post(reverse("award:cycle_engage_agency", args=[cycle.pk])).status_code == 404
    cycle.refresh_from_db()
    assert cycle.phase == CyclePhase.ANNOUNCED


def test_anonymous_visitors_are_sent_to_log_in(client):
    cycle = CycleFactory()
    for url in every_cycle_url(cycle):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("award:login"))


def test_the_auditor_reads_without_buttons_and_a_posted_step_is_refused(
    client, office_user, auditor_user
):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office_user)
    let_deadline_pass(cycle)
    client.force_login(auditor_user)
    assert client.get(reverse("award:cycle_list")).status_code == 200
    page = client.get(reverse("award:cycle_detail", args=[cycle.pk])).content.decode()
    assert str(cycle) in page
    assert "截止申报" in page
    assert reverse("award:cycle_transition", args=[cycle.pk, "close"]) not in page
    assert reverse("award:cycle_update", args=[cycle.pk]) not in page
    assert reverse("award:cycle_engage_agency", args=[cycle.pk]) not in page
    assert (
        reverse("award:cycle_create")
        not in client.get(reverse("award:cycle_list")).content.decode()
    )

    url = reverse("award:cycle_transition", args=[cycle.pk, "close"])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "确认截止申报" not in confirm.content.decode()
    response = client.post(url)
    assert response.status_code == 403
    # Refused before the view by the auditor's read-only middleware (第七章).
    assert "监督账号只能查阅，不能修改任何内容（第七章）" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.phase == CyclePhase.ANNOUNCED
    assert not AuditEntry.objects.filter(action="cycle.close").exists()
    for url in [
        reverse("award:cycle_create"),
        reverse("award:cycle_update", args=[cycle.pk]),
        reverse("award:cycle_engage_agency", args=[cycle.pk]),
    ]:
        assert client.post(url).status_code == 403


def test_the_cycle_list_takes_the_same_queries_for_3_or_30_cycles(office_client, office_user):
    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            assert office_client.get(reverse("award:cycle_list")).status_code == 200
        return len(captured)

    agency = AgencyFactory()
    for _ in range(3):
        cycle = CycleFactory()
        cycle_engage_agency(cycle=cycle, agency=agency, by=office_user)
    few = queries_for_list()
    for _ in range(27):
        cycle = CycleFactory()
        cycle_engage_agency(cycle=cycle, agency=agency, by=office_user)
    assert queries_for_list() == few


# The office's workbench


def test_the_workbench_shows_what_each_cycle_waits_for(client, office_user):
    recheck = cycle_in(CyclePhase.RECHECK, office_user, number=1)
    announced = cycle_in(CyclePhase.ANNOUNCED, office_user, number=2)
    let_deadline_pass(announced)
    draft = CycleFactory(number=3)
    titles = [item.title for item in workbench.items_for(office_user)]
    assert "第三届尚未发布申报通知" in titles
    assert "第二届申报已截止，请截止申报并启动初审" in titles
    assert "第一届尚未选择第三方机构" in titles
    client.force_login(office_user)
    page = client.get(reverse("award:workbench")).content.decode()
    assert reverse("award:cycle_detail", args=[draft.pk]) in page
    assert reverse("award:cycle_detail", args=[recheck.pk]) in page
    assert "尚未发布申报通知" not in [
        item.title for item in workbench.items_for(make_user(Role.COUNTY))
    ]


def test_the_workbench_item_goes_once_the_step_is_taken(office_user):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office_user)
    let_deadline_pass(cycle)
    title = f"第{cycle.number_label}届申报已截止，请截止申报并启动初审"
    assert title in [item.title for item in workbench.items_for(office_user)]
    take(cycle, "close", office_user)
    assert title not in [item.title for item in workbench.items_for(office_user)]


def test_the_workbench_provider_takes_one_query_however_many_cycles(
    office_user, django_assert_num_queries
):
    for number in range(1, 4):
        CycleFactory(number=number)
    with django_assert_num_queries(1):
        assert len(list(cycle_steps_due(office_user))) == 3
    for number in range(4, 31):
        CycleFactory(number=number)
    with django_assert_num_queries(1):
        assert len(list(cycle_steps_due(office_user))) == 30


# Selectors


def test_current_cycle_is_the_newest_one_out_of_draft(office_user):
    assert current_cycle() is None
    CycleFactory(number=5)
    assert current_cycle() is None
    first = cycle_in(CyclePhase.CLOSED, office_user, number=3)
    second = cycle_in(CyclePhase.ANNOUNCED, office_user, number=4)
    assert current_cycle() == second
    assert first != second


@pytest.mark.parametrize("role", [*OUTSIDERS, None])
def test_cycles_are_read_only_by_office_and_auditor(role, office_user, auditor_user):
    CycleFactory()
    assert cycles_for(office_user).count() == 1
    assert cycles_for(auditor_user).count() == 1
    reader = AnonymousUser() if role is None else make_user(role)
    assert cycles_for(reader).count() == 0


def test_cycle_steps_say_who_may_act_and_what_blocks(office_user, auditor_user):
    cycle = cycle_in(CyclePhase.RECHECK, office_user)
    [office_step] = cycle_steps(cycle, office_user)
    assert office_step.name == "begin_expert_review"
    assert office_step.label == "开始专家评审"
    assert office_step.target == CyclePhase.EXPERT_REVIEW
    assert office_step.via_notice is None
    assert office_step.blockers == ["尚未选择承担技术评审的第三方机构（第七条第（二）项）。"]
    assert office_step.may_act is True
    assert office_step.ready is False
    [auditor_step] = cycle_steps(cycle, auditor_user)
    assert auditor_step.may_act is False
    [announce] = cycle_steps(CycleFactory(), office_user)
    assert announce.via_notice == "call"
    draft = Cycle.objects.get(phase=CyclePhase.DRAFT)
    assert announce.url == f"{reverse('award:notice_create')}?kind=call&cycle={draft.pk}"
    assert cycle_steps(cycle_in(CyclePhase.ARCHIVED, office_user), office_user) == []
