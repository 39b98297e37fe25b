"""Object permissions (django-guardian), granted and revoked only here, each one audited."""

from guardian.shortcuts import assign_perm, remove_perm

from award.services.audit import audit_record


def perm_grant(*, perm: str, user, obj, by, article: str = "") -> None:
    """Let `user` hold `perm` on `obj`; audited (DESIGN.md §9)."""
    assign_perm(perm, user, obj)
    audit_record(
        actor=by,
        action="permission.grant",
        obj=obj,
        after={"user": user.pk, "perm": perm},
        article=article,
    )


def perm_revoke(*, perm: str, user, obj, by, reason: str = "", article: str = "") -> bool:
    """Take `perm` on `obj` away from `user`; audited only when the user held it."""
    removed = remove_perm(perm, user, obj)
    if not removed or not removed[0]:
        return False
    audit_record(
        actor=by,
        action="permission.revoke",
        obj=obj,
        before={"user": user.pk, "perm": perm},
        reason=reason,
        article=article,
    )
    return True
