"""Staff and applicant pages of the honours part, the workbench items, the certificate task,
and the demo seeder's share."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.enums import Role
from decisions.enums import VoteChoice
from decisions.models import Approval, Honour, Reward
from decisions.registrations.honours import seed_honours
from decisions.tasks.certificates import render_certificate
from tests.decisions.honours_world import HonoursWorld, published_world
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return published_world(
        units=2, individuals=1, outcomes=[VoteChoice.AWARD, VoteChoice.NOMINATION, VoteChoice.AWARD]
    )


def test_cycle_page_for_staff_with_bounded_queries(world, client, django_assert_max_num_queries):
    for role in (Role.OFFICE, Role.AUDITOR):
        client.force_login(make_user(role))
        url = reverse("decisions:honours_cycle", args=[world.cycle.pk])
        with django_assert_max_num_queries(14):
            response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert all(h.serial in page for h in Honour.objects.all())
        assert Approval.objects.get(cycle=world.cycle).document_number in page
    assert client.get(reverse("decisions:honours_index")).status_code == 200


def test_cycle_page_reads_no_row_by_row(world, client):
    """Each honour's row, reward or not, comes from the one query of the honours: the
    page's queries are those of the same page with a single honour."""
    client.force_login(world.office)
    url = reverse("decisions:honours_cycle", args=[world.cycle.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as every:
        assert client.get(url).status_code == 200
    assert not Reward.objects.filter(honour__cycle=world.cycle).exists()
    kept = Honour.objects.filter(cycle=world.cycle).order_by("pk").first()
    Honour.objects.filter(cycle=world.cycle).exclude(pk=kept.pk).delete()
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert kept.serial in page
    assert len(every) == len(one)


@pytest.mark.parametrize(
    "role", [Role.APPLICANT, Role.COUNTY, Role.AGENCY, Role.EXPERT, Role.LEADER]
)
def test_staff_pages_are_404_for_others(world, client, role):
    client.force_login(make_user(role))
    assert client.get(reverse("decisions:honours_index")).status_code == 404
    assert client.get(reverse("decisions:honours_cycle", args=[world.cycle.pk])).status_code == 404
    url = reverse("decisions:honours_approval_record", args=[world.cycle.pk])
    assert client.get(url).status_code == 404


def test_workbench_offers_rewards_to_the_office_and_the_result_to_the_winner(world, client):
    client.force_login(world.office)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "记录获评奖励" in page
    winner = world.units[0].applicant
    client.force_login(winner)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "获评结果已公布，证书可下载" in page
    assert Honour.objects.get(application=world.units[0]).serial in page


def test_the_certificate_task_is_idempotent(world):
    honour = Honour.objects.first()
    before = honour.certificate.name
    assert render_certificate.apply(args=[honour.pk]).get() is True
    honour.refresh_from_db()
    assert honour.certificate.name == before
    assert render_certificate.apply(args=[999999]).get() is False


def test_demo_seeder_records_the_approval_once_the_window_is_over():
    world = HonoursWorld(units=1, individuals=0, window_over=False)
    seed_honours(cycle=world.cycle, office=world.office)
    assert not Approval.objects.exists()
    world.let_window_pass()
    seed_honours(cycle=world.cycle, office=world.office)
    seed_honours(cycle=world.cycle, office=world.office)
    approval = Approval.objects.get()
    assert approval.content_type == "application/pdf"
    assert approval.approved_on > world.cycle.publicity_ends_on


def test_demo_seeder_records_rewards_with_one_higher_not_twice_case(world):
    Honour.objects.update(certificate="", certificate_sha256="")
    seed_honours(cycle=world.cycle, office=world.office)
    seed_honours(cycle=world.cycle, office=world.office)
    rewards = list(Reward.objects.select_related("honour"))
    assert len(rewards) == 2  # the two 市长质量奖 winners; the 提名奖 gets none (第十五条)
    provincial = [r for r in rewards if r.provincial_amount_yuan is not None]
    assert len(provincial) == 1
    assert (
        provincial[0].payable_yuan
        == provincial[0].amount_yuan - provincial[0].provincial_amount_yuan
    )
    assert all(h.certificate for h in Honour.objects.all())
