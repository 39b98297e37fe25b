"""Whether a create form's one-time token was already used (see award.services.submissions)."""

from award.exceptions import SubmissionReplayed
from award.models import SubmissionToken


def submission_replayed(user, token) -> SubmissionReplayed | None:
    """The answer for a form posted again after its first POST took effect, else None.

    Views ask before showing a form's own errors: a replayed form may fail checks (a name
    now taken, a year now entered) only because its first POST succeeded.
    """
    if not token or not user.is_authenticated:
        return None
    taken = SubmissionToken.objects.filter(user=user, token=token).first()
    return SubmissionReplayed(taken.first_result()) if taken is not None else None
