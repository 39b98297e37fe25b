"""The archive built by a real Celery worker: requested by the office, done with its manifest."""

import hashlib

import pytest

from decisions.enums import ExportKind, ExportState
from decisions.models import CycleExport
from decisions.services.exports import export_request
from tests.decisions.factories import DecisionWorld
from tests.decisions.test_exports import (
    add_feedback,
    add_honour,
    add_notice_attachment,
    manifest_rows,
    read_zip,
)
from tests.worker import environment

pytest_plugins = ["tests.worker"]


@pytest.fixture
def archive_worker(request, monkeypatch, tmp_path):
    """A worker of its own storing files where this test reads them (the _private_media
    folder of tests/conftest.py)."""
    with environment(monkeypatch, PRIVATE_MEDIA_ROOT=str(tmp_path / "media")):
        return request.getfixturevalue("outage_worker")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_archive_with_its_manifest(archive_worker):
    world = DecisionWorld(units=2, individuals=1)
    honours = [add_honour(a, f"LYZL2026-W{i}") for i, a in enumerate(world.applications[:2])]
    add_notice_attachment(world.cycle, world.office)
    for application in world.applications:
        add_feedback(application)

    export = export_request(world.cycle, ExportKind.ARCHIVE, world.office)

    def finished():
        row = CycleExport.objects.get(pk=export.pk)
        return row if row.state in (ExportState.DONE, ExportState.FAILED) else None

    export = archive_worker.wait_for(finished, timeout=60, what="the archive to be built")
    assert export.state == ExportState.DONE, archive_worker.tail()
    assert export.done == export.total > 0
    with export.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == export.sha256
    entries = read_zip(export.file)
    rows = manifest_rows(entries)
    assert {row["name"] for row in rows} == set(entries) - {"MANIFEST.csv"}
    for row in rows:
        assert row["sha256"] == hashlib.sha256(entries[row["name"]]).hexdigest()
    for honour in honours:
        assert f"certificates/{honour.serial}_{honour.holder_name}.pdf" in entries
