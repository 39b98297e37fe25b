"""award.text's rule on the review floor: the disqualification reason refuses invisible
characters, and free text keeps within its limit (关系说明 at 500 characters)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from award.text import NOTE_TEXT
from review.models import ConflictDeclaration, ScoreCorrection
from review.services import conflict_declare, expert_disqualify
from tests.review.factories import ReviewWorld

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def invisible(label, position):
    return (
        f"{label}中含有不可见的控制字符（第{position}个字符处），"
        "常见于从网页或文档复制的内容，请删除后重新填写。"
    )


@pytest.mark.parametrize("char", [RLO, "\u200b", "\x1b"])
def test_a_disqualification_reason_with_an_invisible_character_is_refused_next_to_it(client, char):
    world = ReviewWorld()
    expert = world.experts[2]
    client.force_login(world.office)
    typed = f"泄露评审信息{char}，徇私舞弊。"

    response = client.post(reverse("review:expert_disqualify", args=[expert.pk]), {"reason": typed})

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["reason"] == [invisible("取消评审资格的事实和理由", 7)]
    assert form["reason"].value() == typed
    assert typed in response.content.decode()
    expert.refresh_from_db()
    assert not expert.is_disqualified


def test_the_disqualify_service_refuses_it_too():
    world = ReviewWorld()
    expert = world.experts[2]
    with pytest.raises(ValidationError) as error:
        expert_disqualify(expert=expert, by=world.office, reason=f"徇私{RLO}舞弊")
    assert error.value.message_dict == {"reason": [invisible("取消评审资格的事实和理由", 3)]}
    expert.refresh_from_db()
    assert expert.disqualification_reason == ""


def test_a_relationship_over_500_characters_is_refused_and_the_form_says_so(client):
    world = ReviewWorld()
    world.assign()
    expert = world.experts[1]
    client.force_login(expert.user)
    address = reverse("review:expert_declare", args=[world.application.pk])
    assert f'maxlength="{NOTE_TEXT}"' in client.get(address).content.decode()
    typed = "亲" * (NOTE_TEXT + 1)

    response = client.post(address, {"has_conflict": "conflict", "relationship": typed})

    assert response.status_code == 400
    assert response.context["form"].errors["relationship"] == [
        "利害关系说明不能超过500个字（现有501个字），请精简后重新填写。"
    ]
    assert response.context["form"]["relationship"].value() == typed
    with pytest.raises(ValidationError) as error:
        conflict_declare(
            application=world.application,
            by=expert.user,
            has_conflict=True,
            relationship=typed,
        )
    assert list(error.value.message_dict) == ["relationship"]
    assert not ConflictDeclaration.objects.exists()


def test_the_models_enforce_the_limits_in_full_clean():
    declaration = ConflictDeclaration(has_conflict=True, relationship="亲" * (NOTE_TEXT + 1))
    with pytest.raises(ValidationError) as error:
        declaration.full_clean(exclude=["assignment", "expert"])
    assert list(error.value.message_dict) == ["relationship"]
    correction = ScoreCorrection(reason="改" * 2001)
    with pytest.raises(ValidationError) as error:
        correction.clean_fields(
            exclude=[f.name for f in ScoreCorrection._meta.fields if f.name != "reason"]
        )
    assert list(error.value.message_dict) == ["reason"]
