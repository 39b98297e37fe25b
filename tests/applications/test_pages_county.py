"""County pages: the county's queue and 条件初审 — 推荐, 退回修改, 不推荐."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState as S
from applications.enums import EventAction
from applications.models import Application, ApplicationEvent
from applications.services import (
    application_create,
    application_recommend,
    application_submit,
)
from award.enums import ApplicantKind, Role
from award.models import AuditEntry, User
from tests.applications.factories import (
    World,
    complete_application,
    individual_applicant,
    new_uscc,
    unit_applicant,
)
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"applications:{name}", args=args)


def submitted(world, owner=None):
    owner = owner or unit_applicant()
    return application_submit(application=complete_application(owner, world.cycle), by=owner)


@pytest.fixture
def world(client):
    world = World()
    client.force_login(world.county_user)
    return world


# The queue -----------------------------------------------------------------------------


def test_queue_lists_only_the_countys_submitted_applications(client, world):
    mine = submitted(world)
    person = submitted(world, individual_applicant())
    other_county = submitted(world, unit_applicant(county=county("371321")))
    draft_owner = unit_applicant()
    draft = application_create(cycle=world.cycle, by=draft_owner)

    response = client.get(url("county_queue"))

    assert response.status_code == 200
    listed = [a.pk for a in response.context["applications"]]
    assert sorted(listed) == sorted([mine.pk, person.pk])
    page = response.content.decode()
    assert url("county_detail", mine.pk) in page
    assert other_county.name not in page
    assert draft.name not in page
    assert "兰山区的申报" in page


def test_queue_filters_by_state_and_kind(client, world):
    unit = submitted(world)
    person = submitted(world, individual_applicant())
    application_recommend(application=unit, by=world.county_user, opinion="同意推荐")

    by_state = client.get(url("county_queue"), {"state": S.SUBMITTED})
    assert [a.pk for a in by_state.context["applications"]] == [person.pk]
    by_kind = client.get(url("county_queue"), {"kind": ApplicantKind.UNIT})
    assert [a.pk for a in by_kind.context["applications"]] == [unit.pk]
    bogus = client.get(url("county_queue"), {"state": "nonsense", "kind": "unit"})
    assert bogus.status_code == 200
    assert [a.pk for a in bogus.context["applications"]] == [unit.pk]
    links = by_state.context["state_links"]
    assert links == [("submitted", "已提报", 1), ("recommended", "县区推荐", 1)]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.OFFICE, Role.EXPERT, Role.AGENCY])
def test_queue_is_not_there_for_other_roles(client, role):
    client.force_login(make_user(role))
    assert client.get(url("county_queue")).status_code == 404


def test_workbench_shows_waiting_applications_with_a_link_to_the_queue(client, world):
    submitted(world)
    submitted(world)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "待初审的申报" in page
    assert f'href="{url("county_queue")}"' in page
    assert '<span class="badge text-bg-primary rounded-pill">2</span>' in page
    # The count leads to exactly the applications it counts.
    assert f'href="{url("county_queue")}?state=submitted"' in page
    listed = client.get(url("county_queue"), {"state": "submitted"}).context["page_obj"]
    assert listed.paginator.count == 2


def _bulk_submitted(world, count):
    """`count` more submitted applications in the county, as rows (for the query count)."""
    template = Application.objects.filter(cycle=world.cycle).first()
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
            cycle=world.cycle,
            applicant=user,
            kind=ApplicantKind.UNIT,
            state=S.SUBMITTED,
            round=1,
            name=f"临沂批量制造有限公司{index}",
            identifier=new_uscc(),
            county=template.county,
            form_data=template.form_data,
            submitted_at=timezone.now(),
        )
        for index, user in enumerate(users)
    )


def _queries_for(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries), response


def test_queue_runs_the_same_queries_for_10_and_500_applications(client, world):
    for _index in range(10):
        submitted(world)
    few, response = _queries_for(client, url("county_queue"))
    assert len(response.context["applications"]) == 10
    _bulk_submitted(world, 490)
    many, response = _queries_for(client, url("county_queue"))
    assert response.context["paginator"].count == 500
    assert len(response.context["applications"]) == 50
    assert many == few


# The detail page and 初审 ----------------------------------------------------------------


def test_detail_shows_the_frozen_submission_with_files(client, world):
    application = submitted(world)
    document = application.documents.get()

    page = client.get(url("county_detail", application.pk)).content.decode()

    assert "提交的申报材料（第1轮" in page
    assert world.owner.unit_profile.uscc not in page  # another owner: this is a new unit
    assert application.applicant.unit_profile.uscc in page
    assert "52000.50" in page
    assert "ISO 9001、ISO 14001、ISO 45001" in page
    assert url("document_download", document.pk) in page
    assert "签名：王建国" in page
    for label in ("初审推荐", "退回修改", "初审不推荐"):
        assert f">{label}</button>" in page


def test_detail_masks_the_id_number_of_a_person(client, world):
    person = individual_applicant()
    application = submitted(world, person)
    number = person.individual_profile.id_number

    page = client.get(url("county_detail", application.pk)).content.decode()

    assert number not in page
    assert f"{number[:4]}**********{number[-4:]}" in page


def test_recommend_needs_an_opinion_and_keeps_what_was_typed_elsewhere(client, world):
    application = submitted(world)
    response = client.post(
        url("county_act", application.pk, "recommend"), {"recommend-opinion": "   "}
    )
    assert response.status_code == 400
    assert "请填写初审推荐意见。" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_recommend_with_an_opinion(client, world):
    application = submitted(world)
    response = client.post(
        url("county_act", application.pk, "recommend"),
        {"recommend-opinion": "材料齐全，符合条件，同意推荐。"},
    )
    assert response["Location"] == url("county_detail", application.pk)
    application.refresh_from_db()
    assert application.state == S.RECOMMENDED
    event = ApplicationEvent.objects.get(application=application, action=EventAction.RECOMMEND)
    assert (event.actor, event.opinion) == (world.county_user, "材料齐全，符合条件，同意推荐。")
    assert AuditEntry.objects.filter(action="application.recommend").count() == 1
    after = client.get(response["Location"])
    page = after.content.decode()
    assert f"已推荐“{application.name}”，等待质量强市办复核。" in page
    assert after.context["actions"] == []  # nothing more for the county to do
    assert 'name="recommend-opinion"' not in page
    assert "材料齐全，符合条件，同意推荐。" in page


def test_return_reason_reaches_the_applicant(client, world):
    owner = unit_applicant()
    application = submitted(world, owner)
    response = client.post(
        url("county_act", application.pk, "return"), {"return-reason": "请补充近三年纳税证明。"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.RETURNED
    client.force_login(owner)
    page = client.get(url("application_detail", application.pk)).content.decode()
    assert "请补充近三年纳税证明。" in page
    assert "兰山区质量议事协调机构于" in page


def test_decline_with_a_reason_is_final(client, world):
    application = submitted(world)
    missing = client.post(url("county_act", application.pk, "decline"), {"decline-reason": ""})
    assert missing.status_code == 400
    assert "请填写不予推荐的理由。" in missing.content.decode()

    done = client.post(
        url("county_act", application.pk, "decline"), {"decline-reason": "近三年发生质量事故。"}
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.state == S.DECLINED
    after = client.get(url("county_detail", application.pk))
    assert after.context["actions"] == []
    assert "县区初审未予推荐，本届申报到此结束。" in after.content.decode()


def test_acting_twice_gets_a_clear_message_not_an_error(client, world):
    application = submitted(world)
    client.post(url("county_act", application.pk, "recommend"), {"recommend-opinion": "同意"})
    again = client.post(url("county_act", application.pk, "decline"), {"decline-reason": "不同意"})
    assert again.status_code == 409
    assert "该申报当前状态为“县区推荐”，不能执行“初审不推荐”。" in again.content.decode()
    assert 'name="decline-reason"' in again.content.decode()
    assert "不同意" in again.content.decode()  # what was typed is still there


def test_unknown_action_is_404(client, world):
    application = submitted(world)
    assert client.post(url("county_act", application.pk, "accept"), {}).status_code == 404


def test_other_countys_application_is_404(client, world):
    elsewhere = submitted(world, unit_applicant(county=county("371321")))
    assert client.get(url("county_detail", elsewhere.pk)).status_code == 404
    response = client.post(
        url("county_act", elsewhere.pk, "recommend"), {"recommend-opinion": "同意"}
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.state == S.SUBMITTED


def test_a_draft_is_not_the_countys_business_yet(client, world):
    draft = application_create(cycle=world.cycle, by=unit_applicant())
    assert client.get(url("county_detail", draft.pk)).status_code == 404


def test_nav_shows_the_county_queue(client, world):
    page = client.get(reverse("award:workbench")).content.decode()
    assert f'href="{url("county_queue")}"' in page
