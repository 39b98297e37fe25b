"""The demo applications: every state through the services, valid identifiers, idempotent."""

import datetime

import pytest
from django.utils import timezone

from applications.demo import DEMO_APPLICANTS, demo_id_number, demo_uscc, seed_applications
from applications.enums import ApplicationState, DocumentKind
from applications.models import Application, ApplicationDocument, ApplicationEvent
from applications.models.application import DECISION_STATES, REVIEW_STATES
from applications.selectors import applications_for
from applications.validators import gender_of, validate_id_number, validate_uscc
from award.demo import DEMO_PASSWORD, seed_accounts, seed_current_cycle
from award.enums import ApplicantKind, CyclePhase
from award.models import AuditEntry, Cycle, User
from award.services.cycles import cycle_transition

pytestmark = pytest.mark.django_db

S = ApplicationState


@pytest.fixture
def world():
    seed_accounts()
    office = User.objects.get(username="office")
    cycle = seed_current_cycle(office)
    cycle.refresh_from_db()  # the call notice announced it
    assert cycle.accepts_applications
    return cycle, office


def states_of(cycle):
    return set(Application.objects.filter(cycle=cycle).values_list("state", flat=True))


def counts(cycle):
    return {
        "applications": Application.objects.filter(cycle=cycle).count(),
        "events": ApplicationEvent.objects.filter(application__cycle=cycle).count(),
        "documents": ApplicationDocument.objects.count(),
        "users": User.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def open_for_recheck(cycle, office):
    """Time passes beyond the deadline; the office closes the call and starts 初审."""
    Cycle.objects.filter(pk=cycle.pk).update(
        application_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    cycle.refresh_from_db()
    cycle_transition(cycle=cycle, name="close", by=office)
    cycle_transition(cycle=cycle, name="begin_preliminary", by=office)
    assert cycle.phase == CyclePhase.PRELIMINARY


def test_open_cycle_gets_every_state_of_this_floor(world):
    cycle, office = world

    touched = seed_applications(cycle=cycle, office=office)

    assert len({a.pk for a in touched}) == len(DEMO_APPLICANTS)
    assert states_of(cycle) == set(S.values) - REVIEW_STATES - DECISION_STATES
    for spec in DEMO_APPLICANTS:
        application = Application.objects.get(cycle=cycle, applicant__username=spec.username)
        assert application.state == spec.target, spec.username
    accepted = Application.objects.filter(cycle=cycle, state=S.ACCEPTED)
    assert {a.kind for a in accepted} == {ApplicantKind.UNIT, ApplicantKind.INDIVIDUAL}
    failed = Application.objects.get(cycle=cycle, state=S.RECHECK_FAILED)
    actions = list(failed.events.values_list("action", "actor__username"))
    assert actions == [
        ("create", "demo_wood"),
        ("submit", "demo_wood"),
        ("recommend", "county_lanshan"),
        ("reject", "office"),
    ]
    assert "第十条第（五）项" in failed.events.last().opinion


def test_running_it_again_adds_nothing(world):
    cycle, office = world
    seed_applications(cycle=cycle, office=office)
    before = counts(cycle)

    assert seed_applications(cycle=cycle, office=office) == []
    assert counts(cycle) == before

    open_for_recheck(cycle, office)
    seed_applications(cycle=cycle, office=office)
    after_recheck = counts(cycle)
    assert seed_applications(cycle=cycle, office=office) == []
    assert counts(cycle) == after_recheck


def test_demo_logins_have_profiles_and_drafts_in_progress(world):
    cycle, office = world
    seed_applications(cycle=cycle, office=office)

    unit = User.objects.get(username="unit_demo")
    person = User.objects.get(username="person_demo")
    draft = Application.objects.get(cycle=cycle, applicant=unit)
    assert draft.state == S.DRAFT and draft.name == unit.unit_profile.name
    assert draft.documents.get().kind == DocumentKind.SELF_ASSESSMENT
    assert draft.declarations_accepted_at is None  # still to sign: work in progress
    person_draft = Application.objects.get(cycle=cycle, applicant=person)
    assert person_draft.state == S.DRAFT
    assert person_draft.kind == ApplicantKind.INDIVIDUAL
    assert person_draft.form_data["achievements"]
    assert list(applications_for(unit)) == [draft]


def test_county_lanshan_sees_submitted_applications_waiting(world):
    cycle, office = world
    seed_applications(cycle=cycle, office=office)

    coordinator = User.objects.get(username="county_lanshan")
    waiting = applications_for(coordinator, cycle=cycle, state=S.SUBMITTED)
    assert {a.kind for a in waiting} == {ApplicantKind.UNIT, ApplicantKind.INDIVIDUAL}
    assert all(a.county.code == "371302" for a in waiting)
    # The other county's submission is not theirs to see; the office sees all three.
    assert applications_for(office, cycle=cycle, state=S.SUBMITTED).count() == waiting.count() + 1


def test_identifiers_are_valid_and_documents_are_real_files(world):
    cycle, office = world
    seed_applications(cycle=cycle, office=office)

    for spec in DEMO_APPLICANTS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        if spec.kind == ApplicantKind.UNIT:
            validate_uscc(user.unit_profile.uscc)
        else:
            profile = user.individual_profile
            validate_id_number(profile.id_number)
            assert gender_of(profile.id_number) == profile.gender
    for document in ApplicationDocument.objects.filter(application__cycle=cycle):
        with document.file.open("rb") as handle:
            head = handle.read(5)
        expected = b"%PDF-" if document.content_type == "application/pdf" else b"\x89PNG\r"
        assert head == expected


def test_identifier_builders_follow_the_standards():
    validate_uscc(demo_uscc("371302", 7))
    number = demo_id_number("371302", datetime.date(1980, 2, 29), "female", 45)
    validate_id_number(number)
    assert number[6:14] == "19800229"
    assert gender_of(number) == "female"


def test_a_played_cycle_leaves_no_county_or_office_work_behind(world, monkeypatch):
    """seed_demo --until: 初审 and 复核 finish before the cycle moves on, unless it rests."""
    from award import demo
    from award.services.cycles import cycle_transition_blockers

    cycle, office = world
    seed_applications(cycle=cycle, office=office)
    open_for_recheck(cycle, office)
    monkeypatch.setattr(demo, "_resting", {cycle.pk})
    seed_applications(cycle=cycle, office=office)
    assert S.SUBMITTED in states_of(cycle)  # resting in 初审: the counties have work waiting

    monkeypatch.setattr(demo, "_resting", set())
    seed_applications(cycle=cycle, office=office)
    assert S.SUBMITTED not in states_of(cycle)
    cycle_transition(cycle=cycle, name="begin_recheck", by=office)
    seed_applications(cycle=cycle, office=office)
    assert S.RECOMMENDED not in states_of(cycle)
    assert cycle_transition_blockers(cycle, "begin_expert_review") == [
        "尚未选择承担技术评审的第三方机构（第七条第（二）项）。"
    ]
