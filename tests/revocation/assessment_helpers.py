"""Shared set-up of the periodic assessment tests (第二十五条)."""

import datetime

from django.utils import timezone

from award.enums import Role
from revocation.services.assessments import record_fill, round_plan
from tests.factories import make_user
from tests.revocation.factories import RevocationWorld

FINDINGS = {
    "lawful": "近三年无违法经营记录。",
    "leadership": "牵头开展行业交流。",
    "improvement": "持续推行卓越绩效。",
}


def planned(world: RevocationWorld | None = None, *, agency=None):
    world = world or RevocationWorld()
    round_ = round_plan(
        name="2026年度定期评估",
        year=2026,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        cycles=[world.cycle],
        agency=agency,
        by=world.office,
    )
    return world, round_


def record_of(round_, honour):
    return round_.records.select_related("round__agency", "honour").get(honour=honour)


def filled(record, by):
    return record_fill(record=record, by=by, **FINDINGS)


def agency_manager(agency=None):
    return make_user(Role.AGENCY, **({"agency": agency} if agency else {}))
