"""What every public filing shares (公示异议 here, 举报投诉 on the floor above): the real-name
identity a person or a unit gives, the files checked by content, and storing them.

Real-name by default (domain.md §8): a person gives name, 身份证号码 (checksum) and phone; a
unit its name, contact person, phone and a letter bearing its seal. Anonymous only where the
office allowed it. The wording, which names the filing and its article, is the caller's.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from applications.validators import normalise_identifier, validate_id_number
from award.uploads import check_upload

PERSON, UNIT, ANONYMOUS = "person", "unit", "anonymous"
FILE_KINDS = {"pdf", "jpg", "png"}
FILE_MAX_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


@dataclass(frozen=True)
class FilingWords:
    """How one kind of filing says its refusals, e.g. for an objection: kind_field
    "objector_kind", missing "实名提出异议须填写%(label)s（第十四条第（六）项）。"."""

    kind_field: str
    choose_kind: str
    anonymous_refused: str
    missing: str
    seal_letter_missing: str


def check_identity(
    kind: str, typed: dict, seal_letter, *, allows_anonymous: bool, errors: dict, words: FilingWords
) -> dict:
    """The identity as the kind requires, errors by field; "" where not asked."""
    identity = {"name": "", "id_number": "", "phone": "", "contact_person": ""}
    if kind not in (PERSON, UNIT, ANONYMOUS):
        errors[words.kind_field] = [words.choose_kind]
        return identity
    if kind == ANONYMOUS:
        if not allows_anonymous:
            errors[words.kind_field] = [words.anonymous_refused]
        return identity
    person = kind == PERSON
    labels = {
        "name": _("姓名") if person else _("单位名称"),
        "id_number": _("身份证号码"),
        "phone": _("联系电话"),
        "contact_person": _("单位联系人"),
    }
    for field in ["name", "phone", "id_number" if person else "contact_person"]:
        identity[field] = typed.get(field, "")
        if field not in errors and not identity[field]:
            errors[field] = [words.missing % {"label": labels[field]}]
    if identity["id_number"] and "id_number" not in errors:
        identity["id_number"] = normalise_identifier(identity["id_number"])
        try:
            validate_id_number(identity["id_number"])
        except ValidationError as error:
            errors["id_number"] = error.messages
    if identity["phone"] and "phone" not in errors and not PHONE.match(identity["phone"]):
        errors["phone"] = [_("联系电话应为11位手机号码或带区号的固定电话号码（如0539-8888888）。")]
    if not person and seal_letter is None:
        errors["seal_letter"] = [words.seal_letter_missing]
    return identity


def check_files(evidence, seal_letter, errors: dict, *, seal_kind: str, evidence_kind: str):
    """Each file checked by its content; returns [(kind, file, CheckedUpload)]."""
    if len(evidence) > MAX_EVIDENCE_FILES:
        errors["evidence"] = [
            _("证明材料最多上传%(count)s个文件。") % {"count": MAX_EVIDENCE_FILES}
        ]
        return []
    checked = []
    for kind, files, key in (
        (seal_kind, [seal_letter] if seal_letter else [], "seal_letter"),
        (evidence_kind, evidence, "evidence"),
    ):
        for file in files:
            try:
                checked.append(
                    (kind, file, check_upload(file, allowed=FILE_KINDS, max_bytes=FILE_MAX_BYTES))
                )
            except ValidationError as error:
                name = getattr(file, "name", "")
                errors.setdefault(key, []).extend(f"{name}：{m}" for m in error.messages)
    return checked


def store_files(checked, make_record, *, stored: list) -> None:
    """Save each checked file as `make_record(kind, upload)` (an unsaved row with a FileField
    `file`); each file stored is appended to `stored` at once, for the caller to delete if
    anything after it fails."""
    for kind, file, upload in checked:
        record = make_record(kind, upload)
        record.file.save(upload.original_name, file, save=False)
        stored.append(record.file)
        record.save()
