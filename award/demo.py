"""A believable, clearly fictional demo world (DESIGN.md §10); built through the services."""

import datetime
import functools

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from award import hooks
from award.enums import ApplicantKind, CyclePhase, NoticeKind, Role
from award.models import Agency, County, Cycle, Notice, Rulebook, User
from award.services.cycles import cycle_transition
from award.services.inbox import message_mark_all_read
from award.services.notices import notice_create, notice_publish

DEMO_PASSWORD = "Linyi-Demo-2026"


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def set_demo_password(user: User) -> None:
    """Give `user` the demo password; hashed once, as each hash takes a deliberate 0.3 s."""
    user.password = _demo_password_hash()
    user.save(update_fields=["password"])


def _user(username, role, display_name, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@demo.linyi.invalid", "display_name": display_name, **extra},
    )
    if created:
        set_demo_password(user)
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    return user


# Printed by seed_demo, in this order. A higher floor's seeder creates the expert account,
# since an expert exists only in an agency's pool (review floor).
DEMO_LOGINS = (
    (Role.OFFICE, "office"),
    (Role.COUNTY, "county_lanshan"),
    (Role.AGENCY, "agency"),
    (Role.EXPERT, "expert1"),
    (Role.LEADER, "leader1"),
    (Role.AUDITOR, "auditor1"),
    (Role.APPLICANT, "unit_demo"),
    (Role.APPLICANT, "person_demo"),
)
ADMIN_LOGIN = ("系统管理员（Django admin）", "admin")


def seed_accounts() -> None:
    """The demo agency and one account per role, except the expert (see DEMO_LOGINS)."""
    agency, _ = Agency.objects.get_or_create(
        name="山东卓越质量评价中心（演示）",
        defaults={"uscc": "91371300MA3C000018", "contact_name": "李评审"},
    )
    lanshan = County.objects.get(code="371302")
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "email": "admin@demo.linyi.invalid",
            "display_name": "系统管理员（演示）",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        set_demo_password(admin)
    _user("office", Role.OFFICE, "质量强市办 王科长（演示）")
    _user("county_lanshan", Role.COUNTY, "兰山区协调员（演示）", county=lanshan)
    hedong = County.objects.get(code="371312")
    _user("county_hedong", Role.COUNTY, "河东区协调员（演示）", county=hedong)
    _user("agency", Role.AGENCY, "第三方机构经理（演示）", agency=agency)
    _user("leader1", Role.LEADER, "领导小组成员（演示）")
    _user("auditor1", Role.AUDITOR, "纪检监督员（演示）")
    _user(
        "unit_demo",
        Role.APPLICANT,
        "临沂示例机械制造有限公司（演示）",
        applicant_kind=ApplicantKind.UNIT,
        mobile="13800000001",
    )
    _user(
        "person_demo",
        Role.APPLICANT,
        "张质量（演示）",
        applicant_kind=ApplicantKind.INDIVIDUAL,
        mobile="13800000002",
    )


def login_rows() -> list[tuple[str, str, str]]:
    """(role label, username, password) of every demo login that exists."""
    existing = set(
        User.objects.filter(username__in=[name for _, name in DEMO_LOGINS]).values_list(
            "username", flat=True
        )
    )
    rows = [
        (str(role.label), name, DEMO_PASSWORD) for role, name in DEMO_LOGINS if name in existing
    ]
    if User.objects.filter(username=ADMIN_LOGIN[1]).exists():
        rows.append((*ADMIN_LOGIN, DEMO_PASSWORD))
    return rows


def _silent(text: str) -> None:
    pass


def run_demo_seeders(cycle: Cycle, office: User, progress=_silent) -> None:
    """The higher floors' share of the demo at the cycle's present phase."""
    cycle.refresh_from_db()
    progress(_("%(cycle)s：%(phase)s") % {"cycle": cycle, "phase": cycle.get_phase_display()})
    for seeder in hooks.demo_seeders():
        cycle.refresh_from_db()
        seeder(cycle=cycle, office=office)


def _publish(office, cycle, kind, title, body) -> Notice:
    notice = notice_create(by=office, kind=kind, title=title, body=body, cycle=cycle)
    return notice_publish(notice=notice, by=office)


ORDINALS = {1: "一", 2: "二"}


def _publish_publicity(office, cycle, number) -> Notice:
    return _publish(
        office,
        cycle,
        NoticeKind.PUBLICITY,
        f"第{ORDINALS[number]}届临沂市市长质量奖拟获评名单公示",
        "经第三方机构评审、质量强市工作领导小组审议，现将拟获评名单予以公示（演示数据）。",
    )


def _publish_result(office, cycle, number) -> Notice:
    return _publish(
        office,
        cycle,
        NoticeKind.RESULT,
        f"关于公布第{ORDINALS[number]}届临沂市市长质量奖获评名单的通知",
        "经市政府审定，现将获评名单予以公布（演示数据）。",
    )


def _on(year, month, day, hour=9):
    """Play a piece of the earlier cycle's history at that moment; the clock ticks on from
    there, so every timestamp, event, message and audit entry carries its own date."""
    import time_machine  # only the demo travels in time

    moment = datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())
    return time_machine.travel(moment, tick=True)


# 第一届's steps, each on its day: (date of the step, step, date its seeders run).
FIRST_CYCLE_STEPS = (
    ((2025, 1, 2), "close", (2025, 1, 2)),
    ((2025, 1, 3), "begin_preliminary", (2025, 1, 3)),
    ((2025, 1, 13), "begin_recheck", (2025, 1, 13)),
    ((2025, 3, 3), "begin_expert_review", (2025, 4, 21)),
    ((2025, 5, 20), "begin_deliberation", (2025, 5, 20)),
)


def seed_finished_cycle(office: User, progress=_silent) -> Cycle:
    """第一届 (2024–2025): every phase taken through the services on its own dates, then
    archived. The higher floors' seeders run at each phase on the way: applications while
    the call is open, expert review in 专家评审, and so on.
    """
    existing = Cycle.objects.filter(number=1).first()
    if existing is not None:
        return existing
    rulebook = Rulebook.objects.get(document_number="临政发〔2024〕8号")
    agency = Agency.objects.order_by("pk").first()
    with _on(2024, 10, 15):
        cycle = Cycle.objects.create(
            number=1,
            year=2024,
            rulebook=rulebook,
            application_deadline=datetime.datetime(
                2024, 12, 31, 17, tzinfo=timezone.get_current_timezone()
            ),
            agency=agency,
            created_by=office,
        )
        _publish(
            office,
            cycle,
            NoticeKind.CALL,
            "关于开展第一届临沂市市长质量奖评审工作的通知",
            "各县区质量议事协调机构：\n第一届临沂市市长质量奖申报工作现已开始（演示数据）。",
        )
    with _on(2024, 11, 20):
        run_demo_seeders(cycle, office, progress)
    for step_on, step, seed_on in FIRST_CYCLE_STEPS:
        with _on(*step_on):
            cycle_transition(cycle=cycle, name=step, by=office)
        with _on(*seed_on):
            run_demo_seeders(cycle, office, progress)
    with _on(2025, 6, 9):
        _publish_publicity(office, cycle, 1)
        run_demo_seeders(cycle, office, progress)
    # After the 公示期 (2025-06-09 to 06-13): objections handled, 市政府 approval recorded.
    with _on(2025, 6, 20):
        run_demo_seeders(cycle, office, progress)
    with _on(2025, 7, 1):
        _publish_result(office, cycle, 1)
        run_demo_seeders(cycle, office, progress)
    with _on(2025, 7, 15):
        cycle_transition(cycle=cycle, name="archive", by=office)
        # The earlier cycle's 站内信 were read at the time.
        for user in User.objects.filter(messages__read_at__isnull=True).distinct():
            message_mark_all_read(by=user)
    return cycle


# How far `seed_demo --until PHASE` plays 第二届 (default: the call stays open).
UNTIL_PHASES = (
    CyclePhase.PRELIMINARY,
    CyclePhase.RECHECK,
    CyclePhase.EXPERT_REVIEW,
    CyclePhase.DELIBERATION,
    CyclePhase.PUBLICITY,
    CyclePhase.PUBLISHED,
)

# Cycles left at their phase with work waiting: seeders take their share of that phase only
# as far as leaves someone something to do (an open vote, an open objection, …).
_resting: set[int] = set()


def is_resting(cycle: Cycle) -> bool:
    """Whether the demo leaves `cycle` at its present phase, with work waiting there."""
    return cycle.pk in _resting or (cycle.number == 2 and cycle.phase == CyclePhase.ANNOUNCED)


def _current_cycle_fields(office, rulebook, announced_on: datetime.date) -> dict:
    deadline = datetime.datetime.combine(
        announced_on + datetime.timedelta(days=60),
        datetime.time(17),
        tzinfo=timezone.get_current_timezone(),
    )
    return {
        "number": 2,
        "year": announced_on.year,
        "rulebook": rulebook,
        "application_deadline": deadline,
        "preliminary_deadline": (deadline + datetime.timedelta(days=15)).date(),
        "recheck_deadline": (deadline + datetime.timedelta(days=30)).date(),
        "created_by": office,
    }


def _publish_call(office, cycle) -> Notice:
    return _publish(
        office,
        cycle,
        NoticeKind.CALL,
        "关于开展第二届临沂市市长质量奖申报工作的通知",
        "各县区质量议事协调机构、各有关单位：\n"
        "根据《临沂市市长质量奖评定办法》（临政发〔2024〕8号），现启动第二届临沂市市长质量奖"
        "申报工作。符合第十条、第十二条条件的单位和个人，请登录本平台注册并在线填报申报材料，"
        "向所属县区质量议事协调机构提交。评审不收取任何费用（第十六条）。\n（演示数据）",
    )


def seed_current_cycle(office: User, until: str | None = None, progress=_silent) -> Cycle:
    """第二届 (this year): the call is published and applications are open; with `until`,
    the cycle was announced months ago and is played on to that phase, where it rests with
    work waiting (UNTIL_PHASES)."""
    existing = Cycle.objects.filter(number=2).first()
    if existing is not None:
        return existing
    rulebook = Rulebook.objects.get(document_number="临政发〔2024〕8号")
    today = timezone.localdate()
    if until is None:
        cycle = Cycle.objects.create(**_current_cycle_fields(office, rulebook, today))
        _publish_call(office, cycle)
        return cycle
    return _play_current_cycle(office, rulebook, CyclePhase(until), today, progress)


def _days_ago(today: datetime.date, days: int) -> tuple[int, int, int]:
    day = today - datetime.timedelta(days=days)
    return day.year, day.month, day.day


def _play_current_cycle(office, rulebook, until: CyclePhase, today, progress) -> Cycle:
    """第二届 announced 150 days ago and taken step by step, on its dates, to `until`."""
    with _on(*_days_ago(today, 150)):
        cycle = Cycle.objects.create(
            **_current_cycle_fields(office, rulebook, today - datetime.timedelta(days=150))
        )
        _publish_call(office, cycle)
    with _on(*_days_ago(today, 140)):
        run_demo_seeders(cycle, office, progress)
    steps = (
        (89, "close", 89),
        (88, "begin_preliminary", 86),
        (75, "begin_recheck", 72),
        (60, "begin_expert_review", 50),
        (40, "begin_deliberation", 38),
    )
    for step_days, step, seed_days in steps:
        with _on(*_days_ago(today, step_days)):
            cycle_transition(cycle=cycle, name=step, by=office)
        cycle.refresh_from_db()
        if cycle.phase == until:
            _resting.add(cycle.pk)
            run_demo_seeders(cycle, office, progress)
            return cycle
        with _on(*_days_ago(today, seed_days)):
            run_demo_seeders(cycle, office, progress)
    if until == CyclePhase.PUBLICITY:
        _resting.add(cycle.pk)
        _publish_publicity(office, cycle, 2)
        run_demo_seeders(cycle, office, progress)
        return cycle
    with _on(*_days_ago(today, 30)):
        _publish_publicity(office, cycle, 2)
        run_demo_seeders(cycle, office, progress)
    with _on(*_days_ago(today, 15)):
        run_demo_seeders(cycle, office, progress)
    _resting.add(cycle.pk)
    with _on(*_days_ago(today, 10)):
        _publish_result(office, cycle, 2)
        run_demo_seeders(cycle, office, progress)
    return cycle


@transaction.atomic
def seed_demo(progress=_silent, until: str | None = None) -> list[tuple[str, str, str]]:
    """Build the demo world (idempotent), telling `progress` what it is doing; returns the
    logins to print. `until` plays 第二届 on to that phase (UNTIL_PHASES)."""
    seed_accounts()
    office = User.objects.get(username="office")
    seed_finished_cycle(office, progress)
    current = seed_current_cycle(office, until, progress)
    run_demo_seeders(current, office, progress)
    return login_rows()
