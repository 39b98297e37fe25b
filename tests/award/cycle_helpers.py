"""Reaching each cycle phase through the services, for the cycle tests."""

import datetime

from django.utils import timezone

from award.enums import CyclePhase, Role
from award.models import Cycle
from award.services.cycles import cycle_engage_agency, cycle_transition
from tests.factories import AgencyFactory, CycleFactory, make_user

# Each step: (transition, phase it leaves, phase it reaches, notice kind it is taken through).
STEPS = [
    ("announce", CyclePhase.DRAFT, CyclePhase.ANNOUNCED, "call"),
    ("close", CyclePhase.ANNOUNCED, CyclePhase.CLOSED, None),
    ("begin_preliminary", CyclePhase.CLOSED, CyclePhase.PRELIMINARY, None),
    ("begin_recheck", CyclePhase.PRELIMINARY, CyclePhase.RECHECK, None),
    ("begin_expert_review", CyclePhase.RECHECK, CyclePhase.EXPERT_REVIEW, None),
    ("begin_deliberation", CyclePhase.EXPERT_REVIEW, CyclePhase.DELIBERATION, None),
    ("begin_publicity", CyclePhase.DELIBERATION, CyclePhase.PUBLICITY, "publicity"),
    ("publish", CyclePhase.PUBLICITY, CyclePhase.PUBLISHED, "result"),
    ("archive", CyclePhase.PUBLISHED, CyclePhase.ARCHIVED, None),
]
STEP_NAMES = [name for name, *_ in STEPS]
SOURCE = {name: source for name, source, _target, _via in STEPS}
TARGET = {name: target for name, _source, target, _via in STEPS}
VIA = {name: via for name, _source, _target, via in STEPS}


def let_deadline_pass(cycle: Cycle) -> None:
    """Time passes: the application deadline is now behind us (no service moves the clock)."""
    Cycle.objects.filter(pk=cycle.pk).update(
        application_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    cycle.refresh_from_db()


def step_kwargs(name: str, *, publicity_over: bool = True) -> dict:
    """What the notice that takes the step would pass: the 公示期 for begin_publicity."""
    if name != "begin_publicity":
        return {}
    today = timezone.localdate()
    if publicity_over:
        return {
            "starts_on": today - datetime.timedelta(days=10),
            "ends_on": today - datetime.timedelta(days=3),
        }
    return {"starts_on": today, "ends_on": today + datetime.timedelta(days=7)}


def record_approval(cycle: Cycle, by=None) -> None:
    """市政府's approval on record (第十四条第（七）项), which publishing the results needs;
    written directly, as the decisions floor's service would (tests/decisions test that)."""
    import hashlib

    from django.core.files.base import ContentFile

    from decisions.models import Approval
    from tests.applications.factories import pdf_bytes

    if Approval.objects.filter(cycle=cycle).exists():
        return
    if getattr(by, "pk", None) is None:  # a refused actor (anonymous, another role) in tests
        by = make_user(Role.OFFICE)
    data = pdf_bytes()
    approval = Approval(
        cycle=cycle,
        document_number="临政字〔2026〕21号",
        approved_on=timezone.localdate(),
        original_name="批复.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        recorded_by=by,
    )
    approval.file.save("批复.pdf", ContentFile(data), save=False)
    approval.save()


def take(cycle: Cycle, name: str, by, **kwargs) -> Cycle:
    if name == "publish":
        record_approval(cycle, by)
    return cycle_transition(
        cycle=cycle, name=name, by=by, via_notice=VIA[name], **{**step_kwargs(name), **kwargs}
    )


def cycle_in(phase: CyclePhase, office, **factory_kwargs) -> Cycle:
    """A cycle brought to `phase` by the office through cycle_transition, step by step."""
    cycle = CycleFactory(**factory_kwargs)
    for name, source, _target, _via in STEPS:
        if cycle.phase == phase:
            break
        assert cycle.phase == source
        if name == "close":
            let_deadline_pass(cycle)
        if name == "begin_expert_review" and cycle.agency_id is None:
            cycle_engage_agency(cycle=cycle, agency=AgencyFactory(), by=office)
        take(cycle, name, office)
    assert cycle.phase == phase
    return cycle
