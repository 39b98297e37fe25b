"""第二十一条 to 第十九条 in a browser: a complaint walked to a revocation announcement.

A member of the public files a real-name complaint about a winner and looks it up by its
receipt code; the office accepts it, links it to the honour and opens a revocation case from
it (第二十三条); the office records 查证属实 with a deadline for the holder's 陈述申辩; the holder
signs in, finds the case on 我的待办 and answers in writing; the office sends the case to the
leading group and opens the vote; one member votes 同意撤销 in the browser (the others through
the service); the office closes the vote, submits it to 市政府, records 市政府's decision (文号,
date, PDF) and 办结 the complaint. The public then reads the 撤销公告 and its PDF, sees the
holder 已撤销 on the winners page and on the certificate's verification page, and the
complainant reads the result by the receipt code.
"""

import io
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.validators import id_number_check_char
from decisions.enums import HonourStatus
from decisions.models import Honour
from revocation.enums import CaseBallotChoice, CaseSource, CaseState, ComplaintState
from revocation.models import Complaint, RevocationCase
from revocation.services.cases import case_ballot_cast, earliest_answer_due
from tests.applications.factories import pdf_bytes
from tests.e2e.steps import browsing, expect_message, menu, sign_in, signed_in
from tests.revocation.factories import RevocationWorld

# serialized_rollback keeps the roles, counties, rulebook and criteria that migrations seed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAME = "王建国"
ID_NUMBER = "37130219800101123" + id_number_check_char("37130219800101123")
PHONE = "13905391234"
FACTS = "该单位获奖后在宣传中夸大质量水平，并隐瞒了申报期内的一次质量事故。"
FINDINGS = "经调取申报材料和市场监管部门记录，该单位申报期内发生一次质量事故，申报时未如实说明。"
ANSWER = "我单位对查证情况无异议，已全面整改，恳请从轻处理。"
DOCUMENT_NUMBER = "临政字〔2026〕31号"
RESULT = "经查证属实，经领导小组审议并报市政府决定，已撤销该单位的市长质量奖称号。"


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
    return case


def chinese(date):
    return f"{date.year}年{date.month}月{date.day}日"


def expect_state(page, label):
    """The case's 状态 as its page heads it."""
    expect(page.locator("main")).to_contain_text(re.compile(rf"状态\s*{label}"))


def office_finds_true(page, case):
    """查证属实: the holder gets a deadline to state their case (第二十三条)."""
    due = earliest_answer_due()
    menu(page, "我的待办").click()
    page.get_by_role("link").filter(has_text="撤销案件待查证").click()
    page.get_by_role("link", name=case.number, exact=True).click()
    expect(page.get_by_role("heading", name=f"撤销案件 {case.number}")).to_be_visible()
    page.get_by_role("link", name="查证属实，告知获评者陈述申辩").click()
    expect(page.get_by_role("heading", name="查证属实，告知获评者陈述申辩")).to_be_visible()
    expect(page.get_by_label("陈述申辩截止日期")).to_have_value(due.isoformat())
    page.get_by_label("查证情况", exact=True).fill(FINDINGS)
    page.get_by_label("我已核对查证情况").check()
    page.get_by_role("button", name="查证属实，告知获评者陈述申辩").click()
    expect_message(page, "已记录查证情况，并告知获评者陈述申辩。")
    expect(page.locator("main")).to_contain_text(FINDINGS)
    expect(page.locator("main")).to_contain_text(chinese(due))
    expect_state(page, "待获评者陈述")
    return due


def holder_answers(browser, live_server, case, due):
    """The holder finds the case on 我的待办 and states their case in writing, with a file."""
    holder = case.honour.application.applicant
    context, page = sign_in(browser, live_server, holder.username)
    with browsing(context, page, "holder"):
        menu(page, "我的待办").click()
        item = page.get_by_role("link").filter(has_text="撤销事项待陈述申辩")
        expect(item).to_contain_text(f"请于{chinese(due)}前提交陈述申辩意见（案件{case.number}）")
        item.click()
        expect(page.get_by_role("heading", name=f"撤销事项告知 {case.number}")).to_be_visible()
        main = page.locator("main")
        expect(main).to_contain_text(FINDINGS)
        expect(main).to_contain_text("第二十三条第（一）项")
        expect(main).not_to_contain_text(NAME)  # the complainant stays unknown to the holder
        page.get_by_label("陈述申辩意见", exact=True).fill(ANSWER)
        page.get_by_label("证明材料", exact=True).set_input_files(
            {"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
        )
        page.get_by_label("我确认提交").check()
        page.get_by_role("button", name="提交陈述申辩").click()
        expect_message(page, "已提交陈述申辩意见。")
        expect(main).to_contain_text(ANSWER)
        expect(page.get_by_role("link", name="整改报告.pdf")).to_be_visible()
        expect(page.get_by_role("button", name="提交陈述申辩")).to_have_count(0)
        menu(page, "我的待办").click()
        expect(page.locator("main")).not_to_contain_text("撤销事项待陈述申辩")


def office_act(page, case, label, done, fill=None):
    """One step from the case page: its link, its confirmation page, its message."""
    page.goto(reverse("revocation:case_detail", args=[case.pk]))
    page.get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()
    if fill:
        fill()
    else:
        page.get_by_label("我已核对，确认办理").check()
    page.get_by_role("button", name=label, exact=True).click()
    expect_message(page, done)


def office_sends_and_opens_vote(page, world, case):
    page.goto(reverse("revocation:case_detail", args=[case.pk]))
    expect(page.locator("main")).to_contain_text(ANSWER)
    office_act(page, case, "提交领导小组审议", "已提交领导小组审议。")
    expect_state(page, "领导小组审议中")

    def members_present():
        page.get_by_label("会议日期", exact=True).fill(timezone.localdate().isoformat())
        for leader in world.leaders:
            page.get_by_label(str(leader), exact=True).check()

    office_act(page, case, "组织领导小组表决", "表决已开始，已通知出席成员投票。", members_present)
    expect(page.locator("main")).to_contain_text("同意撤销0票，不同意0票，弃权0票。")


def leader_votes(browser, live_server, case, leader):
    context, page = sign_in(browser, live_server, leader.username)
    with browsing(context, page, "leader"):
        item = page.get_by_role("link").filter(has_text=f"撤销案件{case.number}待表决")
        expect(item).to_contain_text(case.honour.holder_name)
        item.click()
        expect(page.get_by_role("heading", name=f"撤销案件表决 {case.number}")).to_be_visible()
        expect(page.locator("main")).to_contain_text(FINDINGS)
        expect(page.locator("main")).to_contain_text(ANSWER)
        page.get_by_label("同意撤销", exact=True).check()
        page.get_by_label("我确认投票").check()
        page.get_by_role("button", name="提交投票").click()
        expect_message(page, "已投票。")
        menu(page, "我的待办").click()
        expect(page.locator("main")).not_to_contain_text(f"撤销案件{case.number}待表决")


def office_closes_vote_and_submits(page, world, case):
    count = len(world.leaders)
    office_act(page, case, "结束表决", "表决已结束。")
    expect(page.locator("main")).to_contain_text(f"同意撤销{count}票，不同意0票，弃权0票。")
    office_act(page, case, "提请市政府撤销", "已提请市政府撤销。")
    expect_state(page, "已提请市政府")


def office_records_decision(page, case):
    today = timezone.localdate()

    def decision():
        page.get_by_label("市政府撤销决定文号", exact=True).fill(DOCUMENT_NUMBER)
        page.get_by_label("决定日期", exact=True).fill(today.isoformat())
        page.get_by_label("撤销决定文件", exact=True).set_input_files(
            {"name": "市政府撤销决定.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
        )
        page.get_by_label("我已核对文号、日期和文件").check()

    office_act(page, case, "记录市政府撤销决定", "已撤销称号并发布撤销公告。", decision)
    main = page.locator("main")
    expect_state(page, "已撤销")
    expect(main).to_contain_text(f"{DOCUMENT_NUMBER} · {chinese(today)} · 市政府撤销决定.pdf")
    expect(page.get_by_role("link", name="查看撤销公告")).to_be_visible()
    honour = Honour.objects.get(pk=case.honour_id)
    assert honour.status == HonourStatus.REVOKED
    assert honour.revoked_on == today
    assert RevocationCase.objects.get(pk=case.pk).state == CaseState.REVOKED


def office_closes_complaint(page, code, case):
    complaint = Complaint.objects.get()
    page.goto(reverse("revocation:complaint_detail", args=[complaint.pk]))
    expect(page.locator("main")).to_contain_text(f"{case.number}（已撤销）")
    page.get_by_label("调查核实情况和处理结果", exact=True).fill(RESULT)
    page.get_by_role("button", name="办结", exact=True).click()
    expect_message(page, "举报投诉已办结。")
    expect(page.get_by_role("heading", name=f"举报投诉 {code}")).to_contain_text("已办结")


def public_sees_revocation(browser, live_server, honour, code):
    today = chinese(timezone.localdate())
    article = "第二十三条第（一）项"
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    with browsing(context, page, "public_revocation"):
        # The 撤销公告 and its PDF (第十九条).
        page.goto(reverse("award:home"))
        menu(page, "撤销公告").click()
        expect(page.get_by_role("heading", name="撤销公告", exact=True)).to_be_visible()
        cycle = honour.cycle
        title = (
            f"关于撤销{honour.holder_name}第{cycle.number_label}届（{cycle.year}年）"
            f"“{honour.get_category_display()}”称号的公告"
        )
        page.get_by_role("link", name=title, exact=True).click()
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        article_text = page.locator("article")
        expect(article_text).to_contain_text(f"市政府决定（{DOCUMENT_NUMBER}）")
        expect(article_text).to_contain_text(f"自{today}起撤销{honour.holder_name}")
        expect(article_text).to_contain_text(f"证书编号{honour.serial}")
        expect(article_text).to_contain_text(article)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="下载公告（PDF）").click()
        pdf = download_info.value.path().read_bytes()
        assert pdf.startswith(b"%PDF")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert honour.holder_name in re.sub(r"\s+", "", text)

        # The winners page: the holder struck through, 已撤销 with the date and the article.
        menu(page, "获评名单").click()
        expect(page.get_by_role("heading", name="获评名单", exact=True)).to_be_visible()
        row = page.get_by_role("row").filter(has_text=honour.holder_name)
        expect(row).to_contain_text(f"已撤销 {today} {article}")
        for other in Honour.objects.filter(cycle=honour.cycle).exclude(pk=honour.pk):
            expect(page.get_by_role("row").filter(has_text=other.holder_name)).to_contain_text(
                "有效"
            )

        # The certificate's QR code leads here.
        page.goto(reverse("public_decisions:verify_serial", args=[honour.serial]))
        expect(page.get_by_role("heading", name="证书查验结果")).to_be_visible()
        card = page.locator(".card-body")
        expect(card).to_contain_text("已撤销")
        expect(card).to_contain_text(f"该荣誉已于{today}依据{article}撤销")
        expect(card).not_to_contain_text("有效")
        expect(card).to_contain_text(honour.serial)

        # The complainant reads the result by the receipt code.
        menu(page, "举报投诉").click()
        page.get_by_role("link", name="查询办理结果").click()
        page.get_by_label("受理回执号").fill(code)
        page.get_by_role("button", name="查询").click()
        result = page.locator("#result-heading").locator("xpath=..")
        expect(result).to_contain_text("已办结")
        expect(result).to_contain_text(RESULT)


def test_a_complaint_leads_to_a_revocation(browser, live_server, world):
    honour = world.unit_honour
    code = public_files(browser, live_server, honour)
    context, page = signed_in(browser, live_server, world.office)
    with browsing(context, page, "office_complaint"):
        case = office_opens_a_case(page, world, code)
        due = office_finds_true(page, case)
        holder_answers(browser, live_server, case, due)
        office_sends_and_opens_vote(page, world, case)
        leader_votes(browser, live_server, case, world.leaders[0])
        for leader in world.leaders[1:]:
            case_ballot_cast(case=case, by=leader, choice=CaseBallotChoice.AGREE)
        office_closes_vote_and_submits(page, world, case)
        office_records_decision(page, case)
        office_closes_complaint(page, code, case)
    public_sees_revocation(browser, live_server, honour, code)
