"""check_upload accepts files by their content and refuses impostors (DESIGN.md §8)."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from pypdf import PdfReader

from award.uploads import check_upload, clean_filename
from tests.award.sample_files import (
    docx_bytes,
    elf_bytes,
    image_bytes,
    minimal_pdf,
    plain_zip_bytes,
    upload,
    windows_exe_bytes,
    xlsx_bytes,
)

ALL = {"pdf", "jpg", "png", "docx", "xlsx"}
MB = 1024 * 1024


def refused(file, allowed=ALL, max_bytes=MB) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(file, allowed=allowed, max_bytes=max_bytes)
    return caught.value


def test_minimal_pdf_is_genuine():
    assert len(PdfReader(io.BytesIO(minimal_pdf())).pages) == 1


def test_real_pdf_is_accepted_with_its_size_type_and_digest():
    data = minimal_pdf()
    file = upload("2026年度自我评价报告.pdf", data, content_type="text/plain")
    checked = check_upload(file, allowed={"pdf"}, max_bytes=MB)
    assert checked.original_name == "2026年度自我评价报告.pdf"
    assert checked.content_type == "application/pdf"
    assert checked.kind == "pdf"
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert file.tell() == 0
    assert file.read() == data


@pytest.mark.parametrize(
    ("name", "content", "kind", "mime"),
    [
        ("现场照片.png", image_bytes("PNG"), "png", "image/png"),
        ("现场照片.jpg", image_bytes("JPEG"), "jpg", "image/jpeg"),
        ("现场照片.JPEG", image_bytes("JPEG"), "jpg", "image/jpeg"),
        (
            "申报说明.docx",
            docx_bytes(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "主要经济指标.xlsx",
            xlsx_bytes(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_images_and_office_files_are_accepted(name, content, kind, mime):
    checked = check_upload(upload(name, content), allowed=ALL, max_bytes=MB)
    assert (checked.original_name, checked.kind, checked.content_type) == (name, kind, mime)


@pytest.mark.parametrize("content", [elf_bytes(), windows_exe_bytes()], ids=["elf", "exe"])
def test_a_program_renamed_pdf_is_refused(content):
    error = refused(upload("自我评价报告.pdf", content))
    assert error.code == "bad_type"
    assert error.messages == [
        "文件内容不是允许的类型（允许：PDF、JPG、PNG、Word（DOCX）、Excel（XLSX））。"
        "仅修改文件扩展名不能改变文件类型。"
    ]


@pytest.mark.parametrize("name", ["材料.zip", "材料.docx", "材料.xlsx"])
def test_a_plain_zip_is_refused_whatever_its_name(name):
    assert refused(upload(name, plain_zip_bytes())).code == "bad_type"


def test_a_zip_dressed_as_a_word_file_without_its_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/payload.bin", b"\x00" * 64)
    error = refused(upload("申报说明.docx", buffer.getvalue()))
    assert error.code == "corrupt"
    assert error.messages == [
        "文件已损坏或不完整，无法作为Word（DOCX）文件打开，请检查后重新上传。"
    ]


def test_a_truncated_pdf_is_refused():
    error = refused(upload("报告.pdf", minimal_pdf()[:60]))
    assert error.code == "corrupt"


def test_an_empty_file_is_refused():
    error = refused(upload("报告.pdf", b""))
    assert error.code == "empty"
    assert error.messages == ["文件为空，请重新选择要上传的文件。"]


def test_a_file_over_the_limit_is_refused_naming_the_limit_in_mb():
    data = minimal_pdf()
    data = data + b" " * (MB + 1 - len(data))
    error = refused(upload("报告.pdf", data), max_bytes=MB)
    assert error.code == "too_large"
    assert error.messages == ["文件大小超过1MB的上限，请压缩或拆分后再上传。"]
    exactly = minimal_pdf()
    assert check_upload(upload("报告.pdf", exactly), allowed=ALL, max_bytes=len(exactly))


@pytest.mark.parametrize(
    ("max_bytes", "limit"), [(20 * MB, "20"), (MB // 2, "0.5"), (MB + MB // 2, "1.5")]
)
def test_the_limit_is_named_in_mb(max_bytes, limit):
    error = refused(upload("报告.pdf", b"%PDF-1.4\n" + b"0" * max_bytes), max_bytes=max_bytes)
    assert error.messages == [f"文件大小超过{limit}MB的上限，请压缩或拆分后再上传。"]


@pytest.mark.parametrize(
    ("given", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\申报材料.pdf", "申报材料.pdf"),
        ("C:\\Users\\张三\\Desktop\\自我评价报告.pdf", "自我评价报告.pdf"),
        ("年度\x00报告\x1f\u202e.pdf", "年度报告.pdf"),
        ("  .hidden.pdf", "hidden.pdf"),
        ('a<b>c:"d|e?f*.pdf', "a_b_c__d_e_f_.pdf"),
        ("临沂\n质量\t奖.pdf", "临沂质量奖.pdf"),
        ("临沂  质量　奖.pdf", "临沂 质量 奖.pdf"),
        ("..", ""),
    ],
)
def test_names_are_cleaned_to_a_safe_base_name(given, clean):
    assert clean_filename(given) == clean


def test_long_names_are_capped_keeping_the_extension():
    name = clean_filename("质" * 300 + ".pdf")
    assert name == "质" * 96 + ".pdf"
    assert len(name) == 100


def test_path_and_control_characters_are_cleaned_on_upload():
    checked = check_upload(
        upload("../../etc/pass\x00wd.pdf", minimal_pdf()), allowed=ALL, max_bytes=MB
    )
    assert checked.original_name == "passwd.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "照片.jpg",
            image_bytes("PNG"),
            "文件扩展名“.jpg”与文件内容（PNG）不符，请核对后重新上传。",
        ),
        ("报告.png", minimal_pdf(), "文件扩展名“.png”与文件内容（PDF）不符，请核对后重新上传。"),
        ("报告.docx", minimal_pdf(), "文件扩展名“.docx”与文件内容（PDF）不符，请核对后重新上传。"),
    ],
)
def test_an_extension_that_disagrees_with_the_content_is_refused(name, content, message):
    error = refused(upload(name, content))
    assert error.code == "extension_mismatch"
    assert error.messages == [message]


def test_a_kind_not_allowed_here_is_refused():
    error = refused(upload("照片.png", image_bytes("PNG")), allowed={"pdf"})
    assert error.code == "bad_type"
    assert error.messages == [
        "文件内容不是允许的类型（允许：PDF）。仅修改文件扩展名不能改变文件类型。"
    ]


def test_a_name_without_extension_is_refused():
    error = refused(upload("自我评价报告", minimal_pdf()), allowed={"pdf"})
    assert error.code == "no_extension"
    assert error.messages == ["文件名缺少扩展名，请上传以下类型的文件：PDF。"]


def test_a_large_upload_spooled_to_disk_is_checked_the_same_way():
    data = minimal_pdf()
    file = TemporaryUploadedFile("报告.pdf", "application/pdf", len(data), None)
    file.write(data)
    file.seek(0)
    try:
        checked = check_upload(file, allowed={"pdf"}, max_bytes=MB)
        assert checked.sha256 == hashlib.sha256(data).hexdigest()
    finally:
        file.close()


def test_unknown_kinds_are_a_programming_error():
    with pytest.raises(ValueError):
        check_upload(upload("a.pdf", minimal_pdf()), allowed={"exe"}, max_bytes=MB)
