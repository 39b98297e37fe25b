"""Uploading and removing an application's documents while it is a draft or returned."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import DocumentKind
from applications.models import Application, ApplicationDocument
from applications.models.documents import ALLOWED_TYPES, SINGLE_KINDS
from applications.services.common import lock_application, require_editable
from award.enums import ApplicantKind
from award.models import User
from award.services.audit import audit_record
from award.services.submissions import submission_claim, submission_made
from award.text import refuse_bad_model_text
from award.uploads import check_upload

MB = 1024 * 1024


def max_bytes_for(kind: str, cycle) -> int:
    """The cycle's size limit for this kind of document."""
    if kind == DocumentKind.SELF_ASSESSMENT:
        return cycle.self_assessment_max_mb * MB
    return cycle.evidence_max_mb * MB


def document_add(
    *,
    application: Application,
    by: User,
    kind: str,
    file,
    title: str = "",
    submission_token=None,
) -> ApplicationDocument:
    """Attach a file checked by content: 自我评价报告 PDF only; evidence and the internal
    publicity proof PDF, JPG or PNG; the photo (individuals only) JPG or PNG.

    Size limits come from the cycle. One current 自我评价报告, photo and proof each: remove
    the old one first. Evidence needs a title; other kinds default to the kind's name.
    Owner only, while draft or returned. Stored under a random name; audited. Raises
    ValidationError keyed "file", "title" (award.text's rule) or "kind". The upload form
    posted twice (`submission_token`) raises SubmissionReplayed with the first document.
    """
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("请选择材料类别。")})
    title = refuse_bad_model_text(ApplicationDocument, {"title": title or ""})["title"] or (
        "" if kind == DocumentKind.EVIDENCE else str(DocumentKind(kind).label)
    )
    if not title:
        raise ValidationError({"title": _("请填写材料名称。")}, code="required")
    with transaction.atomic():
        claim = submission_claim(
            by=by,
            token=submission_token,
            action="application.document_add",
        )
        locked = lock_application(application)
        require_editable(locked, by)
        if kind == DocumentKind.PHOTO and locked.kind != ApplicantKind.INDIVIDUAL:
            raise ValidationError({"kind": _("只有申报个人需要上传个人照片。")})
        if kind in SINGLE_KINDS and locked.documents.current().filter(kind=kind).exists():
            raise ValidationError(
                {
                    "file": _("已上传%(kind)s，如需更换请先删除原文件。")
                    % {"kind": DocumentKind(kind).label}
                },
                code="single",
            )
        try:
            checked = check_upload(
                file, allowed=ALLOWED_TYPES[kind], max_bytes=max_bytes_for(kind, locked.cycle)
            )
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
        document = ApplicationDocument(
            application=locked,
            kind=kind,
            title=title,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        document.file.save(checked.original_name, file, save=False)
        stored = document.file
        try:
            document.save()
            audit_record(
                actor=by,
                action="application.document_add",
                obj=locked,
                after={
                    "document": document.pk,
                    "kind": kind,
                    "title": title,
                    "name": document.original_name,
                    "sha256": document.sha256,
                    "size": document.size,
                },
                article="第十四条第（二）项",
            )
            submission_made(claim, document)
        except Exception:
            stored.delete(save=False)
            raise
    return document


def document_remove(*, application: Application, by: User, document: ApplicationDocument) -> None:
    """Take a document out of the application. Owner only, while draft or returned.

    A document never submitted is deleted (its file after commit). One frozen by an
    earlier submission is retired instead: it leaves the application but stays stored,
    because that round's snapshot refers to it. Audited.
    """
    with transaction.atomic():
        locked = lock_application(application)
        require_editable(locked, by)
        document = (
            ApplicationDocument.objects.select_for_update()
            .filter(pk=document.pk, application=locked)
            .current()
            .first()
        )
        if document is None:
            raise ValidationError(_("该材料不存在或已删除。"), code="missing")
        audit_record(
            actor=by,
            action="application.document_remove",
            obj=locked,
            before={
                "document": document.pk,
                "kind": document.kind,
                "title": document.title,
                "sha256": document.sha256,
                "frozen_in_round": document.frozen_in_round,
            },
        )
        if document.is_frozen:
            document.removed_at = timezone.now()
            document.save(update_fields=["removed_at"])
        else:
            storage, name = document.file.storage, document.file.name
            document.delete()
            transaction.on_commit(lambda: storage.delete(name))
