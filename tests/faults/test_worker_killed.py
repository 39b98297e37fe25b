"""A Celery worker killed (SIGKILL) in the middle of a batch file: after a restart the job
finishes once, with one zip and one certificate file per honour (issue 13, item 7)."""

import datetime
import hashlib
import os
import signal
from pathlib import Path

import pytest

from award.enums import AwardCategory, Role
from award.models import AuditEntry
from decisions.enums import ExportKind, ExportState
from decisions.models import CycleExport, Honour
from decisions.services.exports import export_request
from tests.applications.factories import announced_cycle, complete_application, unit_applicant
from tests.decisions.test_exports import manifest_rows, read_zip
from tests.factories import make_user

pytest_plugins = ["tests.worker"]

HONOURS = 8


@pytest.fixture
def worker_environment() -> dict[str, str]:
    """Sweeping lost builds every second and taking a build silent for 3 s as lost."""
    return {"EXPORT_SWEEP_SECONDS": "1", "EXPORT_STALE_SECONDS": "3"}


def honours_without_certificates(cycle) -> list[Honour]:
    """HONOURS honours of `cycle` whose certificates are still to be rendered."""
    applications = [complete_application(unit_applicant(), cycle) for _ in range(HONOURS)]
    return [
        Honour.objects.create(
            application=application,
            cycle=application.cycle,
            category=AwardCategory.AWARD,
            kind=application.kind,
            holder_name=application.name,
            county=application.county,
            serial=f"LYZL2026-K{i:02d}",
            awarded_on=datetime.date(2026, 12, 1),
        )
        for i, application in enumerate(applications)
    ]


def files_under(media: Path, folder: str) -> list[Path]:
    root = media / folder
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def kill(worker) -> None:
    """SIGKILL the worker and its embedded beat: no warm shutdown, nothing acknowledged."""
    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout=15)
    worker.process = None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_batch_file_killed_mid_build_finishes_once_after_the_restart(media_worker, media):
    worker = media_worker
    cycle = announced_cycle()
    honours_without_certificates(cycle)
    office = make_user(Role.OFFICE)

    export = export_request(cycle, ExportKind.CERTIFICATES, office)

    def some_certificates_rendered():
        return Honour.objects.filter(cycle=cycle).exclude(certificate="").count() >= 2

    worker.wait_for(some_certificates_rendered, timeout=60, what="the build to be under way")
    kill(worker)

    rendered_before = Honour.objects.filter(cycle=cycle).exclude(certificate="").count()
    row = CycleExport.objects.get(pk=export.pk)
    assert row.state == ExportState.RUNNING  # killed mid-batch, not after
    assert rendered_before < HONOURS
    assert not row.file
    assert files_under(media, "exports") == []

    worker.start()

    def finished():
        row = CycleExport.objects.get(pk=export.pk)
        return row if row.state in (ExportState.DONE, ExportState.FAILED) else None

    row = worker.wait_for(finished, timeout=90, what="the batch file to be finished")
    assert row.state == ExportState.DONE, worker.tail()
    assert row.done == row.total == HONOURS

    zips = files_under(media, "exports")
    certificates = files_under(media, "certificates")
    builds = AuditEntry.objects.filter(action="decisions.export_build", object_id=str(row.pk))
    print(
        f"\nworker killed mid-batch: {rendered_before}/{HONOURS} certificates rendered before "
        f"the kill; after the restart: {len(zips)} zip file(s), {builds.count()} build(s) "
        f"audited, {len(certificates)} certificate files for {HONOURS} honours, "
        f"duplicates = {len(zips) - 1 + len(certificates) - HONOURS}"
    )
    assert len(zips) == 1
    assert builds.count() == 1
    assert len(certificates) == HONOURS
    assert zips[0] == media / row.file.name
    data = zips[0].read_bytes()
    assert hashlib.sha256(data).hexdigest() == row.sha256
    entries = read_zip(row.file)
    names = sorted(name for name in entries if name != "MANIFEST.csv")
    assert len(names) == HONOURS
    assert {row["name"] for row in manifest_rows(entries)} == set(names)
    for honour in Honour.objects.filter(cycle=cycle):
        assert honour.certificate
        stored = (media / honour.certificate.name).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == honour.certificate_sha256
        assert entries[f"{honour.serial}_{honour.holder_name}.pdf"] == stored
