"""Who reads which feedback report (反馈报告): the applicant its own after 公布, the office and
the auditor every one; anyone else finds nothing (a 404 on the page)."""

from django.db.models import Q

from applications.selectors import applicant_profile
from award.enums import CyclePhase, Role
from award.permissions import is_active_user, is_staff_reader
from decisions.models import FeedbackReport

PUBLISHED_PHASES = (CyclePhase.PUBLISHED, CyclePhase.ARCHIVED)


def _own(user) -> Q | None:
    """The applications the applicant owns: its account's, or those filed under its
    统一社会信用代码/身份证号码 by another account (第十三条: it may apply again)."""
    if not (is_active_user(user) and user.has_role(Role.APPLICANT)):
        return None
    own = Q(application__applicant_id=user.pk)
    profile = applicant_profile(user)
    if profile is not None and profile.identifier:
        own |= Q(
            application__identifier=profile.identifier,
            application__kind=user.applicant_kind,
        )
    return own


def readable_reports(user):
    """The reports `user` may read."""
    reports = FeedbackReport.objects.select_related("application__cycle", "application__county")
    if is_staff_reader(user):
        return reports
    own = _own(user)
    if own is None:
        return reports.none()
    return reports.filter(own, application__cycle__phase__in=PUBLISHED_PHASES)


def feedback_report_for(user, application_id) -> FeedbackReport | None:
    return readable_reports(user).filter(application_id=application_id).first()


def cycle_reports(cycle):
    """The cycle's reports for the office's list, by application."""
    return (
        FeedbackReport.objects.filter(application__cycle=cycle)
        .select_related("application__county")
        .order_by("application__kind", "application__name", "pk")
    )


def previous_report(application) -> FeedbackReport | None:
    """The newest report of an earlier cycle for the same applicant (same account, or the
    same 统一社会信用代码/身份证号码 and kind), once that cycle is published."""
    same = Q(application__applicant_id=application.applicant_id)
    if application.identifier:
        same |= Q(
            application__identifier=application.identifier, application__kind=application.kind
        )
    return (
        FeedbackReport.objects.filter(same, application__cycle__phase__in=PUBLISHED_PHASES)
        .exclude(application__cycle_id=application.cycle_id)
        .select_related("application__cycle")
        .order_by("-application__cycle__number", "-pk")
        .first()
    )
