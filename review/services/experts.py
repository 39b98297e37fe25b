"""The agency keeps its pool of experts (第八条第（二）项): accounts with role `expert`."""

import secrets

from django.contrib.auth.models import BaseUserManager, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.validators import normalise_identifier
from award.enums import Role
from award.models import User
from award.permissions import is_agency_manager
from award.selectors.accounts import email_taken, username_taken
from award.services.accounts import mask_mobile
from award.services.audit import audit_record
from award.services.notifications import notify
from award.services.submissions import submission_claim, submission_made
from award.text import clean_model_text
from review.enums import ExclusionSource
from review.models import Assignment, Expert
from review.services.common import (
    automatic_conflict,
    exclude_unsigned_work,
    flag_if_short,
    record_exclusion,
    revoke_review_perms,
)

EXPERT_FIELDS = ("name", "employer", "employer_uscc", "county", "contact_phone", "is_active")
ARTICLE_POOL = "第八条第（二）项"


def _require_manager(agency, by) -> None:
    if not is_agency_manager(agency, by):
        raise PermissionDenied(_("只有第三方机构可以维护本机构的评审专家库。"))


def _snapshot(expert: Expert) -> dict:
    return {
        "name": expert.name,
        "employer": expert.employer,
        "employer_uscc": expert.employer_uscc,
        "county": expert.county_id,
        "contact_phone": mask_mobile(expert.contact_phone),
        "is_active": expert.is_active,
        "specialities": sorted(expert.specialities.values_list("pk", flat=True)),
    }


def expert_create(
    *,
    by: User,
    name: str,
    email: str,
    mobile: str = "",
    employer: str,
    employer_uscc: str = "",
    specialities=(),
    county=None,
    contact_phone: str = "",
    username: str = "",
    submission_token=None,
) -> Expert:
    """Add an expert to the agency's pool and open their account (role `expert`).

    Agency managers only, into their own agency. The account gets a random password: the
    expert sets their own through 找回密码 with this email. Audited; a 站内信 (and email
    after commit) welcomes them. ValidationError keyed by field (email or login name
    taken, malformed 统一社会信用代码 or phone, invisible characters in name, employer or
    phone).
    """
    agency = by.agency if by is not None and by.is_authenticated else None
    _require_manager(agency, by)
    lines, errors = clean_model_text(
        Expert,
        {"name": name or "", "employer": employer or "", "contact_phone": contact_phone or ""},
    )
    email = BaseUserManager.normalize_email((email or "").strip())
    username = (username or "").strip() or email
    user = User(
        username=username,
        email=email,
        mobile=(mobile or "").strip(),
        display_name=lines["name"].strip(),
    )
    expert = Expert(
        agency=agency,
        name=lines["name"].strip(),
        employer=lines["employer"].strip(),
        employer_uscc=normalise_identifier(employer_uscc),
        county=county,
        contact_phone=lines["contact_phone"].strip(),
    )
    if email and email_taken(email):
        errors["email"] = [_("该邮箱已注册，请核对或换一个。")]
    if username and username_taken(username):
        errors["username"] = [_("该登录名已被使用，请换一个。")]
    for instance, exclude in ((user, ["password"]), (expert, ["user"])):
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(secrets.token_urlsafe(32))
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="review.expert_create")
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise ValidationError({"email": [_("该邮箱或登录名已被使用。")]}) from None
        user.groups.add(Group.objects.get(name=Role.EXPERT))
        expert.user = user
        expert.save()
        expert.specialities.set(specialities)
        audit_record(
            actor=by,
            action="review.expert_create",
            obj=expert,
            after={"user": user.pk, "agency": agency.pk, **_snapshot(expert)},
            article=ARTICLE_POOL,
        )
        notify(
            recipients=[user],
            template="review_expert_welcome",
            context={"expert": expert, "agency": agency},
            url=reverse("award:password_reset"),
        )
        submission_made(claim, expert)
    return expert


def expert_update(*, expert: Expert, by: User, specialities=None, **fields) -> Expert:
    """Change an expert's details. Agency managers of the expert's agency only; audited.

    When the employer, its 统一社会信用代码 or the county change, the automatic conflict
    rules run again over the expert's open assignments: a new conflict excludes the expert
    (recorded), revokes their permissions and flags the application if the group falls short.
    """
    unknown = set(fields) - set(EXPERT_FIELDS)
    if unknown:
        raise TypeError(f"cannot set expert fields {sorted(unknown)}")
    _require_manager(expert.agency, by)
    fields, errors = clean_model_text(Expert, fields)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Expert.objects.select_for_update().select_related("user").get(pk=expert.pk)
        before = _snapshot(locked)
        for name, value in fields.items():
            if name == "employer_uscc":
                value = normalise_identifier(value)
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        locked.full_clean(exclude=["user"])
        locked.save()
        if specialities is not None:
            locked.specialities.set(specialities)
        if locked.user.display_name != locked.name:
            locked.user.display_name = locked.name
            locked.user.save(update_fields=["display_name"])
        after = _snapshot(locked)
        changed = {key for key in after if before[key] != after[key]}
        if changed:
            audit_record(
                actor=by,
                action="review.expert_update",
                obj=locked,
                before={key: before[key] for key in changed},
                after={key: after[key] for key in changed},
                article=ARTICLE_POOL,
            )
        if changed & {"employer", "employer_uscc", "county"}:
            _recheck_conflicts(locked, by=by)
    expert.refresh_from_db()
    return expert


def _recheck_conflicts(expert: Expert, *, by) -> None:
    from review.models import ReviewPlan

    assignments = (
        Assignment.objects.active()
        .filter(group__memberships__expert=expert)
        .exclude(application__review_exclusions__expert=expert)
        .select_related("application__county", "application__applicant", "group")
    )
    for assignment in assignments:
        application = assignment.application
        plan = ReviewPlan.objects.filter(cycle_id=application.cycle_id).first()
        reason = automatic_conflict(expert, application, plan)
        if not reason:
            continue
        record_exclusion(
            application=application,
            expert=expert,
            source=ExclusionSource.AUTO,
            reason=reason,
            by=by,
        )
        revoke_review_perms(assignment, expert, by=by, reason=reason)
        exclude_unsigned_work(application, expert, reason=reason, by=by)
        if plan is not None:
            flag_if_short(assignment, plan, by=by)
