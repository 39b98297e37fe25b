"""Opening a revocation case (第二十三条、第二十四条). Every way in — the office on its own, a
periodic assessment (第二十五条) or a complaint (第二十一条) — goes through `case_open`."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.services.common import (
    check_transition,
    lock_application,
    office_staff,
    take_transition,
)
from award.enums import Role
from award.fsm import TransitionRefused, step_check, step_run
from award.models import User
from award.permissions import is_active_user, is_office, is_staff_reader
from award.services.audit import audit_record, download_record
from award.services.notifications import notify
from award.services.submissions import submission_claim, submission_made
from award.text import refuse_bad_model_text
from award.workdays import CalendarUnknown, working_window
from decisions.enums import HonourStatus
from decisions.models import Honour
from decisions.selectors.meetings import active_leaders, quorum_for
from decisions.services.approval import chinese_date
from revocation.enums import (
    CaseBallotChoice,
    CaseFilePurpose,
    CaseSource,
    CaseState,
    CaseVoteState,
)
from revocation.models import (
    CaseBallot,
    CaseFile,
    CaseVote,
    GovernmentDecision,
    Ground,
    RevocationAnnouncement,
    RevocationCase,
)
from revocation.models.cases import OPEN_CASE_STATES, case_holder
from revocation.models.grounds import cite
from revocation.reference_data import GROUNDS
from revocation.services.files import check_files, store_files

ARTICLES = "第二十三条、第二十四条"


def article_for_kind(kind: str) -> str:
    """第二十三条 for units, 第二十四条 for individuals."""
    return next(article for (k, article) in GROUNDS if k == kind)


def grounds_for(honour: Honour):
    """The grounds that apply to `honour`: its kind's items of its cycle's rulebook."""
    return Ground.objects.filter(rulebook_id=honour.cycle.rulebook_id, kind=honour.kind)


def open_case_of(honour: Honour) -> RevocationCase | None:
    return RevocationCase.objects.filter(honour=honour, state__in=OPEN_CASE_STATES).first()


def case_open_blockers(honour: Honour) -> list[str]:
    """Why no case can be opened against `honour` now; empty when one can."""
    if honour.status == HonourStatus.REVOKED:
        return [
            _("该荣誉已于%(date)s撤销，不能再次立案撤销。")
            % {"date": chinese_date(honour.revoked_on)}
        ]
    existing = open_case_of(honour)
    if existing is not None:
        return [
            _("该荣誉已有正在办理的撤销案件（%(number)s），新的情况请并入该案件办理。")
            % {"number": existing.number}
        ]
    return []


def _grounds_problems(honour: Honour, grounds: list[Ground]) -> list[str]:
    if not grounds:
        return [_("请至少选择一项撤销情形（%(articles)s）。") % {"articles": ARTICLES}]
    article = article_for_kind(honour.kind)
    wrong = [
        g for g in grounds if g.kind != honour.kind or g.rulebook_id != honour.cycle.rulebook_id
    ]
    return [
        _("“%(ground)s”不适用于%(holder)s：%(kind)s适用%(article)s所列情形。")
        % {
            "ground": g.citation,
            "holder": honour.holder_name,
            "kind": honour.get_kind_display(),
            "article": article,
        }
        for g in wrong
    ]


def _next_number(year: int) -> str:
    prefix = f"CX{year}-"
    taken = RevocationCase.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


def case_open(
    *,
    honour: Honour,
    grounds,
    summary: str,
    by: User,
    source: str = CaseSource.OFFICE,
    submission_token=None,
) -> RevocationCase:
    """Open a case against `honour` on `grounds` (items of 第二十三条 for a unit, 第二十四条 for
    an individual), stating what is alleged in `summary`.

    Office only (PermissionDenied). Refused (ValidationError) for a revoked honour, for an
    honour that already has an open case, and for grounds of the other kind of holder. The
    holder is not told yet: only a finding of 查证属实 is put to them. Audited
    `revocation.case_open`; the form posted twice raises SubmissionReplayed.
    """
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以立案调查撤销事项。"))
    grounds = list(grounds)
    typed = refuse_bad_model_text(RevocationCase, {"summary": summary or ""})
    errors = {}
    if not typed["summary"]:
        errors["summary"] = [_("请填写案由：发现的情况、来源和涉及的事实。")]
    problems = _grounds_problems(honour, grounds)
    if problems:
        errors["grounds"] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="revocation.case_open")
        locked = Honour.objects.select_for_update().select_related("cycle").get(pk=honour.pk)
        blockers = case_open_blockers(locked)
        if blockers:
            raise ValidationError(blockers, code="not_now")
        year = timezone.localdate().year
        for _attempt in range(5):
            case = RevocationCase(
                number=_next_number(year),
                honour=locked,
                source=source,
                summary=typed["summary"],
                opened_by=by,
            )
            try:
                with transaction.atomic():
                    case.save()
            except IntegrityError:
                if open_case_of(locked) is not None:
                    raise ValidationError(case_open_blockers(locked), code="not_now") from None
                continue  # another case took the number: count again
            break
        else:
            raise ValidationError(_("案件编号生成失败，请重试。"))
        case.grounds.set(grounds)
        submission_made(claim, case)
        audit_record(
            actor=by,
            action="revocation.case_open",
            obj=case,
            after={
                "honour": locked.serial,
                "case_source": case.source,
                "grounds": [g.citation for g in grounds],
                "summary": case.summary,
            },
            article=article_for_kind(locked.kind),
        )
    return case


# Taking a case through its steps -----------------------------------------------------------

ANSWER_MIN_WORKING_DAYS = 5
ANSWER_DAYS_WITHOUT_CALENDAR = 22
CASE_FILE_KINDS = {"pdf", "jpg", "png", "docx"}
DECISION_FILE_KINDS = {"pdf", "jpg", "png"}


def _lock_case(case) -> RevocationCase:
    return (
        RevocationCase.objects.select_for_update(of=("self",))
        .select_related("honour__cycle__rulebook", "honour__application__applicant")
        .get(pk=case.pk)
    )


def earliest_answer_due(today=None):
    """The earliest deadline the office may give the holder: ANSWER_MIN_WORKING_DAYS working
    days after today (award.workdays). When the year's holidays are not published yet, a
    bound that holds whatever they are: the longest break (国庆, 8 days) plus two weeks."""
    today = today or timezone.localdate()
    try:
        return working_window(today + datetime.timedelta(days=1), ANSWER_MIN_WORKING_DAYS)[1]
    except CalendarUnknown:
        return today + datetime.timedelta(days=ANSWER_DAYS_WITHOUT_CALENDAR)


def _checked_files(files, *, field: str, allowed=CASE_FILE_KINDS) -> tuple[list, dict]:
    checked, errors = check_files(files, allowed=allowed)
    return checked, ({field: errors} if errors else {})


def _store_files(case, checked, *, purpose: str, by) -> list[CaseFile]:
    return store_files(CaseFile, checked, case=case, purpose=purpose, uploaded_by=by)


def holder_of(case) -> User:
    return case.honour.application.applicant


def tell(recipients, case, task: str, *, url: str = "") -> None:
    notify(
        recipients=recipients,
        template="revocation_case",
        context={"case": case, "honour": case.honour, "task": task},
        url=url,
    )


def _holder_url(case) -> str:
    return reverse("revocation:case_mine", kwargs={"pk": case.pk})


def case_find_true(
    *, case, by: User, findings: str, answer_due_on, files=(), submission_token=None
) -> RevocationCase:
    """查证属实: the office records its findings (and evidence files, checked by content) and
    gives the holder a deadline to state their case (陈述申辩), at least
    ANSWER_MIN_WORKING_DAYS working days away. The holder is told (站内信 and email)."""
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以记录查证结果。"))
    typed = refuse_bad_model_text(RevocationCase, {"findings": findings or ""})
    errors = {}
    if not typed["findings"]:
        errors["findings"] = [_("请填写查证情况：查实的事实和依据。")]
    earliest = earliest_answer_due()
    if answer_due_on is None:
        errors["answer_due_on"] = [_("请填写陈述申辩截止日期。")]
    elif answer_due_on < earliest:
        errors["answer_due_on"] = [
            _("陈述申辩期限至少%(days)s个工作日，截止日期不能早于%(date)s。")
            % {"days": ANSWER_MIN_WORKING_DAYS, "date": chinese_date(earliest)}
        ]
    checked, file_errors = _checked_files(files, field="files")
    errors.update(file_errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="revocation.case_find_true")
        locked = _lock_case(case)
        transition = step_check(locked, "find_true", by)
        locked.findings = typed["findings"]
        locked.found_at = timezone.now()
        locked.answer_due_on = answer_due_on
        stored = _store_files(locked, checked, purpose=CaseFilePurpose.EVIDENCE, by=by)
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.case_find_true",
            update_fields=["findings", "found_at", "answer_due_on"],
            after_extra={
                "case_findings": locked.findings,
                "case_answer_due_on": answer_due_on,
                "case_files": [f.sha256 for f in stored],
            },
            article=article_for_kind(locked.honour.kind),
        )
        submission_made(claim, locked)
        tell(
            [holder_of(locked)],
            locked,
            _(
                "经查证，您获评的%(cycle)s%(category)s（证书编号%(serial)s）存在%(grounds)s所列情形，"
                "拟撤销该称号。请于%(date)s前登录平台查看查证情况并提交陈述申辩意见；逾期未提交的，"
                "视为放弃陈述申辩。"
            )
            % {
                "cycle": locked.honour.cycle,
                "category": locked.honour.get_category_display(),
                "serial": locked.honour.serial,
                "grounds": citations(locked),
                "date": chinese_date(answer_due_on),
            },
            url=_holder_url(locked),
        )
    return locked


def citations(case) -> str:
    """The grounds cited as documents cite them, e.g. 第二十三条第（一）（三）项."""
    return cite(case.grounds.all())


def case_find_false(*, case, by: User, reason: str) -> RevocationCase:
    """查证不属实: the office closes the case with its reason; the holder was never told."""
    return _close(
        case, by=by, reason=reason, step="find_false", action="revocation.case_find_false"
    )


def case_close(*, case, by: User, reason: str) -> RevocationCase:
    """不予撤销: the office closes a case still investigating, awaiting the answer or in
    deliberation, with a reason; the holder is told if the case had been put to them."""
    return _close(case, by=by, reason=reason, step="close", action="revocation.case_close")


def _close(case, *, by, reason, step, action) -> RevocationCase:
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以结案。"))
    typed = refuse_bad_model_text(RevocationCase, {"closed_reason": reason or ""})
    if not typed["closed_reason"]:
        raise ValidationError({"reason": [_("请填写结案理由。")]})
    with transaction.atomic():
        locked = _lock_case(case)
        told = locked.found_at is not None
        transition = step_check(locked, step, by)
        locked.closed_reason = typed["closed_reason"]
        locked.closed_at = timezone.now()
        step_run(
            locked,
            transition,
            by=by,
            action=action,
            update_fields=["closed_reason", "closed_at"],
            reason=locked.closed_reason,
            article=article_for_kind(locked.honour.kind),
        )
        if told:
            tell(
                [holder_of(locked)],
                locked,
                _("撤销案件%(number)s已结案，不予撤销您的称号。结案理由：%(reason)s")
                % {"number": locked.number, "reason": locked.closed_reason},
                url=_holder_url(locked),
            )
    return locked


def case_reply(*, case, by: User, answer: str, files=(), submission_token=None) -> RevocationCase:
    """陈述申辩: the holder (the applicant account owning the honour's application) states
    their case once, with files, on or before the deadline. Anyone else: PermissionDenied."""
    if not case_holder(case, by):
        raise PermissionDenied(_("只有被调查的获评者本人可以陈述申辩。"))
    typed = refuse_bad_model_text(RevocationCase, {"answer": answer or ""})
    errors = {}
    if not typed["answer"]:
        errors["answer"] = [_("请填写陈述申辩意见。")]
    checked, file_errors = _checked_files(files, field="files")
    errors.update(file_errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="revocation.case_reply")
        locked = _lock_case(case)
        transition = step_check(locked, "reply", by)
        locked.answer = typed["answer"]
        locked.answered_at = timezone.now()
        stored = _store_files(locked, checked, purpose=CaseFilePurpose.ANSWER, by=by)
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.case_reply",
            update_fields=["answer", "answered_at"],
            after_extra={"case_answer": locked.answer, "case_files": [f.sha256 for f in stored]},
            article=article_for_kind(locked.honour.kind),
        )
        submission_made(claim, locked)
        tell(
            office_staff(),
            locked,
            _(
                "撤销案件%(number)s（%(holder)s）的获评者已提交陈述申辩意见，请审阅后提交领导小组审议。"
            )
            % {"number": locked.number, "holder": locked.honour.holder_name},
        )
    return locked


def case_send(*, case, by: User) -> RevocationCase:
    """提交领导小组审议: after the holder answered or the deadline passed."""
    with transaction.atomic():
        locked = _lock_case(case)
        transition = step_check(locked, "send_to_group", by)
        locked.sent_at = timezone.now()
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.case_send",
            update_fields=["sent_at"],
            article=article_for_kind(locked.honour.kind),
        )
    return locked


def case_vote_open(*, case, by: User, held_on, members_present) -> CaseVote:
    """召开审议: the office records the members present (quorum as for 审议, from the
    rulebook's meeting_quorum_percent); each then casts one ballot."""
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以组织领导小组表决。"))
    members = list(members_present)
    if held_on is None:
        raise ValidationError({"held_on": [_("请填写会议日期。")]})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": [_("会议日期不能晚于今天。")]})
    with transaction.atomic():
        locked = _lock_case(case)
        if locked.state != CaseState.DELIBERATION:
            raise TransitionRefused(
                _("案件当前状态为“%(state)s”，不能组织表决。")
                % {"state": locked.get_state_display()},
                code="state",
            )
        if CaseVote.objects.filter(case=locked).exists():
            raise ValidationError(_("该案件已组织过领导小组表决。"), code="voted")
        leaders = {user.pk: user for user in active_leaders()}
        strangers = [m for m in members if m.pk not in leaders]
        if strangers:
            raise ValidationError(
                {
                    "members_present": [
                        _("%(names)s不是在职的领导小组成员，不能记为出席。")
                        % {"names": "、".join(str(m) for m in strangers)}
                    ]
                }
            )
        percent = locked.honour.cycle.rulebook.meeting_quorum_percent
        quorum = quorum_for(len(leaders), percent)
        present = sorted({m.pk for m in members})
        if len(present) < quorum:
            raise ValidationError(
                {
                    "members_present": [
                        _(
                            "出席人数未达到法定人数：领导小组成员%(total)s人，出席须超过"
                            "%(percent)s%%，即至少%(quorum)s人，现出席%(present)s人。"
                        )
                        % {
                            "total": len(leaders),
                            "percent": percent,
                            "quorum": quorum,
                            "present": len(present),
                        }
                    ]
                }
            )
        vote = CaseVote.objects.create(
            case=locked,
            held_on=held_on,
            member_count=len(leaders),
            quorum=quorum,
            opened_by=by,
        )
        vote.members_present.set(present)
        audit_record(
            actor=by,
            action="revocation.case_vote_open",
            obj=locked,
            after={"case_vote_quorum": quorum, "case_vote_present": present},
            article=article_for_kind(locked.honour.kind),
        )
        tell(
            [leaders[pk] for pk in present],
            locked,
            _("领导小组对撤销案件%(number)s（%(holder)s）进行表决，请登录平台投票。")
            % {"number": locked.number, "holder": locked.honour.holder_name},
            url=reverse("revocation:case_ballot", kwargs={"pk": locked.pk}),
        )
    return vote


def case_ballot_cast(*, case, by: User, choice: str) -> CaseBallot:
    """投票: a member recorded present casts one ballot (同意撤销/不同意/弃权)."""
    if not (is_active_user(by) and by.has_role(Role.LEADER)):
        raise PermissionDenied(_("只有质量强市工作领导小组成员可以投票。"))
    if choice not in CaseBallotChoice.values:
        raise ValidationError({"choice": [_("请选择表决意见。")]})
    with transaction.atomic():
        locked = _lock_case(case)
        vote = CaseVote.objects.select_for_update().filter(case=locked).first()
        if vote is None or not vote.members_present.filter(pk=by.pk).exists():
            raise PermissionDenied(_("您不是本次表决记录的出席成员，不能投票。"))
        if not vote.is_open:
            raise ValidationError(_("本次表决已结束，不能再投票。"), code="closed")
        try:
            with transaction.atomic():
                ballot = CaseBallot.objects.create(vote=vote, member=by, choice=choice)
        except IntegrityError:
            raise ValidationError(_("您已对该案件投过票，不能重复投票。"), code="voted") from None
        CaseVote.objects.filter(pk=vote.pk).update(**{choice: F(choice) + 1})
        audit_record(
            actor=by,
            action="revocation.case_ballot",
            obj=locked,
            after={"case_ballot_choice": choice},
            article=article_for_kind(locked.honour.kind),
        )
    return ballot


def case_vote_close(*, case, by: User) -> CaseVote:
    """结束表决: no ballot after; the counts decide between 提请市政府 and 结案."""
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以结束表决。"))
    with transaction.atomic():
        locked = _lock_case(case)
        vote = CaseVote.objects.select_for_update().filter(case=locked).first()
        if vote is None or not vote.is_open:
            raise ValidationError(_("没有正在进行的表决。"), code="closed")
        vote.state = CaseVoteState.CLOSED
        vote.closed_at = timezone.now()
        vote.save(update_fields=["state", "closed_at"])
        audit_record(
            actor=by,
            action="revocation.case_vote_close",
            obj=locked,
            after={
                "case_vote_counts": {
                    "agree": vote.agree,
                    "disagree": vote.disagree,
                    "abstain": vote.abstain,
                },
                "case_vote_quorum": vote.quorum,
            },
            article=article_for_kind(locked.honour.kind),
        )
    return vote


def case_submit(*, case, by: User) -> RevocationCase:
    """提请市政府撤销: once more than half of the ballots agreed."""
    with transaction.atomic():
        locked = _lock_case(case)
        transition = step_check(locked, "submit", by)
        locked.submitted_at = timezone.now()
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.case_submit",
            update_fields=["submitted_at"],
            article=article_for_kind(locked.honour.kind),
        )
    return locked


def case_reject(*, case, by: User) -> RevocationCase:
    """领导小组未同意: the case is closed with that reason."""
    with transaction.atomic():
        locked = _lock_case(case)
        transition = step_check(locked, "reject", by)
        locked.closed_reason = str(REJECTED_REASON)
        locked.closed_at = timezone.now()
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.case_reject",
            update_fields=["closed_reason", "closed_at"],
            reason=locked.closed_reason,
            article=article_for_kind(locked.honour.kind),
        )
        tell(
            [holder_of(locked)],
            locked,
            _("撤销案件%(number)s已结案：领导小组未同意撤销，您的称号继续有效。")
            % {"number": locked.number},
            url=_holder_url(locked),
        )
    return locked


REJECTED_REASON = gettext_lazy("领导小组未同意")


def case_revoke(
    *, case, by: User, document_number: str, decided_on, file, submission_token=None
) -> RevocationCase:
    """Record 市政府's decision and revoke, in ONE transaction: the decision (文号、日期、文件
    checked by content), case → 已撤销, the application's `revoke`, the honour marked revoked
    (date, article), the audit entries, the holder told and the 撤销公告 published."""
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以记录市政府撤销决定。"))
    typed = refuse_bad_model_text(GovernmentDecision, {"document_number": document_number or ""})
    errors = {}
    if not typed["document_number"]:
        errors["document_number"] = [_("请填写市政府撤销决定文号。")]
    if decided_on is None:
        errors["decided_on"] = [_("请填写决定日期。")]
    elif decided_on > timezone.localdate():
        errors["decided_on"] = [_("决定日期不能晚于今天。")]
    checked = []
    if file is None:
        errors["file"] = [_("请上传市政府撤销决定文件（PDF、JPG或PNG）。")]
    else:
        checked, file_errors = _checked_files([file], field="file", allowed=DECISION_FILE_KINDS)
        errors.update(file_errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="revocation.case_revoke")
        locked = _lock_case(case)
        if locked.state != CaseState.SUBMITTED:
            step_check(locked, "revoke", by)  # the refusal in words
        honour = Honour.objects.select_for_update(of=("self",)).get(pk=locked.honour_id)
        if honour.status == HonourStatus.REVOKED:
            raise ValidationError(
                _("该荣誉已于%(date)s撤销，不能重复撤销。")
                % {"date": chinese_date(honour.revoked_on)},
                code="revoked",
            )
        if decided_on < honour.awarded_on:
            raise ValidationError({"decided_on": [_("决定日期不能早于获评日期。")]})
        upload, info = checked[0]
        decision = GovernmentDecision(
            case=locked,
            document_number=typed["document_number"],
            decided_on=decided_on,
            original_name=info.original_name,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            recorded_by=by,
        )
        decision.file.save(info.original_name, upload, save=False)
        decision.save()
        application = lock_application(honour.application)
        app_transition = check_transition(application, "revoke", by)
        take_transition(application, app_transition, by=by)
        transition = step_check(locked, "revoke", by)
        article = citations(locked)
        step_run(
            locked,
            transition,
            by=by,
            action="revocation.case_revoke",
            after_extra={
                "decision_number": decision.document_number,
                "decision_date": decided_on,
                "case_files": [decision.sha256],
            },
            article=article,
        )
        honour.status = HonourStatus.REVOKED
        honour.revoked_on = decided_on
        honour.revoked_article = article
        honour.save(update_fields=["status", "revoked_on", "revoked_article"])
        announcement = RevocationAnnouncement.objects.create(
            case=locked,
            honour=honour,
            title=_("关于撤销%(holder)s第%(number)s届（%(year)s年）“%(category)s”称号的公告")
            % {
                "holder": honour.holder_name,
                "number": honour.cycle.number_label,
                "year": honour.cycle.year,
                "category": honour.get_category_display(),
            },
            holder_name=honour.holder_name,
            cycle_label=str(honour.cycle),
            category_label=honour.get_category_display(),
            serial=honour.serial,
            grounds_text="\n".join(
                str(g) for g in sorted(locked.grounds.all(), key=lambda g: g.item)
            ),
            document_number=decision.document_number,
            decided_on=decided_on,
        )
        audit_record(
            actor=by,
            action="revocation.announcement_publish",
            obj=announcement,
            after={"honour": honour.serial, "revoked_article": article},
            article="第十九条",
        )
        submission_made(claim, locked)
        tell(
            [holder_of(locked)],
            locked,
            _(
                "根据市政府撤销决定（%(number)s），您获评的%(cycle)s%(category)s（证书编号"
                "%(serial)s）已于%(date)s撤销（%(article)s），并向社会公告。自撤销之日起不得再使用"
                "该称号（第十九条）。"
            )
            % {
                "number": decision.document_number,
                "cycle": honour.cycle,
                "category": honour.get_category_display(),
                "serial": honour.serial,
                "date": chinese_date(decided_on),
                "article": article,
            },
            url=_holder_url(locked),
        )
    return locked


def case_file_open(*, record, by: User):
    """The office and the auditor open every file of a case; the holder only their own
    answer files (the evidence may name the complainant). Others: PermissionDenied."""
    case = record.case
    if is_staff_reader(by):
        download_record(
            by=by,
            obj=case,
            action="revocation.case_file_download",
            what={"case_file": record.pk, "sha256": record.sha256},
        )
        return record
    if (
        isinstance(record, CaseFile)
        and record.purpose == CaseFilePurpose.ANSWER
        and case_holder(case, by)
    ):
        return record
    raise PermissionDenied


def case_decision_open(*, decision, by: User):
    """The office and the auditor open 市政府's decision file (recorded)."""
    if not is_staff_reader(by):
        raise PermissionDenied
    download_record(
        by=by,
        obj=decision.case,
        action="revocation.case_file_download",
        what={"decision_number": decision.document_number, "sha256": decision.sha256},
    )
    return decision
