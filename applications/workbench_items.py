"""This floor's to-do items on the workbench (我的待办), one query per role."""

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.selectors import applicant_profile
from applications.selectors_pages import open_cycle
from award.enums import Role
from award.workbench import TodoItem, workbench

# The pages that list these arrive with applications/urls.py; until a name resolves, the
# item points at the workbench itself rather than breaking the page.
URL_NAMES = {
    "mine": "applications:application_list",
    "county": "applications:county_queue",
    "office": "applications:office_queue",
}


def _url(key: str, *args) -> str:
    try:
        return reverse(URL_NAMES[key], args=args)
    except NoReverseMatch:
        return reverse("award:workbench")


@workbench.register(Role.APPLICANT)
def applicant_items(user):
    """A newcomer is led step by step: 完善申报主体信息, then 开始申报 before the deadline;
    then whatever of their own waits for them."""
    if applicant_profile(user) is None:
        yield TodoItem(
            _("完善申报主体信息"),
            reverse("applications:profile"),
            detail=_("开始申报前，请先填写申报单位或个人的基本信息。"),
            urgent=True,
        )
    cycle = open_cycle()
    mine = list(
        Application.objects.filter(applicant=user)
        .filter(Q(state__in=[ApplicationState.DRAFT, ApplicationState.RETURNED]) | Q(cycle=cycle))
        .select_related("cycle")
    )
    if (
        cycle is not None
        and cycle.accepts_applications
        and not any(a.cycle_id == cycle.pk for a in mine)
    ):
        yield TodoItem(_("开始申报"), _url("mine"), detail=_deadline(cycle))
    for application in mine:
        if application.state not in (ApplicationState.DRAFT, ApplicationState.RETURNED):
            continue
        returned = application.state == ApplicationState.RETURNED
        yield TodoItem(
            _("申报被退回，请修改后重新提交") if returned else _("申报尚未提交"),
            _url("mine"),
            detail=_deadline(application.cycle),
            urgent=returned,
        )


def _deadline(cycle) -> str:
    return _("%(cycle)s，申报截止时间：%(deadline)s") % {
        "cycle": cycle,
        "deadline": date_format(timezone.localtime(cycle.application_deadline), "Y年n月j日 H:i"),
    }


@workbench.register(Role.COUNTY)
def county_items(user):
    if user.county_id is None:
        return
    count = Application.objects.filter(
        county_id=user.county_id, state=ApplicationState.SUBMITTED
    ).count()
    if count:
        yield TodoItem(
            _("待初审的申报"), f"{_url('county')}?state={ApplicationState.SUBMITTED}", count
        )


@workbench.register(Role.OFFICE)
def office_items(user):
    count = Application.objects.filter(state=ApplicationState.RECOMMENDED).count()
    if count:
        yield TodoItem(
            _("待复核的申报"), f"{_url('office')}?state={ApplicationState.RECOMMENDED}", count
        )
