"""情况报告 (第八条第（三）项): the page, the Excel workbook and the PDF agree with ranking()."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from applications.enums import ApplicationState as S
from award.models import AuditEntry
from review.enums import Stage
from review.selectors import ranking
from review.services import expert_disqualify, review_complete, stage_sign
from tests.review.factories import ReviewWorld, other_agency_user

pytestmark = pytest.mark.django_db

MATERIALS_ONLY = {"materials_weight": 100, "site_visit_weight": 0, "defence_weight": 0}


def url(name, *args):
    return reverse(f"review:{name}", args=args)


def page(response) -> str:
    return response.content.decode()


def report_world():
    """Three units and one person: one reviewed at 70 %, one signed at 50 % and still in
    review, one failed at 舆情调查, the person accepted without a group."""
    world = ReviewWorld(units=3, individuals=1, plan=MATERIALS_ONLY)
    best, second, failed, _person = world.applications
    for application, consensus in ((best, 70), (second, 50)):
        world.start(application)
        world.pass_checks(application)
        world.sign(application, Stage.MATERIALS, consensus=consensus)
    review_complete(application=best, by=world.agency_user)
    world.review_to(S.REVIEW_FAILED, failed)
    return world


def ranked(cycle):
    return [(row.pk, row.rank, row.final_score) for row in ranking(cycle)]


def report_urls(world):
    cycle = world.cycle.pk
    return [
        url("cycle_report", cycle),
        url("cycle_report_xlsx", cycle),
        url("cycle_report_pdf", cycle),
        url("application_report", world.application.pk),
    ]


def test_report_for_the_cycles_agency_the_office_and_the_auditor_only(client, auditor_user):
    world = ReviewWorld()
    for user in (world.agency_user, world.office, auditor_user):
        client.force_login(user)
        for address in report_urls(world):
            assert client.get(address).status_code == 200, address
    for user in (
        other_agency_user(),
        world.experts[0].user,
        world.county_user,
        world.application.applicant,
    ):
        client.force_login(user)
        for address in report_urls(world):
            assert client.get(address).status_code == 404, address


def test_the_page_shows_the_selectors_ranking(client):
    world = report_world()
    best, second, failed, person = world.applications
    client.force_login(world.office)
    response = client.get(url("cycle_report", world.cycle.pk))
    rows = response.context["report"]["applications"]
    assert [(row["id"], row["rank"], row["final_score"]) for row in rows] == ranked(world.cycle)
    by_id = {row["id"]: row for row in rows}
    assert (by_id[best.pk]["rank"], by_id[best.pk]["final_score"]) == (1, Decimal("700.00"))
    assert (by_id[second.pk]["rank"], by_id[second.pk]["final_score"]) == (2, Decimal("500.00"))
    assert by_id[failed.pk]["rank"] is None and by_id[failed.pk]["final_score"] is None
    assert by_id[person.pk]["final_score"] is None
    body = page(response)
    assert "700.00" in body and "70.00%" in body
    assert "舆情调查未通过：不符合第十条第（五）项。" in body


def test_expert_totals_appear_only_after_sign_off(client):
    world = ReviewWorld(plan=MATERIALS_ONLY)
    application = world.start()
    world.pass_checks(application)
    world.score_all(application, Stage.MATERIALS, [40, 50, 60, 50, 45])
    world.agree(application, Stage.MATERIALS, 50)
    client.force_login(world.agency_user)
    address = url("application_report", application.pk)
    before = client.get(address)
    assert before.context["expert_totals"] == []
    assert "尚无签字确认的评审环节。" in page(before)
    assert "600.00" not in page(before)
    stage_sign(application=application, stage=Stage.MATERIALS, by=world.leader.user)
    after = client.get(address)
    [stage] = after.context["expert_totals"]
    assert stage["stage"] == Stage.MATERIALS.label
    totals = {expert["name"]: expert["total"] for expert in stage["experts"]}
    live = world.live(application)
    assert totals == {
        expert.name: Decimal(p * 10) for expert, p in zip(live, [40, 50, 60, 50, 45], strict=True)
    }
    assert after.context["row"]["final_score"] == Decimal("500.00")
    assert "600.00" in page(after)


def test_excel_has_one_row_per_application_matching_the_ranking(client):
    world = report_world()
    best, _second, failed, person = world.applications
    client.force_login(world.agency_user)
    response = client.get(url("cycle_report_xlsx", world.cycle.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook["评审情况"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("排名", "申报编号", "申报主体") and header[-3:] == (
        "最终得分",
        "得分率（%）",
        "说明",
    )
    assert len(body) == 4
    final = header.index("最终得分")
    assert [(row[1], row[0], row[final]) for row in body] == [
        (pk, rank, float(score) if score is not None else None)
        for pk, rank, score in ranked(world.cycle)
    ]
    by_id = {row[1]: row for row in body}
    assert by_id[failed.pk][-1] == "舆情调查未通过：不符合第十条第（五）项。"
    assert by_id[best.pk][header.index("材料评审")] == 700
    assert by_id[person.pk][header.index("舆情调查")] == "未记录"
    assert AuditEntry.objects.filter(action="review.report_export", after__format="xlsx").exists()


def test_a_disqualified_expert_is_flagged_in_the_report(client):
    world = ReviewWorld(plan=MATERIALS_ONLY)
    application = world.start()
    expert = world.experts[2]
    expert_disqualify(expert=expert, by=world.office, reason="泄露评审信息。")
    client.force_login(world.office)
    body = page(client.get(url("cycle_report", world.cycle.pk)))
    assert "被取消评审资格的专家（第二十二条）" in body and "泄露评审信息。" in body
    response = client.get(url("cycle_report_xlsx", world.cycle.pk))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["评审情况"]
    [row] = list(sheet.iter_rows(min_row=2, values_only=True))
    assert row[1] == application.pk
    assert "评审组有专家被取消评审资格（第二十二条）" in row[-1]
    assert f"专家{expert.name}被取消评审资格" in row[-1]


def test_pdf_is_a_pdf_with_chinese_text(client):
    world = report_world()
    client.force_login(world.office)
    response = client.get(url("cycle_report_pdf", world.cycle.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "临沂市市长质量奖专家评审情况报告" in text
    assert "评审人员监督管理" in text
    assert world.agency.name in text


def test_report_pages_do_not_grow_with_rows(client):
    counts = []
    for units in (3, 30):
        world = ReviewWorld(units=units, plan=MATERIALS_ONLY)
        world.start(world.applications[0])
        world.assign(world.applications[1])
        client.force_login(world.office)
        row = []
        for name in ("cycle_report", "cycle_report_xlsx", "office_overview"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url(name, world.cycle.pk))
                assert response.status_code == 200
                if name == "cycle_report_xlsx":
                    rows = list(
                        load_workbook(io.BytesIO(b"".join(response.streaming_content)))[
                            "评审情况"
                        ].iter_rows(min_row=2)
                    )
                    assert len(rows) == units
            row.append(len(captured))
        counts.append(row)
    assert counts[0] == counts[1]


def test_scores_computed_with_long_decimals_are_shown_with_two(rf):
    """A trimmed mean and weighted stages give 55.1500000000000: the report writes 55.15."""
    row = {
        "id": 1,
        "rank": 1,
        "name": "临沂示例有限公司",
        "kind": "单位",
        "county": "兰山区",
        "group": "第一评审组",
        "checks": {},
        "stage_scores": {"材料评审": Decimal("55.1500000000000"), "现场评审": None},
        "final_score": Decimal("784.900000000000"),
        "final_percent": Decimal("78.4900000000000"),
        "state": "评审完成",
        "flags": "",
    }
    html = render_to_string(
        "review/report_table.html",
        {"report": {"applications": [row]}, "stages": ["材料评审", "现场评审"]},
        request=rf.get("/"),
    )
    assert "55.15" in html and "784.90" in html and "78.49%" in html
    assert not re.search(r"\d+\.\d{3,}", html)
