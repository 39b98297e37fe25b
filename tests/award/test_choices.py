"""Cached choice labels give the same text as Django's own get_FOO_display."""

import pytest
from django.utils import translation

from award.enums import CyclePhase
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db


def test_labels_match_djangos_and_unknown_values_pass_through():
    from applications.models import Application

    field = Application._meta.get_field("state")
    application = Application(state=field.choices[1][0])
    assert application.get_state_display() == str(field.choices[1][1])
    assert Application(state="no-such-state").get_state_display() == "no-such-state"


def test_labels_follow_the_active_language():
    from applications.models import Application

    application = Application(state="submitted")
    with translation.override("zh-hans"):
        chinese = application.get_state_display()
    assert chinese == "已提报"
    cycle = CycleFactory()
    assert cycle.get_phase_display() == CyclePhase.DRAFT.label
