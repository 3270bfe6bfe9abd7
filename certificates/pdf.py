"""The certificate as a PDF: A4 landscape, Chinese fonts embedded, QR code, seal.

Printed in Chinese whatever the requesting person's language: it is an official document.
WeasyPrint embeds a subset of WenQuanYi Micro Hei (Debian fonts-wqy-microhei; with
libharfbuzz-subset0 subsetting takes milliseconds instead of seconds).
"""

import base64
import io
import logging
import os
from functools import lru_cache

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from . import wording
from .models import Certificate

PDF_LANGUAGE = "zh-hans"
# WeasyPrint logs every rendering step at INFO: thousands of lines in a bulk re-rendering.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def verification_url(certificate: Certificate) -> str:
    """The absolute public URL printed in the QR code (always the Chinese, unprefixed one)."""
    with translation.override(PDF_LANGUAGE):
        path = reverse("verify:certificate", kwargs={"token": certificate.token})
    return settings.BASE_URL.rstrip("/") + path


def qr_png_data_uri(text: str) -> str:
    """A small 1-bit PNG, one pixel per module; the PDF scales it up without smoothing.

    (An SVG QR code took a quarter of the rendering time in WeasyPrint's path parser.)
    """
    # A fixed mask pattern skips qrcode's search for the best of eight (a third of its time);
    # any mask decodes the same.
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=2, mask_pattern=2
    )
    qr.add_data(text)
    buffer = io.BytesIO()
    qr.make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@lru_cache(maxsize=64)
def _image_data_uri(path: str, modified: float) -> str:
    with open(path, "rb") as fh:
        data = fh.read()
    kind = "png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()


def seal_data_uri(certificate: Certificate) -> str | None:
    seal = certificate.template.seal
    if seal is None:
        return None
    try:
        path = seal.file.path
        return _image_data_uri(path, os.path.getmtime(path))
    except (NotImplementedError, FileNotFoundError, ValueError):
        with seal.file.open("rb") as fh:
            return "data:image/png;base64," + base64.b64encode(fh.read()).decode()


def format_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def format_score(score) -> str:
    if score is None:
        return ""
    return f"{score:.2f}".rstrip("0").rstrip(".")


def wording_values(certificate: Certificate) -> dict[str, str]:
    return {
        "name": certificate.holder_name,
        "title": certificate.title,
        "score": format_score(certificate.score),
        "issued": format_date(certificate.issued_on),
        "expires": format_date(certificate.expires_on) or "长期有效",
        "serial": certificate.serial or "",
    }


@lru_cache(maxsize=1)
def _fonts_and_css():
    font_config = FontConfiguration()
    css = CSS(string=render_to_string("certificates/pdf/certificate.css"), font_config=font_config)
    return font_config, css


def render_certificate(certificate: Certificate) -> bytes:
    url = verification_url(certificate)
    with translation.override(PDF_LANGUAGE):
        html = render_to_string(
            "certificates/pdf/certificate.html",
            {
                "certificate": certificate,
                "template": certificate.template,
                "body": wording.fill(certificate.template.wording, wording_values(certificate)),
                "issued": format_date(certificate.issued_on),
                "expires": format_date(certificate.expires_on),
                "qr": qr_png_data_uri(url),
                "verification_url": url,
                "seal": seal_data_uri(certificate),
            },
        )
    font_config, css = _fonts_and_css()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[css], font_config=font_config
    )
