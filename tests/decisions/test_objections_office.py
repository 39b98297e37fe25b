"""The office handles objections (第十四条第（六）项): settings, the list and detail with the
objector's identity (office only), files audited on download, uphold or dismiss with a reason,
fail_publicity by state and role, the publish guard; nobody else learns who objected."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.enums import ApplicationState
from applications.exceptions import ApplicationTransitionRefused
from applications.models import Application
from applications.services.common import check_transition, lock_application
from applications.validators import id_number_check_char
from award.enums import Role
from award.models import AuditEntry, Cycle, Message
from award.services.cycles import cycle_transition_blockers
from decisions.enums import ObjectionState, ObjectorKind
from decisions.models import Objection, Publicity
from decisions.registrations.publicity import seed_objections
from decisions.services.objections import objection_dismiss, objection_file, objection_uphold
from decisions.services.publicity import publicity_settings_update
from tests.award.sample_files import minimal_pdf, upload
from tests.decisions.test_publicity_world import PublicityWorld
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NAME, PHONE = "孙秉公", "13912345678"
ID_NUMBER = "37130219800101123" + id_number_check_char("37130219800101123")
SECRETS = (NAME, ID_NUMBER, PHONE)


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()


@pytest.fixture
def world():
    return PublicityWorld()


def file_one(world, application=None, **extra):
    return objection_file(
        cycle=world.cycle,
        application_id=(application or world.application).pk,
        objector_kind=ObjectorKind.PERSON,
        name=NAME,
        id_number=ID_NUMBER,
        phone=PHONE,
        reasons="该单位存在未如实申报的质量问题。",
        **extra,
    )


def logged_in(client, user):
    client.force_login(user)
    return client


# Settings ----------------------------------------------------------------------------------


def test_anonymous_objections_need_a_confirmation(world):
    with pytest.raises(ValidationError) as refused:
        publicity_settings_update(
            cycle=world.cycle, by=world.office, allows_anonymous_objections=True, contact=""
        )
    assert "不受理匿名异议" in " ".join(refused.value.message_dict["confirm_anonymous"])
    assert not Publicity.objects.get(cycle=world.cycle).allows_anonymous_objections
    publicity_settings_update(
        cycle=world.cycle,
        by=world.office,
        allows_anonymous_objections=True,
        contact="质量强市办 0539-8000000",
        confirm_anonymous=True,
    )
    entry = AuditEntry.objects.get(action="decisions.publicity_settings")
    assert entry.after == {
        "allows_anonymous_objections": True,
        "contact": "质量强市办 0539-8000000",
    }
    assert entry.article == "第十四条第（六）项"


def test_only_the_office_sets_the_publicity(world):
    with pytest.raises(PermissionDenied):
        publicity_settings_update(
            cycle=world.cycle,
            by=make_user(Role.AUDITOR),
            allows_anonymous_objections=False,
            contact="x",
        )


def test_the_settings_page(client, world):
    url = reverse("decisions:publicity_settings", args=[world.cycle.pk])
    logged_in(client, world.office)
    assert "不受理匿名异议" in client.get(url).content.decode()
    index = client.get(reverse("decisions:publicity_index")).content.decode()
    assert reverse("decisions:publicity_objections", args=[world.cycle.pk]) in index
    response = client.post(url, {"allows_anonymous_objections": "on", "contact": "电话0539-1"})
    assert response.status_code == 400
    assert "请勾选确认" in response.content.decode()
    assert "电话0539-1" in response.content.decode()
    response = client.post(
        url,
        {"allows_anonymous_objections": "on", "contact": "电话0539-1", "confirm_anonymous": "on"},
    )
    assert response.status_code == 302
    assert Publicity.objects.get(cycle=world.cycle).allows_anonymous_objections


# The office's list and detail --------------------------------------------------------------


def test_the_objection_list_reads_in_few_queries(client, world, django_assert_max_num_queries):
    for winner in world.winners:
        file_one(world, winner, evidence=[upload("证明.pdf", minimal_pdf())])
    logged_in(client, world.office)
    url = reverse("decisions:publicity_objections", args=[world.cycle.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(NAME) == 3
    for winner in world.winners:
        assert winner.name in page
    assert client.get(url + "?state=open").status_code == 200


def test_the_detail_shows_the_identity_and_files_and_downloads_are_audited(client, world):
    objection = file_one(world, evidence=[upload("证明.pdf", minimal_pdf())])
    logged_in(client, world.office)
    page = client.get(reverse("decisions:objection_detail", args=[objection.pk])).content.decode()
    for secret in SECRETS:
        assert secret in page
    file = objection.files.get()
    response = client.get(reverse("decisions:objection_file", args=[objection.pk, file.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="decisions.objection_file_download")
    assert entry.after["sha256"] == file.sha256
    other = file_one(world, world.winners[1])
    wrong = reverse("decisions:objection_file", args=[other.pk, file.pk])
    assert client.get(wrong).status_code == 404


ROLES_WITHOUT_ACCESS = [
    Role.COUNTY,
    Role.LEADER,
    Role.EXPERT,
    Role.AGENCY,
    Role.AUDITOR,
    Role.APPLICANT,
]


@pytest.mark.parametrize("role", ROLES_WITHOUT_ACCESS)
def test_no_one_but_the_office_reaches_the_objections(client, world, role):
    objection = file_one(world, evidence=[upload("证明.pdf", minimal_pdf())])
    logged_in(client, make_user(role))
    for url in (
        reverse("decisions:publicity_index"),
        reverse("decisions:publicity_objections", args=[world.cycle.pk]),
        reverse("decisions:publicity_settings", args=[world.cycle.pk]),
        reverse("decisions:objection_detail", args=[objection.pk]),
        reverse("decisions:objection_file", args=[objection.pk, objection.files.get().pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert not AuditEntry.objects.filter(action="decisions.objection_file_download").exists()


def test_the_identity_is_invisible_to_the_candidate_county_leader_and_expert(client, world):
    objection = file_one(world)
    objection_uphold(objection=objection, by=world.office, reason="经核实，反映的质量问题属实。")
    detail = reverse("decisions:objection_detail", args=[objection.pk])
    pages = {
        world.holder: [
            reverse("applications:application_detail", args=[world.application.pk]),
            reverse("award:workbench"),
            reverse("award:message_list"),
        ],
        world.county_user: [
            reverse("applications:county_detail", args=[world.application.pk]),
            reverse("award:workbench"),
            reverse("award:message_list"),
        ],
        world.leader: [reverse("award:workbench"), reverse("award:message_list")],
        world.expert_user: [reverse("award:workbench"), reverse("award:message_list")],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in [*urls, reverse("public_decisions:publicity")]:
            response = client.get(url)
            assert response.status_code == 200, (user, url)
            for secret in SECRETS:
                assert secret not in response.content.decode(), (user, url, secret)
        assert client.get(detail).status_code == 404
        for message in Message.objects.filter(recipient=user):
            for secret in SECRETS:
                assert secret not in message.subject + message.body


# Deciding ----------------------------------------------------------------------------------


def test_upholding_withdraws_the_application_and_tells_the_holder(
    world, django_capture_on_commit_callbacks
):
    objection = file_one(world)
    with django_capture_on_commit_callbacks() as callbacks:
        objection_uphold(
            objection=objection, by=world.office, reason="经核实，反映的质量问题属实。"
        )
    objection.refresh_from_db()
    assert objection.state == ObjectionState.UPHELD
    assert objection.decided_by == world.office
    world.application.refresh_from_db()
    assert world.application.state == ApplicationState.PUBLICITY_FAILED
    assert AuditEntry.objects.filter(
        action="application.fail_publicity", object_id=str(world.application.pk)
    ).exists()
    entry = AuditEntry.objects.get(action="decisions.objection_uphold")
    assert entry.reason == "经核实，反映的质量问题属实。"
    message = Message.objects.filter(recipient=world.holder).latest("pk")
    assert "经核实，反映的质量问题属实。" in message.body
    assert "撤回拟获评资格" in message.subject
    assert callbacks  # the email goes after commit
    for secret in SECRETS:
        assert secret not in message.body


def test_dismissing_keeps_the_application_in_publicity(world):
    objection = file_one(world)
    objection_dismiss(objection=objection, by=world.office, reason="经核实，所反映问题不属实。")
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED
    world.application.refresh_from_db()
    assert world.application.state == ApplicationState.IN_PUBLICITY
    assert AuditEntry.objects.filter(action="decisions.objection_dismiss").count() == 1


@pytest.mark.parametrize("decide", [objection_uphold, objection_dismiss])
def test_a_decision_needs_a_written_reason(world, decide):
    objection = file_one(world)
    with pytest.raises(ValidationError) as refused:
        decide(objection=objection, by=world.office, reason="   ")
    assert "第十四条第（六）项" in " ".join(refused.value.message_dict["reason"])
    objection.refresh_from_db()
    assert objection.state == ObjectionState.OPEN


@pytest.mark.parametrize("role", [Role.COUNTY, Role.LEADER, Role.AUDITOR, Role.APPLICANT])
def test_only_the_office_decides(world, role):
    objection = file_one(world)
    with pytest.raises(PermissionDenied):
        objection_uphold(objection=objection, by=make_user(role), reason="理由")


def test_a_decided_objection_is_not_decided_again(world):
    objection = file_one(world)
    objection_dismiss(objection=objection, by=world.office, reason="不属实。")
    with pytest.raises(ValidationError, match="已办结"):
        objection_uphold(objection=objection, by=world.office, reason="属实。")


def test_a_second_upheld_objection_on_a_withdrawn_name(world):
    first, second = file_one(world), file_one(world)
    objection_uphold(objection=first, by=world.office, reason="属实。")
    objection_uphold(objection=second, by=world.office, reason="同样属实。")
    assert Objection.objects.filter(state=ObjectionState.UPHELD).count() == 2


def test_the_decide_page(client, world):
    objection = file_one(world)
    logged_in(client, world.office)
    url = reverse("decisions:objection_detail", args=[objection.pk])
    response = client.post(url, {"decision": "uphold", "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"decision": "uphold", "reason": "经核实属实。"})
    assert response.status_code == 302
    world.application.refresh_from_db()
    assert world.application.state == ApplicationState.PUBLICITY_FAILED


# fail_publicity by state and role; the publish guard ---------------------------------------


def test_fail_publicity_needs_an_upheld_objection(world):
    file_one(world)
    with pytest.raises(ApplicationTransitionRefused, match="第十四条第（六）项"):
        check_transition(lock_application(world.application), "fail_publicity", world.office)


@pytest.mark.parametrize(
    "role", [Role.COUNTY, Role.APPLICANT, Role.LEADER, Role.EXPERT, Role.AGENCY, Role.AUDITOR]
)
def test_only_the_office_may_fail_publicity(world, role):
    objection = file_one(world)
    Objection.objects.filter(pk=objection.pk).update(state=ObjectionState.UPHELD)
    with pytest.raises(PermissionDenied):
        check_transition(lock_application(world.application), "fail_publicity", make_user(role))
    assert check_transition(lock_application(world.application), "fail_publicity", world.office)


@pytest.mark.parametrize(
    "state",
    [ApplicationState.PROPOSED, ApplicationState.AWARDED, ApplicationState.PUBLICITY_FAILED],
)
def test_fail_publicity_only_from_in_publicity(world, state):
    objection = file_one(world)
    Objection.objects.filter(pk=objection.pk).update(state=ObjectionState.UPHELD)
    Application.objects.filter(pk=world.application.pk).update(state=state)
    with pytest.raises(ApplicationTransitionRefused):
        check_transition(lock_application(world.application), "fail_publicity", world.office)


def test_fail_publicity_only_while_the_cycle_is_in_publicity(world):
    objection = file_one(world)
    Objection.objects.filter(pk=objection.pk).update(state=ObjectionState.UPHELD)
    Cycle.objects.filter(pk=world.cycle.pk).update(phase="published")
    with pytest.raises(ApplicationTransitionRefused, match="不在公示阶段"):
        check_transition(lock_application(world.application), "fail_publicity", world.office)


def test_publishing_waits_for_every_objection(world):
    first, _second = file_one(world), file_one(world, world.winners[1])
    blockers = cycle_transition_blockers(world.cycle, "publish")
    assert "尚有2件公示异议未办结（第十四条第（六）项）" in blockers
    objection_dismiss(objection=first, by=world.office, reason="不属实。")
    assert "尚有1件公示异议未办结（第十四条第（六）项）" in cycle_transition_blockers(
        world.cycle, "publish"
    )


# The holder's page and the workbench -------------------------------------------------------


def test_the_holder_sees_the_window_and_then_the_outcome_never_the_objector(client, world):
    logged_in(client, world.holder)
    url = reverse("applications:application_detail", args=[world.application.pk])
    page = client.get(url).content.decode()
    end = world.cycle.publicity_ends_on
    assert "公示中" in page and "2026年10月10日" in page
    objection = file_one(world)
    objection_uphold(objection=objection, by=world.office, reason="经核实，反映的质量问题属实。")
    page = client.get(url).content.decode()
    assert "公示撤回" in page and "经核实，反映的质量问题属实。" in page
    for secret in SECRETS:
        assert secret not in page
    assert end  # the window stays on the cycle


def test_the_office_workbench_counts_open_objections(client, world):
    file_one(world)
    file_one(world, world.winners[1])
    logged_in(client, world.office)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "公示异议待办理" in page
    assert reverse("decisions:publicity_objections", args=[world.cycle.pk]) in page
    client.force_login(world.holder)
    assert "公示异议" not in client.get(reverse("award:workbench")).content.decode()


# The demo ----------------------------------------------------------------------------------


def test_the_demo_files_two_objections_and_decides_both(world):
    seed_objections(cycle=world.cycle, office=world.office)
    seed_objections(cycle=world.cycle, office=world.office)  # idempotent
    objections = list(Objection.objects.order_by("pk"))
    assert [o.state for o in objections] == [ObjectionState.UPHELD, ObjectionState.DISMISSED]
    assert objections[0].application_id != objections[1].application_id
    remaining = Application.objects.filter(
        cycle=world.cycle, state=ApplicationState.IN_PUBLICITY
    ).select_related("resolution__seat")
    assert {a.resolution.seat.category for a in remaining} == {"award", "nomination"}
    assert {a.kind for a in remaining} == {"unit", "individual"}


def test_every_audit_entry_of_the_publicity_reads_in_chinese(client, world):
    from award import audit_labels

    objection = file_one(world, evidence=[upload("证明.pdf", minimal_pdf())])
    publicity_settings_update(
        cycle=world.cycle, by=world.office, allows_anonymous_objections=False, contact="电话"
    )
    logged_in(client, world.office)
    client.get(reverse("decisions:objection_file", args=[objection.pk, objection.files.get().pk]))
    objection_uphold(objection=objection, by=world.office, reason="属实。")
    unlabelled = set()
    for entry in AuditEntry.objects.select_related("content_type"):
        model = entry.content_type.model_class() if entry.content_type_id else None
        if not audit_labels.is_labelled(entry.action):
            unlabelled.add(entry.action)
        for side in (entry.before, entry.after):
            for key in side if isinstance(side, dict) else ():
                if not audit_labels.is_field_labelled(key, model):
                    unlabelled.add(f"{entry.action}: {key}")
    assert sorted(unlabelled) == []
