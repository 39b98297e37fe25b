"""材料提报: submitting an application to its county (第十四条第（二）项)."""

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.declarations import ARTICLE as DECLARATION_ARTICLE
from applications.declarations import declaration_items
from applications.eligibility import check_eligibility, full_years_between
from applications.enums import ApplicationState
from applications.exceptions import ApplicationNotEligible
from applications.models import Application, ApplicationSnapshot
from applications.selectors import applicant_profile
from applications.services.common import (
    check_transition,
    county_coordinators,
    lock_application,
    take_transition,
    tell_state_change,
    tell_to_handle,
    withdraw_change_perm,
)
from applications.services.pdf import queue_application_pdf
from award.enums import ApplicantKind
from award.models import User
from award.services.submissions import submission_claim, submission_made

logger = logging.getLogger(__name__)

PROFILE_FIELDS = {
    ApplicantKind.UNIT: (
        "name",
        "uscc",
        "legal_representative",
        "founded_on",
        "industry",
        "address",
        "contact_name",
        "contact_phone",
        "size",
        "is_new_field",
        "main_products",
    ),
    ApplicantKind.INDIVIDUAL: (
        "name",
        "gender",
        "birth_date",
        "id_number",
        "education",
        "title",
        "employer",
        "position",
        "quality_work_years",
        "quality_work_since",
        "contact_phone",
    ),
}


def application_submit(*, application: Application, by: User, submission_token=None) -> Application:
    """Submit (or, after a return, resubmit) the application to the county for 初审.

    Owner only, from draft (while the cycle takes applications) or returned (until expert
    review begins). Refreshes name, identifier and county from the profile, then runs
    check_eligibility and raises ApplicationNotEligible(problems) if anything is unmet.
    Effects: round + 1; the current documents are frozen in this round; a snapshot of form,
    profile, document list (with SHA-256) and 承诺 is written; the applicant loses
    change_application; event and audit entries; 站内信 to the county's coordinators and
    the applicant; after commit the 申报表 PDF is rendered by Celery.
    A second call on an already submitted application (a double click) waits for the row
    lock, then is refused with ApplicationTransitionRefused; nothing is submitted twice.
    With the 确认提交 form's `submission_token` the second call raises SubmissionReplayed
    with the submitted application instead.
    """
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="application.submit")
        locked = lock_application(application)
        transition = check_transition(locked, "submit", by)
        profile = applicant_profile(locked.applicant, locked.kind)
        if profile is not None:
            locked.name = profile.name
            locked.identifier = profile.identifier
            locked.county = profile.county
        problems = check_eligibility(locked)
        if problems:
            raise ApplicationNotEligible(problems)
        resubmission = locked.state == ApplicationState.RETURNED
        take_transition(locked, transition, by=by, update_fields=["name", "identifier", "county"])
        documents = locked.documents.current()
        documents.filter(frozen_in_round__isnull=True).update(frozen_in_round=locked.round)
        snapshot = ApplicationSnapshot.objects.create(
            application=locked,
            round=locked.round,
            form_data=locked.form_data,
            profile_data=_profile_data(profile, locked.kind),
            documents=[
                {
                    "id": d.pk,
                    "kind": d.kind,
                    "title": d.title,
                    "original_name": d.original_name,
                    "content_type": d.content_type,
                    "size": d.size,
                    "sha256": d.sha256,
                    "frozen_in_round": d.frozen_in_round,
                }
                for d in documents.order_by("kind", "pk")
            ],
            declarations={
                "signed_by": locked.declarations_accepted_by,
                "signed_at": locked.declarations_accepted_at.isoformat(),
                "article": DECLARATION_ARTICLE[locked.kind],
                "items": declaration_items(locked.kind),
            },
            created_by=by,
        )
        withdraw_change_perm(locked, by=by)
        action = _("重新提交") if resubmission else _("提交申报")
        tell_to_handle(locked, recipients=county_coordinators(locked.county_id), task=_("初审"))
        tell_state_change(locked, recipients=[locked.applicant], action=action)
        transaction.on_commit(partial(queue_application_pdf, snapshot.pk), robust=True)
        submission_made(claim, locked)
    return locked


def _profile_data(profile, kind) -> dict:
    data = {}
    for name in PROFILE_FIELDS[kind]:
        value = getattr(profile, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data["county"] = profile.county.name
    data["county_id"] = profile.county_id
    if kind == ApplicantKind.UNIT:
        data["size_label"] = str(profile.get_size_display())
    else:
        data["gender_label"] = str(profile.get_gender_display())
        data["education_label"] = str(profile.get_education_display())
        # Counted on the day of submission, not on the day the profile was last saved.
        data["quality_work_years"] = full_years_between(
            profile.quality_work_since, timezone.localdate()
        )
    data["captured_at"] = timezone.now().isoformat()
    return data
