"""Claiming a create form's one-time token, so that a double click creates one thing.

Every create service takes `submission_token` (the hidden field of OnceFormMixin) and,
as the first statement of its transaction, calls `submission_claim`. The first POST
inserts the token; a second POST of the same form blocks on the unique constraint until
the first commits, then raises SubmissionReplayed carrying what the first one made. If
the first is refused and rolls back, its token is free again and the retry goes ahead.
Claiming first also makes the transaction a writer from its first statement, so on
SQLite two clicks queue for the write lock instead of failing to upgrade a read lock.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from award.exceptions import SubmissionReplayed
from award.models import SubmissionToken, User

__all__ = ["SubmissionReplayed", "submission_claim", "submission_made"]


def submission_claim(
    *, by: User, token: uuid.UUID | str | None, action: str
) -> SubmissionToken | None:
    """Take `token` for `by` inside the caller's transaction; None when no token was sent.

    Raises SubmissionReplayed, with what the first POST recorded through
    `submission_made`, when the token was taken before.
    """
    if not token or by is None or not by.is_authenticated:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("submission_claim belongs inside the create's transaction")
    try:
        with transaction.atomic():
            return SubmissionToken.objects.create(user=by, token=token, action=action)
    except IntegrityError:
        taken = SubmissionToken.objects.filter(user=by, token=token).first()
    raise SubmissionReplayed(taken.first_result() if taken is not None else None)


def submission_made(claim: SubmissionToken | None, obj: models.Model) -> None:
    """Record what the claimed POST made, so that a replay can answer with it."""
    if claim is None:
        return
    claim.content_type = ContentType.objects.get_for_model(obj)
    claim.object_id = str(obj.pk)
    claim.save(update_fields=["content_type", "object_id"])
