"""The signed letter as a PDF (A4 portrait, Chinese font embedded) with a QR code to the public
check page. Reuses the certificates' QR machinery; printed in Chinese (an official document)."""

from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from certificates.pdf import PDF_LANGUAGE, format_date, qr_png_data_uri


def check_url(signature) -> str:
    """The absolute public address printed in the QR code (the Chinese, unprefixed one)."""
    with translation.override(PDF_LANGUAGE):
        path = reverse("commitments:check", kwargs={"token": signature.token})
    return settings.BASE_URL.rstrip("/") + path


@lru_cache(maxsize=1)
def _fonts_and_css():
    font_config = FontConfiguration()
    css = CSS(string=render_to_string("commitments/pdf/letter.css"), font_config=font_config)
    return font_config, css


def render_letter(signature) -> bytes:
    url = check_url(signature)
    with translation.override(PDF_LANGUAGE):
        html = render_to_string(
            "commitments/pdf/letter.html",
            {
                "signature": signature,
                "signed_on": format_date(timezone.localtime(signature.signed_at).date()),
                "signed_at": timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M:%S"),
                "qr": qr_png_data_uri(url),
                "check_url": url,
            },
        )
    font_config, css = _fonts_and_css()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[css], font_config=font_config
    )
