"""Shared set-up of the winners' obligations tests (第十八条)."""

import datetime

import time_machine
from django.utils import timezone

from revocation.services.obligations import sharing_request
from tests.revocation.factories import RevocationWorld


def requested(world: RevocationWorld | None = None, honour=None, *, days=14):
    world = world or RevocationWorld()
    honour = honour or world.unit_honour
    request = sharing_request(
        honour=honour,
        topic="卓越绩效管理经验",
        details="3000字以内。",
        due_on=timezone.localdate() + datetime.timedelta(days=days),
        by=world.office,
    )
    return world, request


def holder_of(honour):
    return honour.application.applicant


def days_later(days):
    return time_machine.travel(timezone.now() + datetime.timedelta(days=days), tick=True)
