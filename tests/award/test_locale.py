"""The portal's own zh-hans wording for Django's messages: 您, and what to do next."""

import subprocess
from gettext import GNUTranslations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

CATALOGUE = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_the_committed_catalogue_is_compiled_from_its_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True
    )
    with compiled.open("rb") as fresh, (CATALOGUE / "django.mo").open("rb") as committed:
        assert GNUTranslations(committed)._catalog == GNUTranslations(fresh)._catalog


def test_password_errors_address_the_applicant_politely():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_password("1234")
    assert error.value.messages == [
        "密码过短，至少需要 10 个字符。",  # Django itself leaves this one in English
        "该密码过于常见，容易被猜中。",
        "密码不能全部为数字。",
    ]


@pytest.mark.django_db
def test_the_registration_page_explains_the_password_rules_with_nin(client):
    page = client.get(reverse("award:register")).content.decode()
    assert "您的密码不能全部为数字。" in page
    assert "您的密码不能是常见密码。" in page
    assert "你的" not in page
