"""Exceptions of the ground floor that views turn into a message on the page."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REPLAYED = _("请勿重复提交：该表单已经提交过，以下是第一次提交的结果。")


class SubmissionReplayed(ValidationError):
    """The same create form was posted again; `first` is what its first POST made (None if
    nothing was recorded or it is gone). See award.services.submissions."""

    def __init__(self, first=None):
        super().__init__(REPLAYED, code="replayed")
        self.first = first
