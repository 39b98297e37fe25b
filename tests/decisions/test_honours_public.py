"""Public pages: winners per cycle, the 公布公告 (page and PDF), certificate verification with
its live status, a plain 404 for unknown serials, and the look-up rate limit."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from decisions.enums import HonourStatus, VoteChoice
from decisions.models import Approval, Honour
from decisions.views import honours as honour_views
from tests.decisions.honours_world import published_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return published_world(
        units=2, individuals=1, outcomes=[VoteChoice.AWARD, VoteChoice.NOMINATION, VoteChoice.AWARD]
    )


def revoke(honour, on=datetime.date(2026, 3, 1)):
    """Test fixture: the revocation floor's result, written directly."""
    Honour.objects.filter(pk=honour.pk).update(
        status=HonourStatus.REVOKED, revoked_on=on, revoked_article="第二十三条"
    )


def test_winners_page_lists_by_category_without_personal_numbers(world, client):
    revoke(Honour.objects.get(application=world.units[0]))
    response = client.get(reverse("public_decisions:winners_latest"))
    assert response.status_code == 200
    page = response.content.decode()
    assert str(world.cycle) in page
    assert "临沂市市长质量奖提名奖" in page
    for application in world.applications:
        assert application.name in page
        assert application.identifier not in page
    assert "已撤销" in page and "2026年3月1日" in page
    same = client.get(reverse("public_decisions:winners", args=[world.cycle.number]))
    assert same.status_code == 200
    assert client.get(reverse("public_decisions:winners", args=[99])).status_code == 404


def test_winners_page_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(reverse("public_decisions:winners_latest"))


def test_an_unpublished_cycle_has_no_public_winners(client):
    from tests.decisions.honours_world import HonoursWorld

    world = HonoursWorld(units=1, individuals=0)
    page = client.get(reverse("public_decisions:winners_latest")).content.decode()
    assert world.applications[0].name not in page
    url = reverse("public_decisions:winners", args=[world.cycle.number])
    assert client.get(url).status_code == 404


def test_announcement_page_and_pdf_name_the_approval(world, client):
    approval = Approval.objects.get(cycle=world.cycle)
    page = client.get(reverse("public_decisions:announcement", args=[world.cycle.number]))
    assert page.status_code == 200
    text = page.content.decode()
    assert approval.document_number in text
    assert all(a.name in text for a in world.applications)
    response = client.get(reverse("public_decisions:announcement_pdf", args=[world.cycle.number]))
    assert response["Content-Type"] == "application/pdf"
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert approval.document_number in pdf_text
    assert "临沂市市长质量奖提名奖" in pdf_text


def test_verification_shows_the_live_status(world, client):
    honour = Honour.objects.get(application=world.units[0])
    url = reverse("public_decisions:verify_serial", args=[honour.serial])
    page = client.get(url).content.decode()
    assert "有效" in page and honour.holder_name in page and str(world.cycle) in page
    revoke(honour)
    page = client.get(url).content.decode()
    assert "已撤销" in page
    assert "2026年3月1日" in page and "第二十三条" in page


def test_verification_form_sends_to_the_serial_page(world, client):
    honour = Honour.objects.first()
    response = client.get(
        reverse("public_decisions:verify"), {"serial": f" {honour.serial.lower()} "}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("public_decisions:verify_serial", args=[honour.serial])
    assert client.get(reverse("public_decisions:verify")).status_code == 200


@pytest.mark.parametrize(
    "serial", ["LY2026AU01-00000", "nonsense", "LY2026AU01", "<script>", "1%20OR%201=1"]
)
def test_unknown_or_forged_serial_is_a_plain_404(world, client, serial):
    response = client.get(f"/verify/{serial}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "未查到该证书编号" in page
    assert "Traceback" not in page
    for honour in Honour.objects.all():
        assert honour.serial not in page
        assert honour.serial.split("-")[0] not in page


def test_a_real_serial_with_a_wrong_check_part_is_not_found(world, client):
    honour = Honour.objects.first()
    head, check = honour.serial.split("-")
    forged = f"{head}-{'Z' if check[0] != 'Z' else 'Y'}{check[1:]}"
    assert client.get(f"/verify/{forged}/").status_code == 404


def test_lookups_are_rate_limited_per_client_address(world, client, monkeypatch):
    monkeypatch.setattr(honour_views, "VERIFY_LOOKUPS_PER_WINDOW", 3)
    honour = Honour.objects.first()
    url = reverse("public_decisions:verify_serial", args=[honour.serial])
    for _ in range(3):
        assert client.get(f"/verify/LY2026AU01-{_}0000/").status_code == 404
    response = client.get(url)
    assert response.status_code == 429
    assert honour.holder_name not in response.content.decode()
    # another address is not held back
    assert client.get(url, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_an_empty_verification_form_is_refused_in_place(client):
    response = client.get(reverse("public_decisions:verify"), {"serial": "   "})
    assert response.status_code == 400
    assert "证书编号" in response.content.decode()


def test_serials_read_back_as_typed_with_look_alike_letters(world, client):
    honour = Honour.objects.first()
    head, check = honour.serial.split("-")
    typed = f"{head.lower()}-{check.replace('0', 'O').replace('1', 'I')}"
    response = client.get(reverse("public_decisions:verify"), {"serial": typed})
    assert response["Location"] == reverse("public_decisions:verify_serial", args=[honour.serial])
