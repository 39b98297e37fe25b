"""Starting an application and filling it in: create, save the 申报表 draft, sign the 承诺书."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.declarations import ARTICLE as DECLARATION_ARTICLE
from applications.declarations import expected_signer_label
from applications.eligibility import duplicate_problems, past_winner_problems
from applications.enums import ApplicationState, EventAction
from applications.exceptions import ApplicationNotEligible, ApplicationTransitionRefused
from applications.form_data import TEXT_SECTIONS, clean_form_data
from applications.models import Application, ApplicationEvent
from applications.permissions import CHANGE_APPLICATION, VIEW_APPLICATION, is_owner
from applications.selectors import applicant_profile
from applications.services.common import lock_application, require_editable
from award.enums import ApplicantKind, Role
from award.models import Cycle, User
from award.services.audit import audit_record
from award.services.permissions import perm_grant, perm_revoke
from award.services.submissions import submission_claim, submission_made
from award.text import reject_control_characters


def application_create(*, cycle: Cycle, by: User, submission_token=None) -> Application:
    """Start the signed-in applicant's application for `cycle` as a draft (create → 草稿).

    Needs the applicant's profile (its county decides who runs 初审). Refused when the
    cycle is not taking applications (第十四条第（二）项), when the applicant already has an
    application in this cycle, when the same unit or person applies under another account,
    or when it already won (第十三条, ApplicationNotEligible). Side effects: an event row,
    an audit entry, and the guardian perms view_application and change_application for the
    applicant (each audited). The 开始申报 button posted twice (`submission_token`) raises
    SubmissionReplayed with the application the first click made.
    """
    if not by.has_role(Role.APPLICANT):
        raise PermissionDenied(_("只有申报单位或个人可以创建申报。"))
    profile = applicant_profile(by)
    if profile is None:
        raise ValidationError(_("请先填写申报主体基本信息，再创建申报。"), code="no_profile")
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="application.create")
        cycle = Cycle.objects.select_related("rulebook").get(pk=cycle.pk)
        if not cycle.accepts_applications:
            raise ValidationError(
                _("本届申报尚未开始或已经截止，不能创建申报（第十四条第（二）项）。"),
                code="cycle_closed",
            )
        if Application.objects.filter(cycle=cycle, applicant=by).exists():
            raise ValidationError(
                _("您在本届已有申报，请在原申报中继续填写。"), code="already_applied"
            )
        application = Application(
            cycle=cycle,
            applicant=by,
            kind=by.applicant_kind,
            name=profile.name,
            identifier=profile.identifier,
            county=profile.county,
        )
        problems = past_winner_problems(application) + duplicate_problems(application)
        if problems:
            raise ApplicationNotEligible(problems)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:  # a double click raced past the check above
            raise ValidationError(
                _("您在本届已有申报，请在原申报中继续填写。"), code="already_applied"
            ) from None
        ApplicationEvent.objects.create(
            application=application,
            round=0,
            actor=by,
            action=EventAction.CREATE,
            to_state=ApplicationState.DRAFT,
        )
        audit_record(
            actor=by,
            action="application.create",
            obj=application,
            after={"state": application.state, "cycle": cycle.pk, "kind": application.kind},
            article="第十四条第（二）项",
        )
        perm_grant(perm=VIEW_APPLICATION, user=by, obj=application, by=by)
        perm_grant(perm=CHANGE_APPLICATION, user=by, obj=application, by=by)
        submission_made(claim, application)
    return application


def application_save_draft(*, application: Application, by: User, form_data: dict) -> Application:
    """Save sections of the 申报表 (see applications.form_data for the shape) as a draft.

    Owner only, while draft or returned. Sections given replace the stored ones; others are
    kept. Raises ValidationError keyed by field ("key_figures.2024.revenue", …) for bad
    values, text with invisible control characters included; an incomplete draft is fine
    (submission checks completeness). Audited when something changed.
    """
    with transaction.atomic():
        # The cycle (its year) is all the draft's checks read: the busiest write joins no more.
        locked = lock_application(application, related=("cycle",))
        require_editable(locked, by)
        _reject_control_characters(locked.kind, form_data)
        cleaned = clean_form_data(locked.kind, form_data, cycle=locked.cycle)
        before = {key: locked.form_data.get(key) for key in cleaned}
        changed = [key for key in cleaned if before[key] != cleaned[key]]
        if changed:
            locked.form_data = {**locked.form_data, **cleaned}
            locked.save(update_fields=["form_data", "updated_at"])
            audit_record(
                actor=by,
                action="application.save_draft",
                obj=locked,
                before={key: before[key] for key in changed},
                after={key: cleaned[key] for key in changed},
            )
    return locked


def _reject_control_characters(kind, form_data) -> None:
    """The free-text sections are multi-line: tab and line breaks are their only controls."""
    if not isinstance(form_data, dict):
        return  # clean_form_data explains
    errors = {}
    for key, label, _required in TEXT_SECTIONS[kind]:
        try:
            reject_control_characters(form_data.get(key), multiline=True, label=label)
        except ValidationError as error:
            errors[key] = error.error_list
    if errors:
        raise ValidationError(errors)


def declarations_accept(*, application: Application, by: User, signed_name: str) -> Application:
    """Sign the 承诺书 (第十条第（五）（六）项 / 第十二条第（一）（六）（七）项) by typing a name.

    A unit signs with its legal representative's name, a person with their own, exactly as
    in the profile. Owner only, while draft or returned. Records name and time; audited.
    """
    with transaction.atomic():
        locked = lock_application(application)
        require_editable(locked, by)
        profile = applicant_profile(locked.applicant, locked.kind)
        if profile is None:
            raise ValidationError(_("请先填写申报主体基本信息。"), code="no_profile")
        expected = (
            profile.legal_representative if locked.kind == ApplicantKind.UNIT else profile.name
        )
        signed = " ".join((signed_name or "").split())
        if not signed:
            raise ValidationError({"signed_name": _("请输入签名。")}, code="required")
        if signed != expected:
            raise ValidationError(
                {
                    "signed_name": _("签名须与%(who)s一致。")
                    % {"who": expected_signer_label(locked.kind)}
                },
                code="signer",
            )
        locked.declarations_accepted_by = signed
        locked.declarations_accepted_at = timezone.now()
        locked.save(
            update_fields=["declarations_accepted_by", "declarations_accepted_at", "updated_at"]
        )
        audit_record(
            actor=by,
            action="application.declarations_accept",
            obj=locked,
            after={"signed_by": signed},
            article=DECLARATION_ARTICLE[locked.kind],
        )
    return locked


def application_delete_draft(*, application: Application, by: User) -> None:
    """Delete a draft that was never submitted, with its uploads, so that the applicant may
    start again in this cycle (a withdrawal would end their part in it, 第十四条第（二）项).

    Owner only, while the application is a draft. The applicant's object permissions on it
    are revoked and the deletion audited (name, cycle, documents); the files are removed
    after commit.
    """
    with transaction.atomic():
        locked = lock_application(application)
        if not is_owner(locked, by):
            raise PermissionDenied(_("您无权删除该申报。"))
        if locked.state != ApplicationState.DRAFT:
            raise ApplicationTransitionRefused(
                _("只有尚未提交的草稿可以删除；该申报当前状态为“%(state)s”，如需退出请撤回申报。")
                % {"state": locked.get_state_display()},
                code="state",
            )
        documents = list(locked.documents.all())
        audit_record(
            actor=by,
            action="application.delete_draft",
            obj=locked,
            before={"state": locked.state, "cycle": locked.cycle_id, "kind": locked.kind},
            after={"documents": [d.pk for d in documents]},
            article="第十四条第（二）项",
        )
        for perm in (VIEW_APPLICATION, CHANGE_APPLICATION):
            perm_revoke(perm=perm, user=locked.applicant, obj=locked, by=by)
        stored = [(d.file.storage, d.file.name) for d in documents if d.file]
        locked.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])
