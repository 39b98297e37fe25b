"""Batch files of a cycle (批量文件): every certificate, and the cycle's archive (档案).

The office asks (`export_request`); a Celery task builds the zip (`export_build`) by
streaming: a temporary file, each stored file copied in chunks, the JSON tables written row by
row, a MANIFEST.csv with every entry's size and SHA-256 at the end. Memory stays flat whatever
the cycle's size. One file per cycle and kind: building again replaces the row's file.
"""

import csv
import hashlib
import io
import json
import logging
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, ApplicationDocument, ApplicationSnapshot
from award.models import Notice, NoticeAttachment
from award.permissions import is_office
from award.services.audit import audit_record
from award.uploads import clean_filename
from decisions.enums import ExportKind, ExportState
from decisions.models import (
    Approval,
    Candidate,
    CandidateList,
    CycleExport,
    FeedbackReport,
    Honour,
    Meeting,
    Objection,
    ObjectionFile,
    Publicity,
    Resolution,
    Reward,
    Seat,
    Tally,
)

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024  # bytes copied at a time
PROGRESS_EVERY = 5  # entries between two progress updates
ROWS = 200  # rows read at a time from the database
MANIFEST = "MANIFEST.csv"
# A job "running" this long was lost with its worker: asking again starts it over.
STALE_AFTER = timedelta(hours=1)
ARTICLE_ARCHIVE = "第七条"


def export_request(cycle, kind: str, by) -> CycleExport:
    """Ask for the cycle's batch file of `kind`; the office only.

    One row per cycle and kind: while a job is queued or running, asking again returns it;
    once done (or failed, or lost: no end after STALE_AFTER), asking again queues the same
    row to be rebuilt (its old file is replaced). The task is queued after commit."""
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以生成批量文件。"))
    if kind not in ExportKind.values:
        raise ValidationError({"kind": _("没有这种批量文件。")})
    with transaction.atomic():
        try:
            with transaction.atomic():
                export, created = CycleExport.objects.get_or_create(
                    cycle=cycle, kind=kind, defaults={"requested_by": by}
                )
        except IntegrityError:  # asked twice at once: the other request made the row
            created = False
        export = CycleExport.objects.select_for_update().get(cycle=cycle, kind=kind)
        stale = export.requested_at < timezone.now() - STALE_AFTER
        if not created and export.state in (ExportState.QUEUED, ExportState.RUNNING) and not stale:
            return export
        export.state = ExportState.QUEUED
        export.done = export.total = 0
        export.requested_by = by
        export.finished_at = None
        export.save(
            update_fields=["state", "done", "total", "requested_by", "requested_at", "finished_at"]
        )
        audit_record(
            actor=by,
            action="decisions.export_request",
            obj=export,
            after={"cycle": cycle.pk, "kind": kind},
            article=ARTICLE_ARCHIVE,
        )
        transaction.on_commit(lambda: queue_export(export.pk))
    return export


def queue_export(export_id: int) -> None:
    from decisions.tasks.exports import build_cycle_export

    try:
        build_cycle_export.delay(export_id)
    except Exception:  # broker down: the row stays queued; asking again does not help, so say
        logger.exception("could not queue the batch file %s", export_id)
        CycleExport.objects.filter(pk=export_id, state=ExportState.QUEUED).update(
            state=ExportState.FAILED
        )


# What goes into a zip ---------------------------------------------------------------------


@dataclass(frozen=True)
class StoredEntry:
    """A stored file copied into the zip."""

    name: str
    field: object  # a FieldFile


@dataclass(frozen=True)
class TableEntry:
    """A table written as a JSON array, one row at a time."""

    name: str
    rows: object  # an iterable of dicts


def ensure_certificate(honour) -> None:
    """Store the honour's certificate if it is missing (the honours part renders it)."""
    from decisions.services.certificates import certificate_store

    certificate_store(honour)


def _certificate_entries(cycle, prefix=""):
    for honour in Honour.objects.filter(cycle=cycle).order_by("serial").iterator(ROWS):
        if not honour.certificate:
            ensure_certificate(honour)
            honour.refresh_from_db()
        yield StoredEntry(
            f"{prefix}{clean_filename(f'{honour.serial}_{honour.holder_name}.pdf')}",
            honour.certificate,
        )


def _count_certificates(cycle) -> int:
    return Honour.objects.filter(cycle=cycle).count()


def _rows(queryset):
    return queryset.order_by("pk").values().iterator(ROWS)


def _tables(cycle):
    """Every record of the cycle's decisions, as (file name, queryset)."""
    return [
        ("data/applications.json", Application.objects.filter(cycle=cycle)),
        ("data/notices.json", Notice.objects.filter(cycle=cycle)),
        ("data/notice_attachments.json", NoticeAttachment.objects.filter(notice__cycle=cycle)),
        ("data/candidate_list.json", CandidateList.objects.filter(cycle=cycle)),
        ("data/candidates.json", Candidate.objects.filter(candidate_list__cycle=cycle)),
        ("data/meetings.json", Meeting.objects.filter(cycle=cycle)),
        ("data/tallies.json", Tally.objects.filter(meeting__cycle=cycle)),
        ("data/seats.json", Seat.objects.filter(cycle=cycle)),
        ("data/resolutions.json", Resolution.objects.filter(meeting__cycle=cycle)),
        ("data/publicity.json", Publicity.objects.filter(cycle=cycle)),
        ("data/objections.json", Objection.objects.filter(cycle=cycle)),
        ("data/objection_files.json", ObjectionFile.objects.filter(objection__cycle=cycle)),
        ("data/approval.json", Approval.objects.filter(cycle=cycle)),
        ("data/honours.json", Honour.objects.filter(cycle=cycle)),
        ("data/rewards.json", Reward.objects.filter(honour__cycle=cycle)),
        ("data/feedback_reports.json", FeedbackReport.objects.filter(application__cycle=cycle)),
    ]


def _stored_querysets(cycle):
    """The stored files of the archive, as (queryset, name of each entry, its field)."""

    def folder(application_id, name):
        return f"applications/{application_id}_{clean_filename(name)}"

    return [
        (
            ApplicationSnapshot.objects.filter(application__cycle=cycle)
            .exclude(pdf="")
            .select_related("application"),
            lambda s: (
                f"{folder(s.application_id, s.application.name)}/"
                f"{clean_filename(_('申报表_第%(round)s轮.pdf') % {'round': s.round})}"
            ),
            "pdf",
        ),
        (
            ApplicationDocument.objects.filter(application__cycle=cycle).select_related(
                "application"
            ),
            lambda d: (
                f"{folder(d.application_id, d.application.name)}/documents/"
                f"{d.pk}_{clean_filename(d.original_name)}"
            ),
            "file",
        ),
        (
            NoticeAttachment.objects.filter(notice__cycle=cycle),
            lambda a: f"notices/{a.notice_id}/{a.pk}_{clean_filename(a.original_name)}",
            "file",
        ),
        (
            ObjectionFile.objects.filter(objection__cycle=cycle),
            lambda f: f"objections/{f.objection_id}/{f.pk}_{clean_filename(f.original_name)}",
            "file",
        ),
        (
            Approval.objects.filter(cycle=cycle),
            lambda a: f"approval/{clean_filename(a.original_name)}",
            "file",
        ),
    ]


def _entries(export):
    cycle = export.cycle
    if export.kind == ExportKind.CERTIFICATES:
        yield from _certificate_entries(cycle)
        return
    for name, queryset in _tables(cycle):
        yield TableEntry(name, _rows(queryset))
    for queryset, name_of, field in _stored_querysets(cycle):
        for obj in queryset.order_by("pk").iterator(ROWS):
            yield StoredEntry(name_of(obj), getattr(obj, field))
    yield from _certificate_entries(cycle, prefix="certificates/")


def _count(export) -> int:
    cycle = export.cycle
    if export.kind == ExportKind.CERTIFICATES:
        return _count_certificates(cycle)
    return (
        len(_tables(cycle))
        + sum(queryset.count() for queryset, _name, _field in _stored_querysets(cycle))
        + _count_certificates(cycle)
    )


# Writing the zip ----------------------------------------------------------------------------


class _Hashing:
    """A writable wrapper counting and hashing what passes through."""

    def __init__(self, target):
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.sha256.update(data)
        self.size += len(data)
        return self.target.write(data)


def _add_stored(archive, entry: StoredEntry):
    with (
        entry.field.open("rb") as source,
        archive.open(entry.name, "w", force_zip64=True) as target,
    ):
        hashing = _Hashing(target)
        while chunk := source.read(CHUNK):
            hashing.write(chunk)
    return hashing.size, hashing.sha256.hexdigest()


def _add_table(archive, entry: TableEntry):
    with archive.open(entry.name, "w", force_zip64=True) as target:
        hashing = _Hashing(target)
        hashing.write(b"[")
        for index, row in enumerate(entry.rows):
            text = json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
            hashing.write(((",\n" if index else "\n") + text).encode())
        hashing.write(b"\n]\n")
    return hashing.size, hashing.sha256.hexdigest()


def _unique(name: str, used: set[str]) -> str:
    """Entry names stay unique (two files of the same original name in one folder)."""
    candidate, n = name, 1
    while candidate in used:
        n += 1
        stem, dot, ext = name.rpartition(".")
        candidate = f"{stem}_{n}.{ext}" if dot else f"{name}_{n}"
    used.add(candidate)
    return candidate


def write_zip(export, target, *, progress=None) -> int:
    """Write the export's zip into the binary file `target`; `progress(done)` is called every
    few entries. Returns the number of entries (the manifest not counted)."""
    manifest = tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="")  # noqa: SIM115
    with manifest, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        rows = csv.writer(manifest)
        rows.writerow(["name", "size", "sha256", "note"])
        used: set[str] = set()
        done = 0
        for entry in _entries(export):
            name = _unique(entry.name, used)
            try:
                if isinstance(entry, TableEntry):
                    size, digest = _add_table(archive, TableEntry(name, entry.rows))
                else:
                    size, digest = _add_stored(archive, StoredEntry(name, entry.field))
                rows.writerow([name, size, digest, ""])
            except (FileNotFoundError, ValueError):  # a row whose stored file is gone
                rows.writerow([name, 0, "", _("文件缺失")])
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done)
        manifest.flush()
        manifest.seek(0)
        with (
            archive.open(MANIFEST, "w", force_zip64=True) as target_entry,
            io.TextIOWrapper(target_entry, encoding="utf-8", newline="") as text,
        ):
            while chunk := manifest.read(CHUNK):
                text.write(chunk)
    return done


def _file_digest(handle) -> tuple[int, str]:
    handle.seek(0)
    sha, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return size, sha.hexdigest()


def _lost_before():
    return timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS)


def _takeable() -> Q:
    """Queued, or running without progress for EXPORT_STALE_SECONDS: its worker was lost."""
    lost = Q(state=ExportState.RUNNING) & (
        Q(progress_at__lt=_lost_before()) | Q(progress_at__isnull=True)
    )
    return Q(state=ExportState.QUEUED) | lost


def resume_lost_exports() -> int:
    """Beat sweep: queue again each build whose worker died mid-job (killed, out of memory).

    A job taken by a worker is acknowledged only when it ends (acks_late), but Redis hands an
    unacknowledged job out again only after its visibility timeout (an hour); and a pool
    process killed mid-job gets its job acknowledged as failed. The row is the truth: running
    and silent for EXPORT_STALE_SECONDS means lost. export_build takes such a row under its
    lock, so two sweeps, or a late redelivery, still build it once. Returns how many queued.
    """
    from decisions.tasks.exports import build_cycle_export

    lost = CycleExport.objects.filter(_takeable(), state=ExportState.RUNNING).order_by("pk")
    queued = 0
    for export_id in lost.values_list("pk", flat=True):
        try:
            build_cycle_export.delay(export_id)
        except Exception:  # broker down: the next sweep tries again
            logger.warning("could not queue the lost batch file %s again", export_id)
            break
        queued += 1
    return queued


def export_build(export_id: int) -> bool:
    """Build the export's zip; safe if the task is delivered twice: only a queued row, or a
    running one whose worker was lost (see resume_lost_exports), is taken, under a row lock;
    a running or finished one is left alone. Returns whether it built."""
    with transaction.atomic():
        export = (
            CycleExport.objects.select_for_update()
            .select_related("cycle")
            .filter(_takeable(), pk=export_id)
            .first()
        )
        if export is None:
            return False
        export.state = ExportState.RUNNING
        export.done = 0
        export.total = _count(export)
        export.progress_at = timezone.now()
        export.save(update_fields=["state", "done", "total", "progress_at"])

    def progress(done):
        CycleExport.objects.filter(pk=export_id).update(
            done=min(done, export.total), progress_at=timezone.now()
        )

    try:
        with tempfile.TemporaryFile() as handle:
            entries = write_zip(export, handle, progress=progress)
            size, digest = _file_digest(handle)
            with transaction.atomic():
                locked = CycleExport.objects.select_for_update().get(pk=export_id)
                old_name = locked.file.name if locked.file else ""
                locked.file.save(f"{export.kind}.zip", File(handle), save=False)
                locked.sha256, locked.size = digest, size
                locked.state = ExportState.DONE
                locked.done = locked.total = entries
                locked.finished_at = timezone.now()
                locked.save(
                    update_fields=[
                        "file",
                        "sha256",
                        "size",
                        "state",
                        "done",
                        "total",
                        "finished_at",
                    ]
                )
                audit_record(
                    actor=None,
                    action="decisions.export_build",
                    obj=locked,
                    after={"entries": entries, "size": size, "sha256": digest},
                    article=ARTICLE_ARCHIVE,
                )
                storage, new_name = locked.file.storage, locked.file.name
                if old_name and old_name != new_name:
                    transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        logger.exception("building the batch file %s failed", export_id)
        CycleExport.objects.filter(pk=export_id).update(state=ExportState.FAILED)
        raise
    return True
