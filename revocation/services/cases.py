"""Opening a revocation case (第二十三条、第二十四条). Every way in — the office on its own, a
periodic assessment (第二十五条) or a complaint (第二十一条) — goes through `case_open`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from award.models import User
from award.permissions import is_office
from award.services.audit import audit_record
from award.services.submissions import submission_claim, submission_made
from award.text import refuse_bad_model_text
from decisions.enums import HonourStatus
from decisions.models import Honour
from decisions.services.approval import chinese_date
from revocation.enums import CaseSource
from revocation.models import Ground, RevocationCase
from revocation.models.cases import OPEN_CASE_STATES
from revocation.reference_data import GROUNDS

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
