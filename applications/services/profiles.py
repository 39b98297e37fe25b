"""Saving an applicant's standing data (申报单位 / 申报个人基本信息)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application, IndividualProfile, UnitProfile
from applications.models.application import EDITABLE_STATES
from applications.validators import mask_id_number
from award.enums import ApplicantKind, Role
from award.models import User
from award.services.audit import audit_record

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


def profile_save_unit(*, by: User, **fields) -> UnitProfile:
    """Create or update the signed-in unit's profile (all of UNIT_FIELDS when creating).

    `county` is a County. Raises PermissionDenied for non-applicants, ValidationError keyed
    by field for bad values (统一社会信用代码 checked per GB 32100-2015, unique per unit).
    Side effects: sets the account's applicant kind if unset; copies name, 统一社会信用代码
    and county onto the applicant's draft or returned applications; one audit entry.
    """
    return _profile_save(by=by, kind=ApplicantKind.UNIT, fields=fields)


def profile_save_individual(*, by: User, **fields) -> IndividualProfile:
    """Create or update the signed-in person's profile (all of INDIVIDUAL_FIELDS to create).

    The ID number is checked per GB 11643-1999 and must agree with birth date and gender;
    the audit entry holds it masked. Other effects as profile_save_unit.
    """
    return _profile_save(by=by, kind=ApplicantKind.INDIVIDUAL, fields=fields)


def _audit_value(name, value):
    if name == "id_number" and value:
        return mask_id_number(value)
    if name == "county":
        return value.pk if value is not None else None
    return value


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
    with transaction.atomic():
        profile = model.objects.select_for_update().filter(user_id=by.pk).first()
        created = profile is None
        if created:
            profile = model(user=by)
        before = {name: _audit_value(name, getattr(profile, name, None)) for name in fields}
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.full_clean()
        profile.save()
        after = {name: _audit_value(name, getattr(profile, name)) for name in fields}
        changed = [name for name in fields if created or before[name] != after[name]]
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
