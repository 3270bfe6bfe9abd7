"""The PDF a holder downloads: A4 landscape, Chinese text embedded, QR code to verification."""

import time

import pytest
from django.conf import settings
from PIL import Image

from certificates import services
from tests.certificates.conftest import pdf_fonts, pdf_page_png, pdf_text, read_qr_codes
from tests.factories.certificates import issue

pytestmark = pytest.mark.django_db


def test_the_pdf_is_a4_landscape_with_chinese_text_and_a_qr_code(template, tmp_path):
    certificate = issue(template=template)
    started = time.monotonic()
    certificate = services.certificate_render_pdf(certificate_id=certificate.pk)
    elapsed = time.monotonic() - started
    content = certificate.pdf.read()
    assert content.startswith(b"%PDF")
    assert elapsed < 5

    text = pdf_text(content, tmp_path)
    assert "合规管理人员资格证书" in text
    assert "张小三" in text
    assert "2026年度合规知识考试" in text
    assert certificate.serial in text

    fonts = pdf_fonts(content, tmp_path)
    assert "WenQuanYi" in fonts and " yes " in fonts  # the Chinese font is embedded (subset)

    png = pdf_page_png(content, tmp_path)
    width, height = Image.open(png).size
    assert width > height and abs(width / height - 297 / 210) < 0.01
    expected_url = f"{settings.BASE_URL.rstrip('/')}/verify/{certificate.token}/"
    assert read_qr_codes(png) == [expected_url]


def test_rendering_again_replaces_the_file(template):
    certificate = services.certificate_render_pdf(certificate_id=issue(template=template).pk)
    first_name = certificate.pdf.name
    again = services.certificate_render_pdf(certificate_id=certificate.pk)
    assert again.pdf.name == first_name
    assert again.pdf.storage.exists(again.pdf.name)
    assert again.pdf_rendered_at >= certificate.pdf_rendered_at


def test_the_stored_file_is_named_by_the_token_not_the_guessable_serial(template):
    certificate = services.certificate_render_pdf(certificate_id=issue(template=template).pk)
    assert certificate.token in certificate.pdf.name
    assert certificate.serial not in certificate.pdf.name
