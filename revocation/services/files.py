"""Checking and storing the files of the revocation floor: a case's evidence and answers,
assessment evidence, shared experience (award.uploads)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from award.uploads import check_upload

FILE_KINDS = {"pdf", "jpg", "png", "docx"}
MAX_FILES = 10


def check_files(files, *, allowed=FILE_KINDS) -> tuple[list, list[str]]:
    """(checked pairs (file, CheckedUpload), error messages) for uploaded `files`."""
    files = [f for f in files or () if f]
    if len(files) > MAX_FILES:
        return [], [_("一次最多上传%(count)s个文件。") % {"count": MAX_FILES}]
    checked, errors = [], []
    for file in files:
        try:
            checked.append(
                (
                    file,
                    check_upload(
                        file,
                        allowed=allowed,
                        max_bytes=settings.NOTICE_ATTACHMENT_MAX_MB * 1024 * 1024,
                    ),
                )
            )
        except ValidationError as error:
            errors.extend(f"{getattr(file, 'name', '')}：{m}" for m in error.messages)
    return checked, errors


def store_files(model, checked, **owner):
    """Create one `model` row per checked file, stored under a random name."""
    rows = []
    for file, info in checked:
        row = model(
            original_name=info.original_name,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            **owner,
        )
        row.file.save(info.original_name, file, save=False)
        row.save()
        rows.append(row)
    return rows
