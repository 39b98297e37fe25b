"""Load: locust against gunicorn (production settings, 4 workers) on 127.0.0.1, bounded in
time. Run with `make bench`. Two runs:

1. the target: 100 applicants each opening the 认证与荣誉 step and saving it about once a
   second; the p95 is printed beside the 300 ms aim;
2. the mix: 200 applicants saving drafts and uploading files and 50 experts autosaving
   scores for 60 s: no error, and every write the portal acknowledged is found afterwards.
"""

import json
import os
import re
import subprocess
import time

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from applications.models import Application, ApplicationDocument
from applications.services import application_create
from review.enums import Stage
from review.models import Assignment, Score
from review.scoring import PERCENTAGES
from tests.applications.factories import announced_cycle, pdf_bytes, unit_applicant
from tests.perf.bench_review import seed_review
from tests.perf.conftest import print_machine_speed, print_table
from tests.perf.gunicorn import gunicorn
from tests.worker import RedisServer, free_port

pytestmark = [pytest.mark.perf, pytest.mark.django_db(transaction=True)]

LOCUST = settings.BASE_DIR / ".venv" / "bin" / "locust"
LOCUSTFILE = settings.BASE_DIR / "tests" / "perf" / "locustfile.py"
RUN_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
TARGET_P95_MS = 300


def session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "award.auth_backends.PortalBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def build_world(applicants: int) -> dict:
    _cycle, _plan, open_applications, groups, items = seed_review(count=40)
    cycle = announced_cycle()
    people = []
    for _ in range(applicants):
        user = unit_applicant()
        application = application_create(cycle=cycle, by=user)
        people.append(
            {
                "username": user.username,
                "application": application.pk,
                "session": session_for(user),
                "honours_url": reverse(
                    "applications:application_step", args=[application.pk, "honours"]
                ),
                "documents_url": reverse(
                    "applications:application_step", args=[application.pk, "documents"]
                ),
            }
        )
    open_by_group = {}
    assignments = Assignment.objects.filter(application__in=open_applications)
    for application_id, group_id in assignments.values_list("application_id", "group_id"):
        open_by_group.setdefault(group_id, []).append(application_id)
    experts = []
    for group, members in groups:
        application = open_by_group[group.pk][0]
        stage = Stage.DEFENCE.value
        for expert in members:
            experts.append(
                {
                    "username": expert.user.username,
                    "session": session_for(expert.user),
                    "sheet_url": reverse("review:expert_scoring", args=[application, stage]),
                    "items": [
                        {
                            "application": application,
                            "criterion": item.pk,
                            "url": reverse(
                                "review:expert_score_save", args=[application, stage, item.pk]
                            ),
                        }
                        for item in items[5:15]
                    ],
                }
            )
    return {"applicants": people, "experts": experts, "percentages": list(PERCENTAGES)}


def run_locust(port, world, tmp_path, *, users, classes, upload_weight, seconds) -> dict:
    pdf_path = tmp_path / "evidence.pdf"
    pdf_path.write_bytes(pdf_bytes())
    world_path, result_path = tmp_path / "world.json", tmp_path / "result.json"
    host = f"http://127.0.0.1:{port}"
    counts = {"Applicant": 0, "Expert": 0}
    for name, count in classes.items():
        counts[name] = count
    world_path.write_text(
        json.dumps(
            {
                **world,
                "host": host,
                "pdf_path": str(pdf_path),
                "applicant_weight": counts["Applicant"] or 1,
                "expert_weight": counts["Expert"] or 1,
                "upload_task_weight": upload_weight,
            }
        )
    )
    subprocess.run(
        [
            str(LOCUST),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(users // 5, 1)),
            "--run-time",
            f"{seconds}s",
            "--host",
            host,
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
            *classes,
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "LOAD_WORLD": str(world_path), "LOAD_RESULT": str(result_path)},
        check=True,
        timeout=seconds + 120,
        stdout=subprocess.DEVNULL,
    )
    return json.loads(result_path.read_text())


def print_endpoints(title, result, seconds):
    rows = [
        [
            e["name"],
            e["requests"],
            e["failures"],
            f"{e['requests'] / seconds:.1f}",
            f"{e['median_ms']:.0f}",
            f"{e['p95_ms']:.0f}",
        ]
        for e in sorted(result["endpoints"], key=lambda e: e["name"])
    ]
    total = result["total"]
    rows.append(
        [
            "(all)",
            total["requests"],
            total["failures"],
            f"{total['requests'] / seconds:.1f}",
            "",
            f"{total['p95_ms']:.0f}",
        ]
    )
    print_table(title, ["endpoint", "requests", "errors", "req/s", "median ms", "p95 ms"], rows)
    for error in result["errors"]:
        print(f"  error: {error['name']}: {error['error']} ×{error['count']}")


def save_number(value) -> int:
    """n of "<username> 第n次保存" (what the locust applicant saves), -1 for anything else."""
    match = re.search(r"第(\d+)次保存$", value or "")
    return int(match.group(1)) if match else -1


def writes_lost(acknowledged, in_flight=None) -> dict:
    """What the portal acknowledged and the database does not hold, by kind."""
    lost = {"drafts": 0, "uploads": 0, "scores": 0}
    honours = dict(
        Application.objects.filter(applicant__username__in=acknowledged["drafts"]).values_list(
            "applicant__username", "form_data__honours"
        )
    )
    # A save still in flight when locust stopped may have landed after the last one it saw
    # acknowledged: the stored value is then a later save of the same applicant, not a loss.
    missing = [
        (username, value, honours.get(username))
        for username, value in acknowledged["drafts"].items()
        if save_number(honours.get(username)) < save_number(value)
    ]
    lost["drafts"] = len(missing)
    if missing:
        print(f"  drafts not found, e.g. {missing[:3]}")
    titles = set(
        ApplicationDocument.objects.filter(removed_at__isnull=True).values_list("title", flat=True)
    )
    lost["uploads"] = sum(
        1 for values in acknowledged["uploads"].values() for title in values if title not in titles
    )
    stored = {
        f"{username}|{application}|{criterion}": float(percentage)
        for username, application, criterion, percentage in Score.objects.filter(
            stage=Stage.DEFENCE
        ).values_list("expert__user__username", "application_id", "criterion_id", "percentage")
    }
    in_flight = in_flight or {}
    lost["scores"] = sum(
        1
        for key, value in acknowledged["scores"].items()
        if stored.get(key) not in (float(value), float(in_flight.get(key, value)))
    )
    return lost


@pytest.fixture
def portal(tmp_path):
    redis_server = RedisServer(free_port(), tmp_path / "redis.log")
    redis_server.start()
    env = {
        # The sessions are made here: gunicorn must read them with the same key.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_URL": redis_server.url.rsplit("/", 1)[0] + "/1",
        "EMAIL_URL": "dummymail://",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    try:
        with gunicorn(
            4, settings_module="tests.perf.load_settings", extra_env=env, ready_path="/"
        ) as port:
            yield port
    finally:
        redis_server.stop()


def test_load(portal, tmp_path):
    print_machine_speed()
    started = time.perf_counter()
    world = build_world(applicants=200)
    print(f"\n[seed] 200 applicants, 50 experts in {time.perf_counter() - started:.1f} s")

    target = dict(world, applicants=world["applicants"][:100])
    result = run_locust(
        portal,
        target,
        tmp_path,
        users=100,
        classes={"Applicant": 100},
        upload_weight=0,
        seconds=RUN_SECONDS,
    )
    print_endpoints(
        f"Target: 100 applicants opening and saving 认证与荣誉 about once a second, "
        f"{RUN_SECONDS} s, gunicorn 4 workers (production settings), PostgreSQL, locust on "
        "the same machine",
        result,
        RUN_SECONDS,
    )
    p95 = result["total"]["p95_ms"]
    print(f"THE FIGURE: p95 {p95:.0f} ms for 100 applicants (aim: under {TARGET_P95_MS} ms)")
    lost = writes_lost(result["acknowledged"], result["in_flight"])
    print(f"THE FIGURE: errors {result['total']['failures']}, writes lost {sum(lost.values())}")
    assert result["total"]["failures"] == 0
    assert sum(lost.values()) == 0, lost

    result = run_locust(
        portal,
        world,
        tmp_path,
        users=250,
        classes={"Applicant": 200, "Expert": 50},
        upload_weight=1,
        seconds=RUN_SECONDS,
    )
    print_endpoints(
        f"Mix: 200 applicants saving drafts and uploading files, 50 experts autosaving "
        f"scores, {RUN_SECONDS} s",
        result,
        RUN_SECONDS,
    )
    lost = writes_lost(result["acknowledged"], result["in_flight"])
    acknowledged = {kind: len(values) for kind, values in result["acknowledged"].items()}
    print(
        f"THE FIGURE: {result['total']['requests']} requests, errors "
        f"{result['total']['failures']}, writers acknowledged {acknowledged}, "
        f"writes lost {lost}"
    )
    assert result["total"]["failures"] == 0
    assert sum(lost.values()) == 0, lost
