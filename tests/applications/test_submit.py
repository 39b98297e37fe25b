"""材料提报: submitting freezes a snapshot and the documents, once, and tells the county."""

import io
import threading

import pytest
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from applications.eligibility import full_years_between
from applications.enums import ApplicationState, DocumentKind, EventAction
from applications.exceptions import ApplicationNotEligible, ApplicationTransitionRefused
from applications.models import Application, ApplicationEvent, ApplicationSnapshot
from applications.permissions import CHANGE_APPLICATION, VIEW_APPLICATION
from applications.services import (
    application_create,
    application_save_draft,
    application_submit,
    document_add,
    document_remove,
)
from applications.services.pdf import queue_application_pdf
from applications.tasks import render_application_pdf
from award import celery_app
from award.enums import ApplicantKind, Role
from award.models import AuditEntry, Message
from tests.applications.factories import (
    World,
    announced_cycle,
    complete_application,
    last_message_pk,
    pdf_upload,
    unit_applicant,
)
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db


def test_submit_moves_to_submitted_and_freezes_everything():
    world = World()
    application = complete_application(world.owner, world.cycle)
    submitted = application_submit(application=application, by=world.owner)

    assert submitted.state == ApplicationState.SUBMITTED
    assert submitted.round == 1
    assert submitted.submitted_at is not None
    assert list(submitted.documents.values_list("frozen_in_round", flat=True)) == [1]

    snapshot = ApplicationSnapshot.objects.get(application=submitted)
    document = submitted.documents.get()
    assert snapshot.round == 1
    assert snapshot.form_data == submitted.form_data
    assert snapshot.profile_data["uscc"] == world.owner.unit_profile.uscc
    assert snapshot.profile_data["county"] == "兰山区"
    assert snapshot.documents == [
        {
            "id": document.pk,
            "kind": DocumentKind.SELF_ASSESSMENT,
            "title": "自我评价报告/个人事迹材料",
            "original_name": "自我评价报告.pdf",
            "content_type": "application/pdf",
            "size": document.size,
            "sha256": document.sha256,
            "frozen_in_round": 1,
        }
    ]
    assert snapshot.declarations["signed_by"] == "王建国"
    assert snapshot.declarations["article"] == "第十条第（五）（六）项"
    assert len(snapshot.declarations["items"]) == 4

    event = ApplicationEvent.objects.get(application=submitted, action=EventAction.SUBMIT)
    assert (event.round, event.from_state, event.to_state, event.actor) == (
        1,
        ApplicationState.DRAFT,
        ApplicationState.SUBMITTED,
        world.owner,
    )
    entry = AuditEntry.objects.get(action="application.submit")
    assert entry.before == {"state": "draft", "round": 0}
    assert entry.after == {"state": "submitted", "round": 1}
    assert entry.article == "第十四条第（二）项"


def test_submit_tells_only_the_applicants_county_and_the_applicant():
    world = World()
    other_county = make_user(Role.COUNTY, county=county("371321"))
    application = complete_application(world.owner, world.cycle)
    before = last_message_pk()
    application_submit(application=application, by=world.owner)
    sent = Message.objects.filter(pk__gt=before).order_by("pk")
    assert [(m.recipient, m.subject) for m in sent] == [
        (world.county_user, f"申报“{application.name}”待初审"),
        (world.owner, f"申报“{application.name}”：提交申报"),
    ]
    assert not sent.filter(recipient=other_county).exists()


def test_change_permission_is_revoked_on_submit():
    world = World()
    application = complete_application(world.owner, world.cycle)
    owner = type(world.owner).objects.get(pk=world.owner.pk)
    assert owner.has_perm(CHANGE_APPLICATION, application)
    application_submit(application=application, by=world.owner)
    owner = type(world.owner).objects.get(pk=world.owner.pk)
    assert not owner.has_perm(CHANGE_APPLICATION, application)
    assert owner.has_perm(VIEW_APPLICATION, application)
    assert AuditEntry.objects.filter(
        action="permission.revoke", before={"user": owner.pk, "perm": CHANGE_APPLICATION}
    ).exists()


def test_documents_form_and_declarations_cannot_change_after_submit():
    world = World()
    application = application_submit(
        application=complete_application(world.owner, world.cycle), by=world.owner
    )
    frozen = "申报已提交（当前状态：已提报），申报材料已冻结，不能修改。"
    with pytest.raises(ApplicationTransitionRefused) as error:
        document_add(
            application=application,
            by=world.owner,
            kind=DocumentKind.EVIDENCE,
            title="质量奖证书",
            file=pdf_upload(),
        )
    assert error.value.messages == [frozen]
    with pytest.raises(ApplicationTransitionRefused):
        document_remove(
            application=application, by=world.owner, document=application.documents.get()
        )
    with pytest.raises(ApplicationTransitionRefused):
        application_save_draft(
            application=application, by=world.owner, form_data={"honours": "改动"}
        )
    assert application.documents.count() == 1
    application.refresh_from_db()
    assert application.form_data["honours"] == "山东省制造业单项冠军"


def test_double_submit_makes_one_submission():
    world = World()
    application = complete_application(world.owner, world.cycle)
    stale = Application.objects.get(pk=application.pk)  # the second click's copy
    application_submit(application=application, by=world.owner)
    with pytest.raises(ApplicationTransitionRefused) as error:
        application_submit(application=stale, by=world.owner)
    assert error.value.messages == ["该申报当前状态为“已提报”，不能执行“提交申报”。"]
    application.refresh_from_db()
    assert application.round == 1
    assert ApplicationSnapshot.objects.filter(application=application).count() == 1
    assert AuditEntry.objects.filter(action="application.submit").count() == 1
    assert ApplicationEvent.objects.filter(application=application, action="submit").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_make_one_submission():
    world = World()
    application = complete_application(world.owner, world.cycle)
    barrier = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            barrier.wait()
            application_submit(
                application=Application.objects.get(pk=application.pk), by=world.owner
            )
            outcomes.append("submitted")
        except ApplicationTransitionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "submitted"]
    application.refresh_from_db()
    assert (application.state, application.round) == (ApplicationState.SUBMITTED, 1)
    assert ApplicationSnapshot.objects.filter(application=application).count() == 1


def test_ineligible_application_is_refused_with_every_problem():
    world = World()
    application = application_create(cycle=world.cycle, by=world.owner)
    with pytest.raises(ApplicationNotEligible) as error:
        application_submit(application=application, by=world.owner)
    codes = [problem.code for problem in error.value.problems]
    assert codes == ["form_incomplete", "self_assessment_missing", "declarations_missing"]
    assert error.value.messages[1] == "尚未上传《自我评价报告》（第十四条第（二）项）。"
    application.refresh_from_db()
    assert (application.state, application.round) == (ApplicationState.DRAFT, 0)
    assert not ApplicationSnapshot.objects.exists()


def test_submit_takes_the_current_county_from_the_profile():
    world = World()
    application = complete_application(world.owner, world.cycle)
    Application.objects.filter(pk=application.pk).update(county=county("371321"))
    submitted = application_submit(application=application, by=world.owner)
    assert submitted.county == county("371302")


@pytest.fixture
def eager_celery():
    """Run tasks in-process even where the environment names a broker."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.mark.usefixtures("eager_celery")
def test_pdf_is_rendered_after_commit(django_capture_on_commit_callbacks):
    cycle = announced_cycle()
    owner = unit_applicant(name="临沂卓越质量有限公司")
    application = complete_application(owner, cycle)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_submit(application=application, by=owner)
    snapshot = ApplicationSnapshot.objects.get(application=application)
    assert not snapshot.pdf  # nothing rendered before the transaction commits
    pdf_jobs = [c for c in callbacks if getattr(c, "func", None) is queue_application_pdf]
    assert [job.args for job in pdf_jobs] == [(snapshot.pk,)]

    pdf_jobs[0]()
    snapshot.refresh_from_db()
    assert snapshot.pdf and snapshot.pdf_rendered_at is not None
    with snapshot.pdf.open("rb") as handle:
        data = handle.read()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "临沂市市长质量奖申报表" in text
    assert "临沂卓越质量有限公司" in text
    assert owner.unit_profile.uscc in text
    # Safe to run twice: the second run leaves the stored PDF alone.
    assert render_application_pdf.apply(args=[snapshot.pk]).get() is False


def test_individual_pdf_masks_the_id_number():
    world = World(kind=ApplicantKind.INDIVIDUAL)
    application = application_submit(
        application=complete_application(world.owner, world.cycle), by=world.owner
    )
    snapshot = ApplicationSnapshot.objects.get(application=application)
    assert render_application_pdf.apply(args=[snapshot.pk]).get() is True
    snapshot.refresh_from_db()
    with snapshot.pdf.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    number = world.owner.individual_profile.id_number
    assert world.owner.individual_profile.masked_id_number in text
    assert number not in text
    assert snapshot.profile_data["id_number"] == number  # the frozen record keeps it whole


def test_plain_text_messages_are_not_html_escaped():
    world = World()
    world.owner = unit_applicant(name="临沂A&B<质量>有限公司")
    application = application_submit(
        application=complete_application(world.owner, world.cycle), by=world.owner
    )
    message = Message.objects.filter(recipient=world.county_user).order_by("-pk").first()
    assert message.subject == "申报“临沂A&B<质量>有限公司”待初审"
    assert "临沂A&B<质量>有限公司" in message.body
    assert "临沂A&amp;B&lt;质量&gt;有限公司" in message.html_body
    assert application.name == "临沂A&B<质量>有限公司"


def test_the_snapshot_counts_years_of_quality_work_on_the_day_of_submission():
    """第十二条第（二）项: the years frozen with the 申报表 follow the start date, even when the
    profile was last saved years ago and holds an older count."""
    world = World(kind=ApplicantKind.INDIVIDUAL)
    profile = world.owner.individual_profile
    type(profile).objects.filter(pk=profile.pk).update(quality_work_years=1)
    application = application_submit(
        application=complete_application(world.owner, world.cycle), by=world.owner
    )
    snapshot = ApplicationSnapshot.objects.get(application=application)
    expected = full_years_between(profile.quality_work_since, timezone.localdate())
    assert expected > 1
    assert snapshot.profile_data["quality_work_years"] == expected
