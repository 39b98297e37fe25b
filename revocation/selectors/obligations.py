"""Read queries of the winners' obligations pages (第十八条)."""

from django.utils import timezone

from revocation.enums import SharingState
from revocation.models import SharingRequest


def _base():
    return SharingRequest.objects.select_related("honour__cycle", "honour__county", "case")


def staff_requests():
    return _base().order_by("-requested_at", "-pk")


def requests_of_holder(user):
    return _base().filter(honour__application__applicant=user).order_by("-requested_at", "-pk")


def overdue_requests(qs=None):
    qs = qs if qs is not None else _base()
    return qs.filter(state=SharingState.REQUESTED, due_on__lt=timezone.localdate())


def published_sharing():
    return (
        SharingRequest.objects.filter(state=SharingState.PUBLISHED)
        .select_related("honour__cycle")
        .order_by("-published_at", "-pk")
    )


def request_detail(pk):
    return _base().select_related("honour__application", "requested_by").filter(pk=pk)
