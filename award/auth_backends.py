"""The portal's login backend: Django's, with what every page needs loaded with the user.

Each request reads the signed-in user once; the roles (Groups) and the unread message count
come in that same query instead of two more on every page.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery, TextField
from django.db.models.aggregates import Aggregate

from award.compiled_queries import CompiledQuery
from award.models import Message, User

ROLE_SEPARATOR = ","


class RoleNames(Aggregate):
    """The group names joined by ROLE_SEPARATOR, on PostgreSQL and on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def with_page_basics(users):
    """`users` annotated with `_role_names` and `_unread_messages` (see User.role_codes)."""
    groups = (
        User.groups.through.objects.filter(user_id=OuterRef("pk"))
        .values("user_id")
        .annotate(names=RoleNames("group__name"))
        .values("names")
    )
    unread = (
        Message.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .values("recipient_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return users.annotate(
        _role_names=Subquery(groups, output_field=TextField()),
        _unread_messages=Subquery(unread, output_field=IntegerField()),
    )


# The query of every signed-in request: compiled once, not per request.
SIGNED_IN_USER = CompiledQuery(
    lambda pk: with_page_basics(User._default_manager.filter(pk=pk)), "pk"
)


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = next(iter(SIGNED_IN_USER.run(pk=pk)), None)
        if user is None:
            return None
        if not self.user_can_authenticate(user):
            return None
        names = user._role_names
        user.__dict__["role_codes"] = frozenset(names.split(ROLE_SEPARATOR) if names else ())
        user.unread_message_count = user._unread_messages or 0
        return user
