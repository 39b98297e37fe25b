"""公告管理: the office writes, previews, publishes and withdraws notices; auditors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from award.enums import NoticeKind, NoticeStatus, Role
from award.exceptions import SubmissionReplayed
from award.forms.notices import NoticeAttachmentForm, NoticeForm, NoticeWithdrawForm
from award.models import Cycle
from award.permissions import OfficeMixin, StaffReaderMixin
from award.selectors.notices import (
    attachment_for_management,
    notice_for_management,
    notices_for_management,
)
from award.services import notices as services
from award.uploads import stored_file_response
from award.views.refusals import apply_errors

STALE = gettext_lazy("公告状态已被他人改变，请刷新页面后重试。")

SUGGESTED_TITLES = {
    NoticeKind.CALL: gettext_lazy("关于组织申报第%(number)s届临沂市市长质量奖的通知"),
    NoticeKind.PUBLICITY: gettext_lazy("第%(number)s届临沂市市长质量奖拟获评名单公示"),
    NoticeKind.RESULT: gettext_lazy("关于公布第%(number)s届临沂市市长质量奖获评名单的公告"),
}


def error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


class NoticeMixin:
    """Fetches the notice in the URL through the selector scoped to the user (404 otherwise).

    Comes after a RoleRequiredMixin, which has already turned away other roles.
    """

    def dispatch(self, request, *args, **kwargs):
        self.notice = notice_for_management(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def draft_only(self):
        """Redirect with a message when the notice is no longer a draft, else None."""
        if self.notice.status != NoticeStatus.DRAFT:
            messages.info(self.request, _("公告已发布或已撤回，不能再修改。"))
            return redirect("award:notice_preview", pk=self.notice.pk)
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(notice=self.notice, **kwargs)


class NoticeManageListView(StaffReaderMixin, ListView):
    template_name = "award/notice_manage_list.html"
    context_object_name = "notices"
    paginate_by = 20

    def get_queryset(self):
        notices = notices_for_management(self.request.user)
        self.status = self.request.GET.get("status", "")
        self.kind = self.request.GET.get("kind", "")
        if self.status in NoticeStatus.values:
            notices = notices.filter(status=self.status)
        if self.kind in NoticeKind.values:
            notices = notices.filter(kind=self.kind)
        return notices

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=NoticeStatus.choices,
            kinds=NoticeKind.choices,
            status=self.status,
            kind=self.kind,
            can_edit=self.request.user.has_role(Role.OFFICE),
            **kwargs,
        )


class NoticeCreateView(OfficeMixin, FormView):
    template_name = "award/notice_form.html"
    form_class = NoticeForm

    def get_initial(self):
        initial = super().get_initial()
        kind = self.request.GET.get("kind", "")
        if kind in NoticeKind.values:
            initial["kind"] = kind
        cycle_pk = self.request.GET.get("cycle", "")
        cycle = Cycle.objects.filter(pk=cycle_pk).first() if cycle_pk.isdigit() else None
        if cycle is not None:
            initial["cycle"] = cycle
            if kind in SUGGESTED_TITLES:
                initial["title"] = SUGGESTED_TITLES[kind] % {"number": cycle.number_label}
        return initial

    def form_valid(self, form):
        try:
            notice = services.notice_create(
                by=self.request.user, submission_token=form.once_token, **form.cleaned_data
            )
        except SubmissionReplayed as replayed:
            if replayed.first is None:
                form.add_error(None, replayed)
                return self.form_invalid(form)
            messages.warning(self.request, str(replayed.message))
            return redirect("award:notice_update", pk=replayed.first.pk)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
            return self.form_invalid(form)
        messages.success(self.request, _("公告草稿已保存。可以继续添加附件，或预览后发布。"))
        return redirect("award:notice_update", pk=notice.pk)


class NoticeUpdateView(OfficeMixin, NoticeMixin, FormView):
    template_name = "award/notice_form.html"
    form_class = NoticeForm

    def get(self, request, *args, **kwargs):
        return self.draft_only() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.draft_only() or super().post(request, *args, **kwargs)

    def get_initial(self):
        return {field: getattr(self.notice, field) for field in services.EDITABLE_FIELDS}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("attachment_form", NoticeAttachmentForm())
        return super().get_context_data(attachments=self.notice.attachments.all(), **kwargs)

    def form_valid(self, form):
        try:
            services.notice_update(notice=self.notice, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
            return self.form_invalid(form)
        messages.success(self.request, _("公告草稿已保存。"))
        return redirect("award:notice_update", pk=self.notice.pk)


class NoticePreviewView(StaffReaderMixin, NoticeMixin, TemplateView):
    """The public detail page as the public will see it, under a preview banner."""

    template_name = "award/notice_detail.html"

    def get_context_data(self, **kwargs):
        is_office = self.request.user.has_role(Role.OFFICE)
        return super().get_context_data(
            preview=True,
            attachments=self.notice.attachments.all(),
            can_edit=is_office and self.notice.status == NoticeStatus.DRAFT,
            can_withdraw=is_office and self.notice.status == NoticeStatus.PUBLISHED,
            **kwargs,
        )


class NoticePublishView(OfficeMixin, NoticeMixin, TemplateView):
    """GET states what publishing will do (and what stands in the way); POST publishes."""

    template_name = "award/notice_publish_confirm.html"

    def get(self, request, *args, **kwargs):
        return self.draft_only() or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        notice = self.notice
        context = {
            "blockers": services.notice_publish_blockers(notice),
            "attachments": notice.attachments.all(),
            "phase_after": services.notice_cycle_phase_after(notice),
            "moves_cycle": notice.kind in services.CYCLE_STEP,
        }
        if notice.kind == NoticeKind.PUBLICITY and notice.cycle_id:
            try:
                context["window"] = services.notice_publicity_window(notice.cycle)
            except ValidationError:
                context["window"] = None  # the reason is among the blockers
        return super().get_context_data(**context, **kwargs)

    def post(self, request, *args, **kwargs):
        redirect_response = self.draft_only()
        if redirect_response:
            return redirect_response
        try:
            services.notice_publish(notice=self.notice, by=request.user)
        except ValidationError as error:
            return self.refused(error_messages(error))
        except PermissionDenied as denied:
            return self.refused([str(denied)])
        except (TransitionNotAllowed, ConcurrentTransition):
            return self.refused([STALE])
        notice = self.notice
        if notice.kind == NoticeKind.CALL:
            messages.success(
                request,
                _("公告已发布，%(cycle)s已开放申报，已通知各县区质量议事协调机构。")
                % {"cycle": notice.cycle},
            )
        else:
            messages.success(request, _("公告已发布。"))
        return redirect("award:notice_preview", pk=notice.pk)

    def refused(self, reasons):
        self.notice = notice_for_management(self.request.user, self.notice.pk)
        context = self.get_context_data(refused=reasons)
        return render(self.request, self.template_name, context)


class NoticeWithdrawView(OfficeMixin, NoticeMixin, FormView):
    template_name = "award/notice_withdraw.html"
    form_class = NoticeWithdrawForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            blockers=services.notice_withdraw_blockers(self.notice), **kwargs
        )

    def form_valid(self, form):
        try:
            services.notice_withdraw(
                notice=self.notice, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
            return self.form_invalid(form)
        except (TransitionNotAllowed, ConcurrentTransition):
            form.add_error(None, STALE)
            return self.form_invalid(form)
        messages.success(self.request, _("公告已撤回，公众不再能看到该公告。"))
        return redirect("award:notice_manage_list")


class NoticeAttachmentAddView(OfficeMixin, NoticeMixin, FormView):
    template_name = "award/notice_attachment_form.html"
    form_class = NoticeAttachmentForm

    def get(self, request, *args, **kwargs):
        return self.draft_only() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.draft_only() or super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.notice_attach(
                notice=self.notice,
                by=self.request.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                submission_token=form.once_token,
            )
        except SubmissionReplayed as replayed:
            messages.warning(self.request, str(replayed.message))
            return redirect("award:notice_update", pk=self.notice.pk)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
            return self.form_invalid(form)
        messages.success(self.request, _("附件已上传。"))
        return redirect("award:notice_update", pk=self.notice.pk)


class NoticeAttachmentDeleteView(OfficeMixin, NoticeMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, attachment_pk):
        attachment = attachment_for_management(request.user, pk, attachment_pk)
        try:
            services.notice_detach(notice=self.notice, by=request.user, attachment=attachment)
        except (ValidationError, PermissionDenied) as refused:
            text = (
                " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
            )
            messages.error(request, text)
            return redirect("award:notice_preview", pk=pk)
        messages.success(request, _("附件已删除。"))
        return redirect("award:notice_update", pk=pk)


class NoticeAttachmentDownloadStaffView(StaffReaderMixin, View):
    def get(self, request, pk, attachment_pk):
        attachment = attachment_for_management(request.user, pk, attachment_pk)
        services.notice_attachment_open(attachment=attachment, by=request.user)
        return stored_file_response(
            attachment.file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )


def _url(suffix, view, name):
    return path(f"office/notices/{suffix}", view.as_view(), name=name)


urlpatterns = [
    _url("", NoticeManageListView, "notice_manage_list"),
    _url("new/", NoticeCreateView, "notice_create"),
    _url("<int:pk>/", NoticePreviewView, "notice_preview"),
    _url("<int:pk>/edit/", NoticeUpdateView, "notice_update"),
    _url("<int:pk>/publish/", NoticePublishView, "notice_publish"),
    _url("<int:pk>/withdraw/", NoticeWithdrawView, "notice_withdraw"),
    _url("<int:pk>/attachments/new/", NoticeAttachmentAddView, "notice_attachment_add"),
    _url(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        NoticeAttachmentDeleteView,
        "notice_attachment_delete",
    ),
    _url(
        "<int:pk>/attachments/<int:attachment_pk>/",
        NoticeAttachmentDownloadStaffView,
        "notice_attachment_download_staff",
    ),
]
