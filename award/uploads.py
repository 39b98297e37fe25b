"""Checking uploaded files by their content, and streaming stored files back (DESIGN.md §8)."""

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

HEAD_BYTES = 8192
PDF_EOF_WINDOW = 1024  # readers look for %%EOF within the last 1024 bytes
MAX_NAME_LENGTH = 100
MAX_EXTENSION_LENGTH = 10


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str  # may be a lazy translation
    mime: str
    extensions: tuple[str, ...]


KINDS = {
    kind.code: kind
    for kind in (
        FileKind("pdf", "PDF", "application/pdf", ("pdf",)),
        FileKind("jpg", "JPG", "image/jpeg", ("jpg", "jpeg")),
        FileKind("png", "PNG", "image/png", ("png",)),
        FileKind(
            "docx",
            gettext_lazy("Word（DOCX）"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ("docx",),
        ),
        FileKind(
            "xlsx",
            gettext_lazy("Excel（XLSX）"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
        ),
    )
}
# The part every genuine Office Open XML file of that kind has (ECMA-376 Part 2).
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
IMAGE_FORMAT = {"jpg": "JPEG", "png": "PNG"}
UNSAFE_NAME_CHARS = re.compile(r'[<>:"|?*]')


@dataclass(frozen=True)
class CheckedUpload:
    """What check_upload learned about a file that passed."""

    original_name: str
    content_type: str
    size: int
    sha256: str
    kind: str


def kinds_label(allowed) -> str:
    return _("、").join(str(KINDS[code].label) for code in KINDS if code in allowed)


def format_megabytes(max_bytes: int) -> str:
    megabytes = max_bytes / (1024 * 1024)
    return f"{megabytes:g}" if megabytes >= 1 else f"{megabytes:.2f}".rstrip("0").rstrip(".")


def clean_filename(name, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """A safe base name: no directories, control or format characters; Chinese kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = UNSAFE_NAME_CHARS.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    stem, extension = os.path.splitext(name)
    if len(extension) > MAX_EXTENSION_LENGTH + 1:
        stem, extension = name, ""
    stem = stem[: max_length - len(extension)].rstrip(" .")
    return f"{stem}{extension}" if stem else ""


def check_upload(file, *, allowed: set[str], max_bytes: int) -> CheckedUpload:
    """Accept `file` only if its content is one of the `allowed` kinds and its name agrees.

    Raises ValidationError with a message the uploader can act on. Leaves the file at 0.
    """
    unknown = set(allowed) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown file kinds: {sorted(unknown)}")
    allowed_label = kinds_label(allowed)
    size = _size_of(file)
    if size == 0:
        raise ValidationError(_("文件为空，请重新选择要上传的文件。"), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("文件大小超过%(limit)sMB的上限，请压缩或拆分后再上传。")
            % {"limit": format_megabytes(max_bytes)},
            code="too_large",
        )
    name = clean_filename(getattr(file, "name", ""))
    extension = os.path.splitext(name)[1].lstrip(".").lower()
    if not name or not extension:
        raise ValidationError(
            _("文件名缺少扩展名，请上传以下类型的文件：%(kinds)s。") % {"kinds": allowed_label},
            code="no_extension",
        )

    file.seek(0)
    head = file.read(HEAD_BYTES)
    guess = filetype.guess(head)
    kind = KINDS.get(guess.extension) if guess is not None else None
    if kind is None or kind.code not in allowed:
        raise ValidationError(
            _("文件内容不是允许的类型（允许：%(kinds)s）。仅修改文件扩展名不能改变文件类型。")
            % {"kinds": allowed_label},
            code="bad_type",
        )
    if extension not in kind.extensions:
        raise ValidationError(
            _("文件扩展名“.%(extension)s”与文件内容（%(kind)s）不符，请核对后重新上传。")
            % {"extension": extension, "kind": kind.label},
            code="extension_mismatch",
        )
    if not _structure_holds(file, kind, size):
        raise ValidationError(
            _("文件已损坏或不完整，无法作为%(kind)s文件打开，请检查后重新上传。")
            % {"kind": kind.label},
            code="corrupt",
        )

    digest = hashlib.sha256()
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(0)
    return CheckedUpload(
        original_name=name,
        content_type=kind.mime,
        size=size,
        sha256=digest.hexdigest(),
        kind=kind.code,
    )


def _size_of(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(0)
    return size


def _structure_holds(file, kind: FileKind, size: int) -> bool:
    """A light structural check beyond the magic bytes, so a renamed fragment is refused."""
    file.seek(0)
    try:
        if kind.code == "pdf":
            file.seek(max(0, size - PDF_EOF_WINDOW))
            return b"%%EOF" in file.read()
        if kind.code in OOXML_MAIN_PART:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
            return {"[Content_Types].xml", OOXML_MAIN_PART[kind.code]} <= names
        with Image.open(file) as image:
            image.verify()
            return image.format == IMAGE_FORMAT[kind.code]
    except Exception:  # any parser error means the file is not what it claims to be
        return False
    finally:
        file.seek(0)


def stored_file_response(field_file, *, filename: str, content_type: str, private: bool = True):
    """Send a privately stored file as a download under a safe name (RFC 5987 for Chinese).

    With PRIVATE_MEDIA_ACCEL_PREFIX set, the permission check stays here and nginx sends the
    bytes: an empty response whose X-Accel-Redirect names the file inside nginx's `internal`
    location. Otherwise the file is streamed from this process.
    """
    name = clean_filename(filename) or "download"
    cache_control = "private, no-store" if private else "public, max-age=300"
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    if prefix:
        if not field_file or not field_file.storage.exists(field_file.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        path = quote(field_file.name.replace(os.sep, "/"))
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{path}"
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = cache_control
        return response
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = cache_control
    return response
