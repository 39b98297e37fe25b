"""Saving an applicant's standing data (申报单位 / 申报个人基本信息)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.eligibility import full_years_between
from applications.models import Application, IndividualProfile, UnitProfile
from applications.models.application import EDITABLE_STATES
from applications.validators import mask_id_number
from award.enums import ApplicantKind, Role
from award.models import User
from award.services.audit import audit_record
from award.text import clean_model_text

UNIT_FIELDS = (
    "name",
    "uscc",
    "legal_representative",
    "founded_on",
    "industry",
    "county",
    "address",
    "contact_name",
    "contact_phone",
    "size",
    "is_new_field",
    "main_products",
)
INDIVIDUAL_FIELDS = (
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
    "county",
    "contact_phone",
)
PROFILE = {
    ApplicantKind.UNIT: (UnitProfile, UNIT_FIELDS),
    ApplicantKind.INDIVIDUAL: (IndividualProfile, INDIVIDUAL_FIELDS),
}
# Labour law sets 16 as the youngest age one may be employed at.
MIN_WORKING_AGE = 16
# Years typed by a caller may be counted by calendar year (2016–2026 → 10) or have been
# computed just before midnight; more than one year off is a different start date.
QUALITY_WORK_YEARS_TOLERANCE = 1


def profile_save_unit(*, by: User, **fields) -> UnitProfile:
    """Create or update the signed-in unit's profile (all of UNIT_FIELDS when creating).

    `county` is a County. Raises PermissionDenied for non-applicants, ValidationError keyed
    by field for bad values (统一社会信用代码 checked per GB 32100-2015, unique per unit;
    text with invisible control characters). Text is trimmed, runs of spaces in
    single-line fields made one.
    Side effects: sets the account's applicant kind if unset; copies name, 统一社会信用代码
    and county onto the applicant's draft or returned applications; one audit entry.
    """
    return _profile_save(by=by, kind=ApplicantKind.UNIT, fields=fields)


def profile_save_individual(*, by: User, **fields) -> IndividualProfile:
    """Create or update the signed-in person's profile (all of INDIVIDUAL_FIELDS to create).

    The ID number is checked per GB 11643-1999 and must agree with birth date and gender;
    the audit entry holds it masked. 在本市从事质量工作年限 is derived from the start date
    (whole years to today, 第十二条第（二）项) on every save; `quality_work_years`, if given,
    must be within QUALITY_WORK_YEARS_TOLERANCE of that count. The start date may not lie
    before the person's 16th birthday. Other effects as profile_save_unit.
    """
    return _profile_save(by=by, kind=ApplicantKind.INDIVIDUAL, fields=fields)


def _audit_value(name, value):
    if name == "id_number" and value:
        return mask_id_number(value)
    if name == "county":
        return value.pk if value is not None else None
    return value


def _birthday(born: datetime.date, age: int) -> datetime.date:
    """The day one turns `age`; 29 Feb → 1 Mar, as full_years_between counts it."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return datetime.date(born.year + age, 3, 1)


def _quality_work_errors(profile, given_years) -> dict:
    """Derive 在本市从事质量工作年限 from its start date, and check the pair (第十二条第（二）项).

    A start date in the future or not after the birth date is left to the model's clean().
    """
    since, born = profile.quality_work_since, profile.birth_date
    if not isinstance(since, datetime.date):
        return {}
    today = timezone.localdate()
    derived = profile.quality_work_years = full_years_between(since, today)
    if since > today:
        return {}
    errors = {}
    if (
        isinstance(born, datetime.date)
        and born < since
        and full_years_between(born, since) < MIN_WORKING_AGE
    ):
        errors["quality_work_since"] = [
            _(
                "从事质量工作起始时间不能早于年满%(age)s周岁之日（%(date)s）。"
                "第十二条第（二）项的年限按此日期计算，请核对后重新填写。"
            )
            % {"age": MIN_WORKING_AGE, "date": _birthday(born, MIN_WORKING_AGE).isoformat()}
        ]
    if given_years is not None:
        try:
            off = abs(int(given_years) - derived)
        except (TypeError, ValueError):
            off = None
        if off is None or off > QUALITY_WORK_YEARS_TOLERANCE:
            errors["quality_work_years"] = [
                _(
                    "在本市从事质量工作年限与起始时间不一致：自%(since)s起至今满%(years)s年"
                    "（第十二条第（二）项）。年限按起始时间计算，请核对起始时间。"
                )
                % {"since": since.isoformat(), "years": derived}
            ]
    return errors


def _profile_save(*, by, kind, fields):
    model, allowed = PROFILE[kind]
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"profile fields not known: {sorted(unknown)}")
    if not by.has_role(Role.APPLICANT):
        raise PermissionDenied(_("只有申报单位或个人可以填写申报主体信息。"))
    other_kind = next(k for k in PROFILE if k != kind)
    registered_as = by.applicant_kind
    if (registered_as and registered_as != kind) or PROFILE[other_kind][0].objects.filter(
        user_id=by.pk
    ).exists():
        raise ValidationError(
            _("您的账号登记为“%(kind)s”，不能填写其他类型的申报主体信息。")
            % {"kind": ApplicantKind(registered_as or other_kind).label}
        )
    fields, errors = clean_model_text(model, fields)  # award.text: the one rule
    audited = list(fields)
    if kind == ApplicantKind.INDIVIDUAL and "quality_work_years" not in audited:
        audited.append("quality_work_years")  # derived, so it may change with the date
    with transaction.atomic():
        profile = model.objects.select_for_update().filter(user_id=by.pk).first()
        created = profile is None
        if created:
            profile = model(user=by)
        before = {name: _audit_value(name, getattr(profile, name, None)) for name in audited}
        for name, value in fields.items():
            setattr(profile, name, value)
        if kind == ApplicantKind.INDIVIDUAL:
            for name, messages in _quality_work_errors(
                profile, fields.get("quality_work_years")
            ).items():
                errors.setdefault(name, []).extend(messages)
        try:
            profile.full_clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        profile.save()
        after = {name: _audit_value(name, getattr(profile, name)) for name in audited}
        changed = [name for name in audited if created or before[name] != after[name]]
        if not registered_as:
            User.objects.filter(pk=by.pk).update(applicant_kind=kind)
            by.applicant_kind = kind
        if changed:
            audit_record(
                actor=by,
                action="profile.create" if created else "profile.update",
                obj=profile,
                before=None if created else {name: before[name] for name in changed},
                after={name: after[name] for name in changed},
                article="第十四条第（二）项",
            )
        Application.objects.filter(applicant=by, kind=kind, state__in=EDITABLE_STATES).update(
            name=profile.name, identifier=profile.identifier, county=profile.county
        )
    return profile
