"""Office pages: all counties' applications, 复核 one by one and in a batch, the Excel export."""

import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.enums import ApplicationState as S
from applications.enums import EventAction
from applications.models import Application, ApplicationEvent
from applications.services import application_recommend, application_submit
from award.enums import ApplicantKind, CyclePhase, Role
from award.models import AuditEntry, User
from tests.applications.factories import (
    World,
    advance_cycle,
    complete_application,
    individual_applicant,
    new_uscc,
    unit_applicant,
)
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"applications:{name}", args=args)


class Office:
    """A cycle with recommended applications from two counties, moved on to 初审 so that
    the office may 复核."""

    def __init__(self, *, recommended=3):
        self.world = World()
        self.cycle = self.world.cycle
        self.office = self.world.office
        self.yinan_user = make_user(Role.COUNTY, county=county("371321"))
        self.recommended = [self.recommend(unit_applicant()) for _ in range(recommended - 1)]
        self.recommended.append(
            self.recommend(unit_applicant(county=county("371321")), by=self.yinan_user)
        )
        owner = individual_applicant()
        self.waiting = application_submit(
            application=complete_application(owner, self.cycle), by=owner
        )
        advance_cycle(self.cycle, CyclePhase.PRELIMINARY, office=self.office)

    def recommend(self, owner, by=None):
        application = application_submit(
            application=complete_application(owner, self.cycle), by=owner
        )
        return application_recommend(
            application=application, by=by or self.world.county_user, opinion="同意推荐"
        )


@pytest.fixture
def office(client):
    setup = Office()
    client.force_login(setup.office)
    return setup


# The list ------------------------------------------------------------------------------


def test_list_shows_every_countys_applications_of_the_current_cycle(client, office):
    response = client.get(url("office_queue"))
    assert response.status_code == 200
    listed = {a.pk for a in response.context["applications"]}
    assert listed == {a.pk for a in office.recommended} | {office.waiting.pk}
    page = response.content.decode()
    assert "沂南县" in page and "兰山区" in page
    # Only recommended applications can be ticked for a batch 复核.
    for application in office.recommended:
        assert f'name="applications" value="{application.pk}"' in page
    assert f'name="applications" value="{office.waiting.pk}"' not in page


def test_a_row_shows_its_cycle_state_and_submission_to_the_minute(client, office):
    page = client.get(url("office_queue")).content.decode()
    waiting = Application.objects.get(pk=office.waiting.pk)
    submitted = timezone.localtime(waiting.submitted_at).strftime("%Y-%m-%d %H:%M")
    row = page.split(f'office/{waiting.pk}/"', 1)[1].split("</tr>", 1)[0]
    assert f"<td>第{office.cycle.number_label}届</td>" in row
    assert waiting.get_state_display() in row
    assert f'<td class="text-nowrap">{submitted}</td>' in row


def test_list_filters_by_county_kind_and_state(client, office):
    yinan = county("371321")
    by_county = client.get(url("office_queue"), {"county": yinan.pk})
    assert [a.pk for a in by_county.context["applications"]] == [office.recommended[-1].pk]
    by_kind = client.get(url("office_queue"), {"kind": ApplicantKind.INDIVIDUAL})
    assert [a.pk for a in by_kind.context["applications"]] == [office.waiting.pk]
    by_state = client.get(url("office_queue"), {"state": S.SUBMITTED})
    assert [a.pk for a in by_state.context["applications"]] == [office.waiting.pk]
    assert by_state.context["pickable"] is False  # nothing to 复核 here: no batch panel
    assert "执行批量操作" not in by_state.content.decode()
    every_cycle = client.get(url("office_queue"), {"cycle": ""})
    assert len(every_cycle.context["applications"]) == 4


def test_auditor_reads_the_list_and_detail_but_gets_no_buttons(client, office):
    client.force_login(make_user(Role.AUDITOR))
    listing = client.get(url("office_queue"))
    assert listing.status_code == 200
    assert 'name="applications"' not in listing.content.decode()
    assert listing.context["batch_form"] is None
    detail = client.get(url("office_detail", office.recommended[0].pk))
    assert detail.status_code == 200
    assert detail.context["actions"] == []
    batch = client.post(url("office_queue"), {"applications": [office.recommended[0].pk]})
    assert batch.status_code == 403  # award.middleware (第七章)


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.COUNTY, Role.EXPERT, Role.LEADER])
def test_office_pages_are_not_there_for_other_roles(client, office, role):
    client.force_login(make_user(role))
    assert client.get(url("office_queue")).status_code == 404
    assert client.get(url("office_detail", office.recommended[0].pk)).status_code == 404
    assert client.get(url("office_export")).status_code == 404


def test_workbench_shows_applications_waiting_for_recheck(client, office):
    page = client.get(reverse("award:workbench")).content.decode()
    assert "待复核的申报" in page
    assert f'href="{url("office_queue")}"' in page
    assert '<span class="badge text-bg-primary rounded-pill">3</span>' in page
    assert f'href="{url("office_queue")}?state=recommended"' in page


def _bulk_recommended(cycle, count):
    template = Application.objects.filter(cycle=cycle, kind=ApplicantKind.UNIT).first()
    users = User.objects.bulk_create(
        User(
            username=f"bulk{index}",
            email=f"bulk{index}@example.cn",
            display_name=f"批量单位{index}",
            applicant_kind=ApplicantKind.UNIT,
        )
        for index in range(count)
    )
    Application.objects.bulk_create(
        Application(
            cycle=cycle,
            applicant=user,
            kind=ApplicantKind.UNIT,
            state=S.RECOMMENDED,
            round=1,
            name=f"临沂批量制造有限公司{index}",
            identifier=new_uscc(),
            county=template.county,
            form_data=template.form_data,
            submitted_at=timezone.now(),
        )
        for index, user in enumerate(users)
    )


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries), response


def test_list_runs_the_same_queries_for_10_and_500_applications(client):
    setup = Office(recommended=9)  # 9 recommended + 1 submitted
    client.force_login(setup.office)
    few, response = _count_queries(client, url("office_queue"))
    assert len(response.context["applications"]) == 10
    _bulk_recommended(setup.cycle, 490)
    many, response = _count_queries(client, url("office_queue"))
    assert response.context["paginator"].count == 500
    assert len(response.context["applications"]) == 100
    assert many == few


# The detail page and 复核 ----------------------------------------------------------------


def test_detail_shows_the_submission_and_the_countys_opinion(client, office):
    application = office.recommended[0]
    response = client.get(url("office_detail", application.pk))
    page = response.content.decode()
    assert "提交的申报材料（第1轮" in page
    assert "同意推荐" in page
    assert f"兰山区质量议事协调机构（{office.world.county_user}）" in page
    assert [action.slug for action, _form in response.context["actions"]] == [
        "accept",
        "return",
        "reject",
    ]


def test_office_sees_a_persons_id_number_whole(client, office):
    person = office.waiting.applicant.individual_profile
    page = client.get(url("office_detail", office.waiting.pk)).content.decode()
    assert person.id_number in page
    assert client.get(url("office_detail", office.waiting.pk)).context["actions"] == []


def test_accept_and_reject_from_the_detail_page(client, office):
    first, second = office.recommended[:2]
    accepted = client.post(url("office_act", first.pk, "accept"), {"accept-opinion": ""})
    assert accepted["Location"] == url("office_detail", first.pk)
    first.refresh_from_db()
    assert first.state == S.ACCEPTED
    assert f"“{first.name}”复核通过。" in client.get(accepted["Location"]).content.decode()

    no_reason = client.post(url("office_act", second.pk, "reject"), {"reject-reason": ""})
    assert no_reason.status_code == 400
    assert "请填写复核不通过的理由。" in no_reason.content.decode()
    rejected = client.post(
        url("office_act", second.pk, "reject"), {"reject-reason": "申报材料与实际不符。"}
    )
    assert rejected.status_code == 302
    second.refresh_from_db()
    assert second.state == S.RECHECK_FAILED


def test_office_return_goes_back_to_the_applicant(client, office):
    application = office.recommended[0]
    response = client.post(
        url("office_act", application.pk, "return"), {"return-reason": "请补充获奖证书。"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.RETURNED
    event = ApplicationEvent.objects.get(application=application, action=EventAction.RETURN)
    assert (event.actor, event.opinion) == (office.office, "请补充获奖证书。")


# The batch -----------------------------------------------------------------------------


def test_batch_accept_reports_each_item_and_audits_each(client, office):
    already = office.recommended[0]
    client.post(url("office_act", already.pk, "accept"), {"accept-opinion": ""})
    chosen = [a.pk for a in office.recommended]

    response = client.post(
        f"{url('office_queue')}?cycle={office.cycle.pk}",
        {"applications": chosen, "action": "accept", "reason": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{url('office_queue')}?cycle={office.cycle.pk}"
    states = dict(Application.objects.filter(pk__in=chosen).values_list("pk", "state"))
    assert set(states.values()) == {S.ACCEPTED}
    assert AuditEntry.objects.filter(action="application.accept").count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "批量复核通过：成功2件，未办理1件。" in page
    assert f"{already.name}（编号{already.pk}）：" in page
    assert "该申报当前状态为“复核通过”，不能执行“复核通过”。" in page
    # The results are shown once.
    assert "批量复核通过" not in client.get(response["Location"]).content.decode()


def test_batch_return_needs_a_reason_and_keeps_the_ticks(client, office):
    chosen = [a.pk for a in office.recommended[:2]]
    response = client.post(
        url("office_queue"), {"applications": chosen, "action": "return", "reason": ""}
    )
    assert response.status_code == 400
    assert response.context["batch_form"].errors["reason"] == ["退回修改和复核不通过必须填写原因。"]
    page = response.content.decode()
    for pk in chosen:
        assert f'value="{pk}" id="pick-{pk}" checked' in page
    assert Application.objects.filter(pk__in=chosen, state=S.RECOMMENDED).count() == 2


def test_batch_reject_with_a_reason(client, office):
    chosen = [a.pk for a in office.recommended[:2]]
    response = client.post(
        url("office_queue"),
        {"applications": chosen, "action": "reject", "reason": "不符合第十条第（一）项"},
    )
    assert response.status_code == 302
    events = ApplicationEvent.objects.filter(action=EventAction.REJECT, application_id__in=chosen)
    assert {e.opinion for e in events} == {"不符合第十条第（一）项"}
    assert events.count() == 2


def test_batch_with_nothing_ticked_or_a_foreign_id(client, office):
    nothing = client.post(url("office_queue"), {"action": "accept"})
    assert nothing.status_code == 400
    assert nothing.context["batch_form"].errors["applications"] == ["请至少勾选一件申报。"]
    unknown = client.post(url("office_queue"), {"applications": ["999999"], "action": "accept"})
    assert unknown.status_code == 400
    assert "所选申报不存在或不在您的办理范围内。" in unknown.content.decode()


def test_batch_with_an_id_out_of_range(client, office):
    """Beyond 64 bits SQLite raised OverflowError inside `pk__in`: a 500 instead of the error."""
    huge = "99999999999999999999"
    chosen = [office.recommended[0].pk, huge]
    response = client.post(url("office_queue"), {"applications": chosen, "action": "accept"})
    assert response.status_code == 400
    assert response.context["batch_form"].errors["applications"] == [
        "所选申报不存在或不在您的办理范围内。"
    ]
    office.recommended[0].refresh_from_db()
    assert office.recommended[0].state == S.RECOMMENDED


# The export ----------------------------------------------------------------------------


def test_export_is_an_xlsx_of_the_filtered_list_and_is_audited(client, office):
    response = client.get(url("office_export"), {"cycle": office.cycle.pk, "state": S.RECOMMENDED})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"市长质量奖申报汇总_第{office.cycle.number_label}届.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][2] == "申报主体"
    assert sorted(row[1] for row in rows[1:]) == sorted(a.pk for a in office.recommended)
    entry = AuditEntry.objects.get(action="application.export")
    assert entry.actor == office.office
    assert entry.after == {
        "filters": {"cycle": office.cycle.pk, "county": None, "state": "recommended", "kind": ""},
        "rows": 3,
    }


def test_the_export_button_carries_the_filters(client, office):
    page = client.get(url("office_queue"), {"kind": "unit"}).content.decode()
    assert f'href="{url("office_export")}?kind=unit&amp;cycle={office.cycle.pk}"' in page
