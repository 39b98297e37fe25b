"""站内信: each user's own in-site messages, newest first."""

from django.contrib import messages as flash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from award.selectors.inbox import message_for, messages_for
from award.services.inbox import message_mark_all_read, message_mark_read


class MessageListView(LoginRequiredMixin, ListView):
    template_name = "award/message_list.html"
    context_object_name = "inbox"
    paginate_by = 20

    def get_queryset(self):
        return messages_for(self.request.user, unread_only=self.unread_only)

    @property
    def unread_only(self) -> bool:
        return self.request.GET.get("unread") == "1"

    def get_context_data(self, **kwargs):
        return super().get_context_data(unread_only=self.unread_only, **kwargs)


class MessageDetailView(LoginRequiredMixin, DetailView):
    template_name = "award/message_detail.html"
    context_object_name = "inbox_message"

    def get_object(self, queryset=None):
        message = message_for(self.request.user, self.kwargs["pk"])
        return message_mark_read(message=message, by=self.request.user)

    def get_context_data(self, **kwargs):
        url = self.object.url
        # Only a link inside the portal is offered (no scheme, no other host).
        link = url if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None) else ""
        return super().get_context_data(link=link, **kwargs)


class MessageMarkAllReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        count = message_mark_all_read(by=request.user)
        if count:
            flash.success(request, _("已将%(count)s条站内信标记为已读。") % {"count": count})
        else:
            flash.info(request, _("没有未读的站内信。"))
        return redirect("award:message_list")


urlpatterns = [
    path("messages/", MessageListView.as_view(), name="message_list"),
    path("messages/<int:pk>/", MessageDetailView.as_view(), name="message_detail"),
    path("messages/read-all/", MessageMarkAllReadView.as_view(), name="message_mark_all_read"),
]
