"""Reads of the complaints part (第二十一条): the office's list and page, the public lookup."""

import re

from django.db.models import Count, Q
from django.http import Http404

from applications.enums import ApplicationState
from applications.models import Application
from decisions.models import Honour
from review.models import Expert
from revocation.enums import ComplaintState
from revocation.models import Complaint, ComplaintFile
from revocation.models.complaints import RECEIPT_ALPHABET, RECEIPT_LENGTH

# What the public typed, read the Crockford way: O is 0, I and L are 1; spaces and dashes dropped.
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NOT_CODE = re.compile(r"[\s\-]")


def complaints_for_staff(handling: str = ""):
    """Every complaint for the office's list, newest first, with what it is linked to."""
    complaints = (
        Complaint.objects.select_related("application", "expert", "honour", "case")
        .annotate(file_count=Count("files"))
        .order_by("-submitted_at", "-pk")
    )
    if handling in ComplaintState.values:
        complaints = complaints.filter(handling=handling)
    return complaints


def complaint_counts() -> dict:
    return Complaint.objects.aggregate(
        all=Count("pk"),
        **{state: Count("pk", filter=Q(handling=state)) for state in ComplaintState.values},
    )


def complaint_for_staff(pk: int) -> Complaint:
    complaint = (
        Complaint.objects.select_related(
            "application__county",
            "expert",
            "honour__cycle",
            "case",
            "accepted_by",
            "decided_by",
        )
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def complaint_file_for_staff(pk: int, file_pk: int) -> ComplaintFile:
    file = ComplaintFile.objects.select_related("complaint").filter(pk=file_pk, complaint_id=pk)
    found = file.first()
    if found is None:
        raise Http404
    return found


def normalise_receipt(code: str) -> str:
    return _NOT_CODE.sub("", code or "").upper().translate(_TYPOS)


def complaint_by_receipt(code: str) -> Complaint | None:
    """The complaint with that receipt code, with only what the complainant may read (state,
    dates, the reason for refusing or the result); None for any other code."""
    code = normalise_receipt(code)
    if len(code) != RECEIPT_LENGTH or set(code) - set(RECEIPT_ALPHABET):
        return None
    return (
        Complaint.objects.filter(receipt_code=code)
        .only(
            "pk",
            "receipt_code",
            "handling",
            "submitted_at",
            "accepted_at",
            "decided_at",
            "rejection_reason",
            "result",
        )
        .first()
    )


def link_choices():
    """What the office may link a complaint to: applications past the draft, experts, honours."""
    return {
        "applications": Application.objects.exclude(state=ApplicationState.DRAFT)
        .select_related("cycle")
        .order_by("-cycle__number", "name"),
        "experts": Expert.objects.order_by("name"),
        "honours": Honour.objects.select_related("cycle").order_by("-cycle__number", "serial"),
    }
