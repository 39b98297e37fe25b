"""退回修改 and resubmission: rounds, history, permissions, retired documents."""

import pytest

from applications.enums import ApplicationState as S
from applications.enums import DocumentKind
from applications.exceptions import ApplicationNotEligible
from applications.models import ApplicationDocument, ApplicationSnapshot
from applications.permissions import CHANGE_APPLICATION
from applications.selectors import application_timeline
from applications.services import (
    application_recommend,
    application_return,
    application_save_draft,
    application_submit,
    declarations_accept,
    document_add,
    document_remove,
)
from award.enums import CyclePhase
from award.models import AuditEntry, Message, User
from tests.applications.factories import World, advance_cycle, last_message_pk, pdf_upload

pytestmark = pytest.mark.django_db


def test_returned_edited_and_resubmitted_as_round_two_with_both_rounds_in_history():
    world = World()
    application = world.application_in(S.SUBMITTED)
    first_report = application.documents.get()

    application_return(application=application, by=world.county_user, reason="自评报告缺少第六章")
    owner = User.objects.get(pk=world.owner.pk)
    assert owner.has_perm(CHANGE_APPLICATION, application)
    assert (
        AuditEntry.objects.filter(
            action="permission.grant", after={"user": owner.pk, "perm": CHANGE_APPLICATION}
        ).count()
        == 2
    )  # on create and on return

    application_save_draft(
        application=application, by=world.owner, form_data={"honours": "山东省质量标杆"}
    )
    document_remove(application=application, by=world.owner, document=first_report)
    document_add(
        application=application,
        by=world.owner,
        kind=DocumentKind.SELF_ASSESSMENT,
        file=pdf_upload("自我评价报告（修订）.pdf"),
    )
    # The 承诺 vouched for the first round's materials: the revised ones need a new one.
    application.refresh_from_db()
    assert (application.declarations_accepted_by, application.declarations_accepted_at) == (
        "",
        None,
    )
    with pytest.raises(ApplicationNotEligible) as refused:
        application_submit(application=application, by=world.owner)
    assert "declarations_missing" in [p.code for p in refused.value.problems]
    declarations_accept(application=application, by=world.owner, signed_name="王建国")
    resubmitted = application_submit(application=application, by=world.owner)
    assert (resubmitted.state, resubmitted.round) == (S.SUBMITTED, 2)
    application_recommend(application=application, by=world.county_user, opinion="同意推荐")

    history = [
        (e.round, e.action, e.from_state, e.to_state, e.opinion)
        for e in application_timeline(application)
    ]
    assert history == [
        (0, "create", "", S.DRAFT, ""),
        (1, "submit", S.DRAFT, S.SUBMITTED, ""),
        (1, "return_for_revision", S.SUBMITTED, S.RETURNED, "自评报告缺少第六章"),
        (2, "submit", S.RETURNED, S.SUBMITTED, ""),
        (2, "recommend", S.SUBMITTED, S.RECOMMENDED, "同意推荐"),
    ]

    # Each round's snapshot lists what was submitted then; the first report is kept, retired.
    first, second = ApplicationSnapshot.objects.filter(application=application).order_by("round")
    assert [d["title"] for d in first.documents] == ["自我评价报告/个人事迹材料"]
    assert [d["original_name"] for d in second.documents] == ["自我评价报告（修订）.pdf"]
    assert first.form_data["honours"] == "山东省制造业单项冠军"
    assert second.form_data["honours"] == "山东省质量标杆"
    first_report.refresh_from_db()
    assert first_report.removed_at is not None and first_report.file.storage.exists(
        first_report.file.name
    )
    current = ApplicationDocument.objects.filter(application=application).current()
    assert [(d.original_name, d.frozen_in_round) for d in current] == [
        ("自我评价报告（修订）.pdf", 2)
    ]


def test_return_tells_the_applicant_the_reason():
    world = World()
    application = world.application_in(S.SUBMITTED)
    application_return(application=application, by=world.county_user, reason="请补充纳税证明")
    message = Message.objects.filter(recipient=world.owner).order_by("-pk").first()
    assert message.subject == f"申报“{application.name}”：退回修改"
    assert "请补充纳税证明" in message.body
    assert "退回修改" in message.body


def test_office_return_also_tells_the_county():
    world = World()
    application = world.application_in(S.RECOMMENDED)
    advance_cycle(world.cycle, CyclePhase.PRELIMINARY, office=world.office)
    before = last_message_pk()
    application_return(application=application, by=world.office, reason="证实性材料不清晰")
    recipients = set(Message.objects.filter(pk__gt=before).values_list("recipient", flat=True))
    assert recipients == {world.owner.pk, world.county_user.pk}
    entry = AuditEntry.objects.get(action="application.return_for_revision")
    assert (entry.actor, entry.reason, entry.article) == (
        world.office,
        "证实性材料不清晰",
        "第十四条第（三）项",
    )
