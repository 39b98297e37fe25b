"""Pages of the winners' obligations (第十八条): the office's requests, the holder's own, the
public 经验分享 pages (only published material), files through a checking view."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from award.enums import Role
from award.forms.once import OnceForm
from award.permissions import OfficeMixin, RoleRequiredMixin, StaffReaderMixin, is_office
from award.uploads import stored_file_response
from award.views.service_form import ServiceFormView
from revocation.enums import SharingState
from revocation.forms.obligations import (
    AnswerForm,
    DeclineForm,
    SharingCaseForm,
    SharingRequestForm,
)
from revocation.models import SharingFile
from revocation.selectors.obligations import (
    published_sharing,
    request_detail,
    requests_of_holder,
    staff_requests,
)
from revocation.services.obligations import (
    LONG_OVERDUE_DAYS,
    case_blockers,
    default_case_summary,
    is_holder,
    is_overdue,
    may_view_request,
    obligation_ground,
    sharing_answer,
    sharing_case_open,
    sharing_decline,
    sharing_file_open,
    sharing_publish,
    sharing_request,
)


def rows(requests):
    today = timezone.localdate()
    return [{"request": r, "overdue": is_overdue(r, today)} for r in requests]


class SharingListView(StaffReaderMixin, TemplateView):
    template_name = "revocation/obligations/request_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=rows(staff_requests()), is_office=is_office(self.request.user), **kwargs
        )


class MySharingView(RoleRequiredMixin, TemplateView):
    roles = (Role.APPLICANT,)
    template_name = "revocation/obligations/request_mine.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=rows(requests_of_holder(self.request.user)), **kwargs)


class SharingCreateView(OfficeMixin, ServiceFormView):
    template_name = "revocation/obligations/request_form.html"
    form_class = SharingRequestForm
    success_message = gettext_lazy("已发起经验分享，获评者将收到通知。")

    def get_initial(self):
        return {"honour": self.request.GET.get("honour")}

    def call_service(self, form):
        return sharing_request(
            by=self.request.user, submission_token=form.once_token, **form.cleaned_data
        )

    def success_url_for(self, saved):
        return reverse("revocation:sharing_detail", kwargs={"pk": saved.pk})


class RequestMixin(LoginRequiredMixin):
    """Loads the request; 404 unless office, auditor or its holder."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.sharing = get_object_or_404(request_detail(kwargs["pk"]))
        if not may_view_request(self.sharing, request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def sharing_context(self, **forms):
        user, sharing = self.request.user, self.sharing
        holder = is_holder(sharing, user)
        office = is_office(user)
        waiting = sharing.state == SharingState.REQUESTED
        blockers = case_blockers(sharing) if not sharing.case_id else []
        ctx = {
            "sharing": sharing,
            "files": list(sharing.files.all()),
            "overdue": is_overdue(sharing),
            "long_overdue_days": LONG_OVERDUE_DAYS,
            "is_office": office,
            "is_holder": holder,
            "answer_form": forms.get("answer_form")
            or (AnswerForm() if holder and waiting else None),
            "decline_form": forms.get("decline_form")
            or (DeclineForm() if holder and waiting else None),
            "publish_form": forms.get("publish_form")
            or (OnceForm() if office and sharing.state == SharingState.ANSWERED else None),
            "case_ground": None,
            "case_form": None,
        }
        if office and not sharing.case_id and not blockers:
            ctx["case_ground"] = obligation_ground(sharing.honour)
            ctx["case_form"] = forms.get("case_form") or SharingCaseForm(
                initial={"summary": default_case_summary(sharing)}
            )
        return ctx

    def success_url_for(self, saved):
        return reverse("revocation:sharing_detail", kwargs={"pk": saved.pk})


class SharingDetailView(RequestMixin, TemplateView):
    template_name = "revocation/obligations/request_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.sharing_context(), **kwargs)


class _ActionView(RequestMixin, ServiceFormView):
    """One action on the request; someone who may only read it gets 404."""

    template_name = "revocation/obligations/request_detail.html"
    refusals = (PermissionDenied, *ServiceFormView.refusals)
    form_key = ""
    for_holder = False

    def get(self, request, *args, **kwargs):
        # The forms live on the request's page (a login's `next` may lead here).
        self.check_actor()
        return redirect("revocation:sharing_detail", pk=self.sharing.pk)

    def post(self, request, *args, **kwargs):
        self.check_actor()
        return super().post(request, *args, **kwargs)

    def check_actor(self):
        user = self.request.user
        allowed = is_holder(self.sharing, user) if self.for_holder else is_office(user)
        if not allowed:
            raise Http404

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form")
        return super().get_context_data(**self.sharing_context(**{self.form_key: form}), **kwargs)


class SharingAnswerView(_ActionView):
    form_class = AnswerForm
    form_key = "answer_form"
    for_holder = True
    success_message = gettext_lazy("已提交经验分享材料。")

    def call_service(self, form):
        return sharing_answer(request=self.sharing, by=self.request.user, **form.cleaned_data)


class SharingDeclineView(_ActionView):
    form_class = DeclineForm
    form_key = "decline_form"
    for_holder = True
    success_message = gettext_lazy("已书面拒绝本次经验分享。")

    def call_service(self, form):
        return sharing_decline(
            request=self.sharing, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class SharingPublishView(_ActionView):
    form_class = OnceForm
    form_key = "publish_form"
    success_message = gettext_lazy("已公开发布经验分享。")

    def call_service(self, form):
        return sharing_publish(request=self.sharing, by=self.request.user)


class SharingCaseView(_ActionView):
    form_class = SharingCaseForm
    form_key = "case_form"
    success_message = gettext_lazy("已据第六章立案调查。")

    def call_service(self, form):
        return sharing_case_open(
            request=self.sharing,
            by=self.request.user,
            summary=form.cleaned_data["summary"],
            submission_token=form.once_token,
        )

    def replayed(self, form, replayed):
        # The replay carries the case; the request page is where the office came from.
        return super().replayed(form, type(replayed)(self.sharing))


class SharingFileView(View):
    def get(self, request, pk):
        file = get_object_or_404(
            SharingFile.objects.select_related("request__honour__application"), pk=pk
        )
        try:
            sharing_file_open(file=file, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        return stored_file_response(
            file.file,
            filename=file.original_name,
            content_type=file.content_type,
            private=file.request.state != SharingState.PUBLISHED,
        )


# Public pages ---------------------------------------------------------------------------


class PublicSharingListView(TemplateView):
    template_name = "revocation/obligations/public_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(items=list(published_sharing()), **kwargs)


class PublicSharingDetailView(TemplateView):
    template_name = "revocation/obligations/public_detail.html"

    def get_context_data(self, **kwargs):
        item = get_object_or_404(published_sharing(), pk=kwargs["pk"])
        return super().get_context_data(item=item, files=list(item.files.all()), **kwargs)


urlpatterns = [
    path("sharing/", SharingListView.as_view(), name="sharing_list"),
    path("sharing/mine/", MySharingView.as_view(), name="sharing_mine"),
    path("sharing/new/", SharingCreateView.as_view(), name="sharing_new"),
    path("sharing/<int:pk>/", SharingDetailView.as_view(), name="sharing_detail"),
    path("sharing/<int:pk>/answer/", SharingAnswerView.as_view(), name="sharing_answer"),
    path("sharing/<int:pk>/decline/", SharingDeclineView.as_view(), name="sharing_decline"),
    path("sharing/<int:pk>/publish/", SharingPublishView.as_view(), name="sharing_publish"),
    path("sharing/<int:pk>/case/", SharingCaseView.as_view(), name="sharing_case"),
    path("sharing/files/<int:pk>/", SharingFileView.as_view(), name="sharing_file"),
]

public_urlpatterns = [
    path("experience/", PublicSharingListView.as_view(), name="sharing_list"),
    path("experience/<int:pk>/", PublicSharingDetailView.as_view(), name="sharing_detail"),
    path("experience/files/<int:pk>/", SharingFileView.as_view(), name="sharing_file"),
]
