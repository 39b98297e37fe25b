"""PDFs render Chinese text with embedded CJK fonts (DESIGN.md §8)."""

import io

import pytest
from pypdf import PdfReader

from award.pdf import render_pdf


@pytest.fixture
def pdf_template(tmp_path, settings):
    folder = tmp_path / "pdf"
    folder.mkdir()
    (folder / "sample.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        "<h1>{{ title }}</h1><p>{{ body }}</p>{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "pdf/sample.html"


def test_chinese_text_is_extractable_and_fonts_are_embedded(pdf_template):
    data = render_pdf(pdf_template, {"title": "临沂市市长质量奖申报表", "body": "<b>不加粗</b>"})
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "临沂市市长质量奖申报表" in text
    assert "<b>不加粗</b>" in text  # user text is escaped, never markup
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        if "/BaseFont" in font.get_object()
        for font in [font.get_object()]
    }
    assert any("CJK" in name for name in fonts), fonts
