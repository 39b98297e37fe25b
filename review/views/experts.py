"""The agency's expert pool (专家库, 第八条第（二）项): the list, adding and editing experts."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from award.enums import Role
from award.permissions import RoleRequiredMixin
from review.forms.agency import ExpertCreateForm, ExpertUpdateForm
from review.selectors.pool import experts_for
from review.services import expert_create, expert_update
from review.views.common import REVIEW_READERS, ServiceFormView


class ExpertListView(RoleRequiredMixin, ListView):
    """The agency's own pool; the office and the auditor read every agency's pool."""

    roles = REVIEW_READERS
    template_name = "review/agency_expert_list.html"
    context_object_name = "experts"
    paginate_by = 50

    def get_queryset(self):
        return experts_for(self.request.user).order_by("agency__name", "name", "pk")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            is_agency=user.has_role(Role.AGENCY),
            is_office=user.has_role(Role.OFFICE),
            **kwargs,
        )


class AgencyOnlyMixin(RoleRequiredMixin):
    roles = (Role.AGENCY,)


class ExpertCreateView(AgencyOnlyMixin, ServiceFormView):
    template_name = "review/agency_expert_form.html"
    form_class = ExpertCreateForm

    def call_service(self, form):
        return expert_create(
            by=self.request.user, submission_token=form.once_token, **form.cleaned_data
        )

    def success_text(self, saved):
        return _(
            "已将%(name)s加入专家库并开通账号，登录名为“%(login)s”。专家请在登录页点击"
            "“找回密码”，通过邮箱%(email)s设置自己的密码。"
        ) % {"name": saved.name, "login": saved.user.username, "email": saved.user.email}

    def success_url_for(self, saved):
        return reverse("review:expert_list")


class ExpertUpdateView(AgencyOnlyMixin, ServiceFormView):
    template_name = "review/agency_expert_form.html"
    form_class = ExpertUpdateForm
    success_message = gettext_lazy("已保存专家“%(object)s”的信息。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.expert = get_object_or_404(experts_for(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return ExpertUpdateForm.initial_for(self.expert)

    def get_context_data(self, **kwargs):
        return super().get_context_data(expert=self.expert, **kwargs)

    def call_service(self, form):
        fields = dict(form.cleaned_data)
        specialities = fields.pop("specialities")
        return expert_update(
            expert=self.expert, by=self.request.user, specialities=specialities, **fields
        )

    def success_url_for(self, saved):
        return reverse("review:expert_list")
