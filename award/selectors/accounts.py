"""Reading accounts: who owns an email or a login name, and a user's role labels."""

from award.enums import Role
from award.models import User


def email_taken(email: str, *, exclude: User | None = None) -> bool:
    """Whether another account already uses this email, ignoring case."""
    users = User.objects.filter(email__iexact=email.strip())
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def username_taken(username: str) -> bool:
    """Whether a login name is in use, ignoring case so 'Zhang' and 'zhang' are not both made."""
    return User.objects.filter(username__iexact=username.strip()).exists()


def login_name_for(identifier: str) -> str:
    """The login name to authenticate: an email maps to its account's username.

    A typed value that is itself a username (staff accounts may contain '@') wins; an email
    held by no account or, exceptionally, by two is passed on unchanged and simply fails.
    """
    identifier = identifier.strip()
    if "@" not in identifier or User.objects.filter(username=identifier).exists():
        return identifier
    usernames = list(User.objects.filter(email__iexact=identifier).values_list("username")[:2])
    return usernames[0][0] if len(usernames) == 1 else identifier


def role_labels(user: User) -> list[str]:
    """The user's roles in the order Role declares them, as their Chinese labels."""
    return [str(role.label) for role in Role if role.value in user.role_codes]
