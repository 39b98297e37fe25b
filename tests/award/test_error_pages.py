"""With DEBUG off every refusal is a Chinese page in the portal's layout, never Django's."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client
from django.urls import path, reverse

import award.urls
from award.enums import Role
from tests.factories import make_user


def broken(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("test-broken/", broken),
    path("test-forbidden/", forbidden),
    *award.urls.urlpatterns,
]

LAYOUT = (
    '<a class="navbar-brand fw-semibold" href="/">临沂市市长质量奖</a>',
    "临沂市质量强市及品牌战略推进工作领导小组办公室",
    '<a class="btn btn-primary" href="/">返回首页</a>',
)


@pytest.fixture(autouse=True)
def _no_debug(settings):
    settings.DEBUG = False


def assert_portal_page(response, status, title, *texts, heading=None):
    assert response.status_code == status
    page = response.content.decode()
    assert f"<title>{title} · 临沂市市长质量奖评定平台</title>" in page
    assert f'<h1 class="h3 mb-3">{heading or title}</h1>' in page
    for text in (*LAYOUT, *texts):
        assert text in page
    assert "Django" not in page and "DEBUG" not in page
    return page


@pytest.mark.django_db
def test_a_guessed_address_answers_404_in_the_portal(client):
    page = assert_portal_page(
        client.get("/applications/no-such-page/"),
        404,
        "页面不存在",
        "您要访问的页面不存在，或者不在您的办理范围内。",
        f'href="{reverse("award:login")}">登录</a>',
    )
    assert "no-such-page" not in page


@pytest.mark.django_db
def test_a_signed_in_user_gets_the_404_with_the_menu(client):
    client.force_login(make_user(Role.APPLICANT))
    page = assert_portal_page(client.get("/no-such-page/"), 404, "页面不存在")
    assert f'href="{reverse("award:workbench")}">我的待办</a>' in page
    assert "退出登录" in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_refusal_answers_403_in_the_portal(client):
    assert_portal_page(
        client.get("/test-forbidden/"),
        403,
        "无权访问",
        "您的账户没有执行此操作的权限。如果您认为这是个错误，请联系质量强市办。",
    )


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_answers_403_in_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("award:login"), {"username": "x", "password": "y"})
    assert_portal_page(
        response,
        403,
        "页面已过期",
        "请返回上一页，刷新页面后重新填写并提交；如果仍不成功，请确认浏览器允许本站使用 Cookie。",
        heading="页面已过期，本次提交未被受理",
    )


@pytest.mark.django_db
def test_a_bad_request_answers_400_in_the_portal(client):
    response = client.get(reverse("award:home"), HTTP_HOST="evil.example.org")
    assert_portal_page(response, 400, "请求无法处理", "浏览器发来的请求不完整或格式不正确")


@pytest.mark.urls(__name__)
def test_a_bug_answers_500_in_the_portal_without_touching_the_database():
    """No django_db mark: any query while failing would itself fail this test."""
    client = Client(raise_request_exception=False)
    assert_portal_page(
        client.get("/test-broken/"),
        500,
        "系统暂时出现故障",
        "很抱歉，平台处理您的请求时出错，错误已记录。",
    )


def test_the_500_page_renders_without_a_request_or_a_database():
    page = loader.get_template("500.html").render()
    assert "<title>系统暂时出现故障 · 临沂市市长质量奖评定平台</title>" in page
    for text in LAYOUT:
        assert text in page
