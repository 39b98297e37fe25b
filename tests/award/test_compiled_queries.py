"""award.compiled_queries: a query compiled once gives what the ORM gives, for every value;
and the object-permission check built on it answers what django-guardian answers."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count, DateTimeField, IntegerField, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_objects_for_user

from award.auth_backends import SIGNED_IN_USER, PortalBackend, with_page_basics
from award.compiled_queries import CompiledQuery
from award.enums import Role
from award.models import Message, User
from award.permissions import holds_object_perm, with_object_perm
from tests.factories import UserFactory, make_user

pytestmark = pytest.mark.django_db


def test_the_signed_in_user_query_reads_what_the_orm_reads_for_each_user():
    office = UserFactory(roles=[Role.OFFICE, Role.AUDITOR])
    applicant = make_user(Role.APPLICANT)
    Message.objects.create(recipient=applicant, subject="通知", body="正文")
    for user in (office, applicant):
        (compiled,) = SIGNED_IN_USER.run(pk=user.pk)
        expected = with_page_basics(User.objects).get(pk=user.pk)
        assert compiled.username == expected.username
        assert compiled.date_joined == expected.date_joined
        assert sorted(compiled._role_names.split(",")) == sorted(expected._role_names.split(","))
        assert compiled._unread_messages == expected._unread_messages
    assert list(SIGNED_IN_USER.run(pk=applicant.pk + office.pk + 100)) == []


def test_rows_of_a_compiled_union_are_what_the_orm_gives_for_each_value():
    """rows(): a UNION ALL of values_list() reads, tagged and counted, gives the ORM's tuples
    (dates and counts converted alike) for each value, in one query after the first."""
    first, second = make_user(Role.APPLICANT), make_user(Role.APPLICANT)
    for user, count in ((first, 3), (second, 1)):
        for n in range(count):
            Message.objects.create(
                recipient=user, subject=f"通知{n}", body="正文", read_at=timezone.now()
            )

    def build(pk):
        unread = Message.objects.filter(recipient_id=pk).values("recipient_id")
        listed = (
            Message.objects.filter(recipient_id=pk)
            .annotate(tag=Value(1), n=Value(None, output_field=IntegerField()))
            .values_list("tag", "subject", "read_at", "n")
        )
        counted = (
            unread.annotate(
                tag=Value(2),
                label=Value("合计"),
                no_moment=Value(None, output_field=DateTimeField()),
                n=Count("pk"),
            )
            .values_list("tag", "label", "no_moment", "n")
            .order_by()
        )
        return listed.order_by().union(counted, all=True)

    compiled = CompiledQuery(build, "pk")
    for user in (first, second, first):
        expected = sorted(build(user.pk), key=repr)
        assert sorted(compiled.rows(pk=user.pk), key=repr) == expected
    assert [row[3] for row in compiled.rows(pk=first.pk) if row[0] == 2] == [3]
    with CaptureQueriesContext(connection) as captured:
        compiled.rows(pk=second.pk)
    assert len(captured) == 1


def test_the_backend_reads_the_user_in_one_query_and_refuses_what_is_not_a_key():
    user = make_user(Role.COUNTY)
    SIGNED_IN_USER.run(pk=user.pk)  # compiled before counting
    with CaptureQueriesContext(connection) as captured:
        loaded = PortalBackend().get_user(str(user.pk))
    assert len(captured) == 1
    assert loaded.pk == user.pk and loaded.role_codes == frozenset({Role.COUNTY})
    assert PortalBackend().get_user("1 OR 1=1") is None
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert PortalBackend().get_user(user.pk) is None


def test_a_query_that_follows_relations_or_hides_its_value_is_refused():
    with pytest.raises(ValueError, match="select_related"):
        CompiledQuery(
            lambda pk: Message.objects.select_related("recipient").filter(pk=pk), "pk"
        ).run(pk=1)
    with pytest.raises(ValueError, match="must use pk"):
        CompiledQuery(lambda pk: Message.objects.all(), "pk").run(pk=1)


def test_holding_an_object_permission_agrees_with_guardian_in_every_case():
    """holds_object_perm answers what django-guardian's user.has_perm answers: the user's own
    grant, a group's grant, none, another object, another permission, inactive, superuser."""
    owner, grouped, stranger = (make_user(Role.APPLICANT) for _ in range(3))
    group = Group.objects.create(name="查看组")
    grouped.groups.add(group)
    notice, other_notice = (
        Message.objects.create(recipient=owner, subject=f"通知{n}", body="正文") for n in range(2)
    )
    assign_perm("award.view_message", owner, notice)
    assign_perm("award.view_message", group, notice)
    assign_perm("award.change_message", stranger, other_notice)
    admin = UserFactory(is_superuser=True)
    asleep = make_user(Role.APPLICANT)
    assign_perm("award.view_message", asleep, notice)
    asleep.is_active = False
    asleep.save(update_fields=["is_active"])
    cases = [
        (user, perm, obj)
        for user in (owner, grouped, stranger, admin, asleep)
        for perm in ("award.view_message", "award.change_message")
        for obj in (notice, other_notice)
    ]
    answers = {
        (user.username, perm, obj.pk): holds_object_perm(user, perm, obj)
        for user, perm, obj in cases
    }
    for user, perm, obj in cases:
        fresh = User.objects.get(pk=user.pk)  # guardian caches nothing on a fresh instance
        assert answers[user.username, perm, obj.pk] == fresh.has_perm(perm, obj), (user, perm)
    assert answers[owner.username, "award.view_message", notice.pk] is True
    assert answers[grouped.username, "award.view_message", notice.pk] is True
    assert answers[grouped.username, "award.view_message", other_notice.pk] is False
    assert answers[asleep.username, "award.view_message", notice.pk] is False


def test_holding_an_object_permission_costs_one_query():
    user = make_user(Role.APPLICANT)
    notice = Message.objects.create(recipient=user, subject="通知", body="正文")
    assign_perm("award.view_message", user, notice)
    holds_object_perm(user, "award.view_message", notice)  # compiled before counting
    with CaptureQueriesContext(connection) as captured:
        assert holds_object_perm(user, "award.view_message", notice)
    assert len(captured) == 1


def test_listing_objects_by_permission_agrees_with_guardian_for_every_user():
    """with_object_perm lists what django-guardian's get_objects_for_user lists (object grants
    only): own grants, a group's, none, another permission; nothing for an inactive user, all
    for a superuser."""
    owner, grouped, stranger = (make_user(Role.APPLICANT) for _ in range(3))
    group = Group.objects.create(name="查看组")
    grouped.groups.add(group)
    notices = [
        Message.objects.create(recipient=owner, subject=f"通知{n}", body="正文") for n in range(4)
    ]
    assign_perm("award.view_message", owner, notices[0])
    assign_perm("award.view_message", owner, notices[2])
    assign_perm("award.view_message", group, notices[1])
    assign_perm("award.change_message", stranger, notices[3])
    admin = UserFactory(is_superuser=True)
    asleep = make_user(Role.APPLICANT)
    assign_perm("award.view_message", asleep, notices[0])
    asleep.is_active = False
    asleep.save(update_fields=["is_active"])
    mine = Message.objects.filter(pk__in=[n.pk for n in notices])
    for user in (owner, grouped, stranger, admin):
        for perm in ("award.view_message", "award.change_message"):
            expected = get_objects_for_user(user, perm, mine, accept_global_perms=False)
            listed = with_object_perm(user, perm, mine)
            assert sorted(listed.values_list("pk", flat=True)) == sorted(
                expected.values_list("pk", flat=True)
            ), (user, perm)
    assert list(with_object_perm(owner, "award.view_message", mine).order_by("pk")) == [
        notices[0],
        notices[2],
    ]
    assert list(with_object_perm(grouped, "award.view_message", mine)) == [notices[1]]
    assert not with_object_perm(asleep, "award.view_message", mine).exists()
    assert with_object_perm(admin, "award.view_message", mine).count() == 4
    # A permission of another app is no permission on these objects: refused, as guardian does.
    with pytest.raises(ValueError, match=r"not a permission on award\.Message"):
        with_object_perm(owner, "review.view_message", mine)
