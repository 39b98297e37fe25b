"""One 撤销 changes every place at once (第二十三条、第十九条、第十三条): the winners page, the
verification page, the holder's honour page and certificate, the 撤销公告, and the note a new
application of the same holder carries for the county and the office — or nothing at all when
the decision step fails midway."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from applications.services import application_submit
from award.enums import Role
from award.models import AuditEntry
from decisions.enums import HonourStatus
from decisions.models import Honour
from decisions.services.approval import chinese_date
from revocation.enums import CaseState
from revocation.models import GovernmentDecision, RevocationAnnouncement, RevocationCase
from tests.applications.factories import announced_cycle, complete_application, unit_applicant
from tests.factories import make_user
from tests.revocation import case_steps as steps
from tests.revocation.factories import RevocationWorld

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_revocation_shows_everywhere(client):
    world = RevocationWorld()
    honour = world.unit_honour
    holder = honour.application.applicant
    client.get(reverse("public_decisions:winners_latest"))  # cached before the change
    case = steps.run_to(world, world.open_case(items=(2,)), "revoked")
    today = chinese_date(timezone.localdate())
    article = "第二十三条第（二）项"

    winners = client.get(reverse("public_decisions:winners_latest")).content.decode()
    assert "已撤销" in winners and today in winners and article in winners

    verify = client.get(reverse("public_decisions:verify_serial", args=[honour.serial]))
    text = verify.content.decode()
    assert "已撤销" in text and today in text and article in text

    announcement = RevocationAnnouncement.objects.get(case=case)
    listing = client.get(reverse("public_revocation:announcements")).content.decode()
    assert announcement.title in listing
    detail = client.get(reverse("public_revocation:announcement", args=[announcement.pk]))
    assert honour.serial in detail.content.decode()
    pdf = client.get(reverse("public_revocation:announcement_pdf", args=[announcement.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    client.force_login(holder)
    page = client.get(reverse("decisions:honour_detail", args=[honour.pk])).content.decode()
    assert "已撤销" in page and "第十九条" in page and "下载证书" not in page
    download = client.get(reverse("decisions:honour_certificate", args=[honour.pk]), follow=True)
    assert "不再提供下载" in download.content.decode()
    assert download.redirect_chain
    mine = client.get(reverse("revocation:case_mine", args=[case.pk])).content.decode()
    assert "不得再使用该称号" in mine
    application_page = client.get(
        reverse("applications:application_detail", args=[honour.application_id])
    ).content.decode()
    assert "已撤销" in application_page and "第十九条" in application_page


def test_article_13_note_for_a_new_application_of_the_same_holder(client):
    """The portal does not refuse a holder whose title was revoked; county and office see it."""
    world = RevocationWorld()
    honour = world.unit_honour
    steps.run_to(world, world.open_case(items=(1,)), "revoked")
    holder = honour.application.applicant
    next_cycle = announced_cycle(
        office=world.office, number=world.cycle.number + 1, year=world.cycle.year + 1
    )
    application = complete_application(holder, next_cycle)
    application = application_submit(application=application, by=holder)
    today = chinese_date(timezone.localdate())
    note = f"曾获评{world.cycle}市长质量奖，已于{today}撤销（第二十三条第（一）项）"
    county_user = make_user(Role.COUNTY, county=application.county)
    client.force_login(county_user)
    page = client.get(reverse("applications:county_detail", args=[application.pk]))
    assert note in page.content.decode()
    client.force_login(world.office)
    page = client.get(reverse("applications:office_detail", args=[application.pk]))
    assert note in page.content.decode()
    # a holder without a revoked title carries no note
    other = unit_applicant()
    other_app = application_submit(application=complete_application(other, next_cycle), by=other)
    page = client.get(reverse("applications:office_detail", args=[other_app.pk]))
    assert "获评历史" not in page.content.decode()


def test_a_failure_midway_changes_nothing():
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "submitted")
    audits = AuditEntry.objects.count()
    with (
        mock.patch.object(Honour, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        steps.revoke(world, case)
    assert RevocationCase.objects.get(pk=case.pk).state == CaseState.SUBMITTED
    honour = Honour.objects.get(pk=case.honour_id)
    assert honour.status == HonourStatus.ACTIVE and honour.revoked_on is None
    assert Application.objects.get(pk=honour.application_id).state == ApplicationState.AWARDED
    assert not GovernmentDecision.objects.exists()
    assert not RevocationAnnouncement.objects.exists()
    assert AuditEntry.objects.count() == audits
    steps.revoke(world, case)  # and it can be done afterwards
    assert Honour.objects.get(pk=case.honour_id).status == HonourStatus.REVOKED
