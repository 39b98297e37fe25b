"""Taking a revocation case through its steps with the services, for the cases tests."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from revocation.enums import CaseBallotChoice
from revocation.services.cases import (
    case_ballot_cast,
    case_find_true,
    case_reply,
    case_revoke,
    case_send,
    case_submit,
    case_vote_close,
    case_vote_open,
    earliest_answer_due,
)
from tests.applications.factories import pdf_bytes


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def find_true(world, case):
    return case_find_true(
        case=case,
        by=world.office,
        findings="经核查，申报材料中的检测报告系伪造。",
        answer_due_on=earliest_answer_due(),
        files=[pdf("查证报告.pdf")],
    )


def reply(world, case):
    holder = case.honour.application.applicant
    return case_reply(case=case, by=holder, answer="我单位对查证情况有异议。", files=[pdf()])


def send(world, case):
    return case_send(case=case, by=world.office)


def vote(world, case, choices=None):
    leaders = world.leaders
    case_vote_open(
        case=case, by=world.office, held_on=timezone.localdate(), members_present=leaders
    )
    choices = choices or [CaseBallotChoice.AGREE] * len(leaders)
    for leader, choice in zip(leaders, choices, strict=False):
        case_ballot_cast(case=case, by=leader, choice=choice)
    return case_vote_close(case=case, by=world.office)


def submit(world, case):
    return case_submit(case=case, by=world.office)


def revoke(world, case, decided_on=None):
    return case_revoke(
        case=case,
        by=world.office,
        document_number="临政字〔2026〕99号",
        decided_on=decided_on or timezone.localdate(),
        file=pdf("撤销决定.pdf"),
    )


def run_to(world, case, state):
    """Run `case` (investigating) to `state` through the services."""
    steps = {
        "awaiting_answer": [find_true],
        "deliberation": [find_true, reply, send],
        "voted": [find_true, reply, send, vote],
        "submitted": [find_true, reply, send, vote, submit],
        "revoked": [find_true, reply, send, vote, submit, revoke],
    }[state]
    for step in steps:
        step(world, case)
    return fresh(case)


def fresh(case):
    from revocation.models import RevocationCase

    return RevocationCase.objects.select_related("honour__application").get(pk=case.pk)


def past(days=1):
    return timezone.localdate() - datetime.timedelta(days=days)
