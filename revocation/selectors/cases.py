"""Reads of the revocation cases: lists for the office and the auditor, a holder's cases,
the votes waiting for a leader, the public 撤销公告."""

from django.db.models import Count, Exists, OuterRef, Q

from revocation.enums import CaseState, CaseVoteState
from revocation.models import CaseBallot, CaseVote, RevocationAnnouncement, RevocationCase
from revocation.models.cases import OPEN_CASE_STATES

CASE_RELATED = ("honour__cycle", "honour__county", "honour__application", "opened_by")


def staff_cases(*, state: str = ""):
    cases = RevocationCase.objects.select_related(*CASE_RELATED).prefetch_related("grounds")
    if state == "open":
        cases = cases.filter(state__in=OPEN_CASE_STATES)
    elif state:
        cases = cases.filter(state=state)
    return cases


def case_for_staff(pk: int) -> RevocationCase | None:
    return (
        RevocationCase.objects.select_related(*CASE_RELATED, "honour__cycle__rulebook")
        .prefetch_related("grounds")
        .filter(pk=pk)
        .first()
    )


def holder_cases(user):
    """The cases put to `user` as holder (only once 查证属实 was told)."""
    return (
        RevocationCase.objects.filter(
            honour__application__applicant_id=user.pk, found_at__isnull=False
        )
        .select_related("honour__cycle")
        .prefetch_related("grounds")
    )


def leader_cases(user):
    """Cases whose vote recorded `user` present, with whether they voted."""
    return (
        RevocationCase.objects.filter(vote__members_present=user)
        .select_related("honour__cycle", "vote")
        .prefetch_related("grounds")
        .annotate(
            voted=Exists(CaseBallot.objects.filter(vote__case=OuterRef("pk"), member_id=user.pk))
        )
    )


def votes_waiting(user) -> int:
    return (
        CaseVote.objects.filter(state=CaseVoteState.OPEN, members_present=user)
        .exclude(ballots__member=user)
        .count()
    )


def office_waiting() -> dict:
    """How many cases wait for an office step, by state."""
    counts = RevocationCase.objects.aggregate(
        investigating=Count("pk", filter=Q(state=CaseState.INVESTIGATING)),
        awaiting=Count("pk", filter=Q(state=CaseState.AWAITING_ANSWER)),
        deliberation=Count("pk", filter=Q(state=CaseState.DELIBERATION)),
        submitted=Count("pk", filter=Q(state=CaseState.SUBMITTED)),
    )
    return counts


def case_files(case, *, purposes=None):
    files = case.files.select_related("uploaded_by")
    if purposes:
        files = files.filter(purpose__in=purposes)
    return list(files)


def announcements():
    return RevocationAnnouncement.objects.all()


def revoked_history(*, applicant_id, identifier, kind):
    """Revoked honours of the same holder: the same applicant account, or the same
    统一社会信用代码/身份证号码 and kind (第十三条)."""
    from decisions.enums import HonourStatus
    from decisions.models import Honour

    match = Q(application__applicant_id=applicant_id) if applicant_id else Q(pk__in=[])
    if identifier:
        match |= Q(application__identifier=identifier, kind=kind)
    return (
        Honour.objects.filter(match, status=HonourStatus.REVOKED)
        .select_related("cycle")
        .order_by("revoked_on", "pk")
    )
