"""Issue 10 in a browser: from 拟获评 to a verified certificate.

The office nominates (one, then a batch), sends the candidate list to the leading group and
opens a meeting; a member logs in, finds the ballot in 我的待办 and votes; the office closes
the meeting, records the resolutions and publishes the 公示公告; a member of the public files
a real-name objection and looks it up by its receipt code; the office dismisses it, records
the 市政府 approval once the 公示期 is over and publishes the 公布公告; the winners are listed
publicly and the QR code on a certificate leads to its verification page (有效).
"""

import datetime
import io
import re

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.enums import ApplicationState
from applications.models import Application
from applications.validators import id_number_check_char
from award.enums import CyclePhase
from award.models import Cycle
from decisions.enums import ObjectionState, VoteChoice
from decisions.models import Honour, Meeting, Objection
from decisions.services.meetings import ballot_cast
from tests.applications.factories import pdf_bytes
from tests.decisions.factories import DecisionWorld
from tests.e2e.steps import browsing, expect_message, sign_in, signed_in

# serialized_rollback keeps the roles, counties, rulebook and criteria that migrations seed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PLACE = "临沂市政府第一会议室"
OBJECTOR = "王建国"
ID_NUMBER = "37130219800101123" + id_number_check_char("37130219800101123")
PHONE = "13905391234"
REASONS = "该单位2025年曾发生产品质量抽检不合格，申报材料未如实说明。"
DISMISSAL = "经调查核实，所反映的抽检不合格发生在申报期之前且已整改到位，异议不成立。"
DOCUMENT_NUMBER = "临政字〔2026〕21号"


@pytest.fixture
def world():
    """Three reviewed applications (two units, one individual) with real stage scores."""
    return DecisionWorld(units=2, individuals=1, fully_reviewed=3)


def office_nominates_and_sends(page, world):
    cycle = world.cycle
    first, *rest = world.applications
    page.goto(reverse("award:workbench"))
    page.get_by_role("link").filter(has_text="评审完成待列入候选名单的申报").click()
    expect(page.get_by_role("heading", name="候选名单", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="评审完成待列入").first).to_be_visible()
    # Real scores: every row has a final score to two decimals, none is 无评分.
    for application in world.applications:
        row = page.get_by_role("row").filter(has_text=application.name)
        expect(row).to_contain_text(re.compile(r"\d+\.\d{2}"))
        expect(row).not_to_contain_text("无评分")

    # One row's own button, then the rest ticked and nominated together.
    page.get_by_role("row").filter(has_text=first.name).get_by_role(
        "button", name="列入候选名单"
    ).click()
    expect_message(page, "已将1件申报列入候选名单。")
    for application in rest:
        page.get_by_role("checkbox", name=application.name, exact=True).check()
    page.get_by_role("button", name="将勾选的申报列入候选名单").click()
    expect_message(page, f"已将{len(rest)}件申报列入候选名单。")
    expect(page.locator("main")).to_contain_text("没有待列入的申报。")

    page.get_by_role("link", name="提交领导小组审议").click()
    expect(page.get_by_role("heading", name="候选名单提交领导小组审议")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"候选名单（{len(world.applications)}名候选对象）")
    page.get_by_role("button", name="确认提交").click()
    expect_message(page, "候选名单已提交领导小组审议，已通知领导小组成员。")
    expect(page.get_by_role("status")).to_contain_text("提交领导小组审议，不能再列入")
    assert set(Application.objects.filter(cycle=cycle).values_list("state", flat=True)) == {
        ApplicationState.CANDIDATE
    }


def office_opens_meeting(page, world):
    page.get_by_role("link", name="领导小组审议").click()
    expect(page.locator("main")).to_contain_text("尚未召开审议会议。")
    page.get_by_role("link", name="召开审议会议").click()
    expect(page.get_by_role("heading", name="召开审议会议")).to_be_visible()
    page.get_by_label("会议日期").fill(timezone.localdate().isoformat())
    page.get_by_label("会议地点").fill(PLACE)
    for leader in world.leaders:
        page.get_by_label(leader.display_name, exact=True).check()
    page.get_by_role("button", name="开始审议").click()
    expect_message(page, "审议会议已开始，已通知出席成员投票。")
    expect(page.locator("main")).to_contain_text(PLACE)
    expect(page.locator("main")).to_contain_text(
        f"出席{len(world.leaders)}人，已投票0/{len(world.leaders)}人"
    )
    return Meeting.objects.get(cycle=world.cycle)


def member_votes_in_browser(browser, live_server, world, leader):
    context, page = sign_in(browser, live_server, leader.username)
    with browsing(context, page, "leader"):
        item = page.get_by_role("link").filter(has_text="审议会议待投票")
        expect(item).to_contain_text(f"{world.cycle}审议会议待投票")
        expect(item).to_contain_text(PLACE)
        item.click()
        expect(page.get_by_role("heading", name="领导小组审议投票")).to_be_visible()
        expect(page.locator("main")).to_contain_text(PLACE)
        for application in world.applications:
            group = page.get_by_role("group", name=application.name, exact=True)
            group.get_by_label("市长质量奖", exact=True).check()
        page.get_by_role("button", name="提交投票").click()
        expect_message(page, "您的投票已提交。")
        expect(page.get_by_role("status")).to_contain_text("您已在本次会议投票，投票后不能修改。")
        for application in world.applications:
            expect(page.locator("main")).to_contain_text(f"{application.name}：市长质量奖")
        # The item has left the member's workbench.
        page.goto(reverse("award:workbench"))
        expect(page.locator("main")).not_to_contain_text("审议会议待投票")


def office_closes_and_resolves(page, world, meeting):
    page.goto(reverse("decisions:meetings_detail", args=[meeting.pk]))
    count = len(world.leaders)
    expect(page.locator("main")).to_contain_text(f"已投票{count}/{count}人")
    page.get_by_role("link", name="结束表决").click()
    expect(page.get_by_role("heading", name="结束表决")).to_be_visible()
    page.get_by_role("button", name="确认结束表决").click()
    expect_message(page, "本次会议表决已结束，请根据票数记录审议决议。")
    for application in world.applications:
        row = page.get_by_role("row").filter(has_text=application.name)
        expect(row.get_by_label("审议结果")).to_have_value(VoteChoice.AWARD)
        row.get_by_role("button", name="记录").click()
        expect_message(page, f"已记录“{application.name}”的审议决议：市长质量奖。")
    expect(page.locator("main")).not_to_contain_text("待记录")


def office_publishes(page, cycle, kind, body, consequence):
    """A notice written, saved and published through 公告管理."""
    page.goto(reverse("award:notice_create") + f"?kind={kind}&cycle={cycle.pk}")
    expect(page.get_by_role("heading", name="撰写公告")).to_be_visible()
    page.get_by_label("正文").fill(body)
    page.get_by_role("button", name="保存草稿").click()
    expect_message(page, "公告草稿已保存。")
    page.get_by_role("link", name="发布…").click()
    expect(page.get_by_role("heading", name="发布公告")).to_be_visible()
    expect(page.locator("main")).to_contain_text(consequence)
    page.get_by_role("button", name="确认发布").click()
    expect_message(page, "公告已发布")  # the call notice goes on: "，…已开放申报"


def public_objects(browser, live_server, world, target):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    asked = []  # filing asks for confirmation first (data-confirm)
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with browsing(context, page, "public_objection"):
        page.goto(reverse("award:home"))
        page.locator("nav.navbar").get_by_role("link", name="公示", exact=True).click()
        expect(page.get_by_role("heading", name="拟获评名单公示")).to_contain_text(str(world.cycle))
        for application in world.applications:
            expect(page.get_by_role("row").filter(has_text=application.name)).to_contain_text(
                "市长质量奖"
            )
        page.get_by_role("row").filter(has_text=target.name).get_by_role(
            "link", name="对此提出异议"
        ).click()
        expect(page.get_by_role("heading", name="提出公示异议")).to_be_visible()
        expect(page.get_by_label("异议对象")).to_have_value(str(target.pk))
        expect(page.get_by_label("个人实名")).to_be_checked()
        page.get_by_label("姓名或单位名称").fill(OBJECTOR)
        page.get_by_label("身份证号码（个人填写）").fill(ID_NUMBER)
        page.get_by_label("联系电话").fill(PHONE)
        page.get_by_label("异议内容及理由").fill(REASONS)
        page.get_by_role("button", name="提交异议").click()
        expect(page.get_by_role("heading", name="异议受理回执")).to_be_visible()
        assert len(asked) == 1
        receipt = page.get_by_role("status")
        expect(receipt).to_contain_text(f"对“{target.name}”提出的异议已受理")
        code = receipt.locator("strong").inner_text().strip()
        objection = Objection.objects.get()
        assert code == objection.receipt_code
        assert (objection.name, objection.id_number, objection.phone) == (
            OBJECTOR,
            ID_NUMBER,
            PHONE,
        )

        page.get_by_role("link", name="查询办理结果").click()
        page.get_by_label("受理回执号").fill(code)
        page.get_by_role("button", name="查询").click()
        result = page.locator("#result-heading").locator("xpath=..")
        expect(result).to_contain_text(f"回执号 {code}")
        expect(result).to_contain_text(target.name)
        expect(result).to_contain_text("调查核实中")
        # The public never sees who objected.
        expect(page.locator("main")).not_to_contain_text(OBJECTOR)
        return code


def office_dismisses(page, world, code):
    page.goto(reverse("decisions:publicity_objections", args=[world.cycle.pk]))
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", name=f"公示异议 {code}")).to_contain_text("调查核实中")
    expect(page.locator("main")).to_contain_text(ID_NUMBER)
    page.get_by_label("异议不成立").check()
    page.get_by_label("调查核实情况及处理理由").fill(DISMISSAL)
    page.get_by_role("button", name="确认处理").click()
    expect_message(page, "异议已办结：异议不成立。")
    expect(page.locator("#decision-heading").locator("xpath=..")).to_contain_text(DISMISSAL)
    assert Objection.objects.get().state == ObjectionState.DISMISSED


def let_window_pass(cycle):
    """Time passes beyond the 公示期 (as tests/decisions/honours_world.py moves it)."""
    today = timezone.localdate()
    Cycle.objects.filter(pk=cycle.pk).update(
        publicity_starts_on=today - datetime.timedelta(days=10),
        publicity_ends_on=today - datetime.timedelta(days=3),
    )


def office_records_approval(page, world):
    page.goto(reverse("decisions:honours_index"))
    page.get_by_role("link").filter(has_text=str(world.cycle)).click()
    expect(page.locator("main")).to_contain_text("公示期已满，尚未记录市政府批准文件")
    page.get_by_role("link", name="记录市政府批准文件").click()
    expect(page.get_by_role("heading", name="记录市政府批准文件")).to_be_visible()
    page.get_by_label("批复文号", exact=True).fill(DOCUMENT_NUMBER)
    page.get_by_label("批复日期", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_label("市政府批准文件", exact=True).set_input_files(
        {"name": "市政府批复.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_label("我已核对批复文号、日期和文件").check()
    page.get_by_role("button", name="记录", exact=True).click()
    expect_message(page, "已记录市政府批准文件。")
    approval = page.locator("#approval-heading").locator("xpath=..")
    expect(approval).to_contain_text(DOCUMENT_NUMBER)
    expect(approval).to_contain_text("市政府批复.pdf")


def qr_text_of(pdf: bytes) -> str:
    """The text of the QR code the certificate embeds, as a phone's camera would read it."""
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1
    image = images[0].image.convert("L")
    if image.width < 300:  # a few pixels per module: enlarge without blurring the edges
        factor = 300 // image.width + 1
        image = image.resize((image.width * factor, image.height * factor), resample=0)
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


def test_candidates_to_verified_certificate(browser, live_server, world, settings):
    settings.SITE_URL = live_server.url  # the QR code leads back to this server
    cycle = world.cycle
    target = world.units[0]
    context, page = signed_in(browser, live_server, world.office)
    with browsing(context, page, "office"):
        # 1–2. Nominate, send, open the meeting.
        office_nominates_and_sends(page, world)
        meeting = office_opens_meeting(page, world)

        # 3. One member through the browser, the others through the service.
        member_votes_in_browser(browser, live_server, world, world.leaders[0])
        for leader in world.leaders[1:]:
            ballot_cast(
                meeting=meeting,
                by=leader,
                choices={a.pk: VoteChoice.AWARD for a in world.applications},
            )

        # 4. Close, record the resolutions.
        office_closes_and_resolves(page, world, meeting)

        # 5. The 公示公告: the cycle enters 公示.
        office_publishes(
            page,
            cycle,
            "publicity",
            "现将拟获评名单予以公示。",
            f"发布后第{cycle.number_label}届评选即进入公示",
        )
        cycle.refresh_from_db()
        assert cycle.phase == CyclePhase.PUBLICITY
        if cycle.publicity_starts_on > timezone.localdate():  # published on a rest day
            Cycle.objects.filter(pk=cycle.pk).update(publicity_starts_on=timezone.localdate())

        # 6. The public objects.
        code = public_objects(browser, live_server, world, target)

        # 7. Dismissed; the window passes; the approval is recorded.
        office_dismisses(page, world, code)
        let_window_pass(cycle)
        office_records_approval(page, world)

        # 8. The 公布公告: the winners are public.
        office_publishes(
            page,
            cycle,
            "result",
            "经市政府审定，现予公布。",
            f"发布后第{cycle.number_label}届评选结果即向社会公布",
        )
        cycle.refresh_from_db()
        assert cycle.phase == CyclePhase.PUBLISHED
        page.goto(reverse("public_decisions:winners_latest"))
        expect(page.get_by_role("heading", name="获评名单")).to_be_visible()
        for application in world.applications:
            expect(page.get_by_role("row").filter(has_text=application.name)).to_contain_text(
                "有效"
            )

        # 9. The office downloads the certificate; its QR code leads to the verification.
        honour = Honour.objects.get(application=target)
        page.goto(reverse("decisions:honours_cycle", args=[cycle.pk]))
        page.get_by_role("link", name=honour.serial).click()
        expect(page.get_by_role("heading", name=target.name)).to_be_visible()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="下载证书（PDF）").click()
        pdf = download_info.value.path().read_bytes()
        assert pdf.startswith(b"%PDF")

    url = qr_text_of(pdf)
    assert url == f"{live_server.url}/verify/{honour.serial}/"
    public = browser.new_context(locale="zh-CN")
    page = public.new_page()
    page.set_default_timeout(10_000)
    with browsing(public, page, "public_verification"):
        page.goto(url)
        expect(page.get_by_role("heading", name="证书查验结果")).to_be_visible()
        card = page.locator(".card-body")
        expect(card).to_contain_text("有效")
        expect(card).to_contain_text(honour.serial)
        expect(card).to_contain_text(target.name)
        expect(card).to_contain_text("市长质量奖")
