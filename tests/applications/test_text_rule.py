"""award.text's rule on the applications floor: a document's title, and opinions' limits."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.enums import ApplicationState, DocumentKind
from applications.models import ApplicationDocument
from applications.services import application_create, application_return, document_add
from award.text import REASON_TEXT
from tests.applications.factories import World, pdf_upload

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def invisible(label, position):
    return (
        f"{label}中含有不可见的控制字符（第{position}个字符处），"
        "常见于从网页或文档复制的内容，请删除后重新填写。"
    )


@pytest.fixture
def draft(client):
    world = World()
    world.application = application_create(cycle=world.cycle, by=world.owner)
    client.force_login(world.owner)
    return world


@pytest.mark.parametrize("char", [RLO, "\u200b", "\x07", "\x00"])
def test_a_document_title_with_an_invisible_character_is_refused_next_to_it(client, draft, char):
    typed = f"ISO{char} 9001认证证书"
    response = client.post(
        reverse("applications:application_step", args=[draft.application.pk, "documents"]),
        {"kind": DocumentKind.EVIDENCE, "title": typed, "file": pdf_upload("证书.pdf")},
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["title"] == [invisible("材料名称", 4)]
    assert form["title"].value() == typed
    assert f'value="{typed}"' in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_the_upload_service_refuses_it_too_and_tidies_a_clean_title(draft):
    with pytest.raises(ValidationError) as error:
        document_add(
            application=draft.application,
            by=draft.owner,
            kind=DocumentKind.EVIDENCE,
            title=f"证书{RLO}",
            file=pdf_upload(),
        )
    assert error.value.message_dict == {"title": [invisible("材料名称", 3)]}
    document = document_add(
        application=draft.application,
        by=draft.owner,
        kind=DocumentKind.EVIDENCE,
        title="  ISO　9001   认证证书 ",
        file=pdf_upload(),
    )
    assert document.title == "ISO 9001 认证证书"


def test_a_county_opinion_over_its_limit_is_refused_and_the_form_shows_the_limit(client):
    world = World()
    application = world.application_in(ApplicationState.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        application_return(application=application, by=world.county_user, reason="改" * 2001)
    assert error.value.message_dict == {
        "reason": ["退回修改的原因不能超过2000个字（现有2001个字），请精简后重新填写。"]
    }
    client.force_login(world.county_user)
    page = client.get(reverse("applications:county_detail", args=[application.pk]))
    assert f'maxlength="{REASON_TEXT}"' in page.content.decode()
