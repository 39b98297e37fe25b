"""The ground floor's own to-do items on the workbench."""

from django.urls import reverse
from django.utils.translation import gettext as _

from award.workbench import TodoItem, workbench


@workbench.register()
def unread_messages(user):
    count = user.messages.filter(read_at__isnull=True).count()
    if count:
        yield TodoItem(_("未读站内信"), reverse("award:message_list"), count)
