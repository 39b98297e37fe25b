"""Benchmark fixtures: hundreds of applications written in bulk, and timing helpers."""

import datetime
import statistics
import time
from dataclasses import dataclass

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from applications.enums import ApplicationState, EventAction, Gender, UnitSize
from applications.models import Application, ApplicationEvent, IndividualProfile, UnitProfile
from applications.validators import id_number_check_char, uscc_check_char
from award.enums import ApplicantKind, Role
from award.models import County, Cycle, User
from tests.applications.factories import announced_cycle
from tests.factories import PASSWORD, make_user

S = ApplicationState
A = EventAction
# Each submitted application's path so far: (state, [(action, from, to, opinion, by)]).
PATHS = [
    (S.SUBMITTED, []),
    (S.RECOMMENDED, [(A.RECOMMEND, S.SUBMITTED, S.RECOMMENDED, "材料齐全，同意推荐。", "county")]),
    (S.RETURNED, [(A.RETURN, S.SUBMITTED, S.RETURNED, "请补充近3年纳税证明。", "county")]),
    (S.DECLINED, [(A.DECLINE, S.SUBMITTED, S.DECLINED, "不符合第十条第（五）项。", "county")]),
    (
        S.ACCEPTED,
        [
            (A.RECOMMEND, S.SUBMITTED, S.RECOMMENDED, "同意推荐。", "county"),
            (A.ACCEPT, S.RECOMMENDED, S.ACCEPTED, "复核通过。", "office"),
        ],
    ),
    (
        S.RECHECK_FAILED,
        [
            (A.RECOMMEND, S.SUBMITTED, S.RECOMMENDED, "同意推荐。", "county"),
            (A.REJECT, S.RECOMMENDED, S.RECHECK_FAILED, "近3年有行政处罚记录。", "office"),
        ],
    ),
    (S.WITHDRAWN, [(A.WITHDRAW, S.SUBMITTED, S.WITHDRAWN, "本届暂不参评。", "applicant")]),
]


@dataclass
class BenchWorld:
    office: User
    cycle: Cycle
    pks: list[int]


def _figures(cycle, index):
    revenue = 10000 + index * 37
    return {
        "key_figures": {
            str(year): {
                "revenue": f"{revenue:.2f}",
                "profit": f"{revenue * 0.07:.2f}",
                "tax": f"{revenue * 0.04:.2f}",
                "rd_spend": f"{revenue * 0.03:.2f}",
                "exports": "0.00",
            }
            for year in (cycle.year - 3, cycle.year - 2, cycle.year - 1)
        },
        "certifications": "ISO 9001、ISO 14001",
        "honours": "临沂市质量标杆企业",
    }


def seed_bench_applications(count: int) -> BenchWorld:
    """`count` submitted applications of both kinds, in every county and state after 提报,
    each with its timeline, written with bulk_create (a benchmark needs volume, not paths)."""
    office = make_user(Role.OFFICE)
    county_user = make_user(Role.COUNTY)
    cycle = announced_cycle(office=office)
    counties = list(County.objects.order_by("pk"))
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(
            username=f"bench{i}",
            email=f"bench{i}@example.cn",
            display_name=f"压测申报主体{i}",
            mobile="13812345678",
            password=password,
            applicant_kind=ApplicantKind.UNIT if i % 3 else ApplicantKind.INDIVIDUAL,
        )
        for i in range(count)
    )
    applicants = Group.objects.get(name=Role.APPLICANT)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=applicants.pk) for user in users
    )
    units, people, applications = [], [], []
    now = timezone.now()
    for i, user in enumerate(users):
        county = counties[i % len(counties)]
        state, _steps = PATHS[i % len(PATHS)]
        if user.applicant_kind == ApplicantKind.UNIT:
            body = f"91{county.code}{i:09d}"
            profile = UnitProfile(
                user=user,
                name=f"临沂压测制造有限公司{i}",
                uscc=body + uscc_check_char(body),
                legal_representative="王建国",
                founded_on=datetime.date(2010, 1, 1),
                industry="通用设备制造业",
                county=county,
                address="临沂市兰山区测试路1号",
                contact_name="李质量",
                contact_phone="0539-8123456",
                size=UnitSize.MEDIUM,
                main_products="工程机械零部件",
            )
            units.append(profile)
            form = _figures(cycle, i)
        else:
            body = f"{county.code}19750101{i % 1000:03d}"
            profile = IndividualProfile(
                user=user,
                name=f"压测个人{i}",
                gender=Gender.MALE if int(body[16]) % 2 else Gender.FEMALE,
                birth_date=datetime.date(1975, 1, 1),
                id_number=body + id_number_check_char(body),
                education="bachelor",
                employer="临沂压测制造有限公司",
                position="质量总监",
                quality_work_years=20,
                quality_work_since=datetime.date(2004, 1, 1),
                county=county,
                contact_phone="13912345678",
            )
            people.append(profile)
            form = {"achievements": "主持质量改进项目。", "honours": "", "contest_results": ""}
        applications.append(
            Application(
                cycle=cycle,
                applicant=user,
                kind=user.applicant_kind,
                state=state,
                round=1,
                name=profile.name,
                identifier=profile.identifier,
                county=county,
                form_data=form,
                declarations_accepted_by=profile.name,
                declarations_accepted_at=now,
                submitted_at=now - datetime.timedelta(minutes=count - i),
            )
        )
    UnitProfile.objects.bulk_create(units)
    IndividualProfile.objects.bulk_create(people)
    applications = Application.objects.bulk_create(applications, batch_size=250)
    actors = {"county": county_user, "office": office}
    events = []
    for i, application in enumerate(applications):
        at = application.submitted_at
        events.append(
            ApplicationEvent(
                application=application,
                round=0,
                actor=application.applicant,
                action=A.CREATE,
                to_state=S.DRAFT,
                created_at=at - datetime.timedelta(days=1),
            )
        )
        events.append(
            ApplicationEvent(
                application=application,
                round=1,
                actor=application.applicant,
                action=A.SUBMIT,
                from_state=S.DRAFT,
                to_state=S.SUBMITTED,
                created_at=at,
            )
        )
        for step, (action, source, target, opinion, by) in enumerate(PATHS[i % len(PATHS)][1]):
            events.append(
                ApplicationEvent(
                    application=application,
                    round=1,
                    actor=actors.get(by, application.applicant),
                    action=action,
                    from_state=source,
                    to_state=target,
                    opinion=opinion,
                    created_at=at + datetime.timedelta(hours=step + 1),
                )
            )
    ApplicationEvent.objects.bulk_create(events, batch_size=1000)
    return BenchWorld(office=office, cycle=cycle, pks=[a.pk for a in applications])


@pytest.fixture
def bench_world(db):
    started = time.perf_counter()
    world = seed_bench_applications(500)
    print(f"\n[seed] 500 applications in {time.perf_counter() - started:.1f} s")
    return world


def summarise(samples: list[float]) -> dict[str, float]:
    """Median and 95th percentile in milliseconds."""
    ordered = sorted(samples)
    p95_index = max(0, round(0.95 * len(ordered)) - 1)
    return {
        "median": statistics.median(ordered) * 1000,
        "p95": ordered[p95_index] * 1000,
        "n": len(ordered),
    }


def print_table(title: str, headers: list[str], rows: list[list]) -> None:
    """A plain-text table on stdout (make bench runs pytest with -s)."""
    cells = [headers, *[[str(value) for value in row] for row in rows]]
    widths = [
        max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in row[i]) for row in cells)
        for i in range(len(headers))
    ]

    def line(row):
        padded = []
        for value, width in zip(row, widths, strict=True):
            shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in value)
            padded.append(value + " " * (width - shown))
        return "| " + " | ".join(padded) + " |"

    rule = "+-" + "-+-".join("-" * width for width in widths) + "-+"
    print(f"\n{title}\n{rule}\n{line(cells[0])}\n{rule}")
    for row in cells[1:]:
        print(line(row))
    print(rule)


def machine_speed_ms() -> float:
    """The median of 5 runs of one fixed pure-Python loop: printed beside the figures that
    depend on the machine, so that runs on machines of different speed can be compared (the
    same code measured 90 req/s on one day's machine and 185 on another's)."""
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        sum(n * n for n in range(2_000_000))
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def print_machine_speed() -> None:
    print(f"\n[machine] a fixed pure-Python loop took {machine_speed_ms():.0f} ms (less is faster)")
