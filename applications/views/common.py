"""What the application pages share: turning refusals into messages, and reading a submission."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from applications.enums import ApplicationState, EventAction
from applications.selectors import application_timeline
from applications.selectors_pages import submission_context
from award.enums import Role

STALE = gettext_lazy("该申报刚被他人处理，状态已经改变，请刷新页面后查看。")
REFUSALS = (PermissionDenied, ValidationError, TransitionNotAllowed, ConcurrentTransition)


def refusal_messages(error) -> list[str]:
    """A service's refusal as the sentences to show (never an empty list)."""
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages] or [_("操作未能完成。")]
    if isinstance(error, PermissionDenied):
        return [str(error) or _("您无权执行此操作。")]
    if isinstance(error, ConcurrentTransition):
        return [str(STALE)]
    return [_("该申报当前状态不允许执行此操作。")]


def apply_errors(form, error: ValidationError, field_map=None) -> None:
    """Put a service's ValidationError next to the form's fields (or on top of the form)."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = field_map.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


def add_refusal(form, error) -> None:
    if isinstance(error, ValidationError):
        apply_errors(form, error)
    else:
        form.add_error(None, refusal_messages(error))


def state_links(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(state, label, count) of the states that have applications, for filter links."""
    return [
        (value, label, counts[value])
        for value, label in ApplicationState.choices
        if counts.get(value)
    ]


def available_actions(application, user) -> set[str]:
    """Names of the transitions `user` may take on `application` now (DESIGN.md §4.2)."""
    return {t.name for t in application.get_available_user_state_transitions(user)}


def acting_body(event, application) -> str:
    """Who took a step, as the applicant should read it: the body, not the clerk."""
    action = event.action
    county = application.county.name
    if action in (EventAction.CREATE, EventAction.SUBMIT, EventAction.WITHDRAW):
        return _("申报人")
    if action in (EventAction.RECOMMEND, EventAction.DECLINE) or (
        action == EventAction.RETURN and event.from_state == ApplicationState.SUBMITTED
    ):
        return _("%(county)s质量议事协调机构") % {"county": county}
    if action in (EventAction.START_REVIEW, EventAction.FAIL_REVIEW, EventAction.COMPLETE_REVIEW):
        return _("第三方评审机构")
    return _("质量强市办")


def timeline(application, user) -> list[dict]:
    """Each past step with date, who and the opinion; staff also see the clerk's name."""
    staff = user.has_role(Role.COUNTY, Role.OFFICE, Role.AUDITOR)
    rows = []
    for event in application_timeline(application):
        body = acting_body(event, application)
        rows.append(
            {
                "event": event,
                "label": event.get_action_display(),
                "who": f"{body}（{event.actor}）" if staff and body != _("申报人") else body,
                "opinion": event.opinion,
                "round": event.round,
                "to_state": event.get_to_state_display(),
            }
        )
    return rows


NEXT_STEP = {
    ApplicationState.DRAFT: gettext_lazy(
        "填写申报表、上传材料并签署承诺书后，在申报截止时间前提交。提交后由%(county)s"
        "质量议事协调机构进行条件初审（第十四条第（三）项）。"
    ),
    ApplicationState.SUBMITTED: gettext_lazy(
        "等待%(county)s质量议事协调机构进行条件初审（第十四条第（三）项）。"
    ),
    ApplicationState.RETURNED: gettext_lazy("请按退回意见修改申报表或材料后重新提交。"),
    ApplicationState.RECOMMENDED: gettext_lazy(
        "%(county)s已推荐，等待质量强市办复核（第十四条第（三）项）。"
    ),
    ApplicationState.ACCEPTED: gettext_lazy(
        "复核通过，等待第三方机构组织专家进行舆情调查、资格审查、材料评审、现场评审和陈述答辩"
        "（第十四条第（四）项）。"
    ),
    ApplicationState.DECLINED: gettext_lazy("县区初审未予推荐，本届申报到此结束。"),
    ApplicationState.RECHECK_FAILED: gettext_lazy("复核未通过，本届申报到此结束。"),
    ApplicationState.WITHDRAWN: gettext_lazy("申报已撤回，本届不能再次申报。"),
}


def next_step_text(application) -> str:
    text = NEXT_STEP.get(application.state)
    return str(text) % {"county": application.county.name} if text else ""


@dataclass(frozen=True)
class ReviewAction:
    """A 初审 or 复核 decision offered on the detail page: its form and its one service."""

    slug: str
    transition: str
    label: str
    form_class: type
    service: Callable
    field: str
    success: str
    button: str = "btn-primary"
    confirm: str = ""


class ReviewDetailView(TemplateView):
    """A submitted application for its reviewers, with buttons for the steps they may take.

    GET shows it; POST to `<pk>/<slug>/` takes step `slug` through its service. Subclasses
    give `applications(user)` (the reviewer's scope; anything else answers 404) and `actions`.
    """

    template_name = ""
    actions: tuple[ReviewAction, ...] = ()
    detail_url_name = ""

    def applications(self, user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.application = get_object_or_404(self.applications(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def offered(self, bound=None):
        """(action, form) for each step the user may take now; `bound` replaces its form."""
        available = available_actions(self.application, self.request.user)
        offered = []
        for action in self.actions:
            if bound is not None and bound[0] is action:
                offered.append(bound)
            elif action.transition in available:
                offered.append((action, action.form_class(prefix=action.slug)))
        return offered

    def get_context_data(self, **kwargs):
        application, user = self.application, self.request.user
        bound = kwargs.pop("bound", None)
        return super().get_context_data(
            application=application,
            actions=self.offered(bound),
            events=timeline(application, user),
            next_step=next_step_text(application),
            **submission_context(application, user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = next((a for a in self.actions if a.slug == kwargs.get("action")), None)
        if action is None:
            raise Http404
        form = action.form_class(request.POST, prefix=action.slug)
        status = 400
        if form.is_valid():
            try:
                action.service(
                    application=self.application,
                    by=request.user,
                    **{action.field: form.cleaned_data[action.field]},
                )
            except REFUSALS as refused:
                add_refusal(form, refused)
                status = 400 if hasattr(refused, "error_dict") else 409
                # Someone may have moved it meanwhile: show it as it stands now.
                self.application = get_object_or_404(
                    self.applications(request.user), pk=self.application.pk
                )
            else:
                messages.success(request, str(action.success) % {"name": self.application.name})
                return redirect(self.detail_url_name, pk=self.application.pk)
        return self.render_to_response(self.get_context_data(bound=(action, form)), status=status)
