"""Pages of the decisions floor: honours — 市政府 approval, 公布, winners, certificates and their
verification, rewards (第十四条第（七）项, 第十五条, 第十七条, 第十九条)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from award.client_ip import client_ip
from award.enums import ApplicantKind, Role
from award.pdf import render_pdf
from award.permissions import OfficeMixin, RoleRequiredMixin, StaffReaderMixin, is_office
from award.public_cache import AnonymousPageCacheMixin, cacheable, serve
from award.uploads import clean_filename, stored_file_response
from award.views.refusals import refusal_status, show_refusal
from award.views.service_form import ServiceFormView
from decisions.enums import HonourStatus
from decisions.forms.honours import ApprovalForm, RewardForm, VerifyForm
from decisions.hooks import honour_links
from decisions.models import Honour, Reward
from decisions.selectors.charts import public_figures
from decisions.selectors.honours import (
    KIND_SHORT,
    announcement_groups,
    approval_of,
    cycle_honours,
    honour_by_serial,
    honours_of_holder,
    latest_published_cycle,
    published_cycle,
    published_cycles,
    staff_cycles,
    winners_by_category,
    winners_page_fingerprint,
)
from decisions.services.approval import approval_blockers, approval_open, approval_record
from decisions.services.certificates import (
    certificate_filename,
    certificate_open,
    is_holder,
    may_download_certificate,
)
from decisions.services.honours import serial_is_well_formed, serial_normalise
from decisions.services.rewards import (
    ARTICLE_15,
    ARTICLE_17,
    reward_blockers,
    reward_computation,
    reward_record,
)

VERIFY_LOOKUPS_PER_WINDOW = 30
VERIFY_WINDOW_SECONDS = 600


class RefusalStatusMixin:
    """A service's refusal answered 400 (bad input) or 409 (not allowed now)."""

    def show_refusal(self, form, error) -> None:
        self.invalid_status = (
            refusal_status(error) if not isinstance(error, PermissionDenied) else 403
        )
        show_refusal(form, error)


# Staff pages ------------------------------------------------------------------------------


class HonoursIndexView(StaffReaderMixin, TemplateView):
    template_name = "decisions/honours/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycles=list(staff_cycles()), **kwargs)


class CycleMixin(StaffReaderMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_role(Role.OFFICE, Role.AUDITOR):
            self.cycle = get_object_or_404(staff_cycles(), pk=kwargs["cycle_pk"])
        return super().dispatch(request, *args, **kwargs)


class HonoursCycleView(CycleMixin, TemplateView):
    """The cycle's approval and honours with their rewards; the office records from here."""

    template_name = "decisions/honours/cycle.html"

    def get_context_data(self, **kwargs):
        honours = list(cycle_honours(self.cycle))
        rows = []
        for honour in honours:
            reward = getattr(honour, "reward", None)
            rows.append(
                {
                    "honour": honour,
                    "kind": KIND_SHORT[honour.kind],
                    "reward": reward,
                    "reward_text": reward_computation(reward) if reward else "",
                    "reward_due": not reward and not reward_blockers(honour),
                }
            )
        return super().get_context_data(
            cycle=self.cycle,
            approval=approval_of(self.cycle),
            approval_blockers=approval_blockers(self.cycle),
            rows=rows,
            is_office=is_office(self.request.user),
            **kwargs,
        )


class ApprovalRecordView(RefusalStatusMixin, OfficeMixin, ServiceFormView):
    template_name = "decisions/honours/approval_form.html"
    form_class = ApprovalForm
    success_message = gettext_lazy("已记录市政府批准文件。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and is_office(request.user):
            self.cycle = get_object_or_404(staff_cycles(), pk=kwargs["cycle_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cycle=self.cycle, blockers=approval_blockers(self.cycle), **kwargs
        )

    def call_service(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        return approval_record(
            cycle=self.cycle, by=self.request.user, submission_token=form.once_token, **data
        )

    def success_url_for(self, saved):
        return reverse("decisions:honours_cycle", kwargs={"cycle_pk": saved.cycle_id})


class ApprovalFileView(CycleMixin, View):
    def get(self, request, *args, **kwargs):
        approval = approval_of(self.cycle)
        if approval is None:
            raise Http404
        approval_open(approval=approval, by=request.user)
        return stored_file_response(
            approval.file, filename=approval.original_name, content_type=approval.content_type
        )


class HonourMixin:
    """The honour's holder, the office and the auditor; anyone else gets 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.honour = get_object_or_404(
            Honour.objects.select_related("cycle__rulebook", "county", "application"),
            pk=kwargs["pk"],
        )
        if not may_download_certificate(self.honour, request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class HonourDetailView(HonourMixin, TemplateView):
    template_name = "decisions/honours/honour_detail.html"

    def get_context_data(self, **kwargs):
        reward = Reward.objects.filter(honour=self.honour).first()
        return super().get_context_data(
            honour=self.honour,
            kind=KIND_SHORT[self.honour.kind],
            reward=reward,
            reward_text=reward_computation(reward) if reward else "",
            reward_due=not reward and not reward_blockers(self.honour),
            is_unit=self.honour.kind == ApplicantKind.UNIT,
            article_15=ARTICLE_15,
            article_17=ARTICLE_17,
            is_office=is_office(self.request.user),
            is_holder=is_holder(self.honour, self.request.user),
            honour_links=honour_links(self.honour, self.request.user),
            **kwargs,
        )


class CertificateDownloadView(HonourMixin, View):
    def get(self, request, *args, **kwargs):
        try:
            honour = certificate_open(honour=self.honour, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
            return redirect("decisions:honour_detail", pk=self.honour.pk)
        return stored_file_response(
            honour.certificate,
            filename=certificate_filename(honour),
            content_type="application/pdf",
        )


class RewardRecordView(RefusalStatusMixin, OfficeMixin, ServiceFormView):
    template_name = "decisions/honours/reward_form.html"
    success_message = gettext_lazy("已记录获评奖励。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and is_office(request.user):
            self.honour = get_object_or_404(
                Honour.objects.select_related("cycle__rulebook", "county"), pk=kwargs["pk"]
            )
            self.reward = Reward.objects.filter(honour=self.honour).first()
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return RewardForm(
            **self.get_form_kwargs(),
            kind=self.honour.kind,
            cap_yuan=self.honour.cycle.rulebook.max_unit_reward_yuan,
        )

    def get_initial(self):
        if self.reward is None:
            return {}
        return {
            "amount_yuan": self.reward.amount_yuan,
            "provincial_amount_yuan": self.reward.provincial_amount_yuan,
            "material_description": self.reward.material_description,
            "note": self.reward.note,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            honour=self.honour,
            kind=KIND_SHORT[self.honour.kind],
            blockers=reward_blockers(self.honour),
            article_15=ARTICLE_15,
            article_17=ARTICLE_17,
            is_unit=self.honour.kind == ApplicantKind.UNIT,
            **kwargs,
        )

    def call_service(self, form):
        return reward_record(honour=self.honour, by=self.request.user, **form.cleaned_data)

    def success_url_for(self, saved):
        return reverse("decisions:honour_detail", kwargs={"pk": saved.honour_id})


class MyHonoursView(RoleRequiredMixin, TemplateView):
    roles = (Role.APPLICANT,)
    template_name = "decisions/honours/mine.html"

    def get_context_data(self, **kwargs):
        honours = list(honours_of_holder(self.request.user))
        return super().get_context_data(
            rows=[
                {
                    "honour": h,
                    "reward_text": reward_computation(h.reward) if hasattr(h, "reward") else "",
                }
                for h in honours
            ],
            **kwargs,
        )


# Public pages -----------------------------------------------------------------------------


class WinnersView(AnonymousPageCacheMixin, TemplateView):
    """获评名单 of a published cycle (the latest by default): name, category, kind, county,
    and a revoked honour marked 已撤销 with its date (第十九条); no personal numbers.
    Anonymous visitors get it from the cache while its data is unchanged."""

    template_name = "decisions/honours/winners.html"

    def page_fingerprint(self):
        return winners_page_fingerprint(self.kwargs.get("number"))

    def get_cycle(self):
        number = self.kwargs.get("number")
        cycle = latest_published_cycle() if number is None else published_cycle(number)
        if number is not None and cycle is None:
            raise Http404
        return cycle

    def get_context_data(self, **kwargs):
        cycle = self.get_cycle()
        groups, figures = [], None
        if cycle is not None:
            by_category = winners_by_category(cycle)
            groups = [
                (label, [{"honour": h, "kind": KIND_SHORT[h.kind]} for h in honours])
                for label, honours in by_category
            ]
            figures = public_figures(cycle, [h for _label, hs in by_category for h in hs])
        return super().get_context_data(
            cycle=cycle,
            groups=groups,
            figures=figures,
            cycles=list(published_cycles()),
            revoked=HonourStatus.REVOKED,
            **kwargs,
        )


class AnnouncementMixin:
    def get_cycle(self):
        cycle = published_cycle(self.kwargs["number"])
        if cycle is None:
            raise Http404
        return cycle

    def announcement_context(self):
        cycle = self.get_cycle()
        return {
            "cycle": cycle,
            "heading": _("关于公布%(cycle)s获评名单的公告") % {"cycle": cycle},
            "groups": announcement_groups(cycle),
            "approval": approval_of(cycle),
        }


class AnnouncementView(AnnouncementMixin, TemplateView):
    template_name = "decisions/honours/announcement.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.announcement_context(), **kwargs)


class AnnouncementPdfView(AnnouncementMixin, View):
    def get(self, request, *args, **kwargs):
        context = self.announcement_context()
        response = HttpResponse(
            render_pdf("pdf/decisions/result_announcement.html", context),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = content_disposition_header(
            False,
            clean_filename(
                _("第%(number)s届获评名单公告.pdf") % {"number": context["cycle"].number}
            ),
        )
        return response


def verify_fingerprint(honour: Honour) -> tuple:
    """Every value the verification page shows of `honour` (read on this request)."""
    return (
        honour.pk,
        honour.serial,
        honour.holder_name,
        honour.kind,
        honour.category,
        honour.awarded_on,
        honour.status,
        honour.revoked_on,
        honour.revoked_article,
        honour.cycle.number,
        honour.cycle.year,
    )


def lookup_allowed(request) -> bool:
    """At most VERIFY_LOOKUPS_PER_WINDOW certificate look-ups per client address per window,
    so serials cannot be tried one after another."""
    key = f"decisions:verify:{client_ip(request)}"
    cache.add(key, 0, timeout=VERIFY_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=VERIFY_WINDOW_SECONDS)
        count = 1
    return count <= VERIFY_LOOKUPS_PER_WINDOW


class VerifyFormView(TemplateView):
    """证书查验: type a serial (GET, so the address can be shared)."""

    template_name = "decisions/honours/verify_form.html"

    def get(self, request, *args, **kwargs):
        form = VerifyForm(request.GET if "serial" in request.GET else None)
        if form.is_bound and form.is_valid():
            serial = serial_normalise(form.cleaned_data["serial"])
            if serial and "/" not in serial:
                return redirect("public_decisions:verify_serial", serial=serial)
            form.add_error("serial", _("请输入证书编号。"))
        status = 400 if form.is_bound else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)


class VerifySerialView(AnonymousPageCacheMixin, TemplateView):
    """One certificate's live status (有效 / 已撤销, 第十九条); unknown serials a plain 404.
    The rendered result is cached for anonymous visitors under the values it shows, read
    fresh on every request (award/public_cache.py)."""

    template_name = "decisions/honours/verify_result.html"

    def get(self, request, *args, **kwargs):
        if not lookup_allowed(request):
            return self.response_class(
                request=request,
                template=["decisions/honours/verify_throttled.html"],
                context={"form": VerifyForm()},
                status=429,
            )
        typed = kwargs["serial"]
        serial = serial_normalise(typed)
        honour = honour_by_serial(serial) if serial_is_well_formed(serial) else None
        if honour is None:
            return self.response_class(
                request=request,
                template=["decisions/honours/verify_not_found.html"],
                context={"form": VerifyForm()},
                status=404,
            )
        if serial != typed:
            return redirect("public_decisions:verify_serial", serial=serial)

        def render():
            return self.render_to_response(
                self.get_context_data(
                    honour=honour,
                    kind=KIND_SHORT[honour.kind],
                    revoked=honour.status == HonourStatus.REVOKED,
                )
            )

        if not cacheable(request):
            return render()
        # The live status is part of the key: the row just read decides which page is served.
        return serve(self, request, verify_fingerprint(honour), render)


urlpatterns = [
    path("honours/", HonoursIndexView.as_view(), name="honours_index"),
    path("honours/mine/", MyHonoursView.as_view(), name="honours_mine"),
    path("honours/<int:cycle_pk>/", HonoursCycleView.as_view(), name="honours_cycle"),
    path(
        "honours/<int:cycle_pk>/approval/",
        ApprovalRecordView.as_view(),
        name="honours_approval_record",
    ),
    path(
        "honours/<int:cycle_pk>/approval/file/",
        ApprovalFileView.as_view(),
        name="honours_approval_file",
    ),
    path("honours/honour/<int:pk>/", HonourDetailView.as_view(), name="honour_detail"),
    path(
        "honours/honour/<int:pk>/certificate/",
        CertificateDownloadView.as_view(),
        name="honour_certificate",
    ),
    path("honours/honour/<int:pk>/reward/", RewardRecordView.as_view(), name="honour_reward"),
]
public_urlpatterns = [
    path("winners/", WinnersView.as_view(), name="winners_latest"),
    path("winners/<int:number>/", WinnersView.as_view(), name="winners"),
    path("winners/<int:number>/announcement/", AnnouncementView.as_view(), name="announcement"),
    path(
        "winners/<int:number>/announcement.pdf",
        AnnouncementPdfView.as_view(),
        name="announcement_pdf",
    ),
    path("verify/", VerifyFormView.as_view(), name="verify"),
    path("verify/<str:serial>/", VerifySerialView.as_view(), name="verify_serial"),
]
