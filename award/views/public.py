"""The public site: home page, published notices and their attachments (第十四条第（一）项)."""

from django.urls import path
from django.views import View
from django.views.generic import ListView, TemplateView

from award.enums import CyclePhase, NoticeKind
from award.public_cache import AnonymousPageCacheMixin
from award.selectors.cycles import current_cycle
from award.selectors.notices import attachment_for_public, notice_for_public, published_notices
from award.selectors.public import rulebook_in_force
from award.uploads import stored_file_response

HOME_NOTICES = 6
# The public steps of 第十四条, in order; 筹备 and 归档 are the office's own business.
PUBLIC_PHASES = [
    phase for phase in CyclePhase if phase not in (CyclePhase.DRAFT, CyclePhase.ARCHIVED)
]


def phase_steps(cycle):
    """(label, state) for each public step, state being done, current or ahead."""
    if cycle is None:
        return []
    reached = list(CyclePhase).index(CyclePhase(cycle.phase))
    steps = []
    for phase in PUBLIC_PHASES:
        position = list(CyclePhase).index(phase)
        state = "done" if position < reached else "current" if position == reached else ""
        steps.append((phase.label, state))
    return steps


def row_values(obj) -> tuple | None:
    """Every stored value of a row, for a page fingerprint (award.public_cache)."""
    if obj is None:
        return None
    return tuple(getattr(obj, field.attname) for field in obj._meta.concrete_fields)


class HomeView(AnonymousPageCacheMixin, TemplateView):
    template_name = "award/home.html"

    def load(self):
        if not hasattr(self, "cycle"):
            self.cycle = current_cycle()
            self.rulebook = self.cycle.rulebook if self.cycle else rulebook_in_force()
            self.notices = list(published_notices()[:HOME_NOTICES])
        return self.cycle, self.rulebook, self.notices

    def page_fingerprint(self):
        """The cycle, rulebook and notices shown, and whether the call is open this minute."""
        cycle, rulebook, notices = self.load()
        return (
            row_values(cycle),
            cycle.accepts_applications if cycle else None,
            row_values(rulebook),
            [(row_values(notice), row_values(notice.cycle)) for notice in notices],
        )

    def get_context_data(self, **kwargs):
        cycle, rulebook, notices = self.load()
        return super().get_context_data(
            cycle=cycle,
            steps=phase_steps(cycle),
            rulebook=rulebook,
            notices=notices,
            **kwargs,
        )


class NoticeListView(ListView):
    template_name = "award/notice_list.html"
    context_object_name = "notices"
    paginate_by = 20

    def get_queryset(self):
        kind = self.request.GET.get("kind", "")
        self.kind = kind if kind in NoticeKind.values else ""
        return published_notices(self.kind or None)

    def get_context_data(self, **kwargs):
        return super().get_context_data(kinds=NoticeKind.choices, kind=self.kind, **kwargs)


class NoticeDetailView(TemplateView):
    template_name = "award/notice_detail.html"

    def get_context_data(self, **kwargs):
        notice = notice_for_public(kwargs["pk"])
        return super().get_context_data(
            notice=notice, attachments=notice.attachments.all(), preview=False, **kwargs
        )


class NoticeAttachmentView(View):
    """Streams an attachment of a published notice; anything else answers 404."""

    def get(self, request, pk, attachment_pk):
        attachment = attachment_for_public(pk, attachment_pk)
        return stored_file_response(
            attachment.file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
            private=False,
        )


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("notices/", NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/", NoticeDetailView.as_view(), name="notice_detail"),
    path(
        "notices/<int:pk>/attachments/<int:attachment_pk>/",
        NoticeAttachmentView.as_view(),
        name="notice_attachment",
    ),
]
