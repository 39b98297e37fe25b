"""Read queries of the periodic assessment pages (第二十五条)."""

from django.db.models import Count, Q

from revocation.enums import RoundState
from revocation.models import AssessmentRecord, AssessmentRound


def rounds():
    return (
        AssessmentRound.objects.select_related("agency")
        .annotate(
            total=Count("records"),
            decided=Count("records", filter=~Q(records__outcome="")),
        )
        .order_by("-year", "-pk")
    )


def round_records(round_):
    return (
        AssessmentRecord.objects.filter(round=round_)
        .select_related("honour__cycle", "honour__county", "case")
        .order_by("honour__holder_name", "pk")
    )


def records_of_agency(user):
    """Undecided and decided records of the open rounds assigned to the user's agency."""
    if not user.agency_id:
        return AssessmentRecord.objects.none()
    return (
        AssessmentRecord.objects.filter(round__agency_id=user.agency_id)
        .select_related("round", "honour__cycle", "honour__county")
        .order_by("round__state", "-round__year", "honour__holder_name", "pk")
    )


def record_detail(pk):
    return AssessmentRecord.objects.select_related(
        "round__agency", "honour__cycle", "honour__county", "case", "filled_by", "decided_by"
    ).filter(pk=pk)


def open_rounds():
    return AssessmentRound.objects.filter(state=RoundState.OPEN)
