"""The hidden one-time token every create form carries (see award.services.submissions)."""

import uuid

from django import forms


class SubmissionTokenField(forms.CharField):
    """A fresh UUID each time an unbound form is shown; a malformed one counts as none."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)

    def to_python(self, value):
        try:
            return uuid.UUID(str(value)) if value else None
        except ValueError:
            return None


class OnceFormMixin:
    """Adds the hidden `submission_token`; after validation it is `once_token`, not data.

    Keeping it out of `cleaned_data` lets views pass the rest on to a service unchanged.
    """

    once_token: uuid.UUID | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_token"] = SubmissionTokenField()

    def full_clean(self):
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            self.once_token = self.cleaned_data.pop("submission_token", None)


class OnceForm(OnceFormMixin, forms.Form):
    """A form that only carries the token: a button that creates something."""
