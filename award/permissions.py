"""Role checks shared by views: wrong role or someone else's object answers 404 (DESIGN.md §5)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from award.enums import Role

STAFF_READERS = (Role.OFFICE, Role.AUDITOR)


class RoleRequiredMixin(LoginRequiredMixin):
    """Only users holding one of `roles` see the page; others get 404 so nothing leaks."""

    roles: tuple[Role, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_role(*self.roles):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class StaffReaderMixin(RoleRequiredMixin):
    """The office acts, the auditor reads; everyone else gets 404."""

    roles = STAFF_READERS


class OfficeMixin(RoleRequiredMixin):
    roles = (Role.OFFICE,)
