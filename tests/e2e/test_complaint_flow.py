"""第二十一条 in a browser: a member of the public files a real-name complaint about a winner
and looks it up by its receipt code; the office accepts it, links it to the honour and opens a
revocation case from it (第二十三条). (The vote, 市政府's decision and 已撤销 on the
verification page follow once the cases part is merged.)
"""

import re

import pytest
from django.db import transaction
from django.urls import reverse
from playwright.sync_api import expect

from applications.validators import id_number_check_char
from revocation.enums import CaseSource, ComplaintState
from revocation.models import Complaint, RevocationCase
from tests.e2e.test_decisions_flow import browsing
from tests.e2e.test_review_flow import expect_message, signed_in
from tests.revocation.factories import RevocationWorld

# serialized_rollback keeps the roles, counties, rulebook and criteria that migrations seed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAME = "王建国"
ID_NUMBER = "37130219800101123" + id_number_check_char("37130219800101123")
PHONE = "13905391234"
FACTS = "该单位获奖后在宣传中夸大质量水平，并隐瞒了申报期内的一次质量事故。"


@pytest.fixture
def world():
    with transaction.atomic():  # the world's helpers lock rows, as services do
        return RevocationWorld()


def public_files(browser, live_server, honour):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    asked = []  # filing asks for confirmation first (data-confirm)
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with browsing(context, page, "public_complaint"):
        page.goto(reverse("award:home"))
        page.locator("nav.navbar").get_by_role("link", name="举报投诉", exact=True).click()
        expect(page.get_by_role("heading", name="举报投诉", exact=True)).to_be_visible()
        expect(page.locator("main")).to_contain_text("凡以匿名方式提出举报投诉的，不予受理")
        page.get_by_label("被举报对象", exact=True).fill(honour.holder_name)
        page.get_by_label("被举报对象类别（选填）").select_option("winner")
        page.get_by_label("反映的问题").fill(FACTS)
        expect(page.get_by_label("个人实名")).to_be_checked()
        page.get_by_label("姓名或单位名称").fill(NAME)
        page.get_by_label("身份证号码（个人填写）").fill(ID_NUMBER)
        page.get_by_label("联系电话").fill(PHONE)
        page.get_by_role("button", name="提交举报投诉").click()
        expect(page.get_by_role("heading", name="举报投诉受理回执")).to_be_visible()
        assert len(asked) == 1
        code = page.get_by_role("status").locator("strong").inner_text().strip()
        complaint = Complaint.objects.get()
        assert code == complaint.receipt_code
        assert (complaint.name, complaint.id_number, complaint.phone) == (NAME, ID_NUMBER, PHONE)

        page.get_by_role("link", name="查询办理结果").click()
        page.get_by_label("受理回执号").fill(code)
        page.get_by_role("button", name="查询").click()
        result = page.locator("#result-heading").locator("xpath=..")
        expect(result).to_contain_text(f"回执号 {code}")
        expect(result).to_contain_text("待受理")
        expect(page.locator("main")).not_to_contain_text(NAME)
        return code


def office_opens_a_case(page, world, code):
    honour = world.unit_honour
    page.goto(reverse("award:workbench"))
    page.get_by_role("link").filter(has_text="受理举报投诉").click()
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", name=f"举报投诉 {code}")).to_contain_text("待受理")
    expect(page.locator("main")).to_contain_text(ID_NUMBER)
    page.get_by_role("button", name="受理", exact=True).click()
    expect_message(page, "已受理，进入调查核实。")
    expect(page.get_by_role("heading", name=f"举报投诉 {code}")).to_contain_text("调查中")

    page.get_by_label("涉及的荣誉", exact=True).select_option(str(honour.pk))
    page.get_by_role("button", name="保存关联").click()
    expect_message(page, "关联对象已保存。")
    expect(page.locator("main")).to_contain_text(honour.serial)

    page.get_by_role("link", name="立案调查撤销事项").click()
    expect(page.get_by_role("heading", name="立案调查撤销事项")).to_be_visible()
    page.get_by_label(re.compile("^第二十三条第（一）项")).check()
    expect(page.get_by_label("案由")).to_have_value(FACTS)
    page.get_by_role("button", name="确认立案").click()
    expect_message(page, "已立案调查撤销事项")
    case = RevocationCase.objects.get(honour=honour)
    expect(page.locator("main")).to_contain_text(case.number)
    assert case.source == CaseSource.COMPLAINT
    complaint = Complaint.objects.get()
    assert complaint.case_id == case.pk
    assert complaint.handling == ComplaintState.INVESTIGATING


def test_a_complaint_leads_to_a_revocation_case(browser, live_server, world):
    code = public_files(browser, live_server, world.unit_honour)
    context, page = signed_in(browser, live_server, world.office)
    with browsing(context, page, "office_complaint"):
        office_opens_a_case(page, world, code)
