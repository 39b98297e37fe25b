"""Reading what the public home page shows besides the cycle: the rules in force."""

from django.db.models import Q
from django.utils import timezone

from award.models import Rulebook


def rulebook_in_force(day=None) -> Rulebook | None:
    """The rulebook in force on `day` (today by default), newest first (DESIGN.md §3)."""
    day = day or timezone.localdate()
    return (
        Rulebook.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )
