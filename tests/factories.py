"""factory_boy factories for the ground floor; later floors add theirs beside these."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from award.enums import ApplicantKind, NoticeKind, Role
from award.models import Agency, County, Cycle, Notice, Rulebook, User

PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    mobile = "13812345678"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=[str(r) for r in extracted]))
            self.__dict__.pop("role_codes", None)


def county(code="371302"):
    return County.objects.get(code=code)


def make_user(role: Role, **kwargs) -> User:
    """A user holding one role, tied to a county or agency where the role needs one."""
    if role == Role.COUNTY:
        kwargs.setdefault("county", county())
    if role == Role.AGENCY:
        kwargs.setdefault("agency", AgencyFactory())
    if role == Role.APPLICANT:
        kwargs.setdefault("applicant_kind", ApplicantKind.UNIT)
    return UserFactory(roles=[role], **kwargs)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"临沂质量评价咨询中心{n}")


def current_rulebook() -> Rulebook:
    return Rulebook.objects.get(document_number="临政发〔2024〕8号")


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle in 筹备 (draft) whose deadline lies ahead; move it on through the services."""

    class Meta:
        model = Cycle

    number = factory.Sequence(lambda n: n + 1)
    year = 2026
    rulebook = factory.LazyFunction(current_rulebook)
    application_deadline = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=30)
    )


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    kind = NoticeKind.GENERAL
    title = factory.Sequence(lambda n: f"关于市长质量奖工作的通知（{n}）")
    body = "各县区质量议事协调机构：\n现将有关事项通知如下。"
    author = factory.LazyFunction(lambda: make_user(Role.OFFICE))
