"""A unit applies in the browser, its county recommends it, the office passes it in 复核."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationState
from applications.models import Application
from award.enums import Role
from award.models import Cycle
from award.services.cycles import cycle_transition
from tests.applications.factories import announced_cycle
from tests.e2e.steps import accept_confirm_dialogs, expect_message, menu, sign_in
from tests.factories import PASSWORD, county, make_user

# serialized_rollback keeps the roles, counties and rulebook that migrations seed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

UNIT = "临沂浏览器测试精工有限公司"
LEGAL_REPRESENTATIVE = "韩立本"
OPINION_COUNTY = "质量管理体系健全，材料齐全，同意推荐。"
OPINION_OFFICE = "复核通过，材料符合评定办法要求。"


def self_assessment_pdf(tmp_path):
    """A small real PDF made by WeasyPrint, as an applicant would upload it."""
    from weasyprint import HTML

    path = tmp_path / "自我评价报告.pdf"
    HTML(
        string="<html lang='zh'><body style=\"font-family: 'Noto Sans CJK SC'\">"
        f"<h1>自我评价报告</h1><p>{UNIT}按《卓越绩效评价准则》开展自我评价。</p>"
        "</body></html>"
    ).write_pdf(path)
    return path


def register_unit(page):
    page.goto(reverse("award:home"))
    page.get_by_role("main").get_by_role("link", name="申报注册").click()
    expect(page.get_by_role("heading", name="申报注册")).to_be_visible()
    page.get_by_label("申报单位", exact=True).check()
    page.get_by_label("登录名").fill("jinggong")
    page.get_by_label("单位名称/姓名").fill(UNIT)
    page.get_by_label("电子邮箱").fill("jinggong@example.cn")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    expect_message(page, "注册成功")


def fill_profile(page):
    menu(page, "申报主体信息").click()
    page.get_by_label("单位名称").fill(UNIT)
    page.get_by_label("统一社会信用代码").fill("91371302MA3DE2E00Y")
    page.get_by_label("法定代表人").fill(LEGAL_REPRESENTATIVE)
    page.get_by_label("成立日期").fill("2012-05-08")
    page.get_by_label("所属行业").fill("通用设备制造业")
    page.get_by_label("所属县区").select_option(label="兰山区")
    page.get_by_label("通讯地址").fill("临沂市兰山区精工路18号")
    page.get_by_label("联系人").fill("韩质量")
    page.get_by_label("联系电话").fill("0539-8123456")
    page.get_by_label("单位规模").select_option(label="中型")
    page.get_by_label("主要产品或服务").fill("精密轴承、工程机械零部件")
    page.get_by_role("button", name="保存").click()
    expect_message(page, "申报主体信息已保存。")


def fill_application(page, cycle, pdf_path):
    menu(page, "我的申报").click()
    page.get_by_role("button", name="开始申报").click()
    expect_message(page, "已创建")
    expect(page.get_by_role("heading", name="第1步：基本信息")).to_be_visible()
    page.get_by_role("button", name="保存并继续").click()

    expect(page.get_by_role("heading", name="第2步：近三年主要指标")).to_be_visible()
    for offset, revenue in ((3, "41000"), (2, "45200.5"), (1, "50300")):
        year = cycle.year - offset
        page.get_by_label(f"{year}年营业收入（万元）").fill(revenue)
        page.get_by_label(f"{year}年利润总额（万元）").fill("2600")
        page.get_by_label(f"{year}年纳税总额（万元）").fill("1500")
        page.get_by_label(f"{year}年研发投入（万元）").fill("1400")
        page.get_by_label(f"{year}年出口额（万元）").fill("0")
    page.get_by_role("button", name="保存并继续").click()
    expect_message(page, "已保存草稿。")

    expect(page.get_by_role("heading", name="第3步：认证与荣誉")).to_be_visible()
    page.get_by_label("管理体系认证情况").fill("ISO 9001、IATF 16949")
    page.get_by_label("主要荣誉").fill("山东省专精特新中小企业")
    page.get_by_role("button", name="保存并继续").click()

    expect(page.get_by_role("heading", name="第4步：自我评价报告与证实材料")).to_be_visible()
    page.get_by_label("材料类别").select_option(label="自我评价报告/个人事迹材料")
    page.get_by_label("文件", exact=True).set_input_files(pdf_path)
    page.get_by_role("button", name="上传").click()
    expect_message(page, "材料已上传。")
    uploaded = page.get_by_role("region", name="已上传的材料")
    expect(uploaded.get_by_role("link", name="自我评价报告/个人事迹材料")).to_be_visible()
    expect(uploaded).to_contain_text("自我评价报告.pdf")
    page.get_by_role("link", name="承诺书 →").click()

    expect(page.get_by_role("heading", name="第5步：承诺书")).to_be_visible()
    page.get_by_label("签名").fill(LEGAL_REPRESENTATIVE)
    page.get_by_role("button", name="签署并继续").click()
    expect_message(page, "承诺书已签署。")

    expect(page.get_by_role("heading", name="第6步：确认提交")).to_be_visible()
    expect(page.get_by_text("符合提交条件")).to_be_visible()
    page.get_by_role("button", name="确认提交").click()
    expect_message(page, "申报已提交，等待兰山区质量议事协调机构初审。")
    expect(page.get_by_role("heading", name=UNIT)).to_contain_text("已提报")


def county_recommends(browser, live_server, coordinator, names=(UNIT,)):
    context, page = sign_in(browser, live_server, coordinator.username)
    try:
        county_recommends_on(page, names)
    finally:
        context.close()


def county_recommends_on(page, names):
    for name in names:
        menu(page, "县区初审").click()
        page.get_by_role("link", name=name).click()
        page.get_by_label("初审推荐意见").fill(OPINION_COUNTY)
        page.get_by_role("button", name="初审推荐", exact=True).click()
        expect_message(page, f"已推荐“{name}”，等待质量强市办复核。")


def office_opens_recheck(cycle, office):
    """The call closes when its deadline has passed and the office starts 初审; 复核 may
    then begin. Time is the one thing no page moves, so the clock is set here."""
    Cycle.objects.filter(pk=cycle.pk).update(
        application_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    cycle.refresh_from_db()
    cycle_transition(cycle=cycle, name="close", by=office)
    cycle_transition(cycle=cycle, name="begin_preliminary", by=office)


def office_accepts(browser, live_server, office):
    context, page = sign_in(browser, live_server, office.username)
    try:
        office_accepts_on(page, (UNIT,))
    finally:
        context.close()


def office_accepts_on(page, names):
    for name in names:
        navbar = page.locator("nav.navbar")
        navbar.get_by_role("button", name="质量强市办").click()
        navbar.get_by_role("link", name="申报复核").click()
        page.get_by_role("link", name=name).click()
        page.get_by_label("复核意见").fill(OPINION_OFFICE)
        page.get_by_role("button", name="复核通过", exact=True).click()
        expect_message(page, f"“{name}”复核通过。")


def test_unit_applies_county_recommends_office_accepts(page, browser, live_server, tmp_path):
    office = make_user(Role.OFFICE)
    coordinator = make_user(Role.COUNTY, county=county("371302"))
    cycle = announced_cycle(office=office)
    accept_confirm_dialogs(page)

    register_unit(page)
    fill_profile(page)
    fill_application(page, cycle, self_assessment_pdf(tmp_path))
    application = Application.objects.get(name=UNIT)
    assert application.state == ApplicationState.SUBMITTED
    assert application.documents.get().original_name == "自我评价报告.pdf"

    county_recommends(browser, live_server, coordinator)
    office_opens_recheck(cycle, office)
    office_accepts(browser, live_server, office)
    application.refresh_from_db()
    assert application.state == ApplicationState.ACCEPTED

    # The applicant follows the application: every step, by whom, with its opinion.
    menu(page, "我的申报").click()
    row = page.get_by_role("row").filter(has_text=UNIT)
    expect(row).to_contain_text("复核通过")
    row.get_by_role("link", name="查看进度").click()
    expect(page.get_by_role("heading", name=UNIT)).to_contain_text("复核通过")
    timeline = page.get_by_role("region", name="办理记录").get_by_role("listitem")
    expect(timeline).to_have_count(4)
    expect(timeline.nth(0)).to_contain_text(re.compile(r"创建申报\s*申报人"))
    expect(timeline.nth(1)).to_contain_text(re.compile(r"提交申报\s*申报人 · 第1轮"))
    expect(timeline.nth(2)).to_contain_text("初审推荐")
    expect(timeline.nth(2)).to_contain_text("兰山区质量议事协调机构")
    expect(timeline.nth(2)).to_contain_text(OPINION_COUNTY)
    expect(timeline.nth(3)).to_contain_text("复核通过")
    expect(timeline.nth(3)).to_contain_text("质量强市办")
    expect(timeline.nth(3)).to_contain_text(OPINION_OFFICE)
    # The applicant reads who decided, not the clerk's account name.
    expect(page.get_by_role("region", name="办理记录")).not_to_contain_text(coordinator.username)
