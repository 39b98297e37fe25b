"""This floor's to-do items on the workbench (我的待办), one query per role."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
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
    waiting = Application.objects.filter(
        applicant=user, state__in=[ApplicationState.DRAFT, ApplicationState.RETURNED]
    ).select_related("cycle")
    for application in waiting:
        returned = application.state == ApplicationState.RETURNED
        yield TodoItem(
            _("申报被退回，请修改后重新提交") if returned else _("申报尚未提交"),
            _url("mine"),
            detail=str(application.cycle),
            urgent=returned,
        )


@workbench.register(Role.COUNTY)
def county_items(user):
    if user.county_id is None:
        return
    count = Application.objects.filter(
        county_id=user.county_id, state=ApplicationState.SUBMITTED
    ).count()
    if count:
        yield TodoItem(_("待初审的申报"), _url("county"), count)


@workbench.register(Role.OFFICE)
def office_items(user):
    count = Application.objects.filter(state=ApplicationState.RECOMMENDED).count()
    if count:
        yield TodoItem(_("待复核的申报"), _url("office"), count)
