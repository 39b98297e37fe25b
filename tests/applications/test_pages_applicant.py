"""Applicant pages: profile, 我的申报, the 申报表 in steps, submission, timeline and 撤回."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import hooks
from applications.enums import ApplicationState as S
from applications.enums import DocumentKind, EventAction
from applications.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationSnapshot,
    UnitProfile,
)
from applications.services import (
    application_create,
    application_decline,
    application_return,
    application_save_draft,
    application_submit,
)
from award.enums import ApplicantKind, CyclePhase, Role
from award.models import AuditEntry
from tests.applications.factories import (
    World,
    advance_cycle,
    announced_cycle,
    complete_application,
    individual_applicant,
    let_deadline_pass,
    pdf_upload,
    png_upload,
    unit_applicant,
    unit_form_data,
    years_ago,
)
from tests.factories import CycleFactory, county, make_user

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"applications:{name}", args=args)


def step_url(application, step):
    return url("application_step", application.pk, step)


def done_steps(response) -> set[str]:
    """The steps the progress indicator marks complete."""
    return {step.key for step in response.context["steps"] if step.complete}


def unit_profile_post(**overrides):
    data = {
        "name": "临沂示范机械有限公司",
        "uscc": "91110000600037341L",
        "legal_representative": "王建国",
        "founded_on": "2015-06-01",
        "industry": "通用设备制造业",
        "county": str(county("371302").pk),
        "address": "临沂市兰山区示范路8号",
        "contact_name": "李质量",
        "contact_phone": "0539-8123456",
        "size": "medium",
        "is_new_field": "",
        "main_products": "工程机械零部件",
    }
    data.update(overrides)
    return data


def figures_post(cycle, **overrides):
    data = {}
    for year in (cycle.year - 3, cycle.year - 2, cycle.year - 1):
        data.update(
            {
                f"revenue_{year}": "52000.50",
                f"profit_{year}": "3100",
                f"tax_{year}": "1800",
                f"rd_spend_{year}": "2100",
                f"exports_{year}": "0",
            }
        )
    data.update(overrides)
    return data


# Profile -----------------------------------------------------------------------------


def test_unit_fills_in_its_profile_and_it_is_audited(client):
    user = make_user(Role.APPLICANT, applicant_kind=ApplicantKind.UNIT)
    client.force_login(user)
    page = client.get(url("profile"))
    assert page.status_code == 200
    assert "请先填写并保存申报主体信息" in page.content.decode()

    response = client.post(url("profile"), unit_profile_post(uscc="9111 0000 6000 3734 1l"))

    assert response.status_code == 302
    assert response["Location"] == url("profile")
    profile = UnitProfile.objects.get(user=user)
    assert (profile.name, profile.uscc, profile.county.name) == (
        "临沂示范机械有限公司",
        "91110000600037341L",
        "兰山区",
    )
    assert AuditEntry.objects.filter(action="profile.create", actor=user).count() == 1
    followed = client.get(url("profile")).content.decode()
    assert "申报主体信息已保存。" in followed
    assert 'value="91110000600037341L"' in followed


def test_individual_sees_own_id_number_whole_on_the_profile_form(client):
    user = individual_applicant()
    client.force_login(user)
    page = client.get(url("profile")).content.decode()
    number = user.individual_profile.id_number
    assert f'value="{number}"' in page
    assert "申报个人" in page


def test_account_without_kind_chooses_it_first(client):
    user = make_user(Role.APPLICANT, applicant_kind="")
    client.force_login(user)
    page = client.get(url("profile")).content.decode()
    assert "请选择以单位还是个人身份申报" in page
    assert 'href="?kind=individual"' in page
    form_page = client.get(url("profile"), {"kind": "unit"}).content.decode()
    assert 'name="uscc"' in form_page


@pytest.mark.parametrize("role", [Role.COUNTY, Role.OFFICE, Role.AUDITOR, Role.EXPERT])
def test_applicant_pages_are_not_there_for_other_roles(client, role):
    client.force_login(make_user(role))
    assert client.get(url("profile")).status_code == 404
    assert client.get(url("application_list")).status_code == 404


# 我的申报 and 开始申报 ------------------------------------------------------------------


def test_list_explains_when_no_cycle_takes_applications(client):
    CycleFactory()  # still in 筹备
    client.force_login(unit_applicant())
    page = client.get(url("application_list")).content.decode()
    assert "目前没有正在接受申报的评选届次" in page
    assert url("application_start") not in page


def test_list_explains_when_the_deadline_has_passed(client):
    cycle = announced_cycle()
    let_deadline_pass(cycle)
    client.force_login(unit_applicant())
    page = client.get(url("application_list")).content.decode()
    assert "的申报已于" in page and "截止，不能再开始申报（第十四条第（二）项）" in page
    assert url("application_start") not in page


def test_list_asks_for_the_profile_first(client):
    announced_cycle()
    client.force_login(make_user(Role.APPLICANT, applicant_kind=ApplicantKind.UNIT))
    page = client.get(url("application_list")).content.decode()
    assert "请先填写申报主体信息，然后即可开始申报" in page
    assert url("application_start") not in page


def test_past_winner_is_told_why_it_cannot_start(client):
    cycle = announced_cycle()
    owner = unit_applicant()

    def already_won(application):
        if application.identifier == owner.unit_profile.uscc:
            return ["第1届临沂市市长质量奖（2022年）"]
        return []

    hooks.register_past_winner_check(already_won)
    try:
        client.force_login(owner)
        page = client.get(url("application_list")).content.decode()
        response = client.post(url("application_start"), follow=True)
    finally:
        hooks.unregister_past_winner_check(already_won)
    assert "不符合第十三条：已获得“临沂市市长质量奖”（第1届临沂市市长质量奖（2022年））" in page
    assert url("application_start") not in page
    assert "不得重复申报" in response.content.decode()
    assert not Application.objects.filter(cycle=cycle).exists()


def test_young_unit_is_warned_before_it_starts(client):
    announced_cycle()
    client.force_login(unit_applicant(founded_on=years_ago(2)))
    page = client.get(url("application_list")).content.decode()
    assert "不符合第十条第（一）项：主体业务正常运行不足5年" in page
    assert url("application_start") in page


def test_opening_the_start_address_leads_to_the_list_and_starts_nothing(client):
    """Only the list's button (a POST) starts an application; a typed address was a blank 405."""
    announced_cycle()
    client.force_login(unit_applicant())
    response = client.get(url("application_start"))
    assert response.status_code == 302
    assert response["Location"] == url("application_list")
    assert not Application.objects.exists()


def test_start_creates_a_draft_once_even_on_a_double_click(client):
    cycle = announced_cycle()
    owner = unit_applicant()
    client.force_login(owner)

    first = client.post(url("application_start"))
    second = client.post(url("application_start"))

    application = Application.objects.get(cycle=cycle, applicant=owner)
    assert application.state == S.DRAFT
    assert first["Location"] == step_url(application, "basic")
    assert second["Location"] == url("application_detail", application.pk)
    page = client.get(second["Location"]).content.decode()
    assert "您在本届已有申报，请在原申报中继续填写。" in page
    assert "继续填写" in client.get(url("application_list")).content.decode()


# The steps -------------------------------------------------------------------------------


@pytest.fixture
def draft(client):
    world = World()
    application = application_create(cycle=world.cycle, by=world.owner)
    client.force_login(world.owner)
    world.application = application
    return world


def test_key_figures_step_saves_a_draft_and_resumes_later(client, draft):
    application, cycle = draft.application, draft.cycle
    year = cycle.year - 1
    data = figures_post(cycle, **{f"profit_{year}": "-120.5"})

    response = client.post(step_url(application, "main"), {**data, "next": "1"})

    assert response.status_code == 302
    assert response["Location"] == step_url(application, "honours")
    application.refresh_from_db()
    assert application.form_data["key_figures"][str(year)] == {
        "revenue": "52000.50",
        "profit": "-120.50",
        "tax": "1800.00",
        "rd_spend": "2100.00",
        "exports": "0.00",
    }
    assert AuditEntry.objects.filter(action="application.save_draft").count() == 1
    response = client.get(step_url(application, "main"))
    page = response.content.decode()
    assert 'value="-120.50"' in page
    assert done_steps(response) == {"basic", "main"}
    assert '近三年主要指标<span class="visually-hidden">（已完成）</span>' in page
    assert '承诺书<span class="visually-hidden">' not in page


def test_a_partial_draft_is_kept_and_the_step_stays_open(client, draft):
    application, cycle = draft.application, draft.cycle
    year = cycle.year - 2
    response = client.post(step_url(application, "main"), {f"revenue_{year}": "100"})
    assert response.status_code == 302
    assert response["Location"] == step_url(application, "main")
    application.refresh_from_db()
    assert application.form_data["key_figures"][str(year)] == {"revenue": "100.00"}
    response = client.get(step_url(application, "main"))
    assert "已保存草稿。" in response.content.decode()
    assert done_steps(response) == {"basic"}


def test_honours_step_for_units_and_individuals(client):
    unit = World()
    application = application_create(cycle=unit.cycle, by=unit.owner)
    client.force_login(unit.owner)
    page = client.get(step_url(application, "honours")).content.decode()
    assert "认证与荣誉" in page and 'name="certifications"' in page
    client.post(step_url(application, "honours"), {"certifications": "ISO 9001", "honours": ""})
    application.refresh_from_db()
    assert application.form_data == {"certifications": "ISO 9001", "honours": ""}

    person = individual_applicant()
    own = application_create(cycle=unit.cycle, by=person)
    client.force_login(person)
    page = client.get(step_url(own, "honours")).content.decode()
    assert "荣誉与竞赛" in page and 'name="contest_results"' in page
    main = client.get(step_url(own, "main")).content.decode()
    assert "主要事迹" in main and 'name="achievements"' in main
    client.post(step_url(own, "main"), {"achievements": "主持质量攻关项目十项。"})
    own.refresh_from_db()
    assert own.form_data == {"achievements": "主持质量攻关项目十项。"}


def test_basic_step_edits_the_profile(client, draft):
    application = draft.application
    profile = draft.owner.unit_profile
    page = client.get(step_url(application, "basic")).content.decode()
    assert f'value="{profile.uscc}"' in page
    data = unit_profile_post(
        name="临沂改名机械有限公司",
        uscc=profile.uscc,
        founded_on=profile.founded_on.isoformat(),
        next="1",
    )
    response = client.post(step_url(application, "basic"), data)
    assert response["Location"] == step_url(application, "main")
    application.refresh_from_db()
    assert application.name == "临沂改名机械有限公司"


def test_documents_are_uploaded_listed_and_removed(client, draft):
    application = draft.application
    response = client.post(
        step_url(application, "documents"),
        {"kind": DocumentKind.SELF_ASSESSMENT, "title": "", "file": pdf_upload()},
    )
    assert response.status_code == 302
    client.post(
        step_url(application, "documents"),
        {
            "kind": DocumentKind.EVIDENCE,
            "title": "ISO 9001认证证书",
            "file": pdf_upload("证书.pdf"),
        },
    )
    report, evidence = ApplicationDocument.objects.filter(application=application).order_by("pk")
    response = client.get(step_url(application, "documents"))
    page = response.content.decode()
    assert "ISO 9001认证证书" in page
    assert url("document_download", evidence.pk) in page
    assert url("document_remove", application.pk, evidence.pk) in page
    assert done_steps(response) == {"basic", "documents"}

    removed = client.post(url("document_remove", application.pk, evidence.pk))
    assert removed["Location"] == step_url(application, "documents")
    assert list(ApplicationDocument.objects.filter(application=application)) == [report]
    assert "已删除“ISO 9001认证证书”。" in client.get(removed["Location"]).content.decode()


def test_evidence_without_a_title_keeps_the_choice(client, draft):
    response = client.post(
        step_url(draft.application, "documents"),
        {"kind": DocumentKind.EVIDENCE, "title": "", "file": pdf_upload("证书.pdf")},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["title"] == ["请填写材料名称。"]
    assert form["kind"].value() == DocumentKind.EVIDENCE
    assert not ApplicationDocument.objects.exists()


def test_second_report_is_refused_next_to_the_file(client, draft):
    application = draft.application
    url_ = step_url(application, "documents")
    client.post(url_, {"kind": DocumentKind.SELF_ASSESSMENT, "file": pdf_upload()})
    response = client.post(url_, {"kind": DocumentKind.SELF_ASSESSMENT, "file": pdf_upload()})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "已上传自我评价报告/个人事迹材料，如需更换请先删除原文件。"
    ]


def test_declarations_show_the_text_and_take_the_typed_name(client, draft):
    application = draft.application
    page = client.get(step_url(application, "declarations")).content.decode()
    assert "承诺书（第十条第（五）（六）项）" in page
    assert "本单位近3年内无其他违反法律法规的行为（第十条第（六）项）。" in page

    wrong = client.post(step_url(application, "declarations"), {"signed_name": "李四"})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["signed_name"] == ["签名须与法定代表人姓名一致。"]
    assert 'value="李四"' in wrong.content.decode()

    right = client.post(
        step_url(application, "declarations"), {"signed_name": "王建国", "next": "1"}
    )
    assert right["Location"] == step_url(application, "confirm")
    application.refresh_from_db()
    assert application.declarations_accepted_by == "王建国"


def test_confirm_lists_what_is_missing_with_articles_and_offers_no_submit(client, draft):
    page = client.get(step_url(draft.application, "confirm")).content.decode()
    assert "申报尚不能提交，请先处理以下事项" in page
    assert "尚未上传《自我评价报告》（第十四条第（二）项）。" in page
    assert "尚未签署承诺书（第十条第（五）（六）项）。" in page
    assert "申报表尚未填写完整，请补充：" in page
    assert '。 <span class="small text-secondary">（第十四条第（二）项）</span>' in page
    assert step_url(draft.application, "documents") in page
    assert "确认提交</button>" not in page


def test_confirm_shows_earlier_unsuccessful_applications(client):
    world = World()
    earlier = application_submit(
        application=complete_application(world.owner, world.cycle), by=world.owner
    )
    application_decline(application=earlier, by=world.county_user, reason="不符合推荐条件")
    later_cycle = announced_cycle(office=world.office, number=world.cycle.number + 1, year=2028)
    current = complete_application(world.owner, later_cycle)
    client.force_login(world.owner)

    page = client.get(step_url(current, "confirm")).content.decode()

    assert "以往申报（第十三条）" in page
    assert f"{world.cycle} · 初审不推荐" in page
    assert "52000.50" in page
    assert "本次申报" in page


def test_complete_draft_is_submitted_with_a_confirmation(client):
    world = World()
    application = complete_application(world.owner, world.cycle)
    client.force_login(world.owner)
    page = client.get(step_url(application, "confirm")).content.decode()
    assert "符合提交条件" in page
    assert 'data-confirm="确定提交申报吗？提交后申报表和材料将冻结，不能再修改。"' in page

    response = client.post(step_url(application, "confirm"))

    assert response["Location"] == url("application_detail", application.pk)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    detail = client.get(response["Location"]).content.decode()
    assert "申报已提交，等待兰山区质量议事协调机构初审。" in detail
    assert "等待兰山区质量议事协调机构进行条件初审（第十四条第（三）项）。" in detail


def test_after_submission_the_form_is_read_only(client):
    world = World()
    application = world.application_in(S.SUBMITTED)
    client.force_login(world.owner)
    before = dict(application.form_data)

    page = client.get(step_url(application, "main")).content.decode()
    assert "申报表和材料已冻结，只能查看" in page
    assert "保存草稿" not in page
    assert "disabled" in page
    basic = client.get(step_url(application, "basic")).content.decode()
    assert "提交的申报材料（第1轮" in basic
    documents = client.get(step_url(application, "documents")).content.decode()
    assert "上传材料" not in documents and "删除" not in documents

    year = world.cycle.year - 1
    response = client.post(step_url(application, "main"), figures_post(world.cycle))
    assert response.status_code == 409
    assert "申报已提交（当前状态：已提报），申报材料已冻结，不能修改。" in response.content.decode()
    application.refresh_from_db()
    assert application.form_data == before
    assert application.form_data["key_figures"][str(year)]["revenue"] == "52000.50"


def test_timeline_shows_each_step_with_date_opinion_and_what_comes_next(client):
    world = World()
    application = world.application_in(S.RETURNED)
    client.force_login(world.owner)

    page = client.get(url("application_detail", application.pk)).content.decode()

    assert "兰山区质量议事协调机构于" in page
    assert "补充近三年纳税证明" in page
    assert "请按退回意见修改申报表或材料后重新提交。" in page
    for label in ("创建申报", "提交申报", "退回修改"):
        assert label in page
    assert "兰山区质量议事协调机构" in page
    assert str(world.county_user) not in page  # the applicant sees the body, not the clerk
    assert "修改申报" in page


def test_returned_application_can_be_edited_and_resubmitted(client):
    world = World()
    application = world.application_in(S.RETURNED)
    client.force_login(world.owner)
    year = world.cycle.year - 1
    saved = client.post(
        step_url(application, "main"), figures_post(world.cycle, **{f"tax_{year}": "1900"})
    )
    assert saved.status_code == 302
    submitted = client.post(step_url(application, "confirm"))
    assert submitted["Location"] == url("application_detail", application.pk)
    application.refresh_from_db()
    assert (application.state, application.round) == (S.SUBMITTED, 2)
    assert ApplicationSnapshot.objects.filter(application=application).count() == 2


def test_withdraw_asks_for_a_reason_on_a_confirmation_page(client):
    world = World()
    application = world.application_in(S.SUBMITTED)
    client.force_login(world.owner)
    detail = client.get(url("application_detail", application.pk)).content.decode()
    assert url("application_withdraw", application.pk) in detail
    page = client.get(url("application_withdraw", application.pk)).content.decode()
    assert "申报即终止，本届不能再次申报" in page
    assert 'data-confirm="确定撤回申报吗？撤回后本届不能再次申报。"' in page

    empty = client.post(url("application_withdraw", application.pk), {"reason": "  "})
    assert empty.status_code == 400
    assert empty.context["form"].errors["reason"] == ["请填写撤回原因。"]

    done = client.post(url("application_withdraw", application.pk), {"reason": "企业重组"})
    assert done["Location"] == url("application_detail", application.pk)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    event = ApplicationEvent.objects.get(application=application, action=EventAction.WITHDRAW)
    assert event.opinion == "企业重组"
    after = client.get(url("application_detail", application.pk)).content.decode()
    assert url("application_withdraw", application.pk) not in after
    assert "申报已撤回，本届不能再次申报。" in after


def test_withdraw_is_refused_once_final(client):
    world = World()
    application = world.application_in(S.DECLINED)
    client.force_login(world.owner)
    page = client.get(url("application_withdraw", application.pk)).content.decode()
    assert "申报当前状态为“初审不推荐”，不能撤回。" in page
    response = client.post(url("application_withdraw", application.pk), {"reason": "不想要了"})
    assert response.status_code == 409
    assert "该申报当前状态为“初审不推荐”，不能执行“撤回申报”。" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.DECLINED


def test_continue_leads_to_the_first_step_still_to_do(client, draft):
    response = client.get(url("application_detail", draft.application.pk))
    assert response.context["resume_step"] == "main"
    assert f'href="{step_url(draft.application, "main")}">继续填写' in response.content.decode()


def test_unknown_step_is_404(client, draft):
    assert client.get(step_url(draft.application, "payment")).status_code == 404


def test_workbench_leads_the_applicant_to_the_returned_application(client):
    world = World()
    world.application_in(S.RETURNED)
    client.force_login(world.owner)
    page = client.get(reverse("award:workbench")).content.decode()
    assert "申报被退回，请修改后重新提交" in page
    assert f'href="{url("application_list")}"' in page
    listing = client.get(url("application_list")).content.decode()
    assert "退回修改" in listing and "继续填写" in listing


def test_nav_shows_my_applications(client):
    client.force_login(unit_applicant())
    page = client.get(reverse("award:workbench")).content.decode()
    assert f'href="{url("application_list")}"' in page
    assert f'href="{url("profile")}"' in page


def test_save_draft_after_deadline_is_still_a_draft_but_submit_is_refused(client):
    world = World()
    application = complete_application(world.owner, world.cycle)
    application_save_draft(
        application=application, by=world.owner, form_data=unit_form_data(world.cycle)
    )
    let_deadline_pass(world.cycle)
    advance_cycle(world.cycle, CyclePhase.CLOSED, office=world.office)
    client.force_login(world.owner)
    page = client.get(step_url(application, "confirm")).content.decode()
    assert "本届申报尚未开始或已经截止" in page
    assert "确认提交</button>" not in page


def test_another_account_cannot_register_the_same_unit(client):
    existing = unit_applicant()
    user = make_user(Role.APPLICANT, applicant_kind=ApplicantKind.UNIT)
    client.force_login(user)
    response = client.post(url("profile"), unit_profile_post(uscc=existing.unit_profile.uscc))
    assert response.status_code == 400
    assert response.context["form"].errors["uscc"] == [
        "该统一社会信用代码已由其他账号登记，同一单位只能注册一个账号。"
    ]


def test_return_from_office_is_attributed_to_the_office(client):
    world = World()
    application = world.application_in(S.RECOMMENDED)
    advance_cycle(world.cycle, CyclePhase.PRELIMINARY, office=world.office)
    application_return(application=application, by=world.office, reason="请补充获奖证书")
    client.force_login(world.owner)
    page = client.get(url("application_detail", application.pk)).content.decode()
    assert "质量强市办于" in page
    assert "请补充获奖证书" in page
    assert timezone.localdate().isoformat() in page


def test_a_person_applies_through_every_step(client):
    cycle = announced_cycle()
    person = make_user(Role.APPLICANT, applicant_kind=ApplicantKind.INDIVIDUAL)
    client.force_login(person)
    profile = {
        "name": "张质量",
        "gender": "female",
        "birth_date": "1949-12-31",
        "id_number": "11010519491231002X",
        "education": "bachelor",
        "title": "高级工程师",
        "employer": "临沂测试制造有限公司",
        "position": "质量总监",
        "quality_work_years": "30",
        "quality_work_since": "1980-01-01",
        "county": str(county("371321").pk),
        "contact_phone": "13912345678",
    }
    assert client.post(url("profile"), profile).status_code == 302
    client.post(url("application_start"))
    application = Application.objects.get(cycle=cycle, applicant=person)
    steps = [
        ("main", {"achievements": "主持建立企业卓越绩效管理模式。"}),
        ("honours", {"honours": "临沂市质量标兵", "contest_results": ""}),
        ("documents", {"kind": DocumentKind.SELF_ASSESSMENT, "file": pdf_upload("事迹.pdf")}),
        ("documents", {"kind": DocumentKind.PHOTO, "file": png_upload()}),
        ("declarations", {"signed_name": "张质量"}),
    ]
    for step, data in steps:
        response = client.post(step_url(application, step), data)
        assert response.status_code == 302, (step, response.context["form"].errors)
    confirm = client.get(step_url(application, "confirm"))
    assert done_steps(confirm) == {"basic", "main", "honours", "documents", "declarations"}
    assert (
        "承诺书（第十二条第（一）（六）（七）项）"
        in client.get(step_url(application, "declarations")).content.decode()
    )

    client.post(step_url(application, "confirm"))

    application.refresh_from_db()
    assert (application.state, application.county.name) == (S.SUBMITTED, "沂南县")
    snapshot = ApplicationSnapshot.objects.get(application=application)
    assert snapshot.profile_data["id_number"] == "11010519491231002X"
    page = client.get(step_url(application, "basic")).content.decode()
    assert "11010519491231002X" in page  # the owner sees the number whole


def test_the_start_box_tells_a_draft_from_a_submitted_application(client):
    from tests.applications.factories import World

    world = World()
    draft = world.application_in("draft")
    client.force_login(world.owner)
    page = " ".join(client.get(reverse("applications:application_list")).content.decode().split())
    assert "的申报尚未提交，请在" in page
    assert "已有一份申报" not in page
    application_submit(application=draft, by=world.owner)
    page = " ".join(client.get(reverse("applications:application_list")).content.decode().split())
    assert "已有一份申报（当前状态：已提报）" in page


def test_review_steps_are_shown_as_the_agencys_not_the_offices():
    from types import SimpleNamespace

    from applications.presentation import acting_body

    application = SimpleNamespace(county=county())
    for action in (EventAction.START_REVIEW, EventAction.FAIL_REVIEW, EventAction.COMPLETE_REVIEW):
        event = SimpleNamespace(action=action, from_state="")
        assert acting_body(event, application) == "第三方评审机构"
    accept = SimpleNamespace(action=EventAction.ACCEPT, from_state=S.RECOMMENDED)
    assert acting_body(accept, application) == "质量强市办"


def test_a_draft_offers_deletion_with_confirmation_not_withdrawal(client):
    world = World()
    application = world.application_in(S.DRAFT)
    client.force_login(world.owner)
    detail = client.get(url("application_detail", application.pk)).content.decode()
    assert url("application_delete", application.pk) in detail
    assert url("application_withdraw", application.pk) not in detail
    assert client.get(url("application_withdraw", application.pk))["Location"] == url(
        "application_delete", application.pk
    )
    page = client.get(url("application_delete", application.pk)).content.decode()
    assert "不能恢复" in page and "data-confirm=" in page
    done = client.post(url("application_delete", application.pk))
    assert done["Location"] == url("application_list")
    assert not Application.objects.filter(pk=application.pk).exists()
    again = client.post(url("application_delete", application.pk))
    assert again["Location"] == url("application_list")
    listing = client.get(url("application_list")).content.decode()
    assert "开始申报" in listing
    stranger = unit_applicant()
    client.force_login(stranger)
    other = world.application_in(S.SUBMITTED)
    assert client.get(url("application_delete", other.pk)).status_code == 404


def test_confirm_shows_what_submitting_freezes_and_documents_name_their_kind_once(client):
    world = World()
    application = world.application_in(S.DRAFT)
    client.force_login(world.owner)
    page = client.get(step_url(application, "confirm")).content.decode()
    assert "提交后将冻结以下内容" in page
    for document in application.documents.all():
        assert document.original_name in page
    assert application.declarations_accepted_by in page
    documents = client.get(step_url(application, "documents")).content.decode()
    report = application.documents.get(kind=DocumentKind.SELF_ASSESSMENT)
    assert report.title == report.get_kind_display()
    link = reverse("applications:document_download", args=[report.pk])
    before_link = documents[: documents.index(f'<a href="{link}">')]
    assert "badge" not in before_link[before_link.rindex("<li") :]
