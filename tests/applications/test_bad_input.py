"""Bad input gets a clear error and loses nothing (issue 3), on every applications page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState as S
from applications.enums import DocumentKind, EventAction
from applications.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationSnapshot,
    IndividualProfile,
    UnitProfile,
)
from applications.services import application_create, application_submit
from award.enums import ApplicantKind, Role
from award.models import Cycle
from tests.applications.factories import (
    World,
    complete_application,
    individual_applicant,
    let_deadline_pass,
    pdf_bytes,
    pdf_upload,
    unit_applicant,
)
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def url(name, *args):
    return reverse(f"applications:{name}", args=args)


def step_url(application, step):
    return url("application_step", application.pk, step)


def unit_post(**overrides):
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
        "main_products": "工程机械零部件",
    }
    data.update(overrides)
    return data


def individual_post(**overrides):
    data = {
        "name": "张质量",
        "gender": "female",
        "birth_date": "1949-12-31",
        "id_number": "11010519491231002X",
        "education": "bachelor",
        "title": "高级工程师",
        "employer": "临沂测试制造有限公司",
        "position": "质量总监",
        "quality_work_years": "20",
        "quality_work_since": "1990-01-01",
        "county": str(county("371302").pk),
        "contact_phone": "13912345678",
    }
    data.update(overrides)
    return data


@pytest.fixture
def unit_client(client):
    client.force_login(make_user(Role.APPLICANT, applicant_kind=ApplicantKind.UNIT))
    return client


@pytest.fixture
def person_client(client):
    client.force_login(make_user(Role.APPLICANT, applicant_kind=ApplicantKind.INDIVIDUAL))
    return client


def refused(response, field):
    assert response.status_code == 400
    return response.context["form"].errors[field]


# 统一社会信用代码 and 身份证号 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("91310115MA1H8R7C6D", "统一社会信用代码校验位不正确，请核对营业执照后重新填写。"),
        ("9111000060003734", "统一社会信用代码应为18位。"),
        ("91110000600O37341L", "统一社会信用代码只能由数字和大写字母组成（不使用I、O、S、V、Z）。"),
    ],
)
def test_bad_uscc_is_explained_and_the_rest_is_kept(unit_client, typed, message):
    response = unit_client.post(url("profile"), unit_post(uscc=typed))
    assert refused(response, "uscc") == [message]
    page = response.content.decode()
    assert 'value="临沂示范机械有限公司"' in page
    assert 'value="0539-8123456"' in page
    assert "工程机械零部件</textarea>" in page
    assert not UnitProfile.objects.exists()


def test_uscc_typed_in_lower_case_with_spaces_is_accepted(unit_client):
    response = unit_client.post(url("profile"), unit_post(uscc=" 91350100m000100y43 "))
    assert response.status_code == 302
    assert UnitProfile.objects.get().uscc == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"id_number": "110105194912310021"},
            "id_number",
            "身份证号码校验位不正确，请核对后重新填写。",
        ),
        ({"id_number": "11010519491232002X"}, "id_number", "身份证号码中的出生日期不是有效日期。"),
        (
            {"id_number": "1101051949123100"},
            "id_number",
            "身份证号码应为18位，前17位为数字，最后一位为数字或X。",
        ),
        ({"birth_date": "1950-01-01"}, "birth_date", "出生日期与身份证号码不一致。"),
        ({"gender": "male"}, "gender", "性别与身份证号码不一致。"),
    ],
)
def test_bad_id_number_is_explained_and_the_rest_is_kept(person_client, overrides, field, message):
    response = person_client.post(url("profile"), individual_post(**overrides))
    assert message in refused(response, field)
    page = response.content.decode()
    assert 'value="临沂测试制造有限公司"' in page
    assert 'value="13912345678"' in page
    assert not IndividualProfile.objects.exists()


def test_id_number_typed_in_full_width_is_accepted(person_client):
    response = person_client.post(
        url("profile"), individual_post(id_number="１１０１０５１９４９１２３１００２Ｘ")
    )
    assert response.status_code == 302
    assert IndividualProfile.objects.get().id_number == "11010519491231002X"


def test_id_number_with_small_x_and_spaces_is_accepted(person_client):
    response = person_client.post(url("profile"), individual_post(id_number="110105 19491231 002x"))
    assert response.status_code == 302
    assert IndividualProfile.objects.get().id_number == "11010519491231002X"


# Impossible dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2023-02-30", "请输入有效的日期（年-月-日）。"),
        ("2015-13-01", "请输入有效的日期（年-月-日）。"),
        ("昨天", "请输入有效的日期（年-月-日）。"),
        ((timezone.localdate() + datetime.timedelta(days=1)).isoformat(), "成立日期不能晚于今天。"),
    ],
)
def test_impossible_founding_date(unit_client, typed, message):
    response = unit_client.post(url("profile"), unit_post(founded_on=typed))
    assert refused(response, "founded_on") == [message]
    assert f'value="{typed}"' in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1940-05-01", "从事质量工作起始时间应晚于出生日期。"),
        (
            (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "从事质量工作起始时间不能晚于今天。",
        ),
        ("1990-02-29", "请输入有效的日期（年-月-日）。"),
    ],
)
def test_impossible_quality_work_date(person_client, typed, message):
    response = person_client.post(url("profile"), individual_post(quality_work_since=typed))
    assert refused(response, "quality_work_since") == [message]


# Key figures ------------------------------------------------------------------------------


@pytest.fixture
def draft(client):
    world = World()
    world.application = application_create(cycle=world.cycle, by=world.owner)
    client.force_login(world.owner)
    return world


def figures(cycle, **overrides):
    data = {}
    for year in (cycle.year - 3, cycle.year - 2, cycle.year - 1):
        for key, value in (
            ("revenue", "52000"),
            ("profit", "3100"),
            ("tax", "1800"),
            ("rd_spend", "2100"),
            ("exports", "500"),
        ):
            data[f"{key}_{year}"] = value
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("revenue", "-1", "{year}年营业收入不能为负数。"),
        ("tax", "-0.01", "{year}年纳税总额不能为负数。"),
        ("rd_spend", "abc", "{year}年研发投入应为数字（单位：万元）。"),
        ("revenue", "NaN", "{year}年营业收入应为数字（单位：万元）。"),
        (
            "revenue",
            "52000000000",
            "{year}年营业收入数值不合理（超过1000亿元），请核对单位是否为万元。",
        ),
        (
            "profit",
            "-1e12",
            "{year}年利润总额数值不合理（超过1000亿元），请核对单位是否为万元。",
        ),
        ("exports", "60000", "{year}年出口额不能大于同年营业收入。"),
        ("tax", "1.234", "确认小数不超过 2 位."),
    ],
)
def test_bad_figures_are_refused_next_to_the_field(client, draft, field, typed, message):
    year = draft.cycle.year - 2
    data = figures(draft.cycle, **{f"{field}_{year}": typed})
    response = client.post(step_url(draft.application, "main"), data)
    assert refused(response, f"{field}_{year}") == [message.format(year=year)]
    page = response.content.decode()
    assert message.format(year=year) in page  # shown next to the field
    assert f'value="{typed}"' in page  # what was typed is shown back to be corrected
    assert 'value="2100"' in page  # and every other figure is still there
    draft.application.refresh_from_db()
    assert draft.application.form_data == {}


def test_figures_with_separators_or_full_width_digits_are_understood(client, draft):
    year = draft.cycle.year - 1
    data = figures(draft.cycle, **{f"revenue_{year}": "52,000.5", f"tax_{year}": "１８００"})
    assert client.post(step_url(draft.application, "main"), data).status_code == 302
    draft.application.refresh_from_db()
    saved = draft.application.form_data["key_figures"][str(year)]
    assert (saved["revenue"], saved["tax"]) == ("52000.50", "1800.00")


def test_a_loss_is_a_negative_profit_and_is_fine(client, draft):
    year = draft.cycle.year - 1
    data = figures(draft.cycle, **{f"profit_{year}": "-350.5"})
    assert client.post(step_url(draft.application, "main"), data).status_code == 302
    draft.application.refresh_from_db()
    assert draft.application.form_data["key_figures"][str(year)]["profit"] == "-350.50"


# Files ------------------------------------------------------------------------------------


def upload(client, application, **data):
    return client.post(step_url(application, "documents"), data)


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,  # Windows .exe
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,  # Linux executable
    ],
)
def test_an_executable_named_pdf_is_refused(client, draft, content):
    response = upload(
        client,
        draft.application,
        kind=DocumentKind.SELF_ASSESSMENT,
        title="自我评价报告",
        file=SimpleUploadedFile("自我评价报告.pdf", content, content_type="application/pdf"),
    )
    assert refused(response, "file") == [
        "文件内容不是允许的类型（允许：PDF）。仅修改文件扩展名不能改变文件类型。"
    ]
    assert 'value="自我评价报告"' in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_an_empty_file_is_refused(client, draft):
    response = upload(
        client,
        draft.application,
        kind=DocumentKind.EVIDENCE,
        title="质量管理体系认证证书",
        file=SimpleUploadedFile("证书.pdf", b"", content_type="application/pdf"),
    )
    assert refused(response, "file") == ["文件为空，请重新选择要上传的文件。"]
    assert 'value="质量管理体系认证证书"' in response.content.decode()


def test_an_oversized_file_is_refused_with_the_cycles_limit(client, draft):
    Cycle.objects.filter(pk=draft.cycle.pk).update(evidence_max_mb=1)
    big = pdf_bytes().replace(b"%%EOF", b"%" + b"0" * (1024 * 1024) + b"\n%%EOF")
    response = upload(
        client,
        draft.application,
        kind=DocumentKind.EVIDENCE,
        title="检测报告汇编",
        file=SimpleUploadedFile("检测报告.pdf", big, content_type="application/pdf"),
    )
    assert refused(response, "file") == ["文件大小超过1MB的上限，请压缩或拆分后再上传。"]
    assert 'value="检测报告汇编"' in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def raw_multipart(fields, filename, content):
    """A multipart body as a browser could send it, file name untouched by the test client."""
    boundary = "----portal-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "filename",
    [
        "C:\\Users\\admin\\..\\..\\自评\x07报告\u202e.pdf",
        "../../../etc/自评\x1b报告.pdf",
    ],
)
def test_a_file_name_with_path_parts_or_control_characters_is_cleaned(client, draft, filename):
    body, content_type = raw_multipart(
        {"kind": DocumentKind.SELF_ASSESSMENT, "title": ""}, filename, pdf_bytes()
    )
    response = client.post(
        step_url(draft.application, "documents"), data=body, content_type=content_type
    )
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    assert document.original_name == "自评报告.pdf"
    assert "/" not in document.file.name.removeprefix(f"applications/{draft.application.pk}/")
    download = client.get(url("document_download", document.pk))
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E8%87%AA%E8%AF%84%E6%8A%A5%E5%91%8A.pdf"
    )


# Script in text fields ----------------------------------------------------------------------


def test_script_in_the_form_is_shown_escaped_and_never_run(client, draft):
    application = draft.application
    response = client.post(
        step_url(application, "honours"), {"certifications": SCRIPT, "honours": SCRIPT}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.form_data["honours"] == SCRIPT  # stored as typed
    page = client.get(step_url(application, "honours")).content.decode()
    assert SCRIPT not in page
    assert ESCAPED in page


def test_script_in_names_and_opinions_is_escaped_for_every_reader(client):
    world = World()
    owner = unit_applicant(name=f"临沂{SCRIPT}公司", legal_representative="王建国")
    application = application_submit(application=complete_application(owner, world.cycle), by=owner)
    pages = []
    client.force_login(world.county_user)
    pages.append(client.get(url("county_queue")).content.decode())
    pages.append(client.get(url("county_detail", application.pk)).content.decode())
    client.post(url("county_act", application.pk, "return"), {"return-reason": SCRIPT})
    client.force_login(world.office)
    pages.append(client.get(url("office_queue")).content.decode())
    pages.append(client.get(url("office_detail", application.pk)).content.decode())
    client.force_login(owner)
    pages.append(client.get(url("application_list")).content.decode())
    pages.append(client.get(url("application_detail", application.pk)).content.decode())
    for page in pages:
        assert SCRIPT not in page
        assert ESCAPED in page
    assert ApplicationEvent.objects.get(action=EventAction.RETURN).opinion == SCRIPT


def test_script_in_a_document_title_is_escaped(client, draft):
    upload(
        client,
        draft.application,
        kind=DocumentKind.EVIDENCE,
        title=SCRIPT,
        file=pdf_upload("证书.pdf"),
    )
    page = client.get(step_url(draft.application, "documents")).content.decode()
    assert SCRIPT not in page
    assert ESCAPED in page


# Submitting --------------------------------------------------------------------------------


def test_a_double_clicked_submit_submits_once_and_says_so(client):
    world = World()
    application = complete_application(world.owner, world.cycle)
    client.force_login(world.owner)

    first = client.post(step_url(application, "confirm"))
    second = client.post(step_url(application, "confirm"))

    assert first.status_code == second.status_code == 302
    assert second["Location"] == url("application_detail", application.pk)
    application.refresh_from_db()
    assert (application.state, application.round) == (S.SUBMITTED, 1)
    assert ApplicationSnapshot.objects.filter(application=application).count() == 1
    assert ApplicationEvent.objects.filter(action=EventAction.SUBMIT).count() == 1
    page = client.get(second["Location"]).content.decode()
    when = timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M")
    assert f"该申报已于{when}提交，无需重复提交。" in page


def test_a_submit_after_the_deadline_is_refused_clearly(client):
    world = World()
    application = complete_application(world.owner, world.cycle)
    client.force_login(world.owner)
    let_deadline_pass(world.cycle)

    response = client.post(step_url(application, "confirm"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "本届申报尚未开始或已经截止，不能提交申报（第十四条第（二）项）。" in page
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert not ApplicationSnapshot.objects.exists()


def test_submitting_an_incomplete_draft_lists_each_problem(client, draft):
    response = client.post(step_url(draft.application, "confirm"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "申报尚不符合提交条件，请按下列提示处理后再提交。" in page
    assert "尚未签署承诺书（第十条第（五）（六）项）。" in page
    draft.application.refresh_from_db()
    assert draft.application.state == S.DRAFT


# Someone else's ids in the URL ------------------------------------------------------------------


def test_another_applicants_application_is_404_everywhere(client):
    world = World()
    application = world.application_in(S.SUBMITTED)
    document = application.documents.get()
    client.force_login(unit_applicant())
    for path in (
        url("application_detail", application.pk),
        url("application_withdraw", application.pk),
        url("application_delete", application.pk),
        step_url(application, "basic"),
        step_url(application, "confirm"),
        url("document_download", document.pk),
        url("snapshot_pdf", application.pk, 1),
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(step_url(application, "main"), {}).status_code == 404
    assert client.post(step_url(application, "confirm")).status_code == 404
    withdraw = client.post(url("application_withdraw", application.pk), {"reason": "x"})
    assert withdraw.status_code == 404
    remove = client.post(url("document_remove", application.pk, document.pk))
    assert remove.status_code == 404
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.documents.count() == 1


def test_own_application_with_someone_elses_document_id_is_404(client):
    world = World()
    other = world.application_in(S.DRAFT)
    owner = unit_applicant()
    mine = application_create(cycle=world.cycle, by=owner)
    client.force_login(owner)
    document = other.documents.get()
    assert client.post(url("document_remove", mine.pk, document.pk)).status_code == 404
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()


def test_another_countys_application_and_files_are_404(client):
    world = World()
    application = world.application_in(S.SUBMITTED)
    client.force_login(make_user(Role.COUNTY, county=county("371321")))
    assert client.get(url("county_detail", application.pk)).status_code == 404
    assert (
        client.post(url("county_act", application.pk, "return"), {"return-reason": "x"}).status_code
        == 404
    )
    assert client.get(url("document_download", application.documents.get().pk)).status_code == 404
    assert client.get(url("snapshot_pdf", application.pk, 1)).status_code == 404
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_ids_that_do_not_exist_are_404(client):
    world = World()
    client.force_login(world.owner)
    assert client.get(url("application_detail", 987654)).status_code == 404
    assert client.get(url("document_download", 987654)).status_code == 404
    client.force_login(world.county_user)
    assert client.get(url("county_detail", 987654)).status_code == 404
    client.force_login(world.office)
    assert client.get(url("office_detail", 987654)).status_code == 404


def test_unsaved_figures_stay_on_the_page_after_a_refusal(client):
    world = World()
    application = world.application_in(S.SUBMITTED)
    client.force_login(world.owner)
    year = world.cycle.year - 1
    response = client.post(
        step_url(application, "main"), figures(world.cycle, **{f"revenue_{year}": "88888"})
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "申报已提交（当前状态：已提报），申报材料已冻结，不能修改。" in page
    assert 'value="88888"' in page
    assert (
        Application.objects.get(pk=application.pk).form_data["key_figures"][str(year)]["revenue"]
        == "52000.50"
    )


def test_a_second_account_for_the_same_person_is_refused(person_client):
    number = individual_applicant().individual_profile.id_number  # born 1970-03-15, male
    response = person_client.post(
        url("profile"), individual_post(id_number=number, gender="male", birth_date="1970-03-15")
    )
    assert refused(response, "id_number") == [
        "该身份证号码已由其他账号登记，每人只能注册一个账号。"
    ]
