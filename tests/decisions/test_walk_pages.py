"""What the people of the decisions floor trip over when they walk it: the navigation to its
pages, the applicant's next step after 公布, confirmations, texts that read naturally."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from award.enums import CyclePhase, Role
from award.models import Cycle
from decisions.enums import HonourStatus, VoteChoice
from decisions.models import FeedbackReport, Honour
from decisions.services.meetings import meeting_close, resolution_record
from tests.decisions.honours_world import HonoursWorld, published_world
from tests.decisions.test_meetings import A, N, X, all_vote, open_for, sent_world
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return published_world(
        units=2, individuals=1, outcomes=[VoteChoice.AWARD, VoteChoice.NOMINATION, VoteChoice.AWARD]
    )


def nav_of(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("award:workbench")).content.decode()


def test_the_office_and_the_auditor_reach_every_decisions_area_from_the_navigation(client):
    office = nav_of(client, make_user(Role.OFFICE))
    for name in ("candidates_index", "publicity_index", "honours_index", "exports_index"):
        assert f'href="{reverse(f"decisions:{name}")}"' in office
    auditor = nav_of(client, make_user(Role.AUDITOR))
    for name in ("candidates_index", "honours_index", "exports_index"):
        assert f'href="{reverse(f"decisions:{name}")}"' in auditor
        assert client.get(reverse(f"decisions:{name}")).status_code == 200
    # The objections carry the objectors' identities: the office's only.
    assert reverse("decisions:publicity_index") not in auditor
    assert client.get(reverse("decisions:publicity_index")).status_code == 404


def test_the_applicant_finds_its_honours_from_the_navigation(client):
    page = nav_of(client, make_user(Role.APPLICANT))
    assert f'href="{reverse("decisions:honours_mine")}"' in page
    assert client.get(reverse("decisions:honours_mine")).status_code == 200
    leader = nav_of(client, make_user(Role.LEADER))
    assert reverse("decisions:honours_mine") not in leader


def test_after_publication_the_application_page_links_the_certificate_and_the_report(world, client):
    winner = world.units[0]
    honour = Honour.objects.get(application=winner)
    # The world's applications were not scored by experts: no report was frozen at 公布.
    FeedbackReport.objects.create(application=winner, content={"final_score": "712.30"})
    client.force_login(winner.applicant)
    page = client.get(reverse("applications:application_detail", args=[winner.pk])).content.decode()
    assert "已获评并公布" in page
    assert reverse("decisions:honour_detail", args=[honour.pk]) in page
    assert reverse("decisions:honour_certificate", args=[honour.pk]) in page
    assert reverse("decisions:feedback_detail", args=[winner.pk]) in page
    assert client.get(reverse("decisions:honour_detail", args=[honour.pk])).status_code == 200
    # Another applicant's page shows neither; its own application links only its own.
    other = world.units[1]
    client.force_login(other.applicant)
    page = client.get(reverse("applications:application_detail", args=[other.pk])).content.decode()
    assert reverse("decisions:honour_detail", args=[honour.pk]) not in page
    assert reverse("decisions:feedback_detail", args=[winner.pk]) not in page


def test_a_revoked_honour_links_its_page_but_offers_no_certificate(world, client):
    winner = world.units[0]
    honour = Honour.objects.get(application=winner)
    Honour.objects.filter(pk=honour.pk).update(
        status=HonourStatus.REVOKED, revoked_on=timezone.localdate()
    )
    client.force_login(winner.applicant)
    page = client.get(reverse("applications:application_detail", args=[winner.pk])).content.decode()
    assert reverse("decisions:honour_detail", args=[honour.pk]) in page
    assert reverse("decisions:honour_certificate", args=[honour.pk]) not in page
    workbench = client.get(reverse("award:workbench")).content.decode()
    assert "证书可下载" not in workbench


def test_before_publication_the_application_page_offers_no_such_links(client):
    world = HonoursWorld(units=1, individuals=0)
    application = world.applications[0]
    client.force_login(application.applicant)
    page = client.get(
        reverse("applications:application_detail", args=[application.pk])
    ).content.decode()
    assert "/decisions/honours/honour/" not in page
    assert "/decisions/feedback/" not in page


def test_the_winner_still_finds_the_certificate_once_the_cycle_is_archived(world, client):
    Cycle.objects.filter(pk=world.cycle.pk).update(phase=CyclePhase.ARCHIVED)
    winner = world.units[0]
    client.force_login(winner.applicant)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "获评结果已公布，证书可下载" in page
    assert Honour.objects.get(application=winner).serial in page


def test_irreversible_forms_ask_for_confirmation(client):
    world = HonoursWorld(units=1, individuals=0)
    client.force_login(world.office)
    page = client.get(
        reverse("decisions:honours_approval_record", args=[world.cycle.pk])
    ).content.decode()
    assert 'data-confirm="确定记录市政府批准文件吗？' in page
    today = timezone.localdate()
    Cycle.objects.filter(pk=world.cycle.pk).update(
        publicity_starts_on=today, publicity_ends_on=today + datetime.timedelta(days=7)
    )
    client.logout()
    page = client.get(
        reverse("public_decisions:objection_create", args=[world.cycle.number])
    ).content.decode()
    assert 'data-confirm="确定提交异议吗？' in page


def test_the_meetings_page_says_every_candidate_is_resolved_instead_of_counting_zero(client):
    world = sent_world(units=2, individuals=1)
    meeting = open_for(world)
    a, b, c = world.applications
    all_vote(world, meeting, {a: [A, A, A, N, X], b: [X] * 5, c: [X] * 5})
    meeting_close(meeting=meeting, by=world.office)
    client.force_login(world.office)
    url = reverse("decisions:meetings_cycle", args=[world.cycle.pk])
    assert "尚有3名候选对象未作出审议决议" in client.get(url).content.decode()
    for application, outcome in ((a, A), (b, X), (c, X)):
        resolution_record(
            meeting=meeting, application=application, outcome=outcome, by=world.office
        )
    page = client.get(url).content.decode()
    assert "尚有0名" not in page
    assert "候选对象均已作出审议决议。" in page


def test_the_publicity_settings_are_read_only_once_published(world, client):
    client.force_login(world.office)
    url = reverse("decisions:publicity_settings", args=[world.cycle.pk])
    page = client.get(url).content.decode()
    assert "公示设置只能查看，不能再修改" in page
    assert '<fieldset class="col-lg-8" disabled>' in page
    assert 'type="submit"' not in page.split("<main", 1)[-1]
