"""Benchmarks of the decisions floor: the cycle's archive (届次档案) of a 50- and a
500-application cycle, built by streaming.

Each application gets a 申报表-sized self-assessment and an evidence file (synthetic,
incompressible bytes), a tenth of them an honour with its certificate, every one a feedback
report. The build runs under tracemalloc: its peak Python memory should stay flat from 50 to
500 applications (the files are copied in chunks, the tables written row by row). Run with
`make bench` (pytest -m perf -s tests/perf); figures are printed as a table, targets printed.
"""

import datetime
import hashlib
import os
import time
import tracemalloc

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from applications.enums import DocumentKind
from applications.models import Application, ApplicationDocument
from award.enums import AwardCategory
from decisions.enums import ExportKind, ExportState
from decisions.models import CycleExport, FeedbackReport, Honour
from decisions.services.exports import export_build, export_request
from tests.perf.conftest import print_table, seed_bench_applications

pytestmark = [pytest.mark.perf, pytest.mark.django_db]

SIZES = (50, 500)
DOCUMENT_BYTES = 48 * 1024
FLAT_TARGET = 1.5  # peak at 500 applications ≤ 1.5 × peak at 50


def stored(path: str, data: bytes) -> str:
    return default_storage.save(path, ContentFile(data))


def seed_archive(count: int):
    world = seed_bench_applications(count)
    applications = list(Application.objects.filter(pk__in=world.pks).select_related("county"))
    documents, honours, reports = [], [], []
    for index, application in enumerate(applications):
        for kind, title in (
            (DocumentKind.SELF_ASSESSMENT, "自我评价报告"),
            (DocumentKind.EVIDENCE, "证实性材料"),
        ):
            data = os.urandom(DOCUMENT_BYTES)
            documents.append(
                ApplicationDocument(
                    application=application,
                    kind=kind,
                    title=title,
                    file=stored(f"applications/{application.pk}/{kind}", data),
                    original_name=f"{title}.pdf",
                    content_type="application/pdf",
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    frozen_in_round=1,
                )
            )
        if index % 10 == 0:
            data = os.urandom(DOCUMENT_BYTES // 2)
            serial = f"LYZL-{count}-{index:04d}"
            honours.append(
                Honour(
                    application=application,
                    cycle=world.cycle,
                    category=AwardCategory.AWARD,
                    kind=application.kind,
                    holder_name=application.name,
                    county=application.county,
                    serial=serial,
                    awarded_on=datetime.date(2026, 12, 1),
                    certificate=stored(f"certificates/{world.cycle.pk}/{serial}.pdf", data),
                    certificate_sha256=hashlib.sha256(data).hexdigest(),
                )
            )
        reports.append(
            FeedbackReport(
                application=application,
                content={
                    "final_score": f"{500 + index % 400}.00",
                    "stages": [
                        {
                            "label": "材料评审",
                            "items": [
                                {"code": f"4.{i}", "strengths": "领导作用突出" * 5}
                                for i in range(23)
                            ],
                        }
                    ],
                },
            )
        )
    ApplicationDocument.objects.bulk_create(documents, batch_size=500)
    Honour.objects.bulk_create(honours)
    FeedbackReport.objects.bulk_create(reports, batch_size=500)
    return world


def measure(world) -> dict:
    export = export_request(world.cycle, ExportKind.ARCHIVE, world.office)
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    assert export_build(export.pk)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    export = CycleExport.objects.get(pk=export.pk)
    assert export.state == ExportState.DONE
    return {
        "entries": export.total,
        "seconds": seconds,
        "peak_kib": peak / 1024,
        "zip_mib": export.size / 1024 / 1024,
    }


RESULTS: dict[int, dict] = {}


@pytest.mark.parametrize("count", SIZES)
def test_archive_memory_stays_flat_from_50_to_500_applications(count):
    started = time.perf_counter()
    world = seed_archive(count)
    seeded = time.perf_counter() - started
    RESULTS[count] = {**measure(world), "seeded": seeded}
    rows = [
        [
            size,
            result["entries"],
            f"{result['zip_mib']:.1f}",
            f"{result['seconds']:.2f}",
            f"{result['peak_kib']:.0f}",
            f"{result['seeded']:.1f}",
        ]
        for size, result in sorted(RESULTS.items())
    ]
    print_table(
        "届次档案 (archive zip, streamed)",
        ["申报数", "文件数", "压缩包 MiB", "生成 s", "峰值内存 KiB", "造数 s"],
        rows,
    )
    if len(RESULTS) == len(SIZES):
        ratio = RESULTS[SIZES[-1]]["peak_kib"] / RESULTS[SIZES[0]]["peak_kib"]
        verdict = "met" if ratio <= FLAT_TARGET else "MISSED"
        print(f"peak memory 500 / 50 = {ratio:.2f} (target ≤ {FLAT_TARGET}: {verdict})")
