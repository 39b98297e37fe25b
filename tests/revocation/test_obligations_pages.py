"""Pages of the winners' obligations (第十八条): the holder's own requests only, the office's
list and actions, the public 经验分享 pages showing only published material, escaped."""

import pytest
from django.urls import reverse

from award.enums import Role
from revocation.models import SharingFile
from revocation.services.obligations import sharing_answer, sharing_decline, sharing_publish
from tests.award.sample_files import minimal_pdf, upload
from tests.revocation.sharing_helpers import days_later, holder_of, requested

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def answered(world, request, title="以卓越绩效引领发展"):
    return sharing_answer(
        request=request,
        by=holder_of(request.honour),
        title=title,
        material=f"一、战略引领。{SCRIPT}",
        files=[upload("经验.pdf", minimal_pdf())],
    )


def test_the_holder_sees_only_its_own_requests(client, user_of_role):
    world, mine = requested()
    _, theirs = requested(world, world.person_honour)
    client.force_login(holder_of(world.unit_honour))
    listing = client.get(reverse("revocation:sharing_mine"))
    assert mine.topic in listing.content.decode()
    assert listing.context["rows"][0]["request"] == mine and len(listing.context["rows"]) == 1
    assert (
        client.get(reverse("revocation:sharing_detail", kwargs={"pk": mine.pk})).status_code == 200
    )
    assert (
        client.get(reverse("revocation:sharing_detail", kwargs={"pk": theirs.pk})).status_code
        == 404
    )
    for role in (Role.AGENCY, Role.LEADER, Role.COUNTY):
        client.force_login(user_of_role(role))
        assert (
            client.get(reverse("revocation:sharing_detail", kwargs={"pk": mine.pk})).status_code
            == 404
        )
        assert client.get(reverse("revocation:sharing_list")).status_code == 404


def test_the_holder_answers_on_the_page_and_bad_input_is_kept(client):
    world, request = requested()
    client.force_login(holder_of(world.unit_honour))
    url = reverse("revocation:sharing_answer", kwargs={"pk": request.pk})
    bad = client.post(url, {"title": "以质取胜", "material": "", "files": [upload("a.pdf", b"x")]})
    assert bad.status_code == 200
    form = bad.context["answer_form"]
    assert form["title"].value() == "以质取胜" and form.errors["material"]
    good = client.post(url, {"title": "以质取胜", "material": "经验正文"})
    assert good.status_code == 302
    request.refresh_from_db()
    assert request.material == "经验正文"


def test_the_auditor_reads_without_forms(client, user_of_role):
    world, request = requested()
    answered(world, request)
    client.force_login(user_of_role(Role.AUDITOR))
    page = client.get(reverse("revocation:sharing_detail", kwargs={"pk": request.pk}))
    assert page.status_code == 200
    for key in ("answer_form", "decline_form", "publish_form", "case_form"):
        assert page.context[key] is None
    response = client.post(reverse("revocation:sharing_publish", kwargs={"pk": request.pk}))
    assert response.status_code == 403  # the read-only middleware refuses first (第七章)


def test_the_refusal_page_offers_a_case_citing_item_seven(client):
    world, request = requested()
    sharing_decline(request=request, by=holder_of(world.unit_honour), reason="涉及商业机密。")
    client.force_login(world.office)
    page = client.get(reverse("revocation:sharing_detail", kwargs={"pk": request.pk}))
    body = page.content.decode()
    assert "第二十三条第（七）项" in body and "data-confirm" in body
    token = page.context["case_form"]["submission_token"].value()
    response = client.post(
        reverse("revocation:sharing_case", kwargs={"pk": request.pk}),
        {"summary": "书面拒绝配合经验分享。", "confirm": "on", "submission_token": token},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.case is not None


def test_public_pages_show_only_published_material_escaped(client):
    world, published = requested()
    answered(world, published)
    sharing_publish(request=published, by=world.office)
    _, unpublished = requested(world, world.person_honour)
    answered(world, unpublished, title="尚未发布的经验")
    listing = client.get(reverse("public_revocation:sharing_list"))
    body = listing.content.decode()
    assert "以卓越绩效引领发展" in body and "尚未发布的经验" not in body
    detail = client.get(reverse("public_revocation:sharing_detail", kwargs={"pk": published.pk}))
    text = detail.content.decode()
    assert SCRIPT not in text and "&lt;script&gt;" in text
    assert (
        client.get(
            reverse("public_revocation:sharing_detail", kwargs={"pk": unpublished.pk})
        ).status_code
        == 404
    )
    public_file = SharingFile.objects.get(request=published)
    hidden_file = SharingFile.objects.get(request=unpublished)
    assert (
        client.get(
            reverse("public_revocation:sharing_file", kwargs={"pk": public_file.pk})
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("public_revocation:sharing_file", kwargs={"pk": hidden_file.pk})
        ).status_code
        == 404
    )


def test_office_list_queries_do_not_grow(client, django_assert_max_num_queries):
    world, _ = requested()
    for _i in range(3):
        requested(world, world.person_honour)
    with days_later(30):
        client.force_login(world.office)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("revocation:sharing_list"))
    assert response.content.decode().count("已逾期") == 4


def test_public_list_queries_do_not_grow(client, django_assert_max_num_queries):
    world, request = requested()
    answered(world, request)
    sharing_publish(request=request, by=world.office)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("public_revocation:sharing_list")).status_code == 200
