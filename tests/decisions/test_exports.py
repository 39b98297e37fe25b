"""Batch files (批量文件): the certificates' zip and the cycle's archive, built by streaming with
a MANIFEST of sizes and SHA-256; one file per cycle and kind; progress; the office only starts."""

import csv
import datetime
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.models import ApplicationDocument, ApplicationSnapshot
from award.enums import AwardCategory, NoticeKind, Role
from award.models import AuditEntry, Notice, NoticeAttachment
from decisions.enums import ExportKind, ExportState
from decisions.models import CycleExport, FeedbackReport, Honour
from decisions.services import exports as exports_service
from decisions.services.exports import export_build, export_request
from decisions.tasks.exports import build_cycle_export
from tests.applications.factories import pdf_bytes
from tests.decisions.factories import DecisionWorld
from tests.factories import make_user


def add_honour(application, serial: str) -> Honour:
    honour = Honour(
        application=application,
        cycle=application.cycle,
        category=AwardCategory.AWARD,
        kind=application.kind,
        holder_name=application.name,
        county=application.county,
        serial=serial,
        awarded_on=datetime.date(2026, 12, 1),
    )
    data = pdf_bytes() + f"% {serial}\n".encode()  # each certificate its own bytes
    honour.certificate.save(f"{serial}.pdf", ContentFile(data), save=False)
    honour.certificate_sha256 = hashlib.sha256(data).hexdigest()
    honour.save()
    return honour


def add_notice_attachment(cycle, author) -> NoticeAttachment:
    notice = Notice.objects.filter(cycle=cycle).order_by("pk").first()
    if notice is None:
        notice = Notice.objects.create(
            kind=NoticeKind.CALL,
            cycle=cycle,
            title=f"关于开展{cycle}申报工作的通知",
            body="申报条件和程序见附件。",
            author=author,
        )
    data = pdf_bytes() + b"% notice\n"
    attachment = NoticeAttachment(
        notice=notice,
        title="申报指南",
        original_name="申报指南.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    attachment.file.save("guide.pdf", ContentFile(data), save=False)
    attachment.save()
    return attachment


def add_feedback(application) -> FeedbackReport:
    return FeedbackReport.objects.create(
        application=application,
        content={"application": {"name": application.name}, "final_score": "512.40"},
    )


def read_zip(field_file) -> dict[str, bytes]:
    with field_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_rows(entries: dict[str, bytes]) -> list[dict]:
    return list(csv.DictReader(io.StringIO(entries["MANIFEST.csv"].decode("utf-8"))))


pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = DecisionWorld(units=2, individuals=1)
    world.honours = [
        add_honour(application, f"LYZL2026-{index:03d}")
        for index, application in enumerate(world.applications[:2], start=1)
    ]
    world.attachment = add_notice_attachment(world.cycle, world.office)
    world.reports = [add_feedback(application) for application in world.applications]
    return world


def build(cycle, kind, by, capture):
    with capture(execute=True):
        export = export_request(cycle, kind, by)
    export.refresh_from_db()
    return export


def check_manifest(entries):
    rows = manifest_rows(entries)
    assert {row["name"] for row in rows} == set(entries) - {"MANIFEST.csv"}
    for row in rows:
        data = entries[row["name"]]
        assert int(row["size"]) == len(data)
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
    return rows


def test_certificates_zip_holds_every_certificate_with_checksums(
    world, django_capture_on_commit_callbacks
):
    export = build(
        world.cycle, ExportKind.CERTIFICATES, world.office, django_capture_on_commit_callbacks
    )
    assert export.state == ExportState.DONE
    assert export.done == export.total == 2
    with export.file.open("rb") as handle:
        data = handle.read()
    assert export.size == len(data) and export.sha256 == hashlib.sha256(data).hexdigest()
    entries = read_zip(export.file)
    check_manifest(entries)
    for honour in world.honours:
        with honour.certificate.open("rb") as handle:
            stored = handle.read()
        name = f"{honour.serial}_{honour.holder_name}.pdf"
        assert entries[name] == stored
    assert AuditEntry.objects.filter(action="decisions.export_request").count() == 1
    assert AuditEntry.objects.filter(action="decisions.export_build").count() == 1


def test_archive_holds_documents_notices_records_and_certificates(
    world, django_capture_on_commit_callbacks
):
    export = build(
        world.cycle, ExportKind.ARCHIVE, world.office, django_capture_on_commit_callbacks
    )
    assert export.state == ExportState.DONE
    entries = read_zip(export.file)
    rows = check_manifest(entries)
    assert export.total == len(rows)
    names = set(entries)
    documents = ApplicationDocument.objects.filter(application__cycle=world.cycle)
    assert documents.count() >= 3
    for document in documents:
        matches = [
            n for n in names if n.endswith(f"/documents/{document.pk}_{document.original_name}")
        ]
        assert len(matches) == 1
        with document.file.open("rb") as handle:
            assert entries[matches[0]] == handle.read()
    for snapshot in ApplicationSnapshot.objects.filter(application__cycle=world.cycle).exclude(
        pdf=""
    ):
        assert any(
            n.startswith(f"applications/{snapshot.application_id}_")
            and n.endswith(".pdf")
            and "申报表" in n
            for n in names
        )
    assert f"notices/{world.attachment.notice_id}/{world.attachment.pk}_申报指南.pdf" in names
    for honour in world.honours:
        assert f"certificates/{honour.serial}_{honour.holder_name}.pdf" in names
    honours = json.loads(entries["data/honours.json"])
    assert {h["serial"] for h in honours} == {h.serial for h in world.honours}
    # UTF-8 as it is, not \\u escapes.
    assert world.honours[0].holder_name.encode() in entries["data/honours.json"]
    reports = json.loads(entries["data/feedback_reports.json"])
    assert {r["application_id"] for r in reports} == {a.pk for a in world.applications}
    assert reports[0]["content"]["final_score"] == "512.40"
    notices = json.loads(entries["data/notices.json"])
    assert world.attachment.notice_id in {n["id"] for n in notices}
    for name in ("candidates", "tallies", "resolutions", "objections", "approval", "rewards"):
        assert json.loads(entries[f"data/{name}.json"]) == []


def test_building_again_replaces_the_one_file(world, django_capture_on_commit_callbacks, settings):
    first = build(
        world.cycle, ExportKind.CERTIFICATES, world.office, django_capture_on_commit_callbacks
    )
    first_name = first.file.name
    again = build(
        world.cycle, ExportKind.CERTIFICATES, world.office, django_capture_on_commit_callbacks
    )
    assert again.pk == first.pk and again.state == ExportState.DONE
    assert again.file.name != first_name
    assert CycleExport.objects.filter(cycle=world.cycle).count() == 1
    folder = (
        Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / "exports" / str(world.cycle.pk)
    )
    assert [p.name for p in folder.iterdir() if p.name.startswith("certificates-")] == [
        Path(again.file.name).name
    ]
    check_manifest(read_zip(again.file))


def test_asking_while_queued_returns_the_same_job(world):
    first = export_request(world.cycle, ExportKind.ARCHIVE, world.office)  # on_commit not run
    second = export_request(world.cycle, ExportKind.ARCHIVE, make_user(Role.OFFICE))
    assert first.pk == second.pk and second.state == ExportState.QUEUED
    assert AuditEntry.objects.filter(action="decisions.export_request").count() == 1


def test_a_task_delivered_twice_builds_once(world):
    export = export_request(world.cycle, ExportKind.CERTIFICATES, world.office)
    assert export_build(export.pk) is True
    assert export_build(export.pk) is False
    assert build_cycle_export.apply(args=[export.pk]).get() is False
    assert AuditEntry.objects.filter(action="decisions.export_build").count() == 1


def test_progress_moves_while_the_zip_is_written(world, monkeypatch):
    monkeypatch.setattr(exports_service, "PROGRESS_EVERY", 1)
    export = export_request(world.cycle, ExportKind.ARCHIVE, world.office)
    seen = []
    entries = exports_service.write_zip(export, io.BytesIO(), progress=seen.append)
    assert seen == list(range(1, entries + 1))
    assert entries == exports_service._count(export)
    # Through the task the row's done/total reach the end; the page shows the numbers.
    assert export_build(export.pk)
    export.refresh_from_db()
    assert export.done == export.total == entries


def test_only_the_office_starts_a_job(world, client, auditor_user):
    with pytest.raises(PermissionDenied):
        export_request(world.cycle, ExportKind.ARCHIVE, auditor_user)
    client.force_login(auditor_user)
    page = client.get(reverse("decisions:exports_cycle", args=[world.cycle.pk]))
    assert page.status_code == 200
    assert "开始生成" not in page.content.decode()
    start = reverse("decisions:exports_start", args=[world.cycle.pk, ExportKind.ARCHIVE])
    assert client.post(start).status_code == 403  # award.middleware (第七章)
    assert not CycleExport.objects.exists()
    for role in (Role.APPLICANT, Role.COUNTY, Role.AGENCY, Role.LEADER):
        client.force_login(make_user(role))
        assert (
            client.get(reverse("decisions:exports_cycle", args=[world.cycle.pk])).status_code == 404
        )
        assert client.post(start).status_code == 404


def test_office_starts_sees_progress_and_downloads(
    world, client, django_capture_on_commit_callbacks, auditor_user
):
    client.force_login(world.office)
    page_url = reverse("decisions:exports_cycle", args=[world.cycle.pk])
    page = client.get(page_url).content.decode()
    assert "开始生成" in page and "data-confirm" in page and "js/exports.js" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("decisions:exports_start", args=[world.cycle.pk, ExportKind.CERTIFICATES])
        )
    assert response.status_code == 302
    export = CycleExport.objects.get(cycle=world.cycle, kind=ExportKind.CERTIFICATES)
    assert export.state == ExportState.DONE
    page = client.get(page_url).content.decode()
    download = reverse("decisions:exports_download", args=[export.pk])
    assert download in page and "下载压缩包" in page
    response = client.get(download)
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == export.sha256
    assert AuditEntry.objects.filter(
        action="decisions.export_download", object_id=str(export.pk)
    ).exists()
    # The auditor sees the job but not the file (unmasked personal data); others get 404.
    client.force_login(auditor_user)
    page = client.get(page_url).content.decode()
    assert "已完成" in page and export.sha256 in page and download not in page
    assert client.get(download).status_code == 404
    client.force_login(make_user(Role.APPLICANT))
    assert client.get(download).status_code == 404
    assert client.get(reverse("decisions:exports_progress", args=[export.pk])).status_code == 404


def test_a_running_job_is_polled_with_htmx(world, client):
    export = export_request(world.cycle, ExportKind.ARCHIVE, world.office)
    CycleExport.objects.filter(pk=export.pk).update(state=ExportState.RUNNING, done=3, total=12)
    client.force_login(world.office)
    html = client.get(reverse("decisions:exports_progress", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'data-width="25"' in html and "3 / 12" in html
    assert "style=" not in html  # strict CSP: the width is set by static/js/exports.js
    CycleExport.objects.filter(pk=export.pk).update(state=ExportState.DONE)
    html = client.get(reverse("decisions:exports_progress", args=[export.pk])).content.decode()
    assert "hx-trigger" not in html


def test_the_row_shows_progress_while_the_task_works(world, monkeypatch):
    monkeypatch.setattr(exports_service, "PROGRESS_EVERY", 2)
    export = export_request(world.cycle, ExportKind.ARCHIVE, world.office)
    seen = []
    add_stored = exports_service._add_stored

    def watching(archive, entry):
        row = CycleExport.objects.values("state", "done", "total").get(pk=export.pk)
        seen.append((row["state"], row["done"], row["total"]))
        return add_stored(archive, entry)

    monkeypatch.setattr(exports_service, "_add_stored", watching)
    assert export_build(export.pk)
    assert {state for state, _done, _total in seen} == {ExportState.RUNNING}
    done = [d for _state, d, _total in seen]
    assert done == sorted(done) and done[0] < done[-1]
    total = seen[0][2]
    assert 0 < done[-1] < total
    export.refresh_from_db()
    assert export.done == export.total == total


def test_the_office_is_reminded_to_build_a_published_cycles_archive(
    world, django_capture_on_commit_callbacks
):
    from award.models import Cycle
    from award.workbench import workbench

    def titles():
        return [item.title for item in workbench.items_for(world.office)]

    assert not any("届次档案" in title for title in titles())
    Cycle.objects.filter(pk=world.cycle.pk).update(phase="published")
    assert any("届次档案" in title for title in titles())
    build(world.cycle, ExportKind.ARCHIVE, world.office, django_capture_on_commit_callbacks)
    assert not any("届次档案" in title for title in titles())


def test_a_job_lost_with_its_worker_can_be_asked_for_again(world):
    import datetime

    from django.utils import timezone

    export = export_request(world.cycle, ExportKind.ARCHIVE, world.office)
    CycleExport.objects.filter(pk=export.pk).update(
        state=ExportState.RUNNING,
        requested_at=timezone.now() - exports_service.STALE_AFTER - datetime.timedelta(minutes=1),
    )
    again = export_request(world.cycle, ExportKind.ARCHIVE, world.office)
    assert again.pk == export.pk and again.state == ExportState.QUEUED
    assert export_build(again.pk)


def test_the_sweep_resumes_a_build_whose_worker_went_silent_and_builds_it_once(world, settings):
    from django.utils import timezone

    export = export_request(world.cycle, ExportKind.CERTIFICATES, world.office)
    silent_since = timezone.now() - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    CycleExport.objects.filter(pk=export.pk).update(
        state=ExportState.RUNNING, progress_at=silent_since
    )

    assert exports_service.resume_lost_exports() == 1  # built in-process (no broker)

    export.refresh_from_db()
    assert export.state == ExportState.DONE and export.done == export.total == 2
    assert AuditEntry.objects.filter(action="decisions.export_build").count() == 1
    assert exports_service.resume_lost_exports() == 0
    assert export_build(export.pk) is False  # a late redelivery of the first job


def test_a_build_still_making_progress_is_left_to_its_worker(world):
    from django.utils import timezone

    export = export_request(world.cycle, ExportKind.CERTIFICATES, world.office)
    CycleExport.objects.filter(pk=export.pk).update(
        state=ExportState.RUNNING, progress_at=timezone.now()
    )

    assert exports_service.resume_lost_exports() == 0
    assert export_build(export.pk) is False
    export.refresh_from_db()
    assert export.state == ExportState.RUNNING and not export.file


def test_the_pages_count_their_queries(
    world, client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    build(world.cycle, ExportKind.ARCHIVE, world.office, django_capture_on_commit_callbacks)
    client.force_login(world.office)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("decisions:exports_index")).status_code == 200
    with django_assert_max_num_queries(10):
        page = client.get(reverse("decisions:exports_cycle", args=[world.cycle.pk]))
    assert page.status_code == 200 and "下载压缩包" in page.content.decode()
