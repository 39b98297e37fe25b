"""Whether an application may be submitted: the conditions of 第十条, 第十二条, 第十三条, 第十四条.

`check_eligibility(application)` lists every unmet rule at once, each naming its article, so
the applicant can fix them all before trying again; `application_submit` refuses with them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import hooks
from applications.declarations import ARTICLE as DECLARATION_ARTICLE
from applications.enums import ApplicationState, DocumentKind
from applications.form_data import missing_fields
from applications.models import Application, ApplicationDocument
from applications.models.application import RESUBMISSION_PHASES
from applications.selectors import applicant_profile
from award.enums import ApplicantKind


@dataclass(frozen=True)
class Problem:
    """One unmet condition: a stable code, the message shown, and the article it comes from."""

    code: str
    message: str
    article: str = ""

    def __str__(self):
        return self.message


def full_years_between(start: datetime.date, end: datetime.date) -> int:
    """Whole years from `start` to `end`; an anniversary on `end` itself counts (29 Feb → 1 Mar)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def reference_date(cycle) -> datetime.date:
    """Years of operation and of quality work are counted up to the application deadline."""
    return timezone.localdate(cycle.application_deadline)


def check_eligibility(application: Application) -> list[Problem]:
    """Every reason the application cannot be submitted now; empty when it can."""
    problems = _cycle_problems(application)
    profile = applicant_profile(application.applicant, application.kind)
    if profile is None:
        problems.append(
            Problem("profile_missing", _("请先填写申报主体基本信息。"), "第十四条第（二）项")
        )
    elif application.kind == ApplicantKind.UNIT:
        problems.extend(_unit_problems(application, profile))
    else:
        problems.extend(_individual_problems(application, profile))
    problems.extend(past_winner_problems(application))
    problems.extend(duplicate_problems(application))
    problems.extend(_material_problems(application))
    return problems


def _cycle_problems(application) -> list[Problem]:
    cycle = application.cycle
    if application.state == ApplicationState.RETURNED:
        if cycle.phase not in RESUBMISSION_PHASES:
            return [
                Problem(
                    "cycle_closed",
                    _("本届评选已进入专家评审或以后阶段，退回的申报不能再重新提交。"),
                    "第十四条",
                )
            ]
        return []
    if not cycle.accepts_applications:
        return [
            Problem(
                "cycle_closed",
                _("本届申报尚未开始或已经截止（截止时间：%(deadline)s），不能提交申报。")
                % {
                    "deadline": timezone.localtime(cycle.application_deadline).strftime(
                        "%Y-%m-%d %H:%M"
                    )
                },
                "第十四条第（二）项",
            )
        ]
    return []


def _unit_problems(application, profile) -> list[Problem]:
    rulebook = application.cycle.rulebook
    years = full_years_between(profile.founded_on, reference_date(application.cycle))
    if profile.is_new_field:
        needed = rulebook.unit_min_years_new_field
        message = _("不符合第十条第（一）项：“四新”领域单位正常运行不足%(years)s年")
    else:
        needed = rulebook.unit_min_years
        message = _("不符合第十条第（一）项：主体业务正常运行不足%(years)s年")
    if years < needed:
        return [Problem("unit_years", message % {"years": needed}, "第十条第（一）项")]
    return []


def _individual_problems(application, profile) -> list[Problem]:
    needed = application.cycle.rulebook.individual_min_quality_years
    years = full_years_between(profile.quality_work_since, reference_date(application.cycle))
    if years < needed:
        return [
            Problem(
                "individual_years",
                _("不符合第十二条第（二）项：在本市从事质量相关工作不足%(years)s年")
                % {"years": needed},
                "第十二条第（二）项",
            )
        ]
    return []


def _same_applicant(application) -> Q:
    """The same account, or the same unit or person registered under another account."""
    same = Q(applicant_id=application.applicant_id)
    if application.identifier:
        same |= Q(identifier=application.identifier, kind=application.kind)
    return same


def past_winner_problems(application: Application) -> list[Problem]:
    """第十三条: an applicant that already won may not apply again (works on unsaved ones).

    Only the floor that knows who won answers, through `register_past_winner_check`.
    """
    honours = hooks.past_awards(application)
    return [
        Problem(
            "past_winner",
            _("不符合第十三条：已获得“临沂市市长质量奖”（%(honour)s），不得重复申报")
            % {"honour": honour},
            "第十三条",
        )
        for honour in dict.fromkeys(honours)
    ]


def duplicate_problems(application) -> list[Problem]:
    others = (
        Application.objects.filter(
            cycle_id=application.cycle_id, identifier=application.identifier, kind=application.kind
        )
        .exclude(pk=application.pk)
        .exclude(state=ApplicationState.WITHDRAWN)
    )
    if application.identifier and others.exists():
        what = (
            _("同一单位（统一社会信用代码相同）")
            if application.kind == ApplicantKind.UNIT
            else _("同一申报人（身份证号码相同）")
        )
        return [
            Problem(
                "duplicate",
                _("本届已有%(what)s的申报，每个申报主体每届只能申报一次。") % {"what": what},
                "第十四条第（二）项",
            )
        ]
    return []


def _material_problems(application) -> list[Problem]:
    problems = []
    missing = missing_fields(application.kind, application.form_data, cycle=application.cycle)
    if missing:
        problems.append(
            Problem(
                "form_incomplete",
                _("申报表尚未填写完整，请补充：%(fields)s。") % {"fields": "、".join(missing)},
                "第十四条第（二）项",
            )
        )
    kinds = set(
        ApplicationDocument.objects.filter(application_id=application.pk)
        .current()
        .values_list("kind", flat=True)
    )
    if DocumentKind.SELF_ASSESSMENT not in kinds:
        problems.append(
            Problem(
                "self_assessment_missing",
                _("尚未上传《自我评价报告》（第十四条第（二）项）。")
                if application.kind == ApplicantKind.UNIT
                else _("尚未上传个人事迹材料（第十四条第（二）项）。"),
                "第十四条第（二）项",
            )
        )
    if application.kind == ApplicantKind.INDIVIDUAL and DocumentKind.PHOTO not in kinds:
        problems.append(Problem("photo_missing", _("尚未上传个人照片。"), "第十四条第（二）项"))
    if application.declarations_accepted_at is None:
        article = DECLARATION_ARTICLE[application.kind]
        problems.append(
            Problem(
                "declarations_missing",
                _("尚未签署承诺书（%(article)s）。") % {"article": article},
                article,
            )
        )
    return problems


def previous_attempts(application: Application) -> QuerySet[Application]:
    """Earlier cycles' submitted applications of the same applicant (a winner cannot be here:
    第十三条 refuses it at create).

    第十三条 lets them apply again if their 卓越绩效 indicators improved markedly; the page
    shows these so the applicant and reviewers can compare (scores come with review).
    """
    return (
        Application.objects.filter(_same_applicant(application), round__gte=1)
        .exclude(cycle_id=application.cycle_id)
        .select_related("cycle", "county")
        .order_by("-cycle__number")
    )
